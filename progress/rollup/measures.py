"""Step 4b. Data-defined measures: what an administrator defined in admin, in the same run.

The built-in measures are columns of ``Fact``/``PeriodValue``; a data-defined one is a row per
measure in ``MeasureFact``/``MeasureValue``, and ``Progress`` reads both. Otherwise the same steps,
the same unit map, the same calendar and the same scope as the built-in measures:

1. facts per source unit and month, one grouped query per measure (incremental: the marked units
   from their first marked month on; a new or changed definition in full), diffed against
   ``MeasureFact`` into the changed (unit, month, measure) triples;
2. month rows of every unit the changed facts count toward (the map), summed;
3. quarters and years from the months: flows summed, stocks at the period's last month;
4. every target window (phase start to deadline), 0 when nothing is recorded yet.
Unchanged rows are left as they are: running twice writes nothing.
"""

from django.db.models import F, Q

from egov_support.models import Service, ServiceLine, StatisticSource
from partnerships.models import Target
from progress import sql
from progress.models import (
    FIELD_COLUMNS,
    Aggregation,
    DataMeasure,
    DataSource,
    MeasureFact,
    MeasureValue,
    Operation,
    PeriodKind,
)
from progress.rollup.months import month_start
from progress.rollup.tables import T
from progress.rollup.targets import handover, target_window

M_TEMP_TABLES = ("tmp_mfact", "tmp_mnew", "tmp_mold", "tmp_mchanged", "tmp_maffected", "tmp_mv", "tmp_mwin")
MF = MeasureFact._meta.db_table
MV = MeasureValue._meta.db_table
LINE = ServiceLine._meta.db_table
SERVICE = Service._meta.db_table
DM = DataMeasure._meta.db_table


def measures_stale() -> bool:
    """Whether a definition is new or changed since the rollup last computed it."""
    return DataMeasure.objects.exclude(computed_revision=F("revision")).exists()


def _scope(whole: bool, unit_col: str, date_col: str, *, months: bool = False) -> str:
    if whole:
        return ""
    upper = "sc.month_to" if months else "sc.date_to"
    return f"JOIN tmp_scope sc ON sc.org_unit_id = {unit_col} AND {date_col} >= sc.month_from AND {date_col} <= {upper}"


def measure_facts_sql(measure: DataMeasure, whole: bool) -> tuple[str, list]:
    """The SELECT of (unit, month, measure id, value) of one measure: a count or a sum of its
    source's records per source unit and month, with its filters."""
    value = "COUNT(*)" if measure.operation == Operation.COUNT else None
    params: list = []
    where: list[str] = []
    if measure.source == DataSource.SERVICE_LINES:
        column = FIELD_COLUMNS[measure.field][1] if value is None else ""
        value = value or f"SUM(l.{column})"
        joins = f"JOIN {T['session']} s ON s.id = l.session_id"
        if measure.service_category:
            joins += f" JOIN {SERVICE} sv ON sv.id = l.service_id"
            where.append("sv.category = %s")
            params.append(measure.service_category)
        if measure.service_id:
            where.append("l.service_id = %s")
            params.append(measure.service_id)
        month = sql.month_of("s.date")
        body = f"FROM {LINE} l {joins} {_scope(whole, 's.org_unit_id', 's.date')}"
        unit = "s.org_unit_id"
    elif measure.source == DataSource.ACTIVITIES:
        column = FIELD_COLUMNS[measure.field][1] if value is None else ""
        value = value or f"SUM(a.{column})"
        if measure.activity_kind:
            where.append("a.kind = %s")
            params.append(measure.activity_kind)
        month = sql.month_of("a.date")
        body = f"FROM {T['activity']} a JOIN {T['team']} t ON t.id = a.team_id {_scope(whole, 't.org_unit_id', 'a.date')}"
        unit = "t.org_unit_id"
    elif measure.source == DataSource.STATISTICS:
        column = FIELD_COLUMNS[measure.field][1] if value is None else ""
        value = value or f"SUM(st.{column})"
        # As the built-in official figures: the provincial portal's, or the national one where it
        # is the only one for the unit and month.
        where.append(
            f"(st.source = %s OR NOT EXISTS (SELECT 1 FROM {T['stat']} o WHERE o.org_unit_id = st.org_unit_id "
            "AND o.month = st.month AND o.source = %s))"
        )
        params += [StatisticSource.PROVINCIAL_PORTAL, StatisticSource.PROVINCIAL_PORTAL]
        if column:
            where.append(f"st.{column} IS NOT NULL")
        month = "st.month"
        body = f"FROM {T['stat']} st {_scope(whole, 'st.org_unit_id', 'st.month')}"
        unit = "st.org_unit_id"
    elif measure.aggregation == Aggregation.STOCK:  # memberships on a roster at each month's end
        month = "mo.month"
        body = (
            f"FROM {T['membership']} m JOIN {T['team']} t ON t.id = m.team_id JOIN tmp_months mo "
            "ON m.joined_on <= mo.month_end AND (m.left_on IS NULL OR m.left_on > mo.month_end) "
            f"{_scope(whole, 't.org_unit_id', 'mo.month', months=True)}"
        )
        unit = "t.org_unit_id"
    else:  # memberships begun in the month
        month = sql.month_of("m.joined_on")
        body = (
            f"FROM {T['membership']} m JOIN {T['team']} t ON t.id = m.team_id "
            f"{_scope(whole, 't.org_unit_id', 'm.joined_on')}"
        )
        unit = "t.org_unit_id"
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    select = f"SELECT {unit}, {month}, {int(measure.pk)}, {value} {body} {condition} GROUP BY {unit}, {month}"
    return select, params


