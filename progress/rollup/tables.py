"""The tables a run reads and writes, its temporary tables and the measure columns."""

from egov_support.models import HelpSession, ServiceStatistic
from org.models import OrgUnit
from progress.models import (
    MEASURE_AGGREGATION,
    Aggregation,
    Fact,
    IndicatorRule,
    Measure,
    PeriodValue,
    RollupMap,
)
from volunteers.models import Activity, Membership, Team

ANALYZE_AFTER = 5_000  # rows written by a step after which its table's statistics are refreshed
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


def table_is_empty(cursor, table: str) -> bool:
    cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {table})")
    return bool(cursor.fetchone()[0])


COLUMNS = [m.value for m in Measure]  # PeriodValue's measure columns, named after the measures
SUMMED = [m for m in COLUMNS if MEASURE_AGGREGATION[m] != Aggregation.DISTINCT]  # from the facts
DISTINCT = [m for m in COLUMNS if MEASURE_AGGREGATION[m] == Aggregation.DISTINCT]  # per person
KEY = ("org_unit_id", "period_kind", "period_start", "period_end")
