"""Which communes have reported for a week or a month, and whom to chase.

Reported for a week: one of the commune's teams submitted its weekly report for that ISO week.
Reported for a month: the commune submitted its month for sign-off (``signoff``: submitted or
approved; a month returned to it, or unlocked again, is not reported). Every current commune/ward in
the user's log scope is a row, with or without a team (one without is the first to chase).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from accounts.access import Action, scope_for
from core.text import fold, vi_sort_key
from notifications.models import Delivery
from org.models import OrgUnit
from reporting.periods import MONTH, Period
from signoff.models import REPORTED_STATUSES, MonthSignoff
from volunteers.models import Team, WeeklyReport
from volunteers.selectors import unit_contacts

STATUSES = ("unreported", "reported")
TEAM_FILTERS = ("with", "without")
SORTS = ("missed", "-missed", "name", "-name", "last", "-last", "teams", "-teams")
DEFAULT_SORT = "-missed"


def reminder_key(period: Period, unit: OrgUnit) -> str:
    """What a reminder is about: one period of one commune (a leader gets it once per channel)."""
    return f"reporting:{period.code}:{unit.code}"


@dataclass
class StatusRow:
    unit: OrgUnit
    reported: bool
    team_count: int
    last_report_at: datetime.datetime | None  # the latest weekly report up to the period's end
    missed: int | None  # periods missed in a row up to this one: 0 reported, None never reported
    teams: list[str] = field(default_factory=list)
    contact: dict | None = None
    reminders: list[Delivery] = field(default_factory=list)


def _period_q(period: Period) -> Q:
    condition = Q()
    for year, week in period.weeks():
        condition |= Q(iso_year=year, iso_week=week)
    return condition


def communes(*, user, unit: OrgUnit | None = None):
    """Current communes and wards in the user's log scope (within ``unit`` if given)."""
    units = scope_for(user, Action.LOG).units().filter(kind=OrgUnit.Kind.COMMUNE, valid_to__isnull=True)
    return units.filter(path__startswith=unit.path) if unit is not None else units


def _team_count():
    return Coalesce(
        Subquery(
            Team.objects.active()
            .filter(org_unit=OuterRef("pk"))
            .order_by()
            .values("org_unit")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def annotate_status(units, period: Period):
    """``reported``, ``last_at`` (the latest report up to the period), the latest period reported
    (``last_year``/``last_week`` for weeks, ``last_month`` for months) and ``team_count``."""
    if period.kind == MONTH:
        signoffs = MonthSignoff.objects.filter(org_unit=OuterRef("pk"), status__in=REPORTED_STATUSES)
        up_to = signoffs.filter(month__lte=period.start).order_by("-month")
        return units.annotate(
            reported=Exists(signoffs.filter(month=period.start)),
            last_at=Subquery(up_to.values("submitted_at")[:1]),
            last_month=Subquery(up_to.values("month")[:1]),
            team_count=_team_count(),
        )
    reports = WeeklyReport.objects.filter(team__org_unit=OuterRef("pk"))
    year, week = period.last_week()
    up_to = reports.filter(Q(iso_year__lt=year) | Q(iso_year=year, iso_week__lte=week)).order_by(
        "-iso_year", "-iso_week", "-submitted_at"
    )
    return units.annotate(
        reported=Exists(reports.filter(_period_q(period))),
        last_at=Subquery(up_to.values("submitted_at")[:1]),
        last_year=Subquery(up_to.values("iso_year")[:1]),
        last_week=Subquery(up_to.values("iso_week")[:1]),
        team_count=_team_count(),
    )


def _missed(unit, period: Period) -> int | None:
    if unit.reported:
        return 0
    if period.kind == MONTH:
        last = unit.last_month
        return None if last is None else (period.year - last.year) * 12 + period.number - last.month
    return None if unit.last_year is None else period.periods_since(unit.last_year, unit.last_week)


def _sort_key(sort: str):
    name = sort.lstrip("-")
    if name == "last":
        return lambda r: (r.last_report_at is not None, r.last_report_at or datetime.datetime.min)
    if name == "teams":
        return lambda r: r.team_count
    # missed: never reported counts as the longest run
    return lambda r: (r.missed is None, r.missed or 0)


def reporting_status(
    *,
    user,
    period: Period,
    unit: OrgUnit | None = None,
    status: str = "",
    teams: str = "",
    q: str = "",
    sort: str = DEFAULT_SORT,
) -> list[StatusRow]:
    """The rows of the status table, filtered and sorted (without teams, contacts or reminders:
    ``with_details`` adds them to the rows a page or an export shows)."""
    units = annotate_status(communes(user=user, unit=unit), period).only("pk", "code", "name", "path", "kind")
    if status == "unreported":
        units = units.filter(reported=False)
    elif status == "reported":
        units = units.filter(reported=True)
    if teams == "with":
        units = units.filter(team_count__gt=0)
    elif teams == "without":
        units = units.filter(team_count=0)
    if q.strip():
        units = units.filter(search_name__contains=fold(q))
    rows = [StatusRow(u, u.reported, u.team_count, u.last_at, _missed(u, period)) for u in units]
    sort = sort if sort in SORTS else DEFAULT_SORT
    rows.sort(key=lambda r: vi_sort_key(r.unit.name), reverse=sort == "-name")
    if sort.lstrip("-") != "name":  # a stable sort: rows that tie stay in alphabetical order
        rows.sort(key=_sort_key(sort), reverse=sort.startswith("-"))
    return rows


def with_details(rows: list[StatusRow], *, period: Period) -> list[StatusRow]:
    """Fill in the teams, whom to call and the reminders already recorded for the period (4 queries)."""
    units = [row.unit for row in rows]
    names: dict[int, list[str]] = defaultdict(list)
    for unit_id, name in (
        Team.objects.active().filter(org_unit__in=units).order_by("name").values_list("org_unit_id", "name")
    ):
        names[unit_id].append(name)
    contacts = unit_contacts(units=units)
    reminders: dict[int, list[Delivery]] = defaultdict(list)
    for delivery in Delivery.objects.filter(
        org_unit__in=units, key__startswith=f"reporting:{period.code}:"
    ).order_by("created_at", "channel"):
        reminders[delivery.org_unit_id].append(delivery)
    for row in rows:
        row.teams = names.get(row.unit.pk, [])
        row.contact = contacts.get(row.unit.pk)
        row.reminders = reminders.get(row.unit.pk, [])
    return rows


def unreported_count(*, unit: OrgUnit, period: Period) -> tuple[int, int]:
    """(communes not reported, communes) among the current communes of ``unit``'s subtree: the
    dashboard's "42/124 xã chưa báo cáo tuần 49" (a count, no names: read on the view scope)."""
    units = OrgUnit.objects.filter(
        kind=OrgUnit.Kind.COMMUNE, valid_to__isnull=True, path__startswith=unit.path
    ).annotate(reported=Exists(WeeklyReport.objects.filter(_period_q(period), team__org_unit=OuterRef("pk"))))
    figures = units.aggregate(total=Count("pk"), unreported=Count("pk", filter=Q(reported=False)))
    return figures["unreported"], figures["total"]
