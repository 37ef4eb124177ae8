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

Each step is a module of this package: 1 ``facts``, 2-3 ``periods``, 4 ``volunteers``, 5 ``targets``;
``run`` takes the lock and the marks and calls the steps in order, ``unit_map`` keeps the map, and
``months`` and ``tables`` are what the steps share. Callers use the names imported below.
"""

from progress.rollup.months import (
    FIRST_MONTH,
    LAST_MONTH,
    add_months,
    horizon,
    month_end,
    month_start,
    months_between,
    quarter_start,
)
from progress.rollup.run import (
    CLAIM_BATCH,
    RANDOM_PAGE_COST,
    RUN_WORK_MEM,
    RunResult,
    rollup_dirty,
    rollup_full,
)
from progress.rollup.tables import COLUMNS, SUMMED
from progress.rollup.targets import AT_RISK_MARGIN, target_assessment, target_window_start
from progress.rollup.unit_map import rollup_map_rebuild, rollup_map_rows

__all__ = [
    "AT_RISK_MARGIN",
    "CLAIM_BATCH",
    "COLUMNS",
    "FIRST_MONTH",
    "LAST_MONTH",
    "RANDOM_PAGE_COST",
    "RUN_WORK_MEM",
    "SUMMED",
    "RunResult",
    "add_months",
    "horizon",
    "month_end",
    "month_start",
    "months_between",
    "quarter_start",
    "rollup_dirty",
    "rollup_full",
    "rollup_map_rebuild",
    "rollup_map_rows",
    "target_assessment",
    "target_window_start",
]
