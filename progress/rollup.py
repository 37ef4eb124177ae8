"""The rollup: facts -> per-unit, per-period progress, set-based, single-flight, idempotent.

One run, inside one transaction holding the rollup lock:

1. Facts: each family of measures is ONE grouped query over its raw table (help sessions carry
   their totals, so that is one scan of them), pre-aggregated per (source unit, month) into one
   row with a column per measure, then diffed against ``Fact``: only the (unit, month) pairs whose
   facts really changed go further. Flows (sessions, activities, statistics) are summed per month;
   stocks (teams, communes) are evaluated at each month's last day within the horizon.
2. Month rows: ``Fact`` joined to the ``RollupMap`` (a few thousand rows: source -> every unit it
   counts toward, per range of months) for the affected (target, month) pairs; upserted into
   ``PeriodValue``, one row per unit and period with a column per measure.
3. Quarter and year rows from the month rows: flows summed, stocks at the last month. Ratios are
   never stored: ``Progress`` (a view) divides the summed columns, Σnumerator / Σdenominator.
4. Distinct volunteers per period and target, counted distinct at each level (a person in two
   communes counts once for their province): the volunteers column of the same rows. An
   incremental run recounts them only when a mark says a roster or a team changed.
5. Target windows and the status of every partnerships Target.

A full run recomputes everything (and deletes rows that no longer have facts), writing each period
row once; an incremental run starts from the claimed ``DirtyMark`` rows and recomputes every measure
of a marked unit from its first marked month on. Both go through the same code, so they agree.
"""

import datetime
import hashlib
import logging
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from core.models import DirtyMark
from egov_support.models import HelpSession, ServiceStatistic, StatisticSource
from org.models import OrgUnit
from partnerships.models import Indicator, Target
from progress import sql
from progress.computed import computed_at_moved
from progress.models import (
    MEASURE_AGGREGATION,
    Aggregation,
    Fact,
    IndicatorRule,
    Measure,
    PeriodKind,
    PeriodValue,
    Progress,
    RollupMap,
    RollupState,
    TargetStatus,
)
from volunteers.models import Activity, Membership, Team

logger = logging.getLogger(__name__)

HORIZON_YEARS = 2  # stocks are evaluated from January, two years before the current one
FIRST_MONTH = datetime.date(1900, 1, 1)
LAST_MONTH = datetime.date(9999, 12, 1)
LOCK_KEY = 6_000_006  # pg_advisory_xact_lock key of the rollup
CLAIM_BATCH = 20_000
ANALYZE_AFTER = 5_000  # rows written by a step after which its table's statistics are refreshed
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


# --- Months -----------------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def quarter_start(month: datetime.date) -> datetime.date:
    return datetime.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)


