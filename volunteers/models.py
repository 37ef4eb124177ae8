"""Volunteer teams, the people in them, their memberships and what the teams did.

A team belongs to an org unit, and every read and write is scoped through that unit
(``team__org_unit`` for the rows hanging off a team). A volunteer is scoped by their home unit.
Personal data is kept minimal: names split the Vietnamese way, a birth year rather than a date,
and a recorded consent; phone, e-mail, member code and birth year are never copied into history.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.collation import person_sort_key
from core.history_records import HistoricalRecords as M2MHistoricalRecords
from core.text import fold
from core.uploads import FileTypeValidator, RandomName
from org.models import OrgUnit
from partnerships.models import Agreement, Partner

PHOTO_MAX_MB = 5
PHOTOS_PER_ACTIVITY = 4
# Fields of a volunteer never written to the audit history (a history row outlives an erasure).
VOLUNTEER_PRIVATE_FIELDS = ["phone", "email", "member_code", "birth_year", "search_name", "sort_name"]


class Skill(models.Model):
    """A tag for what a volunteer can do ("Dịch vụ công trực tuyến", "VNeID", ...)."""

    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamQuerySet(models.QuerySet):
    def active(self) -> "TeamQuerySet":
        return self.filter(status=Team.Status.ACTIVE)


class Team(models.Model):
    PERSONAL_DATA = {
        "contact_name": _("Reach the team's contact person"),
        "contact_phone": _("Reach the team's contact person"),
        "contact_email": _("Reach the team's contact person"),
    }
    PERSONAL_DATA_RETENTION = _("While the team exists; replaced when the contact person changes.")

    class Kind(models.TextChoices):
        DIGITAL_YOUTH = "digital_youth", _("Community digital-transformation youth team")
        DIGITAL_TECH = "digital_tech", _("Community digital-technology team")
        CONSULTING = "consulting", _("Consulting team")
        TWO_LEVEL_SUPPORT = "two_level_support", _("Two-level local government support team")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("team status", "Active")
        PAUSED = "paused", _("Paused")
        DISSOLVED = "dissolved", _("Dissolved")

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.DIGITAL_YOUTH)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="volunteer_teams"
    )
    # A "Tổ công nghệ số cộng đồng" serves both the VNPT and the Department agreements.
    agreements = models.ManyToManyField(
        Agreement, verbose_name=_("agreements it serves"), blank=True, related_name="volunteer_teams"
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    decision_number = models.CharField(_("founding decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("founding decision date"), null=True, blank=True)
    decision_file = models.FileField(
        _("founding decision (PDF)"),
        upload_to=RandomName("team-decisions"),
        validators=[FileTypeValidator(("pdf",), max_mb=10)],
        blank=True,
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=16, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # Demo data beyond what the sources say (the seed articles): shown with a "minh họa" badge.
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_('Demo data that no source document gives: shown with an "illustrative" badge.'),
    )
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The agreements served are in the history too (a "~" record per change of them).
    history = M2MHistoricalRecords(m2m_fields=[agreements])
    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="dissolved") & Q(dissolved_on__isnull=False))
                | (~Q(status="dissolved") & Q(dissolved_on__isnull=True)),
                name="team_dissolved_has_date",
            ),
        ]
        indexes = [models.Index(fields=["org_unit", "status"], name="team_unit_status")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Activities and memberships are never dated before the founding (see Activity.clean):
        # a founding date moved after them is refused, not left to disagree with them.
        first = self.first_fact_on() if self.pk and self.founded_on and changed(self, "founded_on") else None
        if first is not None and first < self.founded_on:
            raise ValidationError(
                {
                    "founded_on": _(
                        "The team has activities or members from %(date)s: it cannot be founded after that."
                    )
                    % {"date": f"{first:%d/%m/%Y}"}
                }
            )

    def first_fact_on(self) -> datetime.date | None:
        """The earliest activity or joining date of the team (what moves with it), if any."""
        dates = [
            Activity.objects.filter(team_id=self.pk).aggregate(first=models.Min("date"))["first"],
            Membership.objects.filter(team_id=self.pk).aggregate(first=models.Min("joined_on"))["first"],
        ]
        return min(filter(None, dates), default=None)


def changed(instance: models.Model, field: str) -> bool:
    """Whether ``field`` of ``instance`` differs from what is stored (a new row: always). Rules
    about dates are checked when the date is written, so a row stored before a rule can still be
    edited in its other fields (a membership ended, a team renamed)."""
    if instance._state.adding or instance.pk is None:
        return True
    stored = type(instance).objects.filter(pk=instance.pk).values_list(field, flat=True).first()
    return stored != getattr(instance, field)


def founded_after(team: Team | None, day: datetime.date | None) -> bool:
    """Whether a fact dated ``day`` for ``team`` would predate the team's founding (a typing error:
    the figures of the team's unit would count work done before the team existed)."""
    return team is not None and team.founded_on is not None and day is not None and day < team.founded_on


