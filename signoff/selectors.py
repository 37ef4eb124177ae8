"""Reads of the monthly sign-off: a unit's status for a month, lists and counts for staff."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import Action, scope_for
from org.models import OrgUnit
from signoff.models import LOCKED_STATUSES, REPORTED_STATUSES, MonthSignoff, SignoffStatus

# Links a write may name: a sign-off is only ever named by its own unit's pages.
WRITE_CHOICES: dict = {}


def last_ended_month(today: datetime.date) -> datetime.date:
    """The first day of the month before ``today``'s: the month a unit sends next."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


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


# A month sent back (returned), taken back (withdrawn) or reopened (unlocked): it waits for its unit.
SEND_AGAIN_STATUSES = (SignoffStatus.RETURNED, SignoffStatus.WITHDRAWN, SignoffStatus.UNLOCKED)


def months_to_send_again(*, user, limit: int = 6) -> list[MonthSignoff]:
    """The months of the units the user logs for that wait to be submitted again, oldest first: the
    leader's home page reminds them (a month withdrawn to correct is easily forgotten). One query."""
    rows = scope_for(user, Action.LOG).filter(
        MonthSignoff.objects.filter(status__in=SEND_AGAIN_STATUSES), "org_unit"
    )
    return list(rows.select_related("org_unit").order_by("month", "org_unit__path")[:limit])


def months_not_sent(*, user, today: datetime.date, limit: int = 6) -> list[tuple[OrgUnit, datetime.date]]:
    """The communes the user logs for that have not sent the month just ended: the leader's home
    page says so from the 1st (the scheduled reminder writes on the 3rd working day). One query."""
    last = last_ended_month(today)
    units = (
        scope_for(user, Action.LOG)
        .units()
        .current()
        .filter(kind=OrgUnit.Kind.COMMUNE)
        .exclude(month_signoffs__month=last)
        .order_by("path")[:limit]
    )
    return [(unit, last) for unit in units]


def waiting_count(*, user) -> int:
    """How many months of the units the user approves wait for approval (any month). One query."""
    rows = MonthSignoff.objects.filter(status=SignoffStatus.SUBMITTED)
    return scope_for(user, Action.MANAGE).filter(rows, "org_unit").count()


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
    last_ended = last_ended_month(today)
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


def locked_signoff(*, marks: Iterable[tuple[int, datetime.date | None]]) -> MonthSignoff | None:
    """The first locked (submitted or approved) month among the (unit id, day) pairs ``marks``, or
    None: what the lock check (``services.month_lock_check``) refuses. One query."""
    wanted = {(unit_id, day.replace(day=1)) for unit_id, day in marks if unit_id and day}
    if not wanted:
        return None
    condition = Q()
    for unit_id, month in wanted:
        condition |= Q(org_unit_id=unit_id, month=month)
    return (
        MonthSignoff.objects.filter(condition, status__in=LOCKED_STATUSES)
        .select_related("org_unit")
        .order_by("month", "org_unit__path")
        .first()
    )


def locked_message(*, unit_name: str, month: datetime.date, status: str = SignoffStatus.APPROVED) -> str:
    """Why a month's figures cannot change: approved (staff unlock it) or waiting for approval (the
    leader withdraws it, or staff return it)."""
    values = {"month": f"{month:%m/%Y}", "unit": unit_name}
    if status == SignoffStatus.SUBMITTED:
        return (
            _(
                "Month %(month)s of %(unit)s has been submitted for approval: its figures cannot be changed "
                "while the province reviews them. Withdraw the month to correct it, or ask the province staff "
                "to return it."
            )
            % values
        )
    return (
        _(
            "Month %(month)s of %(unit)s has been approved and is locked: its figures cannot be changed. "
            "Ask the province staff to unlock it."
        )
        % values
    )


@dataclass(frozen=True)
class MonthLock:
    """Why a page's figures cannot change, and where the month is withdrawn, returned or unlocked."""

    message: str
    url: str
    month: datetime.date

    def __str__(self) -> str:
        return self.message

    @property
    def link_text(self) -> str:
        return _("Open month %(month)s on the sign-off page") % {"month": f"{self.month:%m/%Y}"}

    def as_link(self) -> dict:
        """The link as the phone's queue keeps it with a refused entry (core.offline.refused_response)."""
        return {"url": self.url, "text": self.link_text}


def lock_reason(*, marks: Iterable[tuple[int, datetime.date | None]]) -> MonthLock | None:
    """Why a change to ``marks`` would be refused now (the month is submitted or approved), or None:
    an edit page says it when it opens, before anyone types what cannot be saved, and links to the
    month on its unit's sign-off page."""
    locked = locked_signoff(marks=marks)
    if locked is None:
        return None
    return MonthLock(
        message=locked_message(unit_name=locked.org_unit.name, month=locked.month, status=locked.status),
        url=reverse("signoff:unit_months", args=[locked.org_unit_id]) + f"#month-{locked.month:%Y-%m}",
        month=locked.month,
    )
