"""E-government support: the service catalogue, campaigns, help sessions and official statistics.

Two kinds of facts live here and stay separate all the way up to the dashboard:
- what volunteers did (help sessions and their per-service lines: counts only, no citizen data), and
- what the authorities measured (official statistics per org unit and month).
Both are per org unit and day/month, so the progress rollup can sum them over a subtree.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.history_records import HistoricalRecords
from core.text import vi_number
from org.models import OrgUnit
from volunteers.models import changed


def unit_existed_on(unit: OrgUnit, day, *, monthly: bool = False) -> bool:
    """Whether ``unit`` existed on ``day`` (a commune of the 2025 reform does from 01/07/2025: the
    history before that belongs to the units it replaced). A monthly figure (``monthly``) may be
    given for the unit's first month."""
    since = unit.valid_from
    return since is None or day >= (since.replace(day=1) if monthly else since)


def unit_ended_before(unit: OrgUnit, month) -> bool:
    """Whether ``unit`` was dissolved before ``month`` began: a dissolved province's official figures
    are imported for the months it existed (Bến Tre's 2020), the later ones on its successor."""
    return unit.valid_to is not None and unit.valid_to < month.replace(day=1)


def ended_message(unit: OrgUnit) -> str:
    successor = unit.successor.name if unit.successor_id else ""
    if successor:
        message = _(
            "%(unit)s existed until %(until)s: its statistics cannot be for a later month; record "
            "them on %(successor)s."
        )
    else:
        message = _("%(unit)s existed until %(until)s: its statistics cannot be for a later month.")
    return message % {"unit": unit.name, "until": f"{unit.valid_to:%d/%m/%Y}", "successor": successor}


VNEID_ACTIVATION_SERVICE = "vneid-level2"  # catalogue code: its citizens are VNeID accounts activated


