"""Step 4. Distinct volunteers per period and unit, counted once at every level."""

import datetime

from progress import sql
from progress.models import (
    PeriodKind,
)
from progress.rollup.months import (
    FIRST_MONTH,
    LAST_MONTH,
    add_months,
    as_date,
    month_end,
    month_start,
    months_between,
    quarter_start,
)
from progress.rollup.periods import (
    into_tmp_values,
    new_tmp_values,
    periods_table,
    sync_values,
)
from progress.rollup.tables import DISTINCT, T


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


def volunteer_rows(cursor, full: bool, pairs, first, current, now) -> int:
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
    periods_table(cursor, "tmp_periods", [(*period, None) for period in periods])
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
        new_tmp_values(cursor)
    insert_distinct_volunteers(cursor, "tmp_periods", target_filter, only_unit=False)
    if full:
        return 0  # in tmp_pv with the other rows (write_all_periods)
    pv = T["value"]
    scoped = (
        f"SELECT p.* FROM tmp_periods tp JOIN {pv} p ON p.period_kind = tp.kind AND p.period_start = tp.pstart "
        "AND p.period_end = tp.pend"
    )
    scoped += " WHERE p.org_unit_id IN (SELECT target_id FROM tmp_vtargets)"
    return sync_values(cursor, scoped, DISTINCT, now)


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
    low, high = (as_date(v) for v in cursor.fetchone())
    cursor.execute(
        "SELECT MIN(jm), MAX(COALESCE(lm, jm)) FROM "
        "(SELECT jm, lm FROM tmp_vgroups UNION ALL SELECT jm, lm FROM tmp_bgroups) x"
    )
    first_event, last_event = (as_date(v) for v in cursor.fetchone())
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


def insert_distinct_volunteers(cursor, periods: str, target_filter: str, *, only_unit: bool) -> None:
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
        {into_tmp_values(DISTINCT)}
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
