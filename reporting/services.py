"""Reminders to commune leaders who have not reported, by hand (staff) or on the province's schedule,
and the province's schedule itself.

A reminder goes to the commune's unit leaders by every channel that reaches them (the portal's bell,
e-mail); ``notifications.notify`` records each delivery once per person, channel and period, so a
leader never gets the same reminder twice, whoever asks again. A commune that has reported for the
period is never reminded.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.access import Action, require
from accounts.selectors import leaders_of
from notifications.models import Delivery
from notifications.services import deliveries_requeue, notify
from org.models import OrgUnit
from reporting import selectors
from reporting.models import ReminderSchedule
from reporting.periods import Period


@dataclass
class ReminderOutcome:
    reminded: list[str] = field(default_factory=list)  # communes whose leaders got a new reminder
    already: list[str] = field(default_factory=list)  # reminded before for this period
    reported: list[str] = field(default_factory=list)  # reported meanwhile: nobody is reminded
    no_leader: list[str] = field(default_factory=list)  # no leader account to write to
    deliveries: int = 0


def _message(unit: OrgUnit, period: Period) -> tuple[str, str]:
    # Leaders read the portal in Vietnamese; the scheduled run has no request to take a language from.
    with override("vi"):
        subject = _("Reminder: %(unit)s has not reported for %(period)s") % {
            "unit": unit.name,
            "period": period.label,
        }
        body = _(
            "%(unit)s has not yet sent its report for %(period)s (%(start)s – %(end)s). "
            "Please submit your teams' reports in the portal."
        ) % {
            "unit": unit.name,
            "period": period.label,
            "start": f"{period.start:%d/%m/%Y}",
            "end": f"{period.end:%d/%m/%Y}",
        }
    return subject, body


@transaction.atomic
def reminders_send(*, by, units, period: Period) -> ReminderOutcome:
    """Remind the leaders of ``units`` (communes) that have not reported for ``period``.

    ``by`` is the staff member who asks (None: the schedule). Staff may remind only communes they
    manage; a commune that has reported, or whose leaders were already reminded for the period, is
    skipped and named in the outcome.
    """
    units = list(units)
    for unit in units:
        require(
            by, Action.MANAGE, unit, message=_("You cannot send reminders to %(unit)s.") % {"unit": unit.name}
        )
    if period.start > timezone.localdate():
        raise ValidationError(_("A period that has not started cannot be reminded of."))
    if not units:
        raise ValidationError(_("Choose at least one commune to remind."))
    reported = set(
        selectors.annotate_status(OrgUnit.objects.filter(pk__in=[u.pk for u in units]), period)
        .filter(reported=True)
        .values_list("pk", flat=True)
    )
    leaders = leaders_of(units=units)
    outcome = ReminderOutcome()
    url = reverse("volunteers:my_teams")
    for unit in units:
        if unit.pk in reported:
            outcome.reported.append(unit.name)
            continue
        if not leaders.get(unit.pk):
            outcome.no_leader.append(unit.name)
            continue
        subject, body = _message(unit, period)
        created = notify(
            users=leaders[unit.pk],
            key=selectors.reminder_key(period, unit),
            subject=subject,
            body=body,
            url=url,
            requested_by=by,
            org_unit=unit,
        )
        (outcome.reminded if created else outcome.already).append(unit.name)
        outcome.deliveries += len(created)
    return outcome


# --- On the province's schedule ----------------------------------------------------------------


def working_day(year: int, month: int, n: int) -> datetime.date:
    """The n-th working day (Monday to Friday) of a month. Public holidays are not known to the
    portal: a province whose 3rd working day falls after a holiday sets the day it wants."""
    day = datetime.date(year, month, 1)
    seen = 0
    while True:
        if day.weekday() < 5:
            seen += 1
            if seen == n:
                return day
        day += datetime.timedelta(days=1)


def due_periods(schedule: ReminderSchedule, now: datetime.datetime) -> list[Period]:
    """The periods whose reminder is due at ``now`` (local time) under ``schedule``.

    Weekly: from the set day and time until the end of that ISO week, about that week. Monthly: from
    the n-th working day of a month at the set time until the month ends, about the month before.
    A run that was missed (beat down) catches up later in the same window; twice is harmless.
    """
    local = timezone.localtime(now)
    today = local.date()
    due = []
    this_week = Period.week_of(today)
    week_due = datetime.datetime.combine(
        this_week.start + datetime.timedelta(days=schedule.weekly_weekday), schedule.weekly_time
    )
    if schedule.weekly_enabled and local.replace(tzinfo=None) >= week_due:
        due.append(this_week)
    month_due = datetime.datetime.combine(
        working_day(today.year, today.month, schedule.monthly_working_day), schedule.monthly_time
    )
    if schedule.monthly_enabled and local.replace(tzinfo=None) >= month_due:
        due.append(Period.month_of(today).previous())
    return due


def scheduled_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Every province's due reminders to its communes that have not reported; returns the number of
    new deliveries. Run by beat every 15 minutes; a second run in the same window sends nothing."""
    now = now or timezone.now()
    schedules = {s.org_unit_id: s for s in ReminderSchedule.objects.all()}
    provinces = OrgUnit.objects.filter(kind=OrgUnit.Kind.PROVINCE, valid_to__isnull=True).order_by("path")
    sent = 0
    for province in provinces:
        schedule = schedules.get(province.pk) or ReminderSchedule(org_unit=province)
        for period in due_periods(schedule, now):
            silent = list(
                selectors.annotate_status(
                    OrgUnit.objects.filter(
                        kind=OrgUnit.Kind.COMMUNE, valid_to__isnull=True, path__startswith=province.path
                    ),
                    period,
                ).filter(reported=False)
            )
            # Communes reminded earlier in this window are not asked again (one query, not one each).
            done = set(
                Delivery.objects.filter(
                    key__startswith=f"reporting:{period.code}:", org_unit__in=silent
                ).values_list("org_unit_id", flat=True)
            )
            silent = [unit for unit in silent if unit.pk not in done]
            if silent:
                sent += reminders_send(by=None, units=silent, period=period).deliveries
    deliveries_requeue()
    return sent


@transaction.atomic
def reminder_schedule_save(*, by, schedule: ReminderSchedule) -> ReminderSchedule:
    """Save a province's schedule (admin): only its staff (or administrators) set it."""
    require(by, Action.MANAGE, schedule.org_unit)
    schedule.full_clean()
    schedule.save()
    return schedule
