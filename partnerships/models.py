"""Cooperation agreements between union units and outside partners, and what each side promised.

An agreement has two or more parties (union org units or partners), numbered objectives, and under
each objective the commitments of a party and the measurable targets on a catalogued indicator.
Every write goes through ``partnerships.services``; the search columns are kept there too.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.uploads import FileTypeValidator, RandomName
from org.models import OrgUnit

DOCUMENT_MAX_MB = 10


@dataclass(frozen=True)
class Succession:
    """A dissolved union party's work carried on: by ``unit`` from ``since`` (the day after it ended)."""

    predecessor: OrgUnit
    unit: OrgUnit
    since: datetime.date


class Indicator(models.Model):
    """A measurable quantity targets refer to; the progress app adds how each one is computed."""

    class Kind(models.TextChoices):
        COUNT = "count", _("Count")
        RATIO = "ratio", _("Ratio")

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("At least")
        AT_MOST = "at_most", _("At most")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    unit = models.CharField(pgettext_lazy("of measure", "unit"), max_length=32)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.AT_LEAST
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class Partner(models.Model):
    """An organisation outside the union. Not owned by any unit: VNPT is national."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        STATE_AGENCY = "state_agency", _("State agency")
        SCHOOL = "school", _("School")
        OTHER = "other", _("Other organisation")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branches",
    )
    search_name = models.CharField(max_length=400, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="partner_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Agreement(models.Model):
    class Kind(models.TextChoices):
        COOPERATION = "cooperation", _("Cooperation agreement")
        COORDINATION = "coordination", _("Coordination programme")
        YEARLY_PLAN = "yearly_plan", _("Yearly implementation plan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")
        TERMINATED = "terminated", _("Terminated")

    code = models.CharField(_("number/code"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=400)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COOPERATION)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    signed_place = models.CharField(_("signing place"), max_length=255, blank=True)
    start_date = models.DateField(_("phase start"))
    end_date = models.DateField(_("phase end"))
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(
        _("signed document (PDF)"),
        upload_to=RandomName("agreements"),
        validators=[FileTypeValidator(("pdf",), max_mb=DOCUMENT_MAX_MB)],
        blank=True,
    )
    legal_references = models.TextField(
        _("legal references"), blank=True, help_text=_("Plans, resolutions or letters it implements.")
    )
    # Demo data beyond what the sources say (the seed articles): shown with a "minh họa" badge.
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_('Demo data that no source document gives: shown with an "illustrative" badge.'),
    )
    follows = models.ForeignKey(
        "self",
        verbose_name=_("renews / follows"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followed_by",
    )
    # Folded code, title, summary and party names: "ben tre" finds "Bến Tre". Kept by the services.
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="agreement_end_after_start",
                violation_error_message=_("The phase cannot end before it starts."),
            ),
            models.CheckConstraint(condition=~Q(follows=models.F("pk")), name="agreement_not_own_follow_up"),
        ]
        indexes = [models.Index(fields=["status", "end_date"], name="agreement_status_end")]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The phase cannot end before it starts.")})
        if self.signed_on and self.end_date and self.signed_on > self.end_date:
            raise ValidationError({"signed_on": _("The signing date is after the end of the phase.")})

    @property
    def phase_label(self) -> str:
        return f"{self.start_date:%Y}–{self.end_date:%Y}"

    @property
    def carried_by(self) -> Succession | None:
        """Who carries the agreement on when its union party was dissolved (Tỉnh đoàn Bến Tre → Tỉnh
        đoàn Vĩnh Long from 01/07/2025); None while a union party still exists. Reads the prefetched
        parties (``selectors`` selects each unit's successor)."""
        for party in self.parties.all():
            succession = party.succession
            if succession is not None:
                return succession
        return None

    @property
    def is_closed(self) -> bool:
        """Ended or terminated: nothing in it is being carried out any more."""
        return self.status in (self.Status.ENDED, self.Status.TERMINATED)


class AgreementParty(models.Model):
    """One side of an agreement: a union unit or a partner, never both."""

    PERSONAL_DATA = {
        "signatory_name": _("Who signed the agreement for this party (a public role)"),
    }
    PERSONAL_DATA_RETENTION = _("As long as the agreement is kept.")

    class Role(models.TextChoices):
        SIGNATORY = "signatory", _("Signatory")
        CO_SIGNATORY = "co_signatory", _("Co-signatory")
        WITNESS = "witness", _("Witness")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("union unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.SIGNATORY)
    signatory_name = models.CharField(_("signatory's name"), max_length=255, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["agreement", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(org_unit__isnull=False) & Q(partner__isnull=True))
                | (Q(org_unit__isnull=True) & Q(partner__isnull=False)),
                name="party_is_unit_xor_partner",
                violation_error_message=_("A party is either a union unit or a partner."),
            ),
            models.UniqueConstraint(
                fields=["agreement", "org_unit"],
                condition=Q(org_unit__isnull=False),
                name="party_unit_once_per_agreement",
            ),
            models.UniqueConstraint(
                fields=["agreement", "partner"],
                condition=Q(partner__isnull=False),
                name="party_partner_once_per_agreement",
            ),
        ]

    def __str__(self) -> str:
        return str(self.org_unit or self.partner)

    @property
    def name(self) -> str:
        return self.org_unit.name if self.org_unit_id else self.partner.name

    @property
    def succession(self) -> Succession | None:
        """A union party dissolved before today, and the unit that carries its agreements on."""
        unit = self.org_unit if self.org_unit_id else None
        if unit is None or not unit.successor_id or not unit.is_dissolved:
            return None
        return Succession(
            predecessor=unit,
            unit=unit.carried_on_by(timezone.localdate()),
            since=unit.valid_to + datetime.timedelta(days=1),
        )


class AgreementAttendee(models.Model):
    """A person at the signing who did not sign: a witness or an attendee, with title and organisation."""

    PERSONAL_DATA = {
        "name": _("Who witnessed or attended the signing (a public role)"),
    }
    PERSONAL_DATA_RETENTION = _("As long as the agreement is kept.")

    class Role(models.TextChoices):
        WITNESS = "witness", _("Witness")
        ATTENDEE = "attendee", _("Attendee")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="attendees"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.ATTENDEE)
    name = models.CharField(_("full name"), max_length=120, blank=True)
    title = models.CharField(_("job title"), max_length=255, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("witness or attendee")
        verbose_name_plural = _("witnesses and attendees")
        ordering = ["agreement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "position"], name="attendee_position_unique"),
        ]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.name, self.title, self.organisation) if part)


