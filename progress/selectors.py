"""Reads for the dashboard, the exports, the API and the agreement pages: pre-aggregated rows only.

Every function takes the user and goes through the access layer; the number of queries does not
grow with the number of units, months or facts (a handful per page, asserted in the tests).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts import choices
from accounts.access import Action, OutOfScope, can, roles_of, scope_for
from core.text import vi_sort_key
from org.models import OrgUnit
from partnerships.models import Target
from progress.models import (
    Aggregation,
    DataMeasure,
    IndicatorRule,
    PeriodKind,
    Progress,
    RollupState,
    Source,
    TargetStatus,
)
from progress.rollup import add_months, month_start

STATUS_ORDER = ["off_track", "at_risk", "no_data", "on_track", "achieved"]
AMBER = Decimal("0.9")


def home_unit(*, user) -> OrgUnit:
    """Where the dashboard opens: the user's highest unit (the centre for superusers)."""
    if user.is_superuser:
        unit = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    else:
        roles = sorted(roles_of(user), key=lambda a: a.org_unit.depth)
        unit = roles[0].org_unit if roles else None
    if unit is None:
        raise Http404
    return unit


def unit_get(*, user, pk: int) -> OrgUnit:
    """The unit (with its parent) if in the user's view scope, else a 404."""
    unit = OrgUnit.objects.select_related("parent").filter(pk=pk).first()
    if unit is None or not scope_for(user, Action.VIEW).contains(unit):
        raise OutOfScope("No orgunit in scope")
    return unit


def computed_at() -> datetime.datetime | None:
    """When the rollup last ran (the dashboard shows it)."""
    return RollupState.objects.filter(pk=1).values_list("last_run_at", flat=True).first()


def breadcrumb(*, user, unit: OrgUnit) -> list[OrgUnit]:
    scope = scope_for(user, Action.VIEW)
    return [a for a in unit.ancestors() if scope.contains(a)]


def rules() -> list[IndicatorRule]:
    return list(IndicatorRule.objects.select_related("indicator").order_by("sort_order"))


@dataclass
class Kpi:
    rule: IndicatorRule
    row: Progress | None
    target: Target | None = None
    status: TargetStatus | None = None
    trend: list = field(default_factory=list)  # (month, value) for each month of the year, None: no data
    # (month, value from January to that month) for indicators summed over time, None after today:
    # what an annual target is measured against. Empty for stocks and people counted once.
    year_to_date: list = field(default_factory=list)
    # How many of the units directly under this one (current ones) have a value, of how many: a
    # national figure from 3 of 34 provinces is marked partial. None where there is no unit under it.
    reported: int | None = None
    reporting_total: int | None = None

    @property
    def is_partial(self) -> bool:
        return self.reporting_total is not None and (self.reported or 0) < self.reporting_total

    @property
    def code(self) -> str:
        return self.rule.indicator.code

    @property
    def value(self):
        return self.row.value if self.row else None

    @property
    def is_percent(self) -> bool:
        return self.rule.is_ratio and self.rule.scale == 100

    @property
    def status_code(self) -> str:
        return self.status.status if self.status else "none"


def unit_kpis(*, unit: OrgUnit, year: int, today: datetime.date | None = None) -> list[Kpi]:
    """Each indicator for ``unit``: the year's value, its nearest target with status, the months of the
    year and, for indicators summed over time, the year-to-date total of each month."""
    today = today or timezone.localdate()
    all_rules = rules()
    year_rows = {
        r.indicator_id: r
        for r in Progress.objects.filter(
            org_unit=unit, period_kind=PeriodKind.YEAR, period_start=datetime.date(year, 1, 1)
        )
    }
    first, last = datetime.date(year, 1, 1), min(month_start(today), datetime.date(year, 12, 1))
    trends: dict[int, dict] = {}
    for r in Progress.objects.filter(
        org_unit=unit, period_kind=PeriodKind.MONTH, period_start__gte=first, period_start__lte=last
    ).only("indicator_id", "period_start", "value", "numerator", "denominator"):
        trends.setdefault(r.indicator_id, {})[r.period_start] = r
    targets: dict[int, Target] = {}
    for target in (
        Target.objects.filter(org_unit=unit)
        .select_related("progress_status", "objective__agreement")
        .order_by("deadline")
    ):
        if target.deadline >= today or target.indicator_id not in targets:
            targets.setdefault(target.indicator_id, target)
    months = [add_months(first, i) for i in range(12)]
    kpis = []
    for rule in all_rules:
        target = targets.get(rule.indicator_id)
        series = trends.get(rule.indicator_id, {})
        kpis.append(
            Kpi(
                rule=rule,
                row=year_rows.get(rule.indicator_id),
                target=target,
                status=getattr(target, "progress_status", None) if target else None,
                trend=[(m, series[m].value if m in series else None) for m in months],
                year_to_date=_year_to_date(rule, series, months, last),
            )
        )
    return kpis