def horizon(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return datetime.date(today.year - HORIZON_YEARS, 1, 1), month_start(today)


# --- The rollup map ------------------------------------------------------------------------------


def _map_signature(units: list[tuple]) -> str:
    digest = hashlib.sha256()
    for row in units:
        digest.update(repr(row).encode())
    return digest.hexdigest()


def rollup_map_rows(units: list[tuple]) -> list[tuple[int, int, datetime.date, datetime.date]]:
    """(source, target, month_from, month_to) for ``units`` = [(id, parent_id, valid_to, successor_id)].

    Facts of month M count toward the source and each ancestor; a unit dissolved before M hands
    them to its successor (following chains), whose own ancestors then count them.
    """
    by_id = {
        unit_id: (parent_id, valid_to, successor_id) for unit_id, parent_id, valid_to, successor_id in units
    }
    # Months where some unit hands over to its successor split the timeline into ranges.
    breaks = sorted(
        {add_months(month_start(v), 1) for _, _, v, s in units if v is not None and s is not None}
    )
    starts = [FIRST_MONTH, *breaks]
    ranges = [
        (start, add_months(starts[i + 1], -1) if i + 1 < len(starts) else LAST_MONTH)
        for i, start in enumerate(starts)
    ]

    def targets_at(unit_id: int, month: datetime.date) -> list[int]:
        found, current, hops = [], unit_id, 0
        while current is not None and hops < 100:  # hops: a guard against a cycle in bad data
            hops += 1
            parent_id, valid_to, successor_id = by_id[current]
            if successor_id is not None and valid_to is not None and month > month_start(valid_to):
                current = successor_id
                continue
            if current not in found:
                found.append(current)
            current = parent_id
        return found

    rows = []
    for unit_id in by_id:
        open_ranges: dict[int, list[datetime.date]] = {}
        for start, end in ranges:
            for target in targets_at(unit_id, start):
                if target in open_ranges and open_ranges[target][1] == add_months(start, -1):
                    open_ranges[target][1] = end  # extends the previous range of this target
                else:
                    if target in open_ranges:
                        rows.append((unit_id, target, *open_ranges[target]))
                    open_ranges[target] = [start, end]
        rows.extend((unit_id, target, first, last) for target, (first, last) in open_ranges.items())
    return rows


# What a unit contributes beyond the map: the communes stock reads its kind and its whole validity.
SIGNED_FIELDS = ("pk", "parent_id", "valid_to", "successor_id", "valid_from", "kind")


def _signed_units() -> list[tuple]:
    """Every unit's SIGNED_FIELDS: the map's four first (source, parent, end, successor)."""
    return list(OrgUnit.objects.order_by("pk").values_list(*SIGNED_FIELDS))


def rollup_map_rebuild(*, force: bool = False) -> bool:
    """Rebuild the map when units changed (signature of parents, end dates, successors, and the start
    dates and kinds the communes stock reads: a unit edited in any of these makes the run a full one)."""
    signed = _signed_units()
    units = [row[:4] for row in signed]
    signature = _map_signature(signed)
    state = _state()
    if not force and state.map_signature == signature and RollupMap.objects.exists():
        return False
    RollupMap.objects.all().delete()
    RollupMap.objects.bulk_create(
        [
            RollupMap(source_id=s, target_id=t, month_from=f, month_to=e)
            for s, t, f, e in rollup_map_rows(units)
        ],
        batch_size=5000,
    )
    state.map_signature = signature
    state.save(update_fields=["map_signature"])
    return True


def _map_is_stale() -> bool:
    """Units changed since the map was built (or a migration cleared its signature): a full run is due."""
    return _state().map_signature != _map_signature(_signed_units())


def _state() -> RollupState:
    state, _ = RollupState.objects.get_or_create(pk=1)
    return state


# --- Entry points -------------------------------------------------------------------------------


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
            if not pairs and not _map_is_stale():
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
            return [
                (unit_id, _as_date(month), bool(rosters)) for unit_id, month, rosters in cursor.fetchall()
            ]
    marks = list(
        DirtyMark.objects.order_by("pk").values_list("pk", "org_unit_id", "month", "rosters")[:CLAIM_BATCH]
    )
    DirtyMark.objects.filter(pk__in=[pk for pk, *_ in marks]).delete()
    return [(unit_id, month, rosters) for _, unit_id, month, rosters in marks]


# --- The run ------------------------------------------------------------------------------------

T = {
    "session": HelpSession._meta.db_table,
    "stat": ServiceStatistic._meta.db_table,
    "activity": Activity._meta.db_table,
    "team": Team._meta.db_table,
    "membership": Membership._meta.db_table,
    "unit": OrgUnit._meta.db_table,
    "fact": Fact._meta.db_table,
    "map": RollupMap._meta.db_table,
    "rule": IndicatorRule._meta.db_table,
    "value": PeriodValue._meta.db_table,
}
TEMP_TABLES = (
    "tmp_scope",
    "tmp_factw",
    "tmp_months",
    "tmp_fact",
    "tmp_changed",
    "tmp_cal",
    "tmp_affected",
    "tmp_pv",
    "tmp_periods",
    "tmp_vtargets",
    "tmp_gone",
    "tmp_fact_new",
    "tmp_vgroups",
    "tmp_vmulti",
    "tmp_vgrid",
    "tmp_vcum",
    "tmp_sagg",
    "tmp_vslow",
    "tmp_vblocks",
    "tmp_vgaps",
    "tmp_bgroups",
    "tmp_bcum",
    "tmp_pv_all",
    "tmp_pv_write",
)


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
    _facts_sessions(cursor, full)
    _facts_statistics(cursor, full)
    _facts_teams(cursor, full)
    _facts_communes(cursor, full)
    clock.tick("facts")
    result.facts_changed = _sync_facts(cursor, full)
    clock.tick("facts_sync")

    # The calendar covers every month that has facts (flows may lie outside the stock horizon).
    cursor.execute(
        f"SELECT MIN(m), MAX(m) FROM (SELECT MIN(month) AS m FROM {T['fact']} UNION ALL "
        f"SELECT MAX(month) FROM {T['fact']} UNION ALL SELECT MIN(month) FROM tmp_changed "
        "UNION ALL SELECT MAX(month) FROM tmp_changed) x"
    )
    low, high = cursor.fetchone()
    low = min(_as_date(low) or first, first)
    high = max(_as_date(high) or current, current)
    sql.temp_table(
        cursor,
        "tmp_cal",
        "month date, month_end date, quarter_start date, quarter_end date, year_start date, year_end date, "
        "q_last date, y_last date",
        [_calendar_row(m, current) for m in months_between(low, high)],
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
    result.rows_written += _month_rows(cursor, full, now)
    clock.tick("months")
    result.rows_written += _period_rows(cursor, full, now)
    clock.tick("quarters_years")

    # 4. Distinct volunteers. They depend on rosters, teams and the month a period is attributed by
    # (up to the current one): kept as they are only when none of these moved since the last run.
    last_run = _state().last_run_at
    new_month = last_run is None or month_start(timezone.localdate(last_run)) != month_start(
        timezone.localdate()
    )
    rosters = rosters or full or new_month or _new_target_windows(today)
    if rosters:
        result.rows_written += _volunteer_rows(cursor, full, pairs, first, current, now)
        clock.tick("volunteers")
    if full:
        result.rows_written += _write_all_periods(cursor, now)
        clock.tick("write")

    # 5. Targets.
    result.rows_written += _target_rows(cursor, today, now, volunteers=rosters)
    clock.tick("targets")

    sql.drop_temp(cursor, *TEMP_TABLES)
    state = _state()
    state.last_run_at = now
    if full:
        state.last_full_at = now
    result.seconds = time.perf_counter() - started
    state.last_run_seconds = result.seconds
    state.save(update_fields=["last_run_at", "last_full_at", "last_run_seconds"])
    computed_at_moved(now)
    logger.info("progress rollup %s: %s", result.mode, result)
    return result


class _Clock:
    def __init__(self, result: RunResult):
        self.result, self.last = result, time.perf_counter()

    def tick(self, name: str) -> None:
        now = time.perf_counter()
        self.result.timings[name] = round(now - self.last, 4)
        self.last = now


def _as_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _calendar_row(month: datetime.date, current: datetime.date) -> tuple:
    q = quarter_start(month)
    y = datetime.date(month.year, 1, 1)
    q_last, y_last = min(add_months(q, 2), current), min(add_months(y, 11), current)
    return (
        month,
        month_end(month),
        q,
        month_end(add_months(q, 2)),
        y,
        datetime.date(month.year, 12, 31),
        q_last,
        y_last,
    )


# --- 1. Fact families: one grouped query each ---------------------------------------------------


def _into_facts(*measures: str) -> str:
    """Each family inserts its own measures' columns of ``tmp_fact`` (per unit and month; the other
    columns stay NULL): ``_sync_facts`` merges the families' rows."""
    return f"INSERT INTO tmp_fact (org_unit_id, month, {', '.join(measures)})"


def _flow_filter(full: bool, unit_col: str, date_col: str) -> str:
    if full:
        return ""
    return (
        f"JOIN tmp_scope sc ON sc.org_unit_id = {unit_col} "
        f"AND {date_col} >= sc.month_from AND {date_col} <= sc.date_to"
    )


def _month_filter(full: bool, unit_col: str, month_col: str) -> str:
    if full:
        return ""
    return (
        f"JOIN tmp_scope sc ON sc.org_unit_id = {unit_col} "
        f"AND {month_col} >= sc.month_from AND {month_col} <= sc.month_to"
    )


def _facts_sessions(cursor, full: bool) -> None:
    """Citizens assisted, dossiers submitted with help, VNeID activations and volunteer-hours (each
    session's duration x volunteers present), per place and month: one scan of the sessions, whose
    totals and volunteer-minutes are stored on them, plus the activities' logged hours.

    The grouped scan goes into a table of its own (``CREATE TABLE AS``): PostgreSQL runs that on
    every core, where an ``INSERT ... SELECT`` would run on one.
    """
    sql.temp_table_as(
        cursor,
        "tmp_sagg",
        f"""
        SELECT s.org_unit_id AS unit_id, {sql.month_of("s.date")} AS month,
               SUM(s.total_assisted) AS citizens, SUM(s.total_submitted_online) AS dossiers,
               SUM(s.total_vneid_activations) AS vneid,
               SUM(s.volunteer_minutes) / 60.0 AS hours
        FROM {T["session"]} s
        {_flow_filter(full, "s.org_unit_id", "s.date")}
        GROUP BY s.org_unit_id, {sql.month_of("s.date")}
        """,
    )
    cursor.execute(
        f"""
        {_into_facts(Measure.CITIZENS_ASSISTED, Measure.DOSSIERS_ASSISTED, Measure.VNEID_ACTIVATIONS)}
        SELECT unit_id, month, NULLIF(citizens, 0), NULLIF(dossiers, 0), NULLIF(vneid, 0) FROM tmp_sagg
        WHERE citizens <> 0 OR dossiers <> 0 OR vneid <> 0
        """
    )
    cursor.execute(
        f"""
        {_into_facts(Measure.VOLUNTEER_HOURS)}
        SELECT unit_id, month, ROUND(CAST(SUM(hours) AS NUMERIC), 2) FROM (
            SELECT t.org_unit_id AS unit_id, {sql.month_of("a.date")} AS month, a.volunteer_hours AS hours
            FROM {T["activity"]} a JOIN {T["team"]} t ON t.id = a.team_id
            {_flow_filter(full, "t.org_unit_id", "a.date")}
            UNION ALL
            SELECT unit_id, month, hours FROM tmp_sagg WHERE hours <> 0
        ) x
        GROUP BY unit_id, month
        HAVING SUM(hours) <> 0
        """
    )


def _facts_statistics(cursor, full: bool) -> None:
    """Official dossiers: the provincial portal's figure, or the national one where it is the only one."""
    cursor.execute(
        f"""
        WITH agg AS (
            SELECT s.org_unit_id AS unit_id, s.month AS month,
                   SUM(s.dossiers_total) AS total, SUM(s.dossiers_online) AS online
            FROM {T["stat"]} s
            {_flow_filter(full, "s.org_unit_id", "s.month")}
            WHERE s.source = %s OR NOT EXISTS (
                SELECT 1 FROM {T["stat"]} o
                WHERE o.org_unit_id = s.org_unit_id AND o.month = s.month AND o.source = %s)
            GROUP BY s.org_unit_id, s.month
        )
        {_into_facts(Measure.OFFICIAL_DOSSIERS_TOTAL, Measure.OFFICIAL_DOSSIERS_ONLINE)}
        SELECT unit_id, month, total, online FROM agg
        """,
        [StatisticSource.PROVINCIAL_PORTAL, StatisticSource.PROVINCIAL_PORTAL],
    )


def _facts_teams(cursor, full: bool) -> None:
    """Teams active at each month's last day, and whether a commune has at least one (stocks).

    Active: founded by then (or created, when no founding date was recorded), not dissolved by
    then, and not paused now (pauses have no dates, so a paused team counts as inactive throughout).
    """
    scope = _month_filter(full, "t.org_unit_id", "m.month")
    cursor.execute(
        f"""
        WITH active AS (
            SELECT t.org_unit_id AS unit_id, m.month AS month, COUNT(*) AS teams
            FROM {T["team"]} t JOIN tmp_months m
              ON COALESCE(t.founded_on, {sql.date_of("t.created_at")}) <= m.month_end
             AND (t.dissolved_on IS NULL OR t.dissolved_on > m.month_end)
            {scope}
            WHERE t.status <> 'paused'
            GROUP BY t.org_unit_id, m.month
        )
        {_into_facts(Measure.TEAMS_ACTIVE, Measure.COMMUNES_WITH_TEAM)}
        SELECT a.unit_id, a.month, a.teams, CASE WHEN u.kind = 'commune' THEN 1 END
        FROM active a JOIN {T["unit"]} u ON u.id = a.unit_id
        """
    )


def _facts_communes(cursor, full: bool) -> None:
    """Communes in existence at each month's last day: the coverage denominator (stock)."""
    cursor.execute(
        f"""
        {_into_facts(Measure.COMMUNES)}
        SELECT u.id, m.month, 1 FROM {T["unit"]} u JOIN tmp_months m
          ON (u.valid_from IS NULL OR u.valid_from <= m.month_end)
         AND (u.valid_to IS NULL OR u.valid_to >= m.month_end)
        {_month_filter(full, "u.id", "m.month")}
        WHERE u.kind = 'commune'
        """
    )


def _is_empty(cursor, table: str) -> bool:
    cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})")
    return bool(cursor.fetchone()[0])


