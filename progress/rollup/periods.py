"""Steps 2-3. Period values: month rows from the facts, then quarters and years from the months."""

from progress import sql
from progress.models import (
    MEASURE_AGGREGATION,
    Aggregation,
    PeriodKind,
)
from progress.rollup.months import month_before, month_start
from progress.rollup.tables import ANALYZE_AFTER, COLUMNS, KEY, SUMMED, T, table_is_empty


def new_tmp_values(cursor) -> None:
    columns = ", ".join(f"{c} numeric" for c in COLUMNS)
    sql.temp_table(
        cursor,
        "tmp_pv",
        f"org_unit_id bigint, period_kind varchar(8), period_start date, period_end date, {columns}",
        key="org_unit_id, period_kind, period_start",
    )


def into_tmp_values(columns: list[str]) -> str:
    """``INSERT INTO tmp_pv`` of the key and ``columns``; a SELECT of the same, in order, follows."""
    return f"INSERT INTO tmp_pv ({', '.join(KEY)}, {', '.join(columns)}) "


def sync_values(cursor, scoped: str, columns: list[str], now, source: str = "tmp_pv") -> int:
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


def month_rows(cursor, full: bool, now) -> int:
    """Each unit's months: the facts of every source unit that counts toward it (the map), summed."""
    new_tmp_values(cursor)
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
        {into_tmp_values(SUMMED)}
        SELECT r.target_id, 'month', f.month, {sql.month_end("f.month")}, {sums}
        {source}
        GROUP BY r.target_id, f.month
        """
    )
    if full:
        return 0  # written with the quarters, years and volunteers (write_all_periods)
    scoped = (
        f"SELECT p.* FROM tmp_affected a JOIN {T['value']} p ON p.org_unit_id = a.target_id "
        "AND p.period_kind = 'month' AND p.period_start = a.month"
    )
    return sync_values(cursor, scoped, SUMMED, now)


def over_months(column: str, last: str, *, zero: bool = False) -> str:
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


def period_rows(cursor, full: bool, now) -> int:
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
            new_tmp_values(cursor)
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
        values = ", ".join(over_months(c, f"c.{last}") for c in SUMMED)
        cursor.execute(
            f"""
            {into_tmp_values(SUMMED)}
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
            written += sync_values(cursor, scoped, SUMMED, now)
    sql.drop_temp(cursor, "tmp_aperiods")
    return written


def write_all_periods(cursor, now) -> int:
    """A full run's months, quarters and years (the facts' columns and the volunteers' rows in
    ``tmp_pv``), merged into one row per unit and period and written in one pass."""
    merged = ", ".join(f"MAX({c}) AS {c}" for c in COLUMNS)
    sql.temp_table_as(
        cursor,
        "tmp_pv_all",
        f"SELECT {', '.join(KEY)}, {merged} FROM tmp_pv GROUP BY {', '.join(KEY)}",
        key=", ".join(KEY),  # probed per PeriodValue row by sync_values' NOT EXISTS
    )
    pv = T["value"]
    if table_is_empty(cursor, pv):
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
    return sync_values(cursor, scoped, COLUMNS, now, source="tmp_pv_all")


def periods_table(cursor, name: str, periods: list[tuple]) -> None:
    """Periods (kind, start, end, attribution month, unit or None) with the two months the roster
    counts are read at: the period's last month and the month before it starts."""
    sql.temp_table(
        cursor,
        name,
        "kind varchar(8), pstart date, pend date, attr_month date, org_unit_id bigint, "
        "end_month date, before_month date",
        [(*p, month_start(p[2]), month_before(p[1])) for p in periods],
        key="kind, pstart, pend",
    )
