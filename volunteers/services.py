"""Every write to teams, volunteers, memberships, activities and weekly reports.

Each service is keyword-only and atomic, checks the actor's scope through the access layer
(``by=None`` means the system: demo data, a trusted task), runs ``full_clean()`` and, for the
facts the progress rollup counts (activities, memberships), writes a dirty mark in the same
transaction.
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Action, require, scope_for
from accounts.choices import choices_for
from core.audit_log import log_import
from core.progress_marks import mark_dirty, mark_dirty_many
from core.tabular import ImportReport, read_table
from core.text import normalize_phone
from org.models import OrgUnit
from partnerships.models import Agreement
from signoff.selectors import locked_months
from signoff.services import month_lock_check
from volunteers import roster
from volunteers.models import (
    PHOTOS_PER_ACTIVITY,
    Activity,
    ActivityPhoto,
    Membership,
    Skill,
    Team,
    TeamOrganisation,
    Training,
    Volunteer,
    WeeklyReport,
)

ERASED_NAME = "—"

# --- Helpers ---------------------------------------------------------------------------------


def _set_fields(instance, fields: dict, allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)


# --- Teams -----------------------------------------------------------------------------------

TEAM_FIELDS = (
    "name",
    "kind",
    "org_unit",
    "founded_on",
    "decision_number",
    "decision_date",
    "decision_file",
    "status",
    "dissolved_on",
    "contact_name",
    "contact_phone",
    "contact_email",
    "is_illustrative",
)


def _clean_team(team: Team) -> None:
    if team.contact_phone:
        try:
            team.contact_phone = normalize_phone(team.contact_phone)
        except ValidationError as exc:
            raise ValidationError({"contact_phone": exc.messages}) from exc
    if team.status == Team.Status.DISSOLVED and team.dissolved_on is None:
        raise ValidationError({"dissolved_on": _("A dissolved team needs the date it was dissolved.")})
    if team.status != Team.Status.DISSOLVED:
        team.dissolved_on = None
    team.full_clean()


def team_progress_marks(team: Team) -> list[tuple[int, datetime.date]]:
    """Where a team counts in the progress rollup: its unit, from the first month anything of it
    counts (its founding, else its creation, or an activity or a membership dated earlier: the
    services refuse those now, but rows stored before that rule move with the team too). A rollup
    recomputes a marked unit from that month on, so a new, moved, paused or dissolved team is in
    the next incremental run, not only the nightly one."""
    created = timezone.localdate(team.created_at) if team.created_at else timezone.localdate()
    first_fact = team.first_fact_on() if team.pk else None
    return [(team.org_unit_id, min(filter(None, [team.founded_on, created, first_fact])))]


def _agreements_to_set(by, agreements, before: set[int]) -> list[int]:
    """The agreements a team will serve. Each one added must be one its people see (theirs, or one
    above them): the rows the form, the API and the admin offer (accounts.choices); another
    province's agreement is refused. Links ``by`` cannot see are kept: nobody drops what they
    were never shown."""
    wanted = {a.pk for a in agreements}
    if by is None:
        return sorted(wanted)
    visible = set(
        choices_for(by, Agreement, Action.LOG).filter(pk__in=wanted | before).values_list("pk", flat=True)
    )
    if wanted - before - visible:
        raise ValidationError(
            {"agreements": _("Choose an agreement of your units or of the units above them.")}
        )
    return sorted(wanted | (before - visible))


@transaction.atomic
def team_create(*, by, org_unit: OrgUnit, name: str, agreements=(), **fields) -> Team:
    """A new team; ``agreements``: those it serves (a team may serve several)."""
    require(by, Action.LOG, org_unit)
    team = Team(org_unit=org_unit, name=name)
    _set_fields(team, fields, TEAM_FIELDS)
    agreement_ids = _agreements_to_set(by, agreements, set())
    _clean_team(team)
    team.save()
    if agreement_ids:
        team.agreements.set(agreement_ids)
    mark_dirty_many(team_progress_marks(team), rosters=True)
    return team


def _stored_unit(model, pk: int, field: str) -> OrgUnit:
    """The unit a row belongs to in the database: a ModelForm may already have changed the instance."""
    return OrgUnit.objects.get(pk=model.objects.filter(pk=pk).values_list(field, flat=True).get())


@transaction.atomic
def team_delete(*, by, team: Team) -> None:
    """Delete a team with nothing recorded (members, activities and sessions PROTECT it); it still
    counted as an active team where it stood, so that is marked."""
    require(by, Action.LOG, _stored_unit(Team, team.pk, "org_unit"))
    marks = team_progress_marks(Team.objects.get(pk=team.pk))
    team.delete()
    mark_dirty_many(marks, rosters=True)


@transaction.atomic
def team_update(*, by, team: Team, **fields) -> Team:
    require(by, Action.LOG, _stored_unit(Team, team.pk, "org_unit"))
    if "org_unit" in fields:
        require(by, Action.LOG, fields["org_unit"])
    stored = Team.objects.get(pk=team.pk)
    before = team_progress_marks(stored)
    agreements = fields.pop("agreements", None)  # None: unchanged
    _set_fields(team, fields, TEAM_FIELDS)
    agreement_ids = None
    if agreements is not None:
        served = set(stored.agreements.values_list("pk", flat=True))
        agreement_ids = _agreements_to_set(by, agreements, served)
        agreement_ids = None if set(agreement_ids) == served else agreement_ids
    _clean_team(team)
    team.save()
    if agreement_ids is not None:
        team.agreements.set(agreement_ids)
    mark_dirty_many(before + team_progress_marks(team), rosters=True)
    return team


@transaction.atomic
def team_organisation_add(*, by, team: Team, partner, role: str = "", joined_on=None) -> TeamOrganisation:
    """Make an organisation (partnerships.Partner) a member of a team; idempotent."""
    require(by, Action.LOG, team.org_unit)
    member, created = TeamOrganisation.objects.get_or_create(
        team=team, partner=partner, defaults={"role": role, "joined_on": joined_on}
    )
    if not created and (member.role, member.joined_on) != (role, joined_on) and (role or joined_on):
        member.role, member.joined_on = role, joined_on
        member.save(update_fields=["role", "joined_on"])
    return member


@transaction.atomic
def team_organisation_remove(*, by, member: TeamOrganisation) -> None:
    require(by, Action.LOG, member.team.org_unit)
    member.delete()


# --- Volunteers ------------------------------------------------------------------------------

VOLUNTEER_FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "birth_year",
    "sex",
    "phone",
    "email",
    "member_code",
    "home_unit",
    "consent_on",
    "consent_purpose",
    "user",
)


def _clean_volunteer(volunteer: Volunteer) -> None:
    try:
        volunteer.phone = normalize_phone(volunteer.phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    for name in ("family_name", "middle_name", "given_name"):
        setattr(volunteer, name, " ".join(str(getattr(volunteer, name) or "").split()))
    volunteer.full_clean(validate_constraints=False)
    if (
        volunteer.phone
        and Volunteer.objects.filter(home_unit=volunteer.home_unit, phone=volunteer.phone)
        .exclude(pk=volunteer.pk)
        .exists()
    ):
        raise ValidationError({"phone": _("A volunteer of this unit already has this phone number.")})


@transaction.atomic
def volunteer_create(*, by, home_unit: OrgUnit, skills: Sequence[Skill] = (), **fields) -> Volunteer:
    require(by, Action.LOG, home_unit)
    volunteer = Volunteer(home_unit=home_unit)
    _set_fields(volunteer, fields, VOLUNTEER_FIELDS)
    _clean_volunteer(volunteer)
    volunteer.save()
    if skills:
        volunteer.skills.set(skills)
    return volunteer


@transaction.atomic
def volunteer_update(
    *, by, volunteer: Volunteer, skills: Sequence[Skill] | None = None, **fields
) -> Volunteer:
    require(by, Action.LOG, _stored_unit(Volunteer, volunteer.pk, "home_unit"))
    if volunteer.is_erased:
        raise ValidationError(_("This volunteer's data was erased on request; it cannot be edited."))
    if "home_unit" in fields:
        require(by, Action.LOG, fields["home_unit"])
    _set_fields(volunteer, fields, VOLUNTEER_FIELDS)
    _clean_volunteer(volunteer)
    volunteer.save()
    if skills is not None:
        volunteer.skills.set(skills)
    return volunteer


@transaction.atomic
def training_record(*, by, volunteer: Volunteer, course: str, completed_on: datetime.date) -> Training:
    require(by, Action.LOG, volunteer.home_unit)
    training, _created = Training.objects.get_or_create(
        volunteer=volunteer, course=course.strip(), completed_on=completed_on
    )
    return training


def skills_from_names(names: Iterable[str]) -> list[Skill]:
    result = []
    for name in {" ".join(n.split()) for n in names if n and n.strip()}:
        skill = Skill.objects.filter(name__iexact=name).first() or Skill.objects.create(name=name[:80])
        result.append(skill)
    return result


@transaction.atomic
def volunteer_erase(*, by, volunteer: Volunteer) -> Volunteer:
    """Anonymise a person on their request.

    Names, phone, e-mail, member code, birth year, sex, skills, trainings and the account link go;
    the row stays (as "—") so memberships still count and activities keep their hours. The audit
    history keeps no personal field (see VOLUNTEER_PRIVATE_FIELDS) and its names are blanked too.
    """
    require(by, Action.MANAGE, volunteer.home_unit)
    if volunteer.is_erased:
        return volunteer
    volunteer.family_name = ERASED_NAME
    volunteer.middle_name = ""
    volunteer.given_name = ERASED_NAME
    volunteer.birth_year = None
    volunteer.sex = ""
    volunteer.phone = ""
    volunteer.email = ""
    volunteer.member_code = ""
    volunteer.user = None
    volunteer.consent_purpose = _("Erased on request")
    volunteer.erased_at = timezone.now()
    volunteer.full_clean(validate_constraints=False)
    volunteer.save()
    volunteer.skills.clear()
    volunteer.trainings.all().delete()
    Volunteer.history.filter(id=volunteer.pk).update(
        family_name=ERASED_NAME, middle_name="", given_name=ERASED_NAME, sex="", consent_purpose=""
    )
    return volunteer


# --- Memberships -----------------------------------------------------------------------------


@transaction.atomic
def membership_create(
    *,
    by,
    team: Team,
    volunteer: Volunteer,
    role: str = Membership.Role.MEMBER,
    joined_on: datetime.date | None = None,
) -> Membership:
    require(by, Action.LOG, team.org_unit)
    if Membership.objects.filter(team=team, volunteer=volunteer, left_on__isnull=True).exists():
        raise ValidationError({"volunteer": _("This volunteer is already an active member of the team.")})
    membership = Membership(
        team=team, volunteer=volunteer, role=role, joined_on=joined_on or timezone.localdate()
    )
    membership.full_clean(validate_constraints=False)
    month_lock_check(marks=[(team.org_unit_id, membership.joined_on)])
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:  # a concurrent request added the same person first
        raise ValidationError(
            {"volunteer": _("This volunteer is already an active member of the team.")}
        ) from exc
    mark_dirty(org_unit_id=team.org_unit_id, day=membership.joined_on, rosters=True)
    return membership


MEMBERSHIP_FIELDS = ("team", "volunteer", "joined_on", "left_on")


def _membership_marks(membership: Membership) -> list[tuple[int, datetime.date]]:
    """Where a membership counts: its team's unit, from the month it was joined (its leaving month too)."""
    unit_id = Team.objects.filter(pk=membership.team_id).values_list("org_unit_id", flat=True).get()
    return [(unit_id, day) for day in (membership.joined_on, membership.left_on) if day]