def measure_rows(cursor, full: bool, today, now) -> int:
    """Facts, months, quarters, years and target windows of every data-defined measure."""
    measures = list(DataMeasure.objects.all())
    if not measures and not MeasureValue.objects.exists():
        return 0
    stale = [m for m in measures if m.is_stale]
    whole_ids = {m.pk for m in measures} if full else {m.pk for m in stale}

    # 1. Facts.
    sql.temp_table(
        cursor, "tmp_mfact", "org_unit_id bigint, month date, measure_id bigint, value double precision"
    )
    for measure in measures:
        select, params = measure_facts_sql(measure, measure.pk in whole_ids)
        cursor.execute(f"INSERT INTO tmp_mfact {select}", params)
    sql.temp_table_as(
        cursor,
        "tmp_mnew",
        "SELECT org_unit_id, month, measure_id, ROUND(CAST(SUM(value) AS NUMERIC), 2) AS value FROM tmp_mfact "
        "GROUP BY org_unit_id, month, measure_id HAVING SUM(value) <> 0",
    )
    ids = ", ".join(str(i) for i in sorted(whole_ids)) or "NULL"
    old_scope = (
        "1 = 1"
        if full
        else f"(f.measure_id IN ({ids}) OR EXISTS (SELECT 1 FROM tmp_scope sc WHERE sc.org_unit_id = f.org_unit_id "
        "AND f.month >= sc.month_from AND f.month <= sc.month_to))"
    )
    sql.temp_table_as(
        cursor,
        "tmp_mold",
        f"SELECT f.org_unit_id, f.month, f.measure_id, f.value FROM {MF} f WHERE {old_scope}",
    )
    sql.temp_table_as(
        cursor,
        "tmp_mchanged",
        "SELECT org_unit_id, month, measure_id FROM (SELECT * FROM tmp_mold EXCEPT SELECT * FROM tmp_mnew) a "
        "UNION SELECT org_unit_id, month, measure_id FROM (SELECT * FROM tmp_mnew EXCEPT SELECT * FROM tmp_mold) b",
        key="org_unit_id, month",
    )
    cursor.execute("SELECT COUNT(*) FROM tmp_mchanged")
    changed = cursor.fetchone()[0]
    if changed:
        cursor.execute(f"DELETE FROM {MF} WHERE id IN (SELECT f.id FROM {MF} f WHERE {old_scope})")
        cursor.execute(
            f"INSERT INTO {MF} (org_unit_id, month, measure_id, value) "
            "SELECT org_unit_id, month, measure_id, value FROM tmp_mnew ORDER BY org_unit_id, month, measure_id"
        )
    written = 0

    # 2. Month rows of the units the changed facts count toward (a full run: every one).
    sql.temp_table(
        cursor, "tmp_maffected", "target_id bigint, measure_id bigint, month date", key="target_id"
    )
    if full:
        cursor.execute(
            f"INSERT INTO tmp_maffected SELECT DISTINCT r.target_id, f.measure_id, f.month FROM {MF} f "
            f"JOIN {T['map']} r ON r.source_id = f.org_unit_id AND f.month BETWEEN r.month_from AND r.month_to "
            f"UNION SELECT org_unit_id, measure_id, period_start FROM {MV} WHERE period_kind = 'month'"
        )
    else:
        cursor.execute(
            f"INSERT INTO tmp_maffected SELECT DISTINCT r.target_id, c.measure_id, c.month FROM tmp_mchanged c "
            f"JOIN {T['map']} r ON r.source_id = c.org_unit_id AND c.month BETWEEN r.month_from AND r.month_to"
        )
    if stale and not full:
        # A changed definition (say, flow to stock) changes every period of the measure, even where
        # its facts stayed the same: all of its months, from the facts and the rows there are.
        ids = ", ".join(str(m.pk) for m in stale)
        cursor.execute(
            f"INSERT INTO tmp_maffected SELECT DISTINCT r.target_id, f.measure_id, f.month FROM {MF} f "
            f"JOIN {T['map']} r ON r.source_id = f.org_unit_id AND f.month BETWEEN r.month_from AND r.month_to "
            f"WHERE f.measure_id IN ({ids}) "
            f"UNION SELECT org_unit_id, measure_id, period_start FROM {MV} "
            f"WHERE period_kind = 'month' AND measure_id IN ({ids})"
        )
    sql.analyze(cursor, "tmp_maffected")
    _new_tmp_mv(cursor)
    cursor.execute(
        f"""
        INSERT INTO tmp_mv
        SELECT a.target_id, a.measure_id, 'month', a.month, {sql.month_end("a.month")}, SUM(f.value)
        FROM (SELECT DISTINCT target_id, measure_id, month FROM tmp_maffected) a
        JOIN {T["map"]} r ON r.target_id = a.target_id AND a.month BETWEEN r.month_from AND r.month_to
        JOIN {MF} f ON f.org_unit_id = r.source_id AND f.month = a.month AND f.measure_id = a.measure_id
        GROUP BY a.target_id, a.measure_id, a.month
        """
    )
    written += _sync(
        cursor,
        now,
        "p.period_kind = 'month' AND EXISTS (SELECT 1 FROM tmp_maffected a WHERE a.target_id = p.org_unit_id "
        "AND a.measure_id = p.measure_id AND a.month = p.period_start)",
    )

    # 3. Quarters and years of the affected months, from the month rows just written.
    for kind, start, end, last in (
        (PeriodKind.QUARTER, "quarter_start", "quarter_end", "q_last"),
        (PeriodKind.YEAR, "year_start", "year_end", "y_last"),
    ):
        _new_tmp_mv(cursor)
        cursor.execute(
            f"""
            INSERT INTO tmp_mv
            SELECT p.org_unit_id, p.measure_id, %s, c.{start}, c.{end},
                   CASE WHEN d.aggregation = 'flow' THEN SUM(p.value)
                        ELSE COALESCE(SUM(CASE WHEN p.period_start = c.{last} THEN p.value END), 0) END
            FROM (SELECT DISTINCT a.target_id, a.measure_id, c.{start} AS pstart FROM tmp_maffected a
                  JOIN tmp_cal c ON c.month = a.month) ap
            JOIN tmp_cal c ON c.{start} = ap.pstart
            JOIN {MV} p ON p.org_unit_id = ap.target_id AND p.measure_id = ap.measure_id
                 AND p.period_kind = 'month' AND p.period_start = c.month
            JOIN {DM} d ON d.id = p.measure_id
            GROUP BY p.org_unit_id, p.measure_id, d.aggregation, c.{start}, c.{end}
            """,
            [kind],
        )
        written += _sync(
            cursor,
            now,
            f"p.period_kind = '{kind}' AND EXISTS (SELECT 1 FROM tmp_maffected a JOIN tmp_cal c ON c.month = a.month "
            f"WHERE a.target_id = p.org_unit_id AND a.measure_id = p.measure_id AND c.{start} = p.period_start)",
        )

    # 4. Target windows: every target on a data-defined indicator, every run (a few hundred rows).
    written += _target_windows(cursor, today, now)
    for measure in stale:
        DataMeasure.objects.filter(pk=measure.pk, revision=measure.revision).update(
            computed_revision=measure.revision
        )
    sql.drop_temp(cursor, *M_TEMP_TABLES)
    return written