class Objective(models.Model):
    class Area(models.TextChoices):
        DIGITAL_GOVERNMENT = "digital_government", _("Digital government")
        DIGITAL_ECONOMY = "digital_economy", _("Digital economy")
        DIGITAL_SOCIETY = "digital_society", _("Digital society")
        SKILLS = "skills", _("Skills and training")
        COMMUNICATION = "communication", _("Communication")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="objectives"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("content"))
    area = models.CharField(_("area"), max_length=24, choices=Area.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="objective_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="objective_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class Commitment(models.Model):
    class Recurrence(models.TextChoices):
        ONCE = "once", _("Once")
        MONTHLY = "monthly", _("Every month")
        QUARTERLY = "quarterly", _("Every quarter")
        YEARLY = "yearly", _("Every year")
        ONGOING = "ongoing", _("Throughout the phase")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("commitment", "Open")
        DONE = "done", _("Done")
        OVERDUE = "overdue", _("Overdue")
        # Closed with its agreement (ended or terminated) before it was done.
        NOT_DONE = "not_done", _("Not done by the end")

    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="commitments"
    )
    party = models.ForeignKey(
        AgreementParty,
        verbose_name=_("party"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
    )
    text = models.TextField(_("commitment"))
    owner = models.CharField(_("owner"), max_length=255, blank=True, help_text=_("Who carries it out."))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=16, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    # Overdue is set by the daily task from the due date; staff set done.
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN, editable=False
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["objective", "due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"], name="commitment_status_due")]

    def __str__(self) -> str:
        return self.text[:80]


class Target(models.Model):
    objective = models.ForeignKey(
        Objective, verbose_name=_("objective"), on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("applies to"), on_delete=models.PROTECT, related_name="targets"
    )
    # Thanh Hóa's programme assigns work to Departments and People's Committees: the body that commits
    # to the target, besides the union unit whose territory it measures.
    responsible_partner = models.ForeignKey(
        Partner,
        verbose_name=_("responsible party"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets_responsible",
        help_text=_("A partner or department that commits to this target; optional."),
    )
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    deadline = models.DateField(_("deadline"))
    direction = models.CharField(
        _("direction"),
        max_length=8,
        choices=Indicator.Direction.choices,
        default=Indicator.Direction.AT_LEAST,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["objective", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(target_value__gte=0), name="target_value_not_negative"),
            models.CheckConstraint(
                condition=Q(baseline__isnull=True) | Q(baseline__gte=0), name="target_baseline_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.target_value} ({self.org_unit})"

    @property
    def measured_unit(self) -> OrgUnit:
        """The unit whose figures the target counts at its deadline: its own unit, or, for a deadline
        after that unit was dissolved, the successor that took its territory over (the rollup counts
        the unit's own months up to its end, the successor's after)."""
        return self.org_unit.carried_on_by(self.deadline)

    @property
    def handed_over_on(self) -> datetime.date | None:
        """The last day the target's own unit is counted, when its figures pass to a successor."""
        unit = self.org_unit
        if unit.successor_id and unit.valid_to is not None and unit.valid_to < self.deadline:
            return unit.valid_to
        return None


class ReminderSent(models.Model):
    """One row per reminder mail sent: the unique key makes the daily task idempotent."""

    key = models.CharField(max_length=120)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="reminder_once_per_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.recipient_id}"