@transaction.atomic
def membership_update(*, by, membership: Membership, role: str | None = None, **fields) -> Membership:
    """Change a membership's role, or (the admin's corrections) its team, person or dates: the roster
    counts are marked where it counted and where it counts now."""
    stored = Membership.objects.get(pk=membership.pk)
    require(by, Action.LOG, _stored_unit(Team, stored.team_id, "org_unit"))
    if "team" in fields:
        require(by, Action.LOG, fields["team"].org_unit)
    if role is not None:
        membership.role = role
    _set_fields(membership, fields, MEMBERSHIP_FIELDS)
    if membership.left_on is not None and membership.left_on < membership.joined_on:
        raise ValidationError({"left_on": _("A member cannot leave before joining.")})
    membership.full_clean(validate_constraints=False)
    marks = _membership_marks(stored) + _membership_marks(membership)
    month_lock_check(marks=marks)
    membership.save()
    mark_dirty_many(marks, rosters=True)
    return membership


@transaction.atomic
def membership_delete(*, by, membership: Membership) -> None:
    """Remove a membership entered by mistake (the admin's correction; a member who left is ended
    with ``membership_end``): the roster counts are marked where it counted."""
    stored = Membership.objects.get(pk=membership.pk)
    require(by, Action.LOG, _stored_unit(Team, stored.team_id, "org_unit"))
    marks = _membership_marks(stored)
    month_lock_check(marks=marks)
    membership.delete()
    mark_dirty_many(marks, rosters=True)


