"""When a province's commune leaders are reminded of their reports, set by the province.

Whether a commune reported is read from the volunteers' weekly reports (``reporting/selectors.py``);
the reminders themselves are ``notifications.Delivery`` rows, one per person, channel and period.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import OrgUnit


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ReminderSchedule(models.Model):
    """A province's rhythm: the weekly reminder (default Friday 16:00, about that week) and the monthly
    one (default the 3rd working day at 08:00, about the month before). A province without a row
    follows the defaults."""

    org_unit = models.OneToOneField(
        OrgUnit,
        verbose_name=_("province union"),
        on_delete=models.CASCADE,
        related_name="reminder_schedule",
        limit_choices_to={"kind": OrgUnit.Kind.PROVINCE},
    )
    weekly_enabled = models.BooleanField(_("weekly reminder"), default=True)
    weekly_weekday = models.PositiveSmallIntegerField(
        _("weekly reminder day"), choices=Weekday.choices, default=Weekday.FRIDAY
    )
    weekly_time = models.TimeField(_("weekly reminder time"), default=datetime.time(16, 0))
    monthly_enabled = models.BooleanField(_("monthly reminder"), default=True)
    monthly_working_day = models.PositiveSmallIntegerField(
        _("monthly reminder on working day"),
        default=3,
        help_text=_("The n-th working day (Monday to Friday) of the next month, 1 to 10."),
    )
    monthly_time = models.TimeField(_("monthly reminder time"), default=datetime.time(8, 0))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder schedule")
        verbose_name_plural = _("reminder schedules")
        ordering = ["org_unit__path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_weekday__gte=0, weekly_weekday__lte=6), name="reminderschedule_weekday"
            ),
            models.CheckConstraint(
                condition=Q(monthly_working_day__gte=1, monthly_working_day__lte=10),
                name="reminderschedule_working_day",
            ),
        ]

    def __str__(self) -> str:
        return str(self.org_unit)

    def clean(self) -> None:
        if self.org_unit_id and self.org_unit.kind != OrgUnit.Kind.PROVINCE:
            raise ValidationError({"org_unit": _("A reminder schedule is set by a province union.")})
