"""Entry points and one run: the lock, the dirty marks, the steps in order, the run's state."""

import datetime
import logging
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from core.models import DirtyMark
from org.models import OrgUnit
from progress import sql
from progress.rollup.facts import facts_communes, facts_sessions, facts_statistics, facts_teams, sync_facts
from progress.rollup.measures import M_TEMP_TABLES, measure_rows, measures_stale
from progress.rollup.months import (
    LAST_MONTH,
    as_date,
    calendar_row,
    horizon,
    month_end,
    month_start,
    months_between,
)
from progress.rollup.periods import month_rows, period_rows, write_all_periods
from progress.rollup.tables import SUMMED, TEMP_TABLES, T
from progress.rollup.targets import new_target_windows, target_rows
from progress.rollup.unit_map import map_is_stale, rollup_map_rebuild, rollup_state
from progress.rollup.volunteers import volunteer_rows

logger = logging.getLogger(__name__)
LOCK_KEY = 6_000_006  # pg_advisory_xact_lock key of the rollup
CLAIM_BATCH = 20_000
RANDOM_PAGE_COST = 1.1
RUN_WORK_MEM = "128MB"  # hash joins and aggregates of a national run stay in memory


@dataclass
class RunResult:
    mode: str
    marks: int = 0
    more_marks: bool = False  # the claim took a full batch: marks may be left for another run
    facts_changed: int = 0
    rows_written: int = 0
    map_rebuilt: bool = False
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)


def rollup_full(*, period: datetime.date | None = None, today: datetime.date | None = None) -> RunResult:
    """Recompute everything (or, with ``period``, one month for every unit), then the targets."""
    with transaction.atomic():
        _lock()
        with connection.cursor() as cursor:
            if period is not None:
                month = month_start(period)
                pairs = [(unit_id, month) for unit_id in OrgUnit.objects.values_list("pk", flat=True)]
                return _run(cursor, mode="period", pairs=pairs, today=today)
            # Marks written before this point are covered by the full run; later ones stay for the next.
            DirtyMark.objects.filter(pk__lte=_max_mark_id()).delete()
            return _run(cursor, mode="full", pairs=None, today=today)


def rollup_dirty(*, today: datetime.date | None = None) -> RunResult:
    """Consume the dirty marks and recompute only what they touch (plus every target's status)."""
    with transaction.atomic():
        _lock()
        marks = _claim_marks()
        pairs = sorted({(unit_id, month) for unit_id, month, _ in marks})
        rosters = any(rosters for _, _, rosters in marks)
        with connection.cursor() as cursor:
            if not pairs and not map_is_stale() and not measures_stale():
                return RunResult(mode="incremental")
            result = _run(cursor, mode="incremental", pairs=pairs, today=today, rosters=rosters)
            result.more_marks = len(marks) >= CLAIM_BATCH
            return result


def _max_mark_id() -> int:
    return DirtyMark.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _lock() -> None:
    """Single flight: a second run waits here until the first commits (PostgreSQL).

    SQLite serialises writing transactions by itself, so there is nothing to take.
    """
    if sql.is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _claim_marks() -> list[tuple[int, datetime.date, bool]]:
    """Take dirty marks (unit, month, rosters changed); deleted in the run's transaction, so a failed
    run gives them back."""
    table = DirtyMark._meta.db_table
    with connection.cursor() as cursor:
        if sql.is_postgres():
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT %s "
                "FOR UPDATE SKIP LOCKED) RETURNING org_unit_id, month, rosters",
                [CLAIM_BATCH],
            )
            return [(unit_id, as_date(month), bool(rosters)) for unit_id, month, rosters in cursor.fetchall()]
    marks = list(
        DirtyMark.objects.order_by("pk").values_list("pk", "org_unit_id", "month", "rosters")[:CLAIM_BATCH]
    )
    DirtyMark.objects.filter(pk__in=[pk for pk, *_ in marks]).delete()
    return [(unit_id, month, rosters) for _, unit_id, month, rosters in marks]