def _year_to_date(rule: IndicatorRule, series: dict, months: list, last: datetime.date) -> list:
    """Running totals from January (a ratio: Σnumerator ÷ Σdenominator so far), None after ``last``."""
    if rule.aggregation != Aggregation.FLOW:
        return []
    numerator = denominator = Decimal(0)
    seen = False
    running = []
    for month in months:
        row = series.get(month)
        if row is not None:
            seen = True
            numerator += row.numerator or 0
            denominator += row.denominator or 0
        if month > last or not seen:
            running.append((month, None))
        elif rule.is_ratio:
            running.append((month, numerator / denominator * rule.scale if denominator else None))
        else:
            running.append((month, numerator))
    return running


@dataclass
class ChildRow:
    unit: OrgUnit
    values: dict  # indicator code -> (value, light)


def child_ranking(
    *,
    user,
    unit: OrgUnit,
    kpis: list[Kpi],
    year: int,
    period_kind: str = PeriodKind.YEAR,
    period_start: datetime.date | None = None,
) -> list[ChildRow]:
    """Units directly under ``unit`` (in scope), with the year's value of every indicator and a light
    (or, for a report, the value of another period: ``period_kind`` from ``period_start``).

    The light compares a child with its own target when it has one, else (ratios only) with the
    parent's target: green when met, amber within 10%, red below.
    """
    children = sorted(
        scope_for(user, Action.VIEW).units().filter(parent=unit),
        key=lambda c: (c.valid_to is not None, c.valid_to or datetime.date.min, vi_sort_key(c.name)),
    )
    if not children:
        return []
    ids = [c.pk for c in children]
    rows = Progress.objects.filter(
        org_unit_id__in=ids,
        period_kind=period_kind,
        period_start=period_start or datetime.date(year, 1, 1),
    ).values_list("org_unit_id", "indicator_id", "value")
    values: dict[tuple[int, int], Decimal | None] = {(u, i): v for u, i, v in rows}
    own_status = {
        (t.org_unit_id, t.indicator_id): t.progress_status.status
        for t in Target.objects.filter(org_unit_id__in=ids, progress_status__isnull=False).select_related(
            "progress_status"
        )
    }
    ranking = []
    for child in children:
        cells = {}
        for kpi in kpis:
            value = values.get((child.pk, kpi.rule.indicator_id))
            light = ""
            status = own_status.get((child.pk, kpi.rule.indicator_id))
            if status:
                light = _light_for_status(status)
            elif kpi.rule.is_ratio and kpi.target is not None and value is not None:
                goal = kpi.target.target_value
                light = "green" if value >= goal else "amber" if value >= goal * AMBER else "red"
            cells[kpi.code] = (value, light)
        ranking.append(ChildRow(unit=child, values=cells))
    return ranking


def _light_for_status(status: str) -> str:
    return {"achieved": "green", "on_track": "green", "at_risk": "amber", "off_track": "red"}.get(status, "")


def lagging_units(*, ranking: list[ChildRow], kpis: list[Kpi]) -> list[tuple[OrgUnit, list[str]]]:
    """Children with a red or amber light on any indicator, the worst first."""
    names = {k.code: k.rule.indicator.name for k in kpis}
    lagging = []
    for row in ranking:
        reds = [names[c] for c, (_, light) in row.values.items() if light == "red"]
        ambers = [names[c] for c, (_, light) in row.values.items() if light == "amber"]
        if reds or ambers:
            lagging.append((len(reds), len(ambers), row.unit, reds + ambers))
    lagging.sort(key=lambda x: (-x[0], -x[1], vi_sort_key(x[2].name)))
    return [(unit, problems) for _, _, unit, problems in lagging]


