"""A unit's month, submitted by its leader and approved (or returned) by province staff.

Modelled on DHIS2's data approval: a submitted or approved month is locked, so the figures the
province reviews and signs off cannot move under it; the leader withdraws a submitted month to
correct it, staff return it or unlock an approved one with a reason. Every step is kept as an event.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from org.models import OrgUnit


class SignoffStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    UNLOCKED = "unlocked", _("Unlocked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The statuses that count as "the unit reported its month" (e23's reporting status reads them).
REPORTED_STATUSES = (SignoffStatus.SUBMITTED, SignoffStatus.APPROVED)
# The statuses whose figures cannot change: what staff review is what they approve. A leader who
# finds a mistake in a submitted month withdraws it, corrects it and submits it again.
LOCKED_STATUSES = (SignoffStatus.SUBMITTED, SignoffStatus.APPROVED)


class MonthSignoff(models.Model):
    """One row per unit and month; no row means the month was never submitted."""

    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="month_signoffs"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(_("status"), max_length=16, choices=SignoffStatus.choices)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True, max_length=1000)
    reason = models.TextField(_("reason"), blank=True, max_length=1000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly sign-off")
        verbose_name_plural = _("monthly sign-offs")
        ordering = ["-month", "org_unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "month"], name="monthsignoff_unit_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="monthsignoff_first_day"),
            models.CheckConstraint(
                condition=Q(status__in=SignoffStatus.values), name="monthsignoff_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["month", "status"], name="monthsignoff_month_status")]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.month:%m/%Y}: {self.get_status_display()}"

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES


class SignoffEvent(models.Model):
    """One step of a month's sign-off: who did what, when, and why (returns and unlocks need a reason)."""

    signoff = models.ForeignKey(
        MonthSignoff, verbose_name=_("sign-off"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=16, choices=SignoffStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("person", "by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True, max_length=1000)
    # The unit's note with a submission: a month sent again keeps what each sending said.
    note = models.TextField(_("note"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("sign-off step")
        verbose_name_plural = _("sign-off steps")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action__in=[SignoffStatus.RETURNED, SignoffStatus.UNLOCKED]) | ~Q(reason=""),
                name="signoffevent_reason_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%d/%m/%Y %H:%M}"