@transaction.atomic
def membership_end(*, by, membership: Membership, left_on: datetime.date | None = None) -> Membership:
    require(by, Action.LOG, membership.team.org_unit)
    if membership.left_on is not None:
        return membership
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("A member cannot leave before joining.")})
    membership.left_on = left_on
    membership.full_clean(validate_constraints=False)
    month_lock_check(marks=[(membership.team.org_unit_id, left_on)])
    membership.save()
    mark_dirty(org_unit_id=membership.team.org_unit_id, day=membership.left_on, rosters=True)
    return membership


@transaction.atomic
def volunteer_join_team(
    *, by, team: Team, role: str = Membership.Role.MEMBER, joined_on=None, skills=(), **fields
) -> Membership:
    """The phone flow's "add a volunteer to my team": a new person and their membership, or neither."""
    require(by, Action.LOG, team.org_unit)
    fields.setdefault("home_unit", team.org_unit)
    volunteer = volunteer_create(by=by, skills=skills, **fields)
    return membership_create(by=by, team=team, volunteer=volunteer, role=role, joined_on=joined_on)


# --- Activities ------------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "date",
    "kind",
    "title",
    "place",
    "participants",
    "volunteers_count",
    "volunteer_hours",
    "note",
)


def _clean_activity(activity: Activity) -> None:
    if not (activity.title or "").strip():
        activity.title = (
            str(Activity.Kind(activity.kind).label) if activity.kind in Activity.Kind.values else ""
        )
    if activity.date and activity.date > timezone.localdate():
        raise ValidationError({"date": _("An activity cannot be logged for a future date.")})
    activity.full_clean(exclude=["idempotency_key"], validate_constraints=False)