class Service(models.Model):
    """One kind of help volunteers give; data (seeded, editable in admin), never an enum in code."""

    class Category(models.TextChoices):
        PUBLIC_SERVICE = "public_service", _("Online public service")
        PAYMENT = "payment", _("Online payment")
        IDENTITY = "identity", _("Electronic identity (VNeID)")
        SIGNATURE = "signature", _("Digital signature")
        SKILLS = "skills", _("Digital skills")
        ECOMMERCE = "ecommerce", _("E-commerce")

    class OnlineLevel(models.TextChoices):
        # How much of the procedure happens online: data per service, not the old "level 3/4" labels.
        FULL = "full", _("Fully online")
        PARTIAL = "partial", _("Partly online")
        NOT_APPLICABLE = "none", _("Not a public-service procedure")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    online_level = models.CharField(
        _("online level"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NOT_APPLICABLE
    )
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class Campaign(models.Model):
    """A named period of work with a theme ("Tháng Thanh niên 2023"), run by a unit with participants."""

    name = models.CharField(_("name"), max_length=255)
    theme = models.CharField(_("theme"), max_length=255, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="egov_campaigns"
    )
    participating_units = models.ManyToManyField(
        OrgUnit, verbose_name=_("participating units"), blank=True, related_name="egov_participations"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)
    # Activities done for the campaign (help sessions name theirs with a foreign key). The link lives
    # here because volunteers sits below egov_support: an Activity cannot name a Campaign.
    activities = models.ManyToManyField(
        "volunteers.Activity", verbose_name=_("activities"), blank=True, related_name="campaigns"
    )

    history = HistoricalRecords(m2m_fields=[participating_units])

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_ends_after_start"
            ),
            models.UniqueConstraint(fields=["org_unit", "name"], name="campaign_unique_name_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignTarget(models.Model):
    """What a campaign sets out to achieve in a unit: an indicator's value by the campaign's end.

    A sibling of ``partnerships.Target`` rather than a Target with a campaign: partnerships sits below
    egov_support, so a Target cannot name a Campaign, and a campaign target has no agreement or
    objective. The progress rollup computes both kinds with the same rules into ``TargetStatus``;
    a campaign target counts the help sessions and activities tagged with its campaign.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(
        "partnerships.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="campaign_targets",
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="campaign_targets"
    )
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # Demo data drawn from what a source describes rather than quoted from it (the article gives
    # Tháng Thanh niên 2023's count of targets, not the list): shown with a "minh họa" badge.
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_('Demo data that no source document gives: shown with an "illustrative" badge.'),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["campaign", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value__gte=0), name="campaigntarget_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(baseline__isnull=True) | Q(baseline__gte=0),
                name="campaigntarget_baseline_not_negative",
            ),
            models.UniqueConstraint(
                fields=["campaign", "indicator", "org_unit"], name="campaigntarget_unique_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.target_value} ({self.org_unit})"

    # What the rollup's target assessment reads, as on partnerships.Target.
    @property
    def deadline(self):
        return self.campaign.ends_on

    @property
    def direction(self) -> str:
        return self.indicator.direction


class StatisticSource(models.TextChoices):
    PROVINCIAL_PORTAL = "provincial_portal", _("Provincial public-service portal")
    NATIONAL_PORTAL = "national_portal", _("National public-service portal")


class ServiceStatistic(models.Model):
    """Official figures for one org unit and month, from one source: the outcome the targets measure."""

    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="service_statistics"
    )
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    source = models.CharField(
        _("source"), max_length=20, choices=StatisticSource.choices, default=StatisticSource.PROVINCIAL_PORTAL
    )
    dossiers_total = models.PositiveIntegerField(_("dossiers received"))
    dossiers_online = models.PositiveIntegerField(_("dossiers received online"))
    online_payments = models.PositiveIntegerField(_("online payments"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("official statistic")
        verbose_name_plural = _("official statistics")
        ordering = ["-month", "org_unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "month", "source"], name="servicestatistic_unit_month"
            ),
            models.CheckConstraint(
                condition=Q(dossiers_online__lte=F("dossiers_total")), name="servicestatistic_online_le_total"
            ),
            models.CheckConstraint(
                condition=Q(dossiers_total__gte=0) & Q(dossiers_online__gte=0),
                name="servicestatistic_counts_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(online_payments__isnull=True) | Q(online_payments__gte=0),
                name="servicestatistic_payments_nonnegative",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="servicestatistic_month_first_day"),
        ]
        indexes = [models.Index(fields=["month", "org_unit"], name="servicestatistic_month_unit")]

    def __str__(self) -> str:
        return f"{self.org_unit} · {self.month:%m/%Y}"

    def clean(self) -> None:
        # Said on the field; the check constraint stays as the database's guarantee.
        counted = self.dossiers_total is not None and self.dossiers_online is not None
        if counted and self.dossiers_online > self.dossiers_total:
            raise ValidationError(
                {"dossiers_online": _("Online dossiers cannot exceed the dossiers received.")}
            )
        if (
            self.org_unit_id
            and self.month
            and not unit_existed_on(self.org_unit, self.month, monthly=True)
            and (changed(self, "month") or changed(self, "org_unit_id"))
        ):
            unit = self.org_unit
            message = _("%(unit)s exists from %(since)s: its statistics cannot be for a month before that.")
            raise ValidationError(
                {"month": message % {"unit": unit.name, "since": f"{unit.valid_from:%d/%m/%Y}"}}
            )
        if (
            self.org_unit_id
            and self.month
            and unit_ended_before(self.org_unit, self.month)
            and (changed(self, "month") or changed(self, "org_unit_id"))
        ):
            raise ValidationError({"month": ended_message(self.org_unit)})

    @property
    def online_rate(self) -> float | None:
        return self.dossiers_online / self.dossiers_total if self.dossiers_total else None


class StatisticImport(models.Model):
    """One committed import of official statistics: who, which file, and what it changed."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL
    )
    file_name = models.CharField(_("file name"), max_length=255)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("statistics import")
        verbose_name_plural = _("statistics imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%d/%m/%Y %H:%M})"


class LocationKind(models.TextChoices):
    ADMIN_CENTRE = "admin_centre", _("Public-administration centre")
    ONE_STOP_DESK = "one_stop_desk", _("One-stop desk")
    COMMUNE_OFFICE = "commune_office", _("Commune/ward office")
    MARKET = "market", _("Market")
    SCHOOL = "school", _("School")
    DOOR_TO_DOOR = "door_to_door", _("Door to door")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")


# A help session's stored totals (see HelpSession and services.help_session_totals_refresh).
SESSION_TOTAL_FIELDS = [
    "total_assisted",
    "total_submitted_online",
    "total_successful",
    "total_vneid_activations",
    "volunteers_present",
    "volunteer_minutes",
]


class HelpSession(models.Model):
    """A team's time helping citizens at one place on one day. Counts only: no citizen's data."""

    team = models.ForeignKey(
        "volunteers.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="help_sessions",
        db_index=False,  # helpsession_team_day leads with it
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("where it took place"),
        on_delete=models.PROTECT,
        related_name="help_sessions",
        db_index=False,  # helpsession_unit_date_totals leads with it: a second index would only cost writes
    )
    location_kind = models.CharField(_("place"), max_length=20, choices=LocationKind.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    volunteers = models.ManyToManyField(
        "volunteers.Volunteer", verbose_name=_("volunteers present"), blank=True, related_name="help_sessions"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_sessions",
    )
    notes = models.TextField(_("notes"), blank=True)
    # Sent with the form (hidden field) and the API: a repeated submit finds the first session.
    idempotency_key = models.UUIDField(_("idempotency key"), unique=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contacts_purged_at = models.DateTimeField(_("follow-up contacts erased at"), null=True, blank=True)
    # Totals of the session's lines and how many volunteers were present, written with them by the
    # services only (``help_session_totals_refresh`` and its callers): lists, exports and the progress
    # rollup read a row, not a join of millions of lines (issue #6: the rollup at national scale).
    total_assisted = models.PositiveIntegerField(_("citizens assisted"), default=0, editable=False)
    total_submitted_online = models.PositiveIntegerField(
        _("dossiers submitted online"), default=0, editable=False
    )
    total_successful = models.PositiveIntegerField(_("successful completions"), default=0, editable=False)
    total_vneid_activations = models.PositiveIntegerField(_("VNeID activations"), default=0, editable=False)
    volunteers_present = models.PositiveIntegerField(_("volunteers present"), default=0, editable=False)
    volunteer_minutes = models.PositiveIntegerField(
        _("volunteer-minutes"), default=0, editable=False, help_text=_("Duration x volunteers present.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The totals are derived from the lines, whose own history says what changed.
    history = HistoricalRecords(
        m2m_fields=[volunteers],
        excluded_fields=SESSION_TOTAL_FIELDS,
    )

    class Meta:
        verbose_name = _("help session")
        verbose_name_plural = _("help sessions")
        ordering = ["-date", "-start_time", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="helpsession_end_after_start"
            ),
        ]
        indexes = [
            # A unit's sessions by date, carrying the totals the progress rollup and the session
            # list's totals sum: both read this index alone, not the table (PostgreSQL; other
            # databases ignore include). total_successful fits in the tuples' alignment padding.
            models.Index(
                fields=["org_unit", "date"],
                include=[
                    "total_assisted",
                    "total_submitted_online",
                    "total_successful",
                    "total_vneid_activations",
                    "volunteer_minutes",
                ],
                name="helpsession_unit_date_totals",
            ),
            # A team's sessions (its page, newest first) and the duplicate warning's first few of a
            # day: read in order and stopped after a page, however many the team logged that day.
            models.Index(fields=["team", "date", "start_time", "id"], name="helpsession_team_day"),
            # Newest first over a whole province (most rows in scope): the list and the API's cursor
            # read this index from the top and stop after a page, instead of sorting the province.
            models.Index(F("date").desc(), F("start_time").desc(), F("id").desc(), name="helpsession_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.date:%d/%m/%Y}"

    def clean(self) -> None:
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The end time must be after the start time.")
        if (
            self.org_unit_id
            and self.date
            and not unit_existed_on(self.org_unit, self.date)
            and (changed(self, "date") or changed(self, "org_unit_id"))
        ):
            unit = self.org_unit
            message = _("%(unit)s exists from %(since)s: a session there cannot be dated before that.")
            errors["date"] = message % {"unit": unit.name, "since": f"{unit.valid_from:%d/%m/%Y}"}
        if errors:
            raise ValidationError(errors)


class ServiceLine(models.Model):
    """How many citizens a session helped with one service; the optional breakdowns never exceed it."""

    session = models.ForeignKey(
        HelpSession, verbose_name=_("help session"), on_delete=models.CASCADE, related_name="lines"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="lines"
    )
    citizens_assisted = models.PositiveIntegerField(_("citizens assisted"))
    dossiers_online = models.PositiveIntegerField(_("dossiers submitted online"), default=0)
    successful = models.PositiveIntegerField(_("successful completions"), default=0)
    # Optional breakdowns: left empty when nobody counted them.
    female = models.PositiveIntegerField(_("of whom women"), null=True, blank=True)
    male = models.PositiveIntegerField(_("of whom men"), null=True, blank=True)
    age_under_30 = models.PositiveIntegerField(_("aged under 30"), null=True, blank=True)
    age_30_59 = models.PositiveIntegerField(_("aged 30-59"), null=True, blank=True)
    age_60_plus = models.PositiveIntegerField(_("aged 60 and over"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service line")
        verbose_name_plural = _("service lines")
        ordering = ["session", "service__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "service"], name="serviceline_one_per_service"),
            models.CheckConstraint(
                condition=Q(citizens_assisted__gte=0)
                & Q(dossiers_online__gte=0)
                & Q(successful__gte=0)
                & (Q(female__isnull=True) | Q(female__gte=0))
                & (Q(male__isnull=True) | Q(male__gte=0))
                & (Q(age_under_30__isnull=True) | Q(age_under_30__gte=0))
                & (Q(age_30_59__isnull=True) | Q(age_30_59__gte=0))
                & (Q(age_60_plus__isnull=True) | Q(age_60_plus__gte=0)),
                name="serviceline_counts_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(successful__lte=F("citizens_assisted")), name="serviceline_successful_le_assisted"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.citizens_assisted}"

    # A session is a morning at a desk or an afternoon door to door: more than this for one service is a
    # typing slip (an extra zero, a phone number in the box), refused before it reaches every total.
    MAX_PER_SESSION = 2000

    def clean(self) -> None:
        errors = {}
        for field in ("citizens_assisted", "dossiers_online"):
            if (getattr(self, field) or 0) > self.MAX_PER_SESSION:
                errors[field] = _(
                    "At most %(max)s for one service in one session: check the number typed."
                ) % {"max": vi_number(self.MAX_PER_SESSION)}
        counted = self.successful is not None and self.citizens_assisted is not None
        if counted and self.successful > self.citizens_assisted:
            errors["successful"] = _("Successful completions cannot exceed the citizens assisted.")
        # A breakdown may be partial (not everyone asked) but never larger than the whole.
        for fields, message in (
            (("female", "male"), _("Women and men together cannot exceed the citizens assisted.")),
            (
                ("age_under_30", "age_30_59", "age_60_plus"),
                _("The age bands together cannot exceed the citizens assisted."),
            ),
        ):
            parts = [getattr(self, f) for f in fields if getattr(self, f) is not None]
            if parts and self.citizens_assisted is not None and sum(parts) > self.citizens_assisted:
                errors[fields[0]] = message
        if errors:
            raise ValidationError(errors)


class FollowUpContact(models.Model):
    """A citizen who asked to be called back: name and phone only, with consent and a purge date.

    Deliberately without history: an audit row would outlive the erasure the law requires.
    """

    PERSONAL_DATA = {
        "name": _("Call the citizen back about their dossier, with their consent"),
        "phone": _("Call the citizen back about their dossier, with their consent"),
    }
    PERSONAL_DATA_RETENTION = _("Until the erase date chosen with the citizen; erased every night after it.")

    session = models.ForeignKey(
        HelpSession, verbose_name=_("help session"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=16)
    consent_recorded_at = models.DateTimeField(_("consent recorded at"))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    purpose = models.CharField(_("purpose of the follow-up"), max_length=255)
    purge_on = models.DateField(_("erase on"))

    class Meta:
        verbose_name = _("follow-up contact")
        verbose_name_plural = _("follow-up contacts")
        ordering = ["purge_on", "pk"]
        indexes = [models.Index(fields=["purge_on"], name="followupcontact_purge_on")]

    def __str__(self) -> str:
        return self.name