@dataclass
class LaggingGroup:
    """Units behind on the same indicators: red (below or off track) and amber (within 10%)."""

    reds: list[str]
    ambers: list[str]
    units: list[OrgUnit]


def lagging_groups(*, ranking: list[ChildRow], kpis: list[Kpi]) -> list[LaggingGroup]:
    """The lagging units grouped by what they lag on, so 120 communes short of one indicator read as
    one line of 120 names, not 120 lines; the most red indicators first, then the most units."""
    names = {k.code: str(k.rule.indicator.name) for k in kpis}
    groups: dict[tuple, LaggingGroup] = {}
    for row in ranking:
        reds = [names[c] for c, (_, light) in row.values.items() if light == "red"]
        ambers = [names[c] for c, (_, light) in row.values.items() if light == "amber"]
        if reds or ambers:
            key = (tuple(reds), tuple(ambers))
            groups.setdefault(key, LaggingGroup(reds=reds, ambers=ambers, units=[])).units.append(row.unit)
    for group in groups.values():
        group.units.sort(key=lambda u: vi_sort_key(u.name))
    return sorted(groups.values(), key=lambda g: (-len(g.reds), -len(g.ambers), -len(g.units)))


def dashboard_figures(*, user, unit: OrgUnit, year: int) -> dict:
    """Everything the dashboard shows that comes from the rollup: KPIs by source, the ranking of the
    child units, the lagging ones and the monthly series for the charts (404 outside the user's scope)."""
    if not can(user, Action.VIEW, unit):
        raise Http404
    kpis = unit_kpis(unit=unit, year=year)
    ranking = child_ranking(user=user, unit=unit, kpis=kpis, year=year)
    current = [row for row in ranking if not row.unit.is_dissolved]
    noun = children_noun(current)
    for kpi in kpis:
        # A national figure from a few provinces, or official statistics from a few communes, is
        # partial; a commune without a team helping no one is not missing data.
        if current and (noun == "provinces" or kpi.rule.source == Source.OFFICIAL):
            kpi.reported = sum(1 for row in current if row.values[kpi.code][0] is not None)
            kpi.reporting_total = len(current)
    volunteer_kpis, official_kpis = split_by_source(kpis)
    return {
        "kpis": kpis,
        "volunteer_kpis": volunteer_kpis,
        "official_kpis": official_kpis,
        "ranking": ranking,  # every unit under it, the dissolved ones last (the exports list them all)
        "current_ranking": current,
        "dissolved_ranking": [row for row in ranking if row.unit.is_dissolved],
        "children_noun": noun,
        "lagging": lagging_units(ranking=current, kpis=kpis),
        "lagging_groups": lagging_groups(ranking=current, kpis=kpis),
        "leaders": indicator_leaders(ranking=current, kpis=kpis),
        "percent_codes": {k.code for k in kpis if k.is_percent},
        "chart_data": {k.code: chart_series(k) for k in kpis},
    }


def children_noun(rows: list[ChildRow]) -> str:
    """What the units under this one are called in "3/34 tỉnh có số liệu"."""
    kinds = {row.unit.kind for row in rows}
    if kinds == {OrgUnit.Kind.PROVINCE}:
        return "provinces"
    if kinds == {OrgUnit.Kind.COMMUNE}:
        return "communes"
    return "units"


LEADERS_SHOWN = 5


@dataclass
class IndicatorLeaders:
    """One indicator's highest and lowest units (each row: unit, value, light), and who has no value."""

    kpi: Kpi
    top: list[tuple]
    bottom: list[tuple]
    without_data: int