def _sync_facts(cursor, full: bool) -> int:
    """Merge the families' rows into one row per (unit, month), write the rows that changed and
    delete the ones whose facts are gone; record the changed (unit, month) pairs in ``tmp_changed``."""
    f = T["fact"]
    columns = ", ".join(SUMMED)
    merged = ", ".join(f"ROUND(CAST(SUM({c}) AS NUMERIC), 2) AS {c}" for c in SUMMED)
    sql.temp_table_as(
        cursor,
        "tmp_factw",
        f"SELECT org_unit_id, month, {merged} FROM tmp_fact GROUP BY org_unit_id, month",
        key="org_unit_id, month",  # probed per Fact row by tmp_gone's NOT EXISTS
    )
    if full and _is_empty(cursor, f):
        # A first run (or one after the facts were emptied): every merged row is new. Written in key
        # order, straight from the merge: no comparison with an empty table, index pages filled in turn.
        sql.temp_table(cursor, "tmp_changed", "org_unit_id bigint, month date", key="org_unit_id, month")
        cursor.execute("INSERT INTO tmp_changed SELECT org_unit_id, month FROM tmp_factw")
        sql.analyze(cursor, "tmp_changed")
        cursor.execute(
            f"INSERT INTO {f} (org_unit_id, month, {columns}) "
            f"SELECT org_unit_id, month, {columns} FROM tmp_factw ORDER BY org_unit_id, month"
        )
        changed = max(cursor.rowcount, 0)
        if changed > ANALYZE_AFTER:
            sql.analyze(cursor, f)
        return changed
    scoped = (
        f"SELECT id, org_unit_id, month FROM {f}"
        if full
        else f"SELECT f.id, f.org_unit_id, f.month FROM tmp_scope sc JOIN {f} f "
        "ON f.org_unit_id = sc.org_unit_id AND f.month >= sc.month_from AND f.month <= sc.month_to"
    )
    sql.temp_table(cursor, "tmp_gone", "id bigint, org_unit_id bigint, month date")
    cursor.execute(
        f"""
        INSERT INTO tmp_gone SELECT f.id, f.org_unit_id, f.month FROM ({scoped}) f
        WHERE NOT EXISTS (SELECT 1 FROM tmp_factw t WHERE t.org_unit_id = f.org_unit_id AND t.month = f.month)
        """
    )
    differs = " OR ".join(sql.differs(f"f.{c}", f"t.{c}") for c in SUMMED)
    sql.temp_table_as(
        cursor,
        "tmp_fact_new",
        f"SELECT t.*, CASE WHEN f.id IS NULL THEN 1 ELSE 0 END AS new FROM tmp_factw t "
        f"LEFT JOIN {f} f ON f.org_unit_id = t.org_unit_id AND f.month = t.month WHERE f.id IS NULL OR {differs}",
    )
    sql.temp_table(cursor, "tmp_changed", "org_unit_id bigint, month date", key="org_unit_id, month")
    cursor.execute(
        "INSERT INTO tmp_changed SELECT org_unit_id, month FROM tmp_gone "
        "UNION SELECT org_unit_id, month FROM tmp_fact_new"
    )
    sql.analyze(cursor, "tmp_changed")
    cursor.execute("SELECT COUNT(*) FROM tmp_changed")
    changed = cursor.fetchone()[0]
    if not changed:
        return 0
    cursor.execute(f"DELETE FROM {f} WHERE id IN (SELECT id FROM tmp_gone)")
    cursor.execute(
        f"""
        UPDATE {f} AS f SET {", ".join(f"{c} = t.{c}" for c in SUMMED)}
        FROM tmp_fact_new t WHERE t.new = 0 AND t.org_unit_id = f.org_unit_id AND t.month = f.month
        """
    )
    cursor.execute(
        f"""
        INSERT INTO {f} (org_unit_id, month, {columns})
        SELECT t.org_unit_id, t.month, {", ".join(f"t.{c}" for c in SUMMED)} FROM tmp_fact_new t WHERE t.new = 1
        ORDER BY t.org_unit_id, t.month
        """
    )
    if changed > ANALYZE_AFTER:
        sql.analyze(cursor, f)
    return changed