def _run(cursor, *, mode: str, pairs, today: datetime.date | None, rosters: bool = True) -> RunResult:
    """One run; ``rosters`` False (an incremental run whose marks changed no roster or team) keeps
    the volunteers as they are: they depend on nothing else."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    now = timezone.now()
    result = RunResult(mode=mode, marks=len(pairs or ()))
    if rollup_map_rebuild() and mode != "full":
        # Units changed: every unit's ancestors may have changed, so nothing short of a full run is right.
        mode, pairs, result.mode = "full", None, "full"
        result.map_rebuilt = True
        rosters = True
    first, current = horizon(today)
    full = mode == "full"
    if sql.is_postgres():
        cursor.execute(f"SET LOCAL work_mem = '{RUN_WORK_MEM}'")
        # Compiling dozens of short statements costs more than it saves.
        cursor.execute("SET LOCAL jit = off")
        # The temporary tables are analysed for their sizes and key spreads, which a small sample
        # shows as well as the default 30,000 rows (two dozen ANALYZEs a run).
        cursor.execute("SET LOCAL default_statistics_target = 10")
        # Random reads cost about what sequential ones do on cached or SSD pages: the planner then
        # reads the sessions' covering index (sorted by unit, narrower than the table) for the scan.
        cursor.execute(f"SET LOCAL random_page_cost = {RANDOM_PAGE_COST}")
    clock = _Clock(result)

    if not full:
        # What to recompute: every measure of each marked unit from its first marked month on (a
        # team founded in May changes every month's stock after it), or one month with ``period``.
        first_marked: dict[int, datetime.date] = {}
        for u, m in pairs or ():
            first_marked[u] = min(first_marked.get(u, month_start(m)), month_start(m))
        one_month = mode == "period"  # every unit marked at one month, recomputed for that month
        sql.temp_table(
            cursor,
            "tmp_scope",
            "org_unit_id bigint, month_from date, month_to date, date_to date",
            [
                (u, low, low, month_end(low)) if one_month else (u, low, LAST_MONTH, datetime.date.max)
                for u, low in sorted(first_marked.items())
            ],
            key="org_unit_id",
        )
    sql.temp_table(
        cursor,
        "tmp_months",
        "month date, month_end date",
        [(m, month_end(m)) for m in months_between(first, current)],
    )

    # 1. Facts.
    sql.temp_table(
        cursor,
        "tmp_fact",
        # Floats while the families' rows are merged (numeric sums cost several times more); the
        # merged values are rounded to the stored two decimals, so the comparison stays exact.
        f"org_unit_id bigint, month date, {', '.join(f'{c} double precision' for c in SUMMED)}",
        key="org_unit_id, month",
    )
    facts_sessions(cursor, full)
    facts_statistics(cursor, full)
    facts_teams(cursor, full)
    facts_communes(cursor, full)
    clock.tick("facts")
    result.facts_changed = sync_facts(cursor, full)
    clock.tick("facts_sync")

    # The calendar covers every month that has facts (flows may lie outside the stock horizon).
    cursor.execute(
        f"SELECT MIN(m), MAX(m) FROM (SELECT MIN(month) AS m FROM {T['fact']} UNION ALL "
        f"SELECT MAX(month) FROM {T['fact']} UNION ALL SELECT MIN(month) FROM tmp_changed "
        "UNION ALL SELECT MAX(month) FROM tmp_changed) x"
    )
    low, high = cursor.fetchone()
    low = min(as_date(low) or first, first)
    high = max(as_date(high) or current, current)
    sql.temp_table(
        cursor,
        "tmp_cal",
        "month date, month_end date, quarter_start date, quarter_end date, year_start date, year_end date, "
        "q_last date, y_last date",
        [calendar_row(m, current) for m in months_between(low, high)],
        key="month",
    )

    # 2-3. Month rows, then quarter and year rows, for the affected (target, month) pairs.
    sql.temp_table(cursor, "tmp_affected", "target_id bigint, month date", key="target_id, month")
    if not full:
        cursor.execute(
            f"""
            INSERT INTO tmp_affected
            SELECT DISTINCT r.target_id, c.month FROM tmp_changed c
            JOIN {T["map"]} r ON r.source_id = c.org_unit_id AND c.month BETWEEN r.month_from AND r.month_to
            """
        )
    # A full run computes every month, quarter and year with their volunteers first and writes each
    # row once, all columns together; an incremental run writes what each step recomputed.
    result.rows_written += month_rows(cursor, full, now)
    clock.tick("months")
    result.rows_written += period_rows(cursor, full, now)
    clock.tick("quarters_years")

    # 4. Distinct volunteers. They depend on rosters, teams and the month a period is attributed by
    # (up to the current one): kept as they are only when none of these moved since the last run.
    last_run = rollup_state().last_run_at
    new_month = last_run is None or month_start(timezone.localdate(last_run)) != month_start(
        timezone.localdate()
    )
    rosters = rosters or full or new_month or new_target_windows(today)
    if rosters:
        result.rows_written += volunteer_rows(cursor, full, pairs, first, current, now)
        clock.tick("volunteers")
    if full:
        result.rows_written += write_all_periods(cursor, now)
        clock.tick("write")

    # 4b. Data-defined measures (indicators an administrator defined in admin): their own rows.
    result.rows_written += measure_rows(cursor, full, today, now)
    clock.tick("data_defined")

    # 5. Targets.
    result.rows_written += target_rows(cursor, today, now, volunteers=rosters)
    clock.tick("targets")

    sql.drop_temp(cursor, *TEMP_TABLES, *M_TEMP_TABLES)
    state = rollup_state()
    state.last_run_at = now
    if full:
        state.last_full_at = now
    result.seconds = time.perf_counter() - started
    state.last_run_seconds = result.seconds
    state.save(update_fields=["last_run_at", "last_full_at", "last_run_seconds"])
    logger.info("progress rollup %s: %s", result.mode, result)
    return result


class _Clock:
    def __init__(self, result: RunResult):
        self.result, self.last = result, time.perf_counter()

    def tick(self, name: str) -> None:
        now = time.perf_counter()
        self.result.timings[name] = round(now - self.last, 4)
        self.last = now
