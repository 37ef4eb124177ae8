"""Step 1. Facts: one grouped query per family of measures, diffed against ``Fact``."""

from egov_support.models import StatisticSource
from progress import sql
from progress.models import (
    Measure,
)
from progress.rollup.tables import ANALYZE_AFTER, SUMMED, T, table_is_empty


def _into_facts(*measures: str) -> str:
    """Each family inserts its own measures' columns of ``tmp_fact`` (per unit and month; the other
    columns stay NULL): ``sync_facts`` merges the families' rows."""
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


def facts_sessions(cursor, full: bool) -> None:
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


def facts_statistics(cursor, full: bool) -> None:
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


def facts_teams(cursor, full: bool) -> None:
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


def facts_communes(cursor, full: bool) -> None:
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


def sync_facts(cursor, full: bool) -> int:
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
    if full and table_is_empty(cursor, f):
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