# --- 2-5. Period values: one row per unit and period, a column per measure ------------------------

COLUMNS = [m.value for m in Measure]  # PeriodValue's measure columns, named after the measures
SUMMED = [m for m in COLUMNS if MEASURE_AGGREGATION[m] != Aggregation.DISTINCT]  # from the facts
DISTINCT = [m for m in COLUMNS if MEASURE_AGGREGATION[m] == Aggregation.DISTINCT]  # per person
KEY = ("org_unit_id", "period_kind", "period_start", "period_end")


def _new_tmp_values(cursor) -> None:
    columns = ", ".join(f"{c} numeric" for c in COLUMNS)
    sql.temp_table(
        cursor,
        "tmp_pv",
        f"org_unit_id bigint, period_kind varchar(8), period_start date, period_end date, {columns}",
        key="org_unit_id, period_kind, period_start",
    )


def _into_tmp_values(columns: list[str]) -> str:
    """``INSERT INTO tmp_pv`` of the key and ``columns``; a SELECT of the same, in order, follows."""
    return f"INSERT INTO tmp_pv ({', '.join(KEY)}, {', '.join(columns)}) "


def _sync_values(cursor, scoped: str, columns: list[str], now, source: str = "tmp_pv") -> int:
    """Write ``columns`` of ``source`` (shaped as tmp_pv) into PeriodValue, for the rows of ``scoped``
    (a SELECT of the PeriodValue rows this step recomputed): changed rows upserted, vanished values set to NULL, rows
    left with no value at all deleted. Other columns are left as they are (another step owns them).

    Unchanged rows are not touched (their computed_at stays): running twice changes nothing.
    """
    pv = T["value"]
    sql.analyze(cursor, source)
    match = " AND ".join(f"t.{k} = p.{k}" for k in KEY)
    has_value = " OR ".join(f"p.{c} IS NOT NULL" for c in columns)
    cursor.execute(
        f"""
        UPDATE {pv} SET {", ".join(f"{c} = NULL" for c in columns)}, computed_at = %s
        WHERE id IN (SELECT p.id FROM ({scoped}) p
                     WHERE ({has_value}) AND NOT EXISTS (SELECT 1 FROM {source} t WHERE {match}))
        """,
        [now],
    )
    cleared = max(cursor.rowcount, 0)
    # The rows to write, new or changed, are picked first (into tmp_pv_write), then the changed ones are
    # updated in place and the new ones inserted plainly: no upsert's speculative insertion per row, and
    # no INSERT whose anti-join reads the table it is filling (quadratic on a table planned as empty).
    # The single-flight lock keeps other writers out.
    differs = " OR ".join(sql.differs(f"p.{c}", f"t.{c}") for c in columns)
    sql.temp_table_as(
        cursor,
        "tmp_pv_write",
        f"SELECT {', '.join(f't.{c}' for c in (*KEY, *columns))}, CASE WHEN p.id IS NULL THEN 1 ELSE 0 END AS new "
        f"FROM {source} t LEFT JOIN {pv} p ON {match} WHERE p.id IS NULL OR {differs}",
    )
    cursor.execute(
        f"""
        UPDATE {pv} AS p SET {", ".join(f"{c} = t.{c}" for c in columns)}, computed_at = %s
        FROM tmp_pv_write t WHERE t.new = 0 AND {match}
        """,
        [now],
    )
    written = max(cursor.rowcount, 0)
    cursor.execute(
        f"""
        INSERT INTO {pv} ({", ".join(KEY)}, {", ".join(columns)}, computed_at)
        SELECT {", ".join(f"t.{c}" for c in (*KEY, *columns))}, %s FROM tmp_pv_write t WHERE t.new = 1
        ORDER BY {", ".join(f"t.{k}" for k in KEY)}
        """,
        [now],
    )
    written += max(cursor.rowcount, 0)
    if cleared:
        empty = " AND ".join(f"p.{c} IS NULL" for c in COLUMNS)
        cursor.execute(f"DELETE FROM {pv} WHERE id IN (SELECT p.id FROM ({scoped}) p WHERE {empty})")
    if written + cleared > ANALYZE_AFTER:
        sql.analyze(cursor, pv)  # the next steps read these rows back: plan them with fresh statistics
    return written + cleared