@transaction.atomic
def activity_create(
    *,
    by,
    team: Team,
    photos: Sequence = (),
    idempotency_key: uuid.UUID | None = None,
    **fields,
) -> tuple[Activity, bool]:
    """Log what a team did. Returns (activity, created).

    With an ``idempotency_key`` a repeated submission (double tap, resend after a lost answer)
    returns the activity the first one created instead of a second entry.
    """
    require(by, Action.LOG, team.org_unit)
    if idempotency_key is not None:
        existing = Activity.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.team_id != team.pk:
                raise ValidationError(_("This form was already used; reload the page."))
            return existing, False
    if team.status == Team.Status.DISSOLVED:
        raise ValidationError({"team": _("This team is dissolved; activities can no longer be logged.")})
    activity = Activity(team=team, created_by=by, idempotency_key=idempotency_key)
    _set_fields(activity, fields, ACTIVITY_FIELDS)
    _clean_activity(activity)
    month_lock_check(marks=[(team.org_unit_id, activity.date)])
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        # Two submissions raced past the check above: the first one's row is the answer.
        existing = Activity.objects.filter(idempotency_key=idempotency_key).first()
        if idempotency_key is None or existing is None:
            raise
        return existing, False
    for image in photos:
        activity_add_photo(by=by, activity=activity, image=image)
    mark_dirty(org_unit_id=team.org_unit_id, day=activity.date)
    return activity, True