def _new_tmp_mv(cursor) -> None:
    sql.temp_table(
        cursor,
        "tmp_mv",
        "org_unit_id bigint, measure_id bigint, period_kind varchar(8), period_start date, period_end date, "
        "value numeric",
        key="org_unit_id, measure_id, period_kind, period_start",
    )


def _sync(cursor, now, scoped: str) -> int:
    """Make the ``MeasureValue`` rows matching ``scoped`` (a condition on ``p``) those of ``tmp_mv``:
    rows gone or changed deleted, new or changed inserted, equal rows untouched."""
    match = (
        "t.org_unit_id = p.org_unit_id AND t.measure_id = p.measure_id AND t.period_kind = p.period_kind "
        "AND t.period_start = p.period_start AND t.period_end = p.period_end"
    )
    sql.analyze(cursor, "tmp_mv")
    cursor.execute(
        f"DELETE FROM {MV} WHERE id IN (SELECT p.id FROM {MV} p WHERE {scoped} "
        f"AND NOT EXISTS (SELECT 1 FROM tmp_mv t WHERE {match} AND t.value = p.value))"
    )
    written = max(cursor.rowcount, 0)
    cursor.execute(
        f"""
        INSERT INTO {MV} (org_unit_id, measure_id, period_kind, period_start, period_end, value, computed_at)
        SELECT t.org_unit_id, t.measure_id, t.period_kind, t.period_start, t.period_end, t.value, %s FROM tmp_mv t
        WHERE t.value IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {MV} p WHERE {match})
        """,
        [now],
    )
    return written + max(cursor.rowcount, 0)