def _month_rows(cursor, full: bool, now) -> int:
    """Each unit's months: the facts of every source unit that counts toward it (the map), summed."""
    _new_tmp_values(cursor)
    if full:
        source = (
            f"FROM {T['fact']} f JOIN {T['map']} r "
            "ON r.source_id = f.org_unit_id AND f.month BETWEEN r.month_from AND r.month_to"
        )
    else:
        sql.analyze(cursor, "tmp_affected")
        source = (
            f"FROM tmp_affected a JOIN {T['map']} r "
            "ON r.target_id = a.target_id AND a.month BETWEEN r.month_from AND r.month_to "
            f"JOIN {T['fact']} f ON f.org_unit_id = r.source_id AND f.month = a.month"
        )
    sums = ", ".join(f"SUM(f.{c})" for c in SUMMED)
    cursor.execute(
        f"""
        {_into_tmp_values(SUMMED)}
        SELECT r.target_id, 'month', f.month, {sql.month_end("f.month")}, {sums}
        {source}
        GROUP BY r.target_id, f.month
        """
    )
    if full:
        return 0  # written with the quarters, years and volunteers (_write_all_periods)
    scoped = (
        f"SELECT p.* FROM tmp_affected a JOIN {T['value']} p ON p.org_unit_id = a.target_id "
        "AND p.period_kind = 'month' AND p.period_start = a.month"
    )
    return _sync_values(cursor, scoped, SUMMED, now)


def _over_months(column: str, last: str, *, zero: bool = False) -> str:
    """A measure over a period's month rows ``p``: a flow summed, a stock at the period's ``last``
    month (0 when the period has months of it but not that one); NULL where it has no months at all,
    unless ``zero``."""
    if MEASURE_AGGREGATION[column] == Aggregation.FLOW:
        value = f"SUM(p.{column})"
    else:
        value = f"COALESCE(SUM(CASE WHEN p.period_start = {last} THEN p.{column} END), 0)"
        if not zero:
            value = f"CASE WHEN COUNT(p.{column}) > 0 THEN {value} END"
    return f"COALESCE({value}, 0)" if zero else value


def _period_rows(cursor, full: bool, now) -> int:
    """Quarters and years from the month rows: flows summed, stocks at the last month."""
    written = 0
    pv = T["value"]
    for kind, start, end, last in (
        (PeriodKind.QUARTER, "quarter_start", "quarter_end", "q_last"),
        (PeriodKind.YEAR, "year_start", "year_end", "y_last"),
    ):
        if full:  # from the month rows computed just before, in tmp_pv too
            months = "tmp_pv p JOIN tmp_cal c ON c.month = p.period_start"
        else:
            _new_tmp_values(cursor)
            sql.temp_table(cursor, "tmp_aperiods", "target_id bigint, pstart date")
            cursor.execute(
                f"INSERT INTO tmp_aperiods SELECT DISTINCT a.target_id, c.{start} FROM tmp_affected a "
                "JOIN tmp_cal c ON c.month = a.month"
            )
            sql.analyze(cursor, "tmp_aperiods")
            months = (
                f"tmp_aperiods ap JOIN tmp_cal c ON c.{start} = ap.pstart "
                f"JOIN {pv} p ON p.org_unit_id = ap.target_id AND p.period_start = c.month"
            )
        values = ", ".join(_over_months(c, f"c.{last}") for c in SUMMED)
        cursor.execute(
            f"""
            {_into_tmp_values(SUMMED)}
            SELECT p.org_unit_id, %s, c.{start}, c.{end}, {values}
            FROM {months}
            WHERE p.period_kind = 'month'
            GROUP BY p.org_unit_id, c.{start}, c.{end}
            HAVING {" OR ".join(f"COUNT(p.{c}) > 0" for c in SUMMED)}
            """,
            [kind],
        )
        if not full:
            scoped = (
                f"SELECT p.* FROM tmp_aperiods ap JOIN {pv} p ON p.org_unit_id = ap.target_id "
                f"AND p.period_kind = '{kind}' AND p.period_start = ap.pstart"
            )
            written += _sync_values(cursor, scoped, SUMMED, now)
    sql.drop_temp(cursor, "tmp_aperiods")
    return written


def _volunteer_groups(cursor) -> None:
    """Rosters, pre-aggregated: people with one membership are counted per (unit, joined month, left
    month) -- additive, so they roll up by a sum; the few with several memberships are kept per
    person, and counted distinct at every level."""
    m, t = T["membership"], T["team"]
    multi = f"(SELECT volunteer_id FROM {m} GROUP BY volunteer_id HAVING COUNT(*) > 1)"
    sql.temp_table(cursor, "tmp_vgroups", "unit_id bigint, jm date, lm date, n integer")
    cursor.execute(
        f"""
        INSERT INTO tmp_vgroups
        SELECT t.org_unit_id, {sql.month_of("m.joined_on")}, {sql.month_of("m.left_on")}, COUNT(*)
        FROM {m} m JOIN {t} t ON t.id = m.team_id
        WHERE m.volunteer_id NOT IN {multi}
        GROUP BY t.org_unit_id, {sql.month_of("m.joined_on")}, {sql.month_of("m.left_on")}
        """
    )
    sql.temp_table(cursor, "tmp_vmulti", "volunteer_id bigint, unit_id bigint, jm date, lm date")
    cursor.execute(
        f"""
        INSERT INTO tmp_vmulti
        SELECT m.volunteer_id, t.org_unit_id, {sql.month_of("m.joined_on")}, {sql.month_of("m.left_on")}
        FROM {m} m JOIN {t} t ON t.id = m.team_id
        WHERE m.volunteer_id IN {multi}
        """
    )
    sql.analyze(cursor, "tmp_vgroups", "tmp_vmulti")
    _volunteer_blocks(cursor)