@transaction.atomic
def activity_update(*, by, activity: Activity, **fields) -> Activity:
    # From the database: a ModelForm has already put the new date (or team) on the instance.
    old_unit_id, old_date = (
        Activity.objects.filter(pk=activity.pk).values_list("team__org_unit_id", "date").get()
    )
    require(by, Action.LOG, OrgUnit.objects.get(pk=old_unit_id))
    if "team" in fields:  # moved to another team (the admin's correction): one the user logs for
        activity.team = fields.pop("team")
        require(by, Action.LOG, activity.team.org_unit)
    _set_fields(activity, fields, ACTIVITY_FIELDS)
    _clean_activity(activity)
    marks = [(old_unit_id, old_date), (activity.team.org_unit_id, activity.date)]
    month_lock_check(marks=marks)
    activity.save()
    mark_dirty_many(marks)
    return activity


@transaction.atomic
def activity_delete(*, by, activity: Activity) -> None:
    require(by, Action.LOG, activity.team.org_unit)
    unit_id, day = activity.team.org_unit_id, activity.date
    month_lock_check(marks=[(unit_id, day)])
    for photo in activity.photos.all():
        photo.image.delete(save=False)
    activity.delete()
    mark_dirty(org_unit_id=unit_id, day=day)


@transaction.atomic
def activity_add_photo(*, by, activity: Activity, image) -> ActivityPhoto:
    require(by, Action.LOG, activity.team.org_unit)
    month_lock_check(marks=[(activity.team.org_unit_id, activity.date)])
    # Lock the activity so two uploads cannot both pass the limit.
    Activity.objects.select_for_update().filter(pk=activity.pk).first()
    if activity.photos.count() >= PHOTOS_PER_ACTIVITY:
        raise ValidationError(
            {"photos": _("At most %(count)d photos per activity.") % {"count": PHOTOS_PER_ACTIVITY}}
        )
    photo = ActivityPhoto(activity=activity, image=image)
    try:
        photo.full_clean()
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from exc
    photo.save()
    return photo


# --- Weekly reports --------------------------------------------------------------------------


def iso_week_of(day: datetime.date) -> tuple[int, int]:
    year, week, _weekday = day.isocalendar()
    return year, week


@transaction.atomic
def weekly_report_submit(
    *,
    by,
    team: Team,
    iso_year: int,
    iso_week: int,
    note: str = "",
    submitted_at: datetime.datetime | None = None,
) -> WeeklyReport:
    """Mark a team's week as reported; submitting again updates the note and keeps the first time.

    ``submitted_at`` (default: now) records a report made earlier, on paper or in the demo data;
    it cannot be in the future nor before the week started."""
    require(by, Action.LOG, team.org_unit)
    try:
        monday = datetime.date.fromisocalendar(iso_year, iso_week, 1)
    except ValueError as exc:
        raise ValidationError(_("There is no such week.")) from exc
    if monday > timezone.localdate():
        raise ValidationError(_("A week that has not started cannot be reported."))
    now = timezone.now()
    if submitted_at is not None and not (monday <= timezone.localdate(submitted_at) and submitted_at <= now):
        raise ValidationError(_("A report cannot be dated before its week or in the future."))
    report, created = WeeklyReport.objects.get_or_create(
        team=team,
        iso_year=iso_year,
        iso_week=iso_week,
        defaults={"submitted_at": submitted_at or now, "submitted_by": by, "note": note},
    )
    if not created and note and note != report.note:
        report.note = note
        report.save(update_fields=["note"])
    return report


