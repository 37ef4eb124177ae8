"""Reads of the monthly sign-off: a unit's status for a month, lists and counts for staff."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet

from accounts.access import Action, scope_for
from org.models import OrgUnit
from signoff.models import LOCKED_STATUSES, REPORTED_STATUSES, MonthSignoff, SignoffStatus
from signoff.services import month_lock_check

# Links a write may name: a sign-off is only ever named by its own unit's pages.
WRITE_CHOICES: dict = {}


def month_signoff(*, org_unit: OrgUnit | int, month: datetime.date) -> MonthSignoff | None:
    """The sign-off row of unit U for month M (None: never submitted)."""
    unit_id = org_unit if isinstance(org_unit, int) else org_unit.pk
    return (
        MonthSignoff.objects.filter(org_unit_id=unit_id, month=month.replace(day=1))
        .select_related("org_unit", "submitted_by", "decided_by")
        .first()
    )


def month_status(*, org_unit: OrgUnit | int, month: datetime.date) -> str | None:
    """Status of unit U for month M: a ``SignoffStatus`` value, or None when never submitted."""
    signoff = month_signoff(org_unit=org_unit, month=month)
    return signoff.status if signoff else None


def month_statuses(*, unit_ids: Iterable[int], month: datetime.date) -> dict[int, str]:
    """{unit id: status} for month M in one query; units never submitted are absent."""
    return dict(
        MonthSignoff.objects.filter(
            org_unit_id__in=unit_ids if isinstance(unit_ids, QuerySet) else list(unit_ids),
            month=month.replace(day=1),
        ).values_list("org_unit_id", "status")
    )


def reported_unit_ids(*, month: datetime.date, units: QuerySet | None = None) -> set[int]:
    """Units that submitted month M (submitted or approved): "reported for the month"."""
    rows = MonthSignoff.objects.filter(month=month.replace(day=1), status__in=REPORTED_STATUSES)
    if units is not None:
        rows = rows.filter(org_unit__in=units)
    return set(rows.values_list("org_unit_id", flat=True))


def signoff_list(*, user, month: datetime.date | None = None, status: str = "") -> QuerySet:
    """Sign-offs of units in the user's view scope, newest month first."""
    rows = scope_for(user, Action.VIEW).filter(MonthSignoff.objects.all(), "org_unit")
    if month is not None:
        rows = rows.filter(month=month.replace(day=1))
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("org_unit", "submitted_by", "decided_by").order_by("-month", "org_unit__path")


def approval_counts(*, units: QuerySet, month: datetime.date) -> dict[str, int]:
    """How many of ``units`` have month M approved, submitted (waiting), and in all: one query."""
    counts = MonthSignoff.objects.filter(org_unit__in=units, month=month.replace(day=1)).aggregate(
        approved=Count("pk", filter=Q(status=SignoffStatus.APPROVED)),
        submitted=Count("pk", filter=Q(status=SignoffStatus.SUBMITTED)),
    )
    counts["total"] = units.count()
    return counts


def waiting_months(*, units: QuerySet, besides: datetime.date) -> list[dict]:
    """Other months in which some of ``units`` wait for approval, newest first, with how many: a
    month sent late (or early in the next one) is not missed by staff looking at the last month."""
    return list(
        MonthSignoff.objects.filter(org_unit__in=units, status=SignoffStatus.SUBMITTED)
        .exclude(month=besides.replace(day=1))
        .values("month")
        .annotate(units=Count("pk"))
        .order_by("-month")
    )


def locked_months(
    *, unit_ids: Iterable[int], months: Iterable[datetime.date] | None = None
) -> dict[tuple[int, datetime.date], str]:
    """{(unit id, month): status} of the locked (submitted or approved) months of these units, among
    ``months`` if given: one query (an import checks its rows against them, and says why)."""
    rows = MonthSignoff.objects.filter(org_unit_id__in=list(unit_ids), status__in=LOCKED_STATUSES)
    if months is not None:
        rows = rows.filter(month__in=list(months))
    return {
        (unit_id, month): status
        for unit_id, month, status in rows.values_list("org_unit_id", "month", "status")
    }


def signoff_units(*, user) -> QuerySet:
    """The current communes and wards in the user's view scope, the units that sign off a month."""
    return (
        scope_for(user, Action.VIEW)
        .units()
        .current()
        .filter(kind=OrgUnit.Kind.COMMUNE)
        .order_by("parent__path", "name")
    )


def unit_signoffs(*, org_unit: OrgUnit, months: Iterable[datetime.date]) -> dict[datetime.date, MonthSignoff]:
    """{month: sign-off} of one unit for these months, with their steps (two queries)."""
    rows = (
        MonthSignoff.objects.filter(org_unit=org_unit, month__in=list(months))
        .select_related("submitted_by", "decided_by")
        .prefetch_related("events__by")
    )
    return {row.month: row for row in rows}


def dashboard_signoff(*, unit: OrgUnit, year: int, today: datetime.date) -> dict:
    """What the dashboard says about sign-off for ``unit`` in ``year`` (one query).

    A commune: the months of the year so far that are not approved (their figures are provisional).
    A unit above communes: how many of the communes under it have approved the last ended month.
    """
    last_ended = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    if unit.kind == OrgUnit.Kind.COMMUNE:
        until = min(datetime.date(year, 12, 1), today.replace(day=1))
        months = (
            [datetime.date(year, number, 1) for number in range(1, until.month + 1)]
            if year <= today.year
            else []
        )
        approved = set(
            MonthSignoff.objects.filter(
                org_unit=unit, month__year=year, status=SignoffStatus.APPROVED
            ).values_list("month", flat=True)
        )
        return {"commune": True, "provisional": [month for month in months if month not in approved]}
    month = min(last_ended, datetime.date(year, 12, 1))
    on_month = Q(month_signoffs__month=month)
    counts = (
        OrgUnit.objects.subtree_of(unit)
        .current()
        .filter(kind=OrgUnit.Kind.COMMUNE)
        .aggregate(
            total=Count("pk", distinct=True),
            approved=Count(
                "month_signoffs", filter=on_month & Q(month_signoffs__status=SignoffStatus.APPROVED)
            ),
            submitted=Count(
                "month_signoffs", filter=on_month & Q(month_signoffs__status=SignoffStatus.SUBMITTED)
            ),
        )
    )
    return {"commune": False, "month": month, **counts}


def lock_reason(*, marks: Iterable[tuple[int, datetime.date | None]]) -> str | None:
    """Why a change to ``marks`` would be refused now (the month is submitted or approved), or None:
    an edit page says it when it opens, before anyone types what cannot be saved."""
    try:
        month_lock_check(marks=marks)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None