def _volunteer_blocks(cursor) -> None:
    """People with several memberships, where every unit they are in counts toward the same units in
    every month (no merger in between): per person and unit counted toward, their memberships merged
    into blocks of overlapping time (``tmp_vblocks``), and the gaps between consecutive blocks
    (``tmp_vgaps``). A person is on a roster in a period when some block overlaps it, so the people
    of a period are the blocks overlapping it minus the gaps lying inside it (the blocks that overlap
    a period are consecutive): counts, no per-person DISTINCT over every period. The others (a unit
    merged in their time) stay in ``tmp_vslow`` and are counted distinct."""
    r = T["map"]
    sql.temp_table_as(
        cursor,
        "tmp_vslow",
        f"""
        SELECT * FROM tmp_vmulti WHERE volunteer_id IN (
            SELECT g.volunteer_id FROM tmp_vmulti g JOIN {r} r ON r.source_id = g.unit_id
            WHERE r.month_from <> %s OR r.month_to <> %s)
        """,
        [FIRST_MONTH, LAST_MONTH],
    )
    open_end = LAST_MONTH  # an open membership runs to the end of time
    sql.temp_table_as(
        cursor,
        "tmp_vblocks",
        f"""
        SELECT volunteer_id, target_id, block, MIN(jm) AS jm, MAX(lm) AS lm FROM (
            SELECT volunteer_id, target_id, jm, lm,
                   SUM(CASE WHEN reach IS NULL OR jm > reach THEN 1 ELSE 0 END) OVER (
                       PARTITION BY volunteer_id, target_id ORDER BY jm, lm ROWS UNBOUNDED PRECEDING
                   ) AS block
            FROM (
                SELECT g.volunteer_id, r.target_id, g.jm, COALESCE(g.lm, %s) AS lm,
                       MAX(COALESCE(g.lm, %s)) OVER (
                           PARTITION BY g.volunteer_id, r.target_id ORDER BY g.jm, COALESCE(g.lm, %s)
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                       ) AS reach
                FROM tmp_vmulti g JOIN {r} r ON r.source_id = g.unit_id
                WHERE g.volunteer_id NOT IN (SELECT volunteer_id FROM tmp_vslow)
            ) spans
        ) numbered
        GROUP BY volunteer_id, target_id, block
        """,
        [open_end, open_end, open_end],
    )
    # The blocks as roster groups of the unit counted toward (an open block has no end).
    sql.temp_table_as(
        cursor,
        "tmp_bgroups",
        "SELECT target_id AS unit_id, jm, CASE WHEN lm = %s THEN NULL ELSE lm END AS lm, COUNT(*) AS n "
        "FROM tmp_vblocks GROUP BY target_id, jm, lm",
        [open_end],
    )
    sql.temp_table_as(
        cursor,
        "tmp_vgaps",
        """
        SELECT x.target_id, x.lm AS gap_from, y.jm AS gap_to FROM tmp_vblocks x JOIN tmp_vblocks y
          ON y.volunteer_id = x.volunteer_id AND y.target_id = x.target_id AND y.block = x.block + 1
        """,
    )


def _volunteer_rows(cursor, full: bool, pairs, first, current, now) -> int:
    """Volunteers on a team's roster during the period, counted once per person at every level.

    Attributed through the map by the period's last month (up to now): a roster of a dissolved
    unit counts toward its successor for periods after the merge.
    """
    _volunteer_groups(cursor)
    since = first if full else max(min(month_start(m) for _, m in pairs), first)
    periods = []
    for month in months_between(since, current):
        periods.append((PeriodKind.MONTH, month, month_end(month), month))
        if month == quarter_start(month) or month == since:
            q = quarter_start(month)
            periods.append(
                (PeriodKind.QUARTER, q, month_end(add_months(q, 2)), min(add_months(q, 2), current))
            )
        if month.month == 1 or month == since:
            y = datetime.date(month.year, 1, 1)
            periods.append(
                (PeriodKind.YEAR, y, datetime.date(month.year, 12, 31), min(add_months(y, 11), current))
            )
    _periods_table(cursor, "tmp_periods", [(*period, None) for period in periods])
    target_filter = ""
    if not full:
        sql.temp_table(cursor, "tmp_vtargets", "target_id bigint")
        cursor.execute(
            f"INSERT INTO tmp_vtargets SELECT DISTINCT r.target_id FROM {T['map']} r "
            f"WHERE r.source_id IN ({', '.join(str(int(u)) for u in {u for u, _ in pairs})})"
        )
        sql.analyze(cursor, "tmp_vtargets")
        target_filter = "AND r.target_id IN (SELECT target_id FROM tmp_vtargets)"
    if not full:
        _new_tmp_values(cursor)
    _insert_distinct_volunteers(cursor, "tmp_periods", target_filter, only_unit=False)
    if full:
        return 0  # in tmp_pv with the other rows (_write_all_periods)
    pv = T["value"]
    scoped = (
        f"SELECT p.* FROM tmp_periods tp JOIN {pv} p ON p.period_kind = tp.kind AND p.period_start = tp.pstart "
        "AND p.period_end = tp.pend"
    )
    scoped += " WHERE p.org_unit_id IN (SELECT target_id FROM tmp_vtargets)"
    return _sync_values(cursor, scoped, DISTINCT, now)


def _write_all_periods(cursor, now) -> int:
    """A full run's months, quarters and years (the facts' columns and the volunteers' rows in
    ``tmp_pv``), merged into one row per unit and period and written in one pass."""
    merged = ", ".join(f"MAX({c}) AS {c}" for c in COLUMNS)
    sql.temp_table_as(
        cursor,
        "tmp_pv_all",
        f"SELECT {', '.join(KEY)}, {merged} FROM tmp_pv GROUP BY {', '.join(KEY)}",
        key=", ".join(KEY),  # probed per PeriodValue row by _sync_values' NOT EXISTS
    )
    pv = T["value"]
    if _is_empty(cursor, pv):
        # The first full run (or one after the table was emptied): every row is new, nothing to
        # compare or clear. Written in key order, index pages filled in turn.
        cursor.execute(
            f"""
            INSERT INTO {pv} ({", ".join(KEY)}, {", ".join(COLUMNS)}, computed_at)
            SELECT {", ".join(KEY)}, {", ".join(COLUMNS)}, %s FROM tmp_pv_all ORDER BY {", ".join(KEY)}
            """,
            [now],
        )
        written = max(cursor.rowcount, 0)
        if written > ANALYZE_AFTER:
            sql.analyze(cursor, pv)
        return written
    scoped = f"SELECT * FROM {pv} WHERE period_kind <> 'target'"
    return _sync_values(cursor, scoped, COLUMNS, now, source="tmp_pv_all")


def _periods_table(cursor, name: str, periods: list[tuple]) -> None:
    """Periods (kind, start, end, attribution month, unit or None) with the two months the roster
    counts are read at: the period's last month and the month before it starts."""
    sql.temp_table(
        cursor,
        name,
        "kind varchar(8), pstart date, pend date, attr_month date, org_unit_id bigint, "
        "end_month date, before_month date",
        [(*p, month_start(p[2]), _month_before(p[1])) for p in periods],
        key="kind, pstart, pend",
    )


def _month_before(start: datetime.date) -> datetime.date:
    """The last month whose departures are before ``start``: memberships are counted by month, so
    one that ended in the month of a mid-month start ended before it (joined/left months compare
    with the period's dates, as the distinct count does)."""
    return add_months(month_start(start), -1) if start.day == 1 else month_start(start)