class TeamOrganisation(models.Model):
    """An organisation that is a member of a team (a consulting team: the Department, VNPT, Viettel, the Post)."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="team_memberships"
    )
    role = models.CharField(_("role"), max_length=120, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        ordering = ["team", "partner__name"]
        constraints = [models.UniqueConstraint(fields=["team", "partner"], name="teamorganisation_unique")]

    def __str__(self) -> str:
        return f"{self.partner} · {self.team}"


class VolunteerQuerySet(models.QuerySet):
    def search(self, text: str) -> "VolunteerQuerySet":
        folded = fold(text)
        digits = "".join(ch for ch in text if ch.isdigit())
        condition = Q(search_name__contains=folded)
        if len(digits) >= 4:
            condition |= Q(phone__contains=digits)
        return self.filter(condition)

    def not_erased(self) -> "VolunteerQuerySet":
        return self.filter(erased_at__isnull=True)


class Volunteer(models.Model):
    # Personal data held here, why, and for how long (the data inventory page and the history masks
    # read this; tests/core/test_data_inventory.py fails on a personal-looking field not listed).
    PERSONAL_DATA = {
        "family_name": _("Identify the volunteer on rosters and reports"),
        "middle_name": _("Identify the volunteer on rosters and reports"),
        "given_name": _("Identify the volunteer on rosters and reports"),
        "search_name": _("Search by name (derived from the name)"),
        "sort_name": _("Sort by name (derived from the name)"),
        "birth_year": _("Youth-union age statistics"),
        "sex": _("Gender statistics of the movement"),
        "phone": _("Call the volunteer for team work"),
        "email": _("Write to the volunteer"),
        "member_code": _("Match the youth-union membership record"),
        "user": _("Link to the volunteer's own sign-in account"),
    }
    PERSONAL_DATA_RETENTION = _(
        "Until the volunteer asks for erasure (names blanked, contact fields emptied, counts kept)."
    )

    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    family_name = models.CharField(_("family name"), max_length=60)
    middle_name = models.CharField(_("middle name"), max_length=60, blank=True)
    given_name = models.CharField(_("given name"), max_length=60)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True, help_text=_("e.g. 0912 345 678"))
    email = models.EmailField(_("e-mail"), blank=True)
    member_code = models.CharField(_("youth-union member code"), max_length=32, blank=True)
    home_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("home unit"), on_delete=models.PROTECT, related_name="volunteers"
    )
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True, related_name="volunteers")
    consent_on = models.DateField(_("consent given on"))
    consent_purpose = models.CharField(
        _("consent purpose"),
        max_length=255,
        help_text=_("What the person agreed their data is used for."),
    )
    # The portal account of a volunteer who also signs in (a team leader): lets the phone flow
    # pre-select the team they lead.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    search_name = models.CharField(_("name for search"), max_length=200, editable=False, db_index=True)
    # Vietnamese alphabetical order of given, family and middle name (core.collation).
    sort_name = models.CharField(
        _("name for sorting"), max_length=400, editable=False, db_index=True, default=""
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=VOLUNTEER_PRIVATE_FIELDS)
    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        # Vietnamese order: by given name (tên), then family name (họ), then middle name, with the
        # Vietnamese alphabet (đ after d, ă and â after a) whatever the database's collation.
        ordering = ["sort_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["home_unit", "phone"], condition=~Q(phone=""), name="volunteer_phone_unique_in_unit"
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="volunteer_birth_year_range",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.full_name)
        self.sort_name = person_sort_key(self.given_name, self.family_name, self.middle_name)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.family_name, self.middle_name, self.given_name) if part)

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class Training(models.Model):
    """A course a volunteer completed (e.g. the national digital-literacy course)."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.CASCADE, related_name="trainings"
    )
    course = models.CharField(_("course"), max_length=200)
    completed_on = models.DateField(_("completed on"))

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "course", "completed_on"], name="training_unique")
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on:%d/%m/%Y})"