def indicator_leaders(*, ranking: list[ChildRow], kpis: list[Kpi]) -> list[IndicatorLeaders]:
    """Per indicator, the five highest and the five lowest units with a value (for an "at most"
    indicator the lowest lead); units without data are counted, never ranked last."""
    leaders = []
    for kpi in kpis:
        valued = [(row.unit, *row.values[kpi.code]) for row in ranking if row.values[kpi.code][0] is not None]
        at_most = kpi.rule.indicator.direction == "at_most"
        valued.sort(key=lambda item: (item[1] if at_most else -item[1], vi_sort_key(item[0].name)))
        top = valued[:LEADERS_SHOWN]
        rest = valued[LEADERS_SHOWN:]
        bottom = list(reversed(rest[-LEADERS_SHOWN:]))
        leaders.append(
            IndicatorLeaders(kpi=kpi, top=top, bottom=bottom, without_data=len(ranking) - len(valued))
        )
    return leaders


def _floats(values) -> list:
    return [None if v is None else round(float(v), 2) for v in values]


def chart_series(kpi: Kpi) -> dict:
    """What a trend chart draws: a count summed over time as its running total from January against
    the target (with the months as bars), a level (a stock, people, a rate) month by month against it;
    months without data stay empty (the line is not drawn across them)."""
    series = []
    if kpi.year_to_date:
        series.append(
            {
                "kind": "ytd",
                "label": _("Year to date"),
                "values": _floats(value for _month, value in kpi.year_to_date),
            }
        )
        if not kpi.rule.is_ratio:
            series.append(
                {
                    "kind": "monthly",
                    "label": _("Each month"),
                    "values": _floats(value for _month, value in kpi.trend),
                }
            )
    else:
        series.append(
            {"kind": "level", "label": _("Month"), "values": _floats(value for _month, value in kpi.trend)}
        )
    target = None
    if kpi.target:
        value = number_format(kpi.target.target_value.normalize(), force_grouping=True)
        value += "%" if kpi.is_percent else ""
        target = {
            "value": float(kpi.target.target_value),
            "label": _("Target %(value)s by %(deadline)s")
            % {"value": value, "deadline": kpi.target.deadline.strftime("%d/%m/%Y")},
        }
    return {
        "label": str(kpi.rule.indicator.name),
        "months": [month.strftime("%m/%Y") for month, _value in kpi.trend],
        "percent": kpi.is_percent,
        "series": series,
        "target": target,
    }


def split_by_source(kpis: list[Kpi]) -> tuple[list[Kpi], list[Kpi]]:
    """Volunteer outputs and official outcomes, shown side by side and never mixed."""
    return (
        [k for k in kpis if k.rule.source == Source.VOLUNTEERS],
        [k for k in kpis if k.rule.source == Source.OFFICIAL],
    )


def progress_list(*, user, unit_id=None, indicator: str | None = None, period: str | None = None) -> QuerySet:
    """API rows, in scope; ``period`` is "YYYY" (the year row) or "YYYY-MM" (the month row)."""
    rows = scope_for(user, Action.VIEW).filter(
        Progress.objects.select_related("indicator", "org_unit"), unit_field="org_unit"
    )
    rows = rows.exclude(period_kind=PeriodKind.TARGET)
    if unit_id is not None:
        rows = rows.filter(org_unit_id=unit_id)
    if indicator:
        rows = rows.filter(indicator__code=indicator)
    if period:
        if len(period) == 4:
            rows = rows.filter(period_kind=PeriodKind.YEAR, period_start=datetime.date(int(period), 1, 1))
        else:
            year, month = period.split("-")
            rows = rows.filter(
                period_kind=PeriodKind.MONTH, period_start=datetime.date(int(year), int(month), 1)
            )
    return rows.order_by("org_unit__path", "indicator__code", "period_kind", "period_start")


def targets_for_units_and_indicators(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], Target]:
    """The nearest open target of each (unit, indicator), with its status: one query."""
    if not pairs:
        return {}
    units = {u for u, _ in pairs}
    today = timezone.localdate()
    found: dict[tuple[int, int], Target] = {}
    for target in (
        Target.objects.filter(org_unit_id__in=units).select_related("progress_status").order_by("deadline")
    ):
        key = (target.org_unit_id, target.indicator_id)
        if key in pairs and (key not in found or found[key].deadline < today):
            found[key] = target
    return found


# What a write may link to (accounts.choices): the data-defined measures are a national catalogue,
# defined by administrators with the indicators that use them.
WRITE_CHOICES = {DataMeasure: choices.shared(DataMeasure)}