def _roster_counts(cursor, periods: str) -> None:
    """Running counts over a dense month grid, so that the people on a roster during [start, end]
    are joined(end month) - left(month before start): two look-ups per unit and period instead of
    every roster group against every period.

    ``tmp_vcum``: per unit, single-membership people (``tmp_vgroups``); ``tmp_bcum``: per unit counted
    toward, the blocks of people with several memberships (``tmp_bgroups``, see _volunteer_blocks).
    """
    for table in ("tmp_vcum", "tmp_bcum"):
        sql.temp_table(
            cursor, table, "unit_id bigint, month date, joined bigint, gone bigint", key="unit_id, month"
        )
    cursor.execute(f"SELECT MIN(before_month), MAX(end_month) FROM {periods}")
    low, high = (_as_date(v) for v in cursor.fetchone())
    cursor.execute(
        "SELECT MIN(jm), MAX(COALESCE(lm, jm)) FROM "
        "(SELECT jm, lm FROM tmp_vgroups UNION ALL SELECT jm, lm FROM tmp_bgroups) x"
    )
    first_event, last_event = (_as_date(v) for v in cursor.fetchone())
    if low is None or first_event is None:
        return
    # The grid spans the periods, but no further than the events: a month before the first event
    # reads 0 and 0, one after the last reads the totals (a target window may end in 2030).
    low = max(low, add_months(first_event, -1))
    high = max(min(high, last_event), low)
    cursor.execute(f"UPDATE {periods} SET end_month = %s WHERE end_month > %s", [high, high])
    cursor.execute(f"UPDATE {periods} SET end_month = %s WHERE end_month < %s", [low, low])
    cursor.execute(f"UPDATE {periods} SET before_month = %s WHERE before_month < %s", [low, low])
    cursor.execute(f"UPDATE {periods} SET before_month = %s WHERE before_month > %s", [high, high])
    sql.temp_table(cursor, "tmp_vgrid", "month date", [(m,) for m in months_between(low, high)])
    for table, groups in (("tmp_vcum", "tmp_vgroups"), ("tmp_bcum", "tmp_bgroups")):
        # Earlier joins and departures count from the grid's first month on.
        cursor.execute(
            f"""
            INSERT INTO {table}
            SELECT u.unit_id, g.month,
                   SUM(COALESCE(e.joined, 0)) OVER (PARTITION BY u.unit_id ORDER BY g.month),
                   SUM(COALESCE(e.gone, 0)) OVER (PARTITION BY u.unit_id ORDER BY g.month)
            FROM (SELECT DISTINCT unit_id FROM {groups}) u CROSS JOIN tmp_vgrid g
            LEFT JOIN (
                SELECT unit_id, month, SUM(joined) AS joined, SUM(gone) AS gone FROM (
                    SELECT unit_id, CASE WHEN jm < %s THEN %s ELSE jm END AS month, n AS joined, 0 AS gone
                    FROM {groups}
                    UNION ALL
                    SELECT unit_id, CASE WHEN lm < %s THEN %s ELSE lm END, 0, n FROM {groups}
                    WHERE lm IS NOT NULL
                ) x GROUP BY unit_id, month
            ) e ON e.unit_id = u.unit_id AND e.month = g.month
            """,
            [low, low, low, low],
        )
        sql.analyze(cursor, table)


def _insert_distinct_volunteers(cursor, periods: str, target_filter: str, *, only_unit: bool) -> None:
    """Volunteers on a roster during each period, per unit it counts toward (``tmp_pv``).

    People with one membership are additive (a sum of roster counts, ``_roster_counts``); people
    with several count once per period through their blocks and gaps (``_volunteer_blocks``).
    """
    _roster_counts(cursor, periods)
    unit_filter = "AND r.target_id = tp.org_unit_id" if only_unit else ""
    overlap = "g.jm <= tp.pend AND (g.lm IS NULL OR g.lm >= tp.pstart)"
    attributed = "tp.attr_month BETWEEN r.month_from AND r.month_to"
    cursor.execute(
        f"""
        {_into_tmp_values(DISTINCT)}
        SELECT x.target_id, x.kind, x.pstart, x.pend, SUM(x.n)
        FROM (
            SELECT r.target_id, tp.kind, tp.pstart, tp.pend, SUM(ce.joined - cb.gone) AS n
            FROM {periods} tp JOIN {T["map"]} r ON {attributed}
            JOIN tmp_vcum ce ON ce.unit_id = r.source_id AND ce.month = tp.end_month
            JOIN tmp_vcum cb ON cb.unit_id = r.source_id AND cb.month = tp.before_month
            WHERE ce.joined - cb.gone > 0 {unit_filter} {target_filter}
            GROUP BY r.target_id, tp.kind, tp.pstart, tp.pend
            UNION ALL
            SELECT r.target_id, tp.kind, tp.pstart, tp.pend, SUM(r.joined - cb.gone)
            FROM {periods} tp
            JOIN (SELECT unit_id AS target_id, month, joined FROM tmp_bcum) r ON r.month = tp.end_month
            JOIN tmp_bcum cb ON cb.unit_id = r.target_id AND cb.month = tp.before_month
            WHERE r.joined - cb.gone > 0 {unit_filter} {target_filter}
            GROUP BY r.target_id, tp.kind, tp.pstart, tp.pend
            UNION ALL
            SELECT r.target_id, tp.kind, tp.pstart, tp.pend, -COUNT(*)
            FROM tmp_vgaps r JOIN {periods} tp ON r.gap_from >= tp.pstart AND r.gap_to <= tp.pend
            WHERE 1 = 1 {unit_filter} {target_filter}
            GROUP BY r.target_id, tp.kind, tp.pstart, tp.pend
            UNION ALL
            SELECT r.target_id, tp.kind, tp.pstart, tp.pend, COUNT(DISTINCT g.volunteer_id)
            FROM tmp_vslow g JOIN {periods} tp ON {overlap}
            JOIN {T["map"]} r ON r.source_id = g.unit_id AND {attributed}
            WHERE 1 = 1 {unit_filter} {target_filter}
            GROUP BY r.target_id, tp.kind, tp.pstart, tp.pend
        ) x
        GROUP BY x.target_id, x.kind, x.pstart, x.pend
        """
    )


# --- 5. Targets ----------------------------------------------------------------------------------


def _new_target_windows(today: datetime.date) -> bool:
    """Whether some target's window has no row yet (a target added since the last run)."""
    have = set(
        PeriodValue.objects.filter(period_kind=PeriodKind.TARGET).values_list(
            "org_unit_id", "period_start", "period_end"
        )
    )
    targets = Target.objects.filter(indicator__rule__isnull=False).select_related("objective__agreement")
    return any((t.org_unit_id, *_target_window(t)) not in have for t in targets)