# --- Roster import ---------------------------------------------------------------------------


def roster_import(*, by, team: Team, upload, consent_purpose: str, dry_run: bool = True) -> ImportReport:
    """Check (and, when clean and not a dry run, import) a team roster from Excel or CSV.

    Each row is checked by ``roster.RosterRow`` (a form); every bad row is reported with what is
    wrong, under the column's title. Nothing is written unless the whole file is clean, and then all
    rows are written in one transaction. A row whose phone matches a volunteer of the same unit joins
    that person to the team instead of creating a duplicate.
    """
    require(by, Action.LOG, team.org_unit)
    report = ImportReport()
    rows = read_table(upload, expected=roster.REQUIRED, titles=roster.titles(), keys=roster.header_keys())
    report.rows_total = len(rows)
    scope = scope_for(by, Action.LOG) if by is not None else None
    codes = {" ".join(str(r.values.get("ma_don_vi") or "").split()) for r in rows}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    # Who is in the team already: their rows (a re-import of the team's own export) are left as
    # they are and counted unchanged, not reported as errors.
    active = set(
        Membership.objects.active()
        .filter(team=team)
        .values_list("volunteer__home_unit_id", "volunteer__phone")
    )
    seen_phones: dict[str, int] = {}
    planned = []
    # The team's locked months: a member cannot join it in one (the lock, read once for the file).
    locked = {month: status for (_unit, month), status in locked_months(unit_ids=[team.org_unit_id]).items()}
    today = timezone.localdate()
    for row in rows:
        form = roster.RosterRow(
            row.values, team=team, units=units, scope=scope, today=today, locked_months=locked
        )
        clean = report.add_form_errors(row.number, form, roster.title)
        phone = form.cleaned_data.get("dien_thoai")
        if phone in seen_phones:
            report.add(
                row.number,
                roster.title("dien_thoai"),
                _("duplicate phone: same as row %(row)d") % {"row": seen_phones[phone]},
            )
            clean = False
        elif phone:
            seen_phones[phone] = row.number
        if not clean:
            continue
        if (form.cleaned_data["ma_don_vi"].pk, phone) in active:
            report.unchanged += 1
        else:
            planned.append(form.plan(row=row.number, consent_purpose=consent_purpose))
    existing = {
        (vol.home_unit_id, vol.phone): vol
        for vol in Volunteer.objects.filter(phone__in=[p["fields"]["phone"] for p in planned])
    }
    for plan in planned:
        plan["existing"] = existing.get((plan["unit"].pk, plan["fields"]["phone"]))
    report.created = sum(1 for p in planned if p["existing"] is None)
    report.updated = sum(1 for p in planned if p["existing"] is not None)
    if dry_run or not report.is_clean:
        log_import("roster", user=by, report=report, dry_run=dry_run, team_id=team.pk)
        return report
    _roster_write(by=by, team=team, planned=planned, report=report)
    log_import("roster", user=by, report=report, dry_run=False, team_id=team.pk)
    return report


@transaction.atomic
def _roster_write(*, by, team: Team, planned: list[dict], report: ImportReport) -> None:
    for plan in planned:
        try:
            volunteer = plan["existing"] or volunteer_create(
                by=by, home_unit=plan["unit"], skills=skills_from_names(plan["skills"]), **plan["fields"]
            )
            membership_create(
                by=by, team=team, volunteer=volunteer, role=plan["role"], joined_on=plan["joined_on"]
            )
        except ValidationError as exc:
            # Something changed since the check (a concurrent edit): report it and write nothing.
            for message in exc.messages:
                report.add(plan["row"], "", message)
            transaction.set_rollback(True)
            report.created = report.updated = 0
            return


def hours(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.1"))