class MembershipQuerySet(models.QuerySet):
    def active(self) -> "MembershipQuerySet":
        return self.filter(left_on__isnull=True)


class Membership(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        DEPUTY = "deputy", _("Deputy")
        MEMBER = "member", _("Member")

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"), default=datetime.date.today)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["team", "role", "volunteer__sort_name"]
        constraints = [
            # One open membership per person and team; past ones are kept for history.
            models.UniqueConstraint(
                fields=["volunteer", "team"], condition=Q(left_on__isnull=True), name="membership_one_active"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.team} ({self.get_role_display()})"

    def clean(self) -> None:
        team = self.team if self.team_id else None
        if founded_after(team, self.joined_on) and changed(self, "joined_on"):
            message = _("The team was founded on %(date)s: a member cannot join it before that.")
            raise ValidationError({"joined_on": message % {"date": f"{team.founded_on:%d/%m/%Y}"}})

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class Activity(models.Model):
    # Helping citizens is logged as a help session (egov_support), the one record of citizens
    # helped; an activity's "participants" are people reached by outreach. The former kind
    # "help_session" was turned into help sessions by egov_support migration 0010.
    class Kind(models.TextChoices):
        COMMUNICATION = "communication", _("Communication / propaganda")
        TRAINING = "training", _("Training")
        DIGITAL_STREET = "digital_street", _("“Digital street” model")
        # The "3 Không" model (no paper dossiers, no trip to the public-administration centre, no
        # cash) a province pilots in communes: one activity per pilot site launched.
        THREE_NO_PILOT = "three_no_pilot", _("“3 Không” model pilot site")
        COMMUNITY_VISIT = "community_visit", _("Community visit")
        OTHER = "other", _("Other")

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="activities"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(pgettext_lazy("activity", "title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0, help_text=_("People reached."))
    volunteers_count = models.PositiveIntegerField(_("volunteers"), default=0)
    volunteer_hours = models.DecimalField(_("volunteer-hours"), max_digits=8, decimal_places=1, default=0)
    note = models.TextField(_("note"), blank=True)
    # A random key the form carries: a double tap or a resent form cannot create two entries.
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(volunteer_hours__gte=0), name="activity_hours_not_negative"),
        ]
        indexes = [
            models.Index(fields=["team", "date"], name="activity_team_date"),
            models.Index(F("date").desc(), F("id").desc(), name="activity_recent"),  # newest first, keyset
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.title}"

    def clean(self) -> None:
        team = self.team if self.team_id else None
        if founded_after(team, self.date) and changed(self, "date"):
            message = _("The team was founded on %(date)s: an activity cannot be dated before that.")
            raise ValidationError({"date": message % {"date": f"{team.founded_on:%d/%m/%Y}"}})


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(
        _("photo"),
        upload_to=RandomName("activity-photos"),
        validators=[FileTypeValidator(("jpeg", "png"), max_mb=PHOTO_MAX_MB)],
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.pk}"


class WeeklyReport(models.Model):
    """A team's report for one ISO week: the activities of that week, marked submitted."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="weekly_reports"
    )
    iso_year = models.PositiveSmallIntegerField(_("ISO year"))
    iso_week = models.PositiveSmallIntegerField(_("ISO week"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")
        ordering = ["-iso_year", "-iso_week"]
        constraints = [
            models.UniqueConstraint(fields=["team", "iso_year", "iso_week"], name="weeklyreport_unique"),
            models.CheckConstraint(
                condition=Q(iso_week__gte=1, iso_week__lte=53), name="weeklyreport_week_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.iso_week}/{self.iso_year}"

    @property
    def monday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.iso_year, self.iso_week, 1)