def _target_window(target: Target) -> tuple[datetime.date, datetime.date]:
    """(start, end) of the period a target is measured over."""
    return min(target_window_start(target), target.deadline), target.deadline


def target_window_start(target: Target) -> datetime.date:
    """A target is measured from its agreement's phase start (its objective's agreement)."""
    return target.objective.agreement.start_date


def _target_rows(cursor, today: datetime.date, now, *, volunteers: bool = True) -> int:
    """Each target's window (phase start to deadline), every measure over it up to today, then the
    status of every target. A window always has a row: no facts yet is 0, not "no row"."""
    targets = list(
        Target.objects.select_related("objective__agreement", "indicator__rule").filter(
            indicator__rule__isnull=False
        )
    )
    windows = set()
    for target in targets:
        start, _ = _target_window(target)
        as_of = max(min(today, target.deadline), start)
        windows.add((target.org_unit_id, start, target.deadline, month_start(start), month_start(as_of)))
    sql.temp_table(
        cursor,
        "tmp_windows",
        "org_unit_id bigint, pstart date, pend date, first_month date, attr_month date",
        sorted(windows),
    )
    _new_tmp_values(cursor)
    values = ", ".join(_over_months(c, "w.attr_month", zero=True) for c in SUMMED)
    cursor.execute(
        f"""
        {_into_tmp_values(SUMMED)}
        SELECT w.org_unit_id, 'target', w.pstart, w.pend, {values}
        FROM tmp_windows w
        LEFT JOIN {T["value"]} p ON p.org_unit_id = w.org_unit_id AND p.period_kind = 'month'
             AND p.period_start BETWEEN w.first_month AND w.attr_month
        GROUP BY w.org_unit_id, w.pstart, w.pend
        """
    )
    scoped = f"SELECT * FROM {T['value']} WHERE period_kind = 'target'"
    written = _sync_values(cursor, scoped, SUMMED, now)
    if volunteers:  # else the windows' volunteers are as they were (no roster changed)
        _periods_table(
            cursor,
            "tmp_wperiods",
            [(PeriodKind.TARGET, start, end, attr, unit) for unit, start, end, _, attr in sorted(windows)],
        )
        _new_tmp_values(cursor)
        _insert_distinct_volunteers(cursor, "tmp_wperiods", "", only_unit=True)
        written += _sync_values(cursor, scoped, DISTINCT, now)

    rows = {
        (r.org_unit_id, r.indicator_id, r.period_start, r.period_end): r
        for r in Progress.objects.filter(period_kind=PeriodKind.TARGET)
    }
    existing = {s.target_id: s for s in TargetStatus.objects.all()}
    for target in targets:
        start, _ = _target_window(target)
        row = rows.get((target.org_unit_id, target.indicator_id, start, target.deadline))
        fields = target_assessment(
            target=target,
            rule=target.indicator.rule,
            start=start,
            today=today,
            numerator=row.numerator if row else Decimal(0),
            denominator=row.denominator if row else None,
            value=row.value if row else None,
        )
        status = existing.get(target.pk)
        if status is None:
            TargetStatus.objects.create(target=target, computed_at=now, **fields)
            written += 1
        elif any(getattr(status, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(status, k, v)
            status.computed_at = now
            status.save()
            written += 1
    TargetStatus.objects.exclude(target__in=[t.pk for t in targets]).delete()
    sql.drop_temp(cursor, "tmp_windows", "tmp_wperiods")
    return written


AT_RISK_MARGIN = Decimal("0.9")  # a projection within 10% of the target is "at risk", not "off track"


def target_assessment(
    *, target: Target, rule: IndicatorRule, start, today, numerator, denominator, value
) -> dict:
    """Status, projection and weekly pace of one target (the rule the dashboard states).

    - value so far: the indicator over [phase start, min(today, deadline)];
    - projection, linear in time: flows and distinct counts grow from 0 at the same pace
      (value x total days / elapsed days); stocks and ratios move from the baseline (0 if none)
      at the same pace: baseline + (value - baseline) x total / elapsed;
    - achieved: the target is met (for "at most": met at the deadline); off track: the deadline
      passed unmet, or the projection misses by more than 10%; at risk: it misses by at most 10%;
      on track: the projection meets the target.
    - needs per week: what is still missing / weeks left (for ratios, in points).
    """
    goal = Decimal(target.target_value)
    at_least = target.direction == Indicator.Direction.AT_LEAST
    fields = {
        "window_start": start,
        "numerator": Decimal(numerator or 0).quantize(Decimal("0.01")),
        "denominator": None if denominator is None else Decimal(denominator).quantize(Decimal("0.01")),
        "value": None if value is None else Decimal(value).quantize(Decimal("0.0001")),
        "projected": None,
        "needs_per_week": None,
    }
    if value is None:
        fields["status"] = TargetStatus.Status.NO_DATA
        return fields
    current = Decimal(value)
    as_of = min(today, target.deadline)
    total_days = Decimal((target.deadline - start).days + 1)
    elapsed_days = Decimal(max((as_of - start).days + 1, 1))
    if rule.aggregation in (Aggregation.FLOW, Aggregation.DISTINCT):
        projected = current * total_days / elapsed_days
    else:
        base = Decimal(target.baseline or 0)
        projected = base + (current - base) * total_days / elapsed_days
    fields["projected"] = projected.quantize(Decimal("0.0001"))
    weeks_left = max(Decimal((target.deadline - as_of).days) / 7, Decimal(1) / 7)
    missing = goal - current if at_least else Decimal(0)
    fields["needs_per_week"] = (max(missing, Decimal(0)) / weeks_left).quantize(Decimal("0.0001"))

    def meets(x: Decimal) -> bool:
        return x >= goal if at_least else x <= goal

    deadline_passed = today >= target.deadline
    if meets(current) and (at_least or deadline_passed):
        fields["status"] = TargetStatus.Status.ACHIEVED
    elif deadline_passed:
        fields["status"] = TargetStatus.Status.OFF_TRACK
    elif meets(projected):
        fields["status"] = TargetStatus.Status.ON_TRACK
    elif (projected >= goal * AT_RISK_MARGIN) if at_least else (projected <= goal * (2 - AT_RISK_MARGIN)):
        fields["status"] = TargetStatus.Status.AT_RISK
    else:
        fields["status"] = TargetStatus.Status.OFF_TRACK
    return fields