def _target_windows(cursor, today, now) -> int:
    """Each target's window over its indicator's measures, up to today (as the built-in ones)."""
    targets = Target.objects.filter(Q(indicator__rule__numerator_measure__isnull=False)).select_related(
        "objective__agreement", "indicator__rule", "org_unit__successor"
    )
    windows = set()
    for target in targets:
        start, end, as_of = target_window(target, today)
        rule = target.indicator.rule
        # As the built-in windows: a unit dissolved before the deadline counts its own months up to
        # its end, then its successor's.
        measured_id, split_month = handover(target, month_start(as_of))
        for measure_id in (rule.numerator_measure_id, rule.denominator_measure_id):
            if measure_id is not None:
                first, attr = month_start(start), month_start(as_of)
                windows.add(
                    (target.org_unit_id, measure_id, start, end, first, attr, measured_id, split_month)
                )
    sql.temp_table(
        cursor,
        "tmp_mwin",
        "org_unit_id bigint, measure_id bigint, pstart date, pend date, first_month date, attr_month date, "
        "measured_id bigint, split_month date",
        sorted(windows),
    )
    _new_tmp_mv(cursor)
    cursor.execute(
        f"""
        INSERT INTO tmp_mv
        SELECT w.org_unit_id, w.measure_id, 'target', w.pstart, w.pend,
               CASE WHEN d.aggregation = 'flow' THEN COALESCE(SUM(p.value), 0)
                    ELSE COALESCE(SUM(CASE WHEN p.period_start = w.attr_month THEN p.value END), 0) END
        FROM tmp_mwin w JOIN {DM} d ON d.id = w.measure_id
        LEFT JOIN {MV} p ON p.measure_id = w.measure_id
             AND p.period_kind = 'month' AND p.period_start BETWEEN w.first_month AND w.attr_month
             AND ((p.org_unit_id = w.org_unit_id AND p.period_start <= w.split_month)
                  OR (p.org_unit_id = w.measured_id AND p.period_start > w.split_month))
        GROUP BY w.org_unit_id, w.measure_id, d.aggregation, w.pstart, w.pend
        """
    )
    return _sync(cursor, now, "p.period_kind = 'target'")
