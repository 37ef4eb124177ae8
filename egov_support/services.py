"""Every write of e-government support data: help sessions, statistics, campaigns, contacts.

Each service checks scope through the access layer, validates with ``full_clean()``, writes in one
transaction and marks the affected (unit, month) dirty for the progress rollup in that transaction.
"""

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractHour, ExtractMinute
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.access import Action, can, require, scope_for
from accounts.choices import choices_for
from core.audit_log import log_import
from core.progress_marks import mark_dirty, mark_dirty_many
from core.tabular import ImportReport
from egov_support import statistics_import
from egov_support.models import (
    SESSION_TOTAL_FIELDS,
    VNEID_ACTIVATION_SERVICE,
    Campaign,
    CampaignTarget,
    FollowUpContact,
    HelpSession,
    Service,
    ServiceLine,
    ServiceStatistic,
    StatisticImport,
    StatisticSource,
)
from org.models import OrgUnit
from partnerships.models import Indicator
from signoff.selectors import locked_message, locked_months
from signoff.services import month_lock_check
from volunteers.models import Membership, Team, Volunteer

LINE_COUNT_FIELDS = (
    "citizens_assisted",
    "dossiers_online",
    "successful",
    "female",
    "male",
    "age_under_30",
    "age_30_59",
    "age_60_plus",
)
SESSION_FIELDS = ("location_kind", "address", "date", "start_time", "end_time", "notes")
# How long a follow-up contact may be kept at most, whatever the form asks.
CONTACT_MAX_DAYS = 90


def _campaign_errors(user, campaign: Campaign | None) -> dict:
    """A session names a campaign the user sees (run in their scope, or with a unit of theirs in it):
    the same rows the form, the API and the admin offer (accounts.choices)."""
    if campaign is None or user is None or not getattr(user, "pk", None):
        return {}
    if choices_for(user, Campaign, Action.LOG).filter(pk=campaign.pk).exists():
        return {}
    return {"campaign": [_("Choose a campaign of your units or one they take part in.")]}


# A logged session may be corrected or deleted by whoever logs for its team (its author, the unit's
# leaders) for a week; after that by province staff and administrators only (manage scope), so the
# figures a week's reports were built on do not shift under them.
SESSION_CHANGE_WINDOW = datetime.timedelta(days=7)


def help_session_changeable_until(session: HelpSession) -> datetime.datetime:
    return session.created_at + SESSION_CHANGE_WINDOW


def can_change_help_session(user, session: HelpSession, *, now: datetime.datetime | None = None) -> bool:
    """Whether ``user`` may edit or delete ``session`` now (the pages show the buttons from this)."""
    unit = session.team.org_unit
    if can(user, Action.MANAGE, unit) and can(user, Action.MANAGE, session.org_unit):
        return True
    within = (now or timezone.now()) <= help_session_changeable_until(session)
    return within and can(user, Action.LOG, unit) and can(user, Action.LOG, session.org_unit)


def help_session_require_change(by, session: HelpSession) -> None:
    """Refuse a change of ``session`` that ``can_change_help_session`` does not allow, saying why."""
    if by is None or can_change_help_session(by, session):
        return
    logs_for_the_team = can(by, Action.LOG, session.team.org_unit)  # then only the week has passed
    raise PermissionDenied(
        _("A session can be corrected for 7 days after it was logged; after that, ask the province staff.")
        if logs_for_the_team
        else _("You cannot do this for that unit.")
    )


# --- Campaigns -----------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    by,
    name: str,
    org_unit: OrgUnit,
    starts_on: datetime.date,
    ends_on: datetime.date,
    theme: str = "",
    description: str = "",
    participating_units: Iterable[OrgUnit] = (),
) -> Campaign:
    require(by, Action.MANAGE, org_unit)
    participants = list(participating_units)
    for unit in participants:
        require(by, Action.VIEW, unit)
    campaign = Campaign(
        name=name,
        org_unit=org_unit,
        starts_on=starts_on,
        ends_on=ends_on,
        theme=theme,
        description=description,
    )
    campaign.full_clean()
    campaign.save()
    campaign.participating_units.set(participants)
    return campaign


@transaction.atomic
def campaign_update(
    *,
    by,
    campaign: Campaign,
    name: str,
    org_unit: OrgUnit,
    starts_on: datetime.date,
    ends_on: datetime.date,
    theme: str = "",
    description: str = "",
    participating_units: Iterable[OrgUnit] = (),
) -> Campaign:
    """Change a campaign run in the user's manage scope (and, if moved, to a unit they manage).

    Its targets' windows follow its dates: the units of its targets are marked for the rollup.
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require(by, Action.MANAGE, campaign.org_unit)
    require(by, Action.MANAGE, org_unit)
    participants = list(participating_units)
    kept = set(campaign.participating_units.values_list("pk", flat=True))
    for unit in participants:
        if unit.pk not in kept:  # a participant another province added stays; a new one must be seen
            require(by, Action.VIEW, unit)
    moved = (campaign.starts_on, campaign.ends_on) != (starts_on, ends_on)
    for key, value in {
        "name": name,
        "org_unit": org_unit,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "theme": theme,
        "description": description,
    }.items():
        setattr(campaign, key, value)
    campaign.full_clean()
    campaign.save()
    campaign.participating_units.set(participants)
    if moved:
        _mark_campaign_targets(campaign)
    return campaign


@transaction.atomic
def campaign_delete(*, by, campaign: Campaign) -> None:
    """Delete a campaign with its targets; its help sessions stay, no longer tagged with it.

    The units where its targets and its sessions counted are marked for the rollup.
    """
    require(by, Action.MANAGE, campaign.org_unit)
    _mark_campaign_targets(campaign)
    mark_dirty_many(campaign.help_sessions.values_list("org_unit_id", "date").distinct())
    campaign.delete()


def _mark_campaign_targets(campaign: Campaign) -> None:
    """Queue the rollup for a campaign whose targets' figures may have moved (its status is rewritten
    by any run; a mark makes sure one runs)."""
    for unit_id in {t.org_unit_id for t in campaign.targets.all()} or {campaign.org_unit_id}:
        mark_dirty(org_unit_id=unit_id, day=campaign.starts_on)


def _campaign_target_errors(user, campaign: Campaign, indicator, org_unit: OrgUnit | None) -> dict:
    """A campaign's targets are set by whoever manages the campaign, on units they manage (as an
    agreement's: naming a unit gives no rights in it; only administrators set targets elsewhere)."""
    errors: dict = {}
    if (
        indicator is not None
        and not choices_for(user, Indicator, Action.MANAGE).filter(pk=indicator.pk).exists()
    ):
        errors["indicator"] = [_("Choose an indicator from the catalogue.")]
    if org_unit is not None and not can(user, Action.MANAGE, org_unit):
        errors["org_unit"] = [
            _("%(unit)s is not a unit you manage; only its own staff or an administrator set targets there.")
            % {"unit": org_unit.name}
        ]
    return errors


@transaction.atomic
def campaign_target_save(
    *,
    by,
    campaign: Campaign,
    indicator,
    org_unit: OrgUnit,
    target_value,
    baseline=None,
    note: str = "",
    target: CampaignTarget | None = None,
) -> CampaignTarget:
    """Add a target to a campaign (or change ``target``): the user manages the campaign and the unit.

    Raises ``ValidationError`` naming the field (the unit, the value, a target already set for that
    indicator and unit) and writes nothing then.
    """
    require(by, Action.MANAGE, campaign.org_unit)
    if target is not None:
        if target.campaign_id != campaign.pk:
            raise PermissionDenied(_("You cannot do this for that unit."))
        require(by, Action.MANAGE, target.org_unit)
    errors = _campaign_target_errors(by, campaign, indicator, org_unit)
    if errors:
        raise ValidationError(errors)
    target = target or CampaignTarget(campaign=campaign)
    old_unit_id = target.org_unit_id
    target.indicator, target.org_unit = indicator, org_unit
    target.target_value, target.baseline, target.note = target_value, baseline, note
    try:
        target.full_clean()
    except ValidationError as exc:
        if "__all__" in getattr(exc, "error_dict", {}):  # the (campaign, indicator, unit) key
            raise ValidationError(
                {"indicator": [_("This campaign already has a target for this indicator in this unit.")]}
            ) from exc
        raise
    target.save()
    for unit_id in {old_unit_id, org_unit.pk} - {None}:
        mark_dirty(org_unit_id=unit_id, day=campaign.starts_on)
    return target


@transaction.atomic
def campaign_target_delete(*, by, target: CampaignTarget) -> None:
    require(by, Action.MANAGE, target.campaign.org_unit)
    require(by, Action.MANAGE, target.org_unit)
    mark_dirty(org_unit_id=target.org_unit_id, day=target.campaign.starts_on)
    target.delete()


@transaction.atomic
def campaign_activities_tag(*, by, campaign: Campaign, activities: Iterable, untag: bool = False) -> int:
    """Tag activities with a campaign (or, with ``untag``, remove the tag): each activity is one the
    user logs for, and the campaign one they see (run in their scope or with a unit of theirs in it).
    Returns how many tags changed; the activities' units and months are marked for the rollup."""
    activities = list(activities)
    errors = _campaign_errors(by, campaign)
    if errors:
        raise ValidationError(errors)
    for activity in activities:
        require(by, Action.LOG, activity.team.org_unit)
    tagged = set(campaign.activities.filter(pk__in=[a.pk for a in activities]).values_list("pk", flat=True))
    changed = [a for a in activities if (a.pk in tagged) == untag]
    if untag:
        campaign.activities.remove(*changed)
    else:
        campaign.activities.add(*changed)
    for activity in changed:
        mark_dirty(org_unit_id=activity.team.org_unit_id, day=activity.date)
    return len(changed)


# --- Official statistics ---------------------------------------------------------------------

STAT_VALUE_FIELDS = ("dossiers_total", "dossiers_online", "online_payments")


@transaction.atomic
def service_statistic_save(
    *,
    by,
    org_unit: OrgUnit,
    month: datetime.date,
    dossiers_total: int,
    dossiers_online: int,
    source: str = StatisticSource.PROVINCIAL_PORTAL,
    online_payments: int | None = None,
    note: str = "",
    reason: str = "",
) -> tuple[ServiceStatistic, str]:
    """Create or update the one row for (unit, month, source). Returns it and "created"/"updated"/"unchanged"."""
    require(by, Action.MANAGE, org_unit)
    month = month.replace(day=1)
    statistic = (
        ServiceStatistic.objects.select_for_update()
        .filter(org_unit=org_unit, month=month, source=source)
        .first()
    )
    values = {
        "dossiers_total": dossiers_total,
        "dossiers_online": dossiers_online,
        "online_payments": online_payments,
    }
    if statistic is None:
        statistic = ServiceStatistic(org_unit=org_unit, month=month, source=source, note=note, **values)
        status = "created"
    elif all(getattr(statistic, k) == v for k, v in values.items()) and statistic.note == note:
        return statistic, "unchanged"
    else:
        for key, value in values.items():
            setattr(statistic, key, value)
        statistic.note = note
        status = "updated"
    month_lock_check(marks=[(org_unit.pk, month)])
    statistic.updated_by = by if getattr(by, "pk", None) else None
    statistic.full_clean()
    if reason:
        statistic._change_reason = reason  # simple_history records why (e.g. which import)
    statistic.save()
    mark_dirty(org_unit_id=org_unit.pk, day=month)
    return statistic, status


@transaction.atomic
def service_statistic_update(*, by, statistic: ServiceStatistic, **values) -> ServiceStatistic:
    """Change the figures of an existing row (unit, month and source stay: they are its identity)."""
    require(by, Action.MANAGE, statistic.org_unit)
    fields = {k: values.get(k, getattr(statistic, k)) for k in (*STAT_VALUE_FIELDS, "note")}
    updated, _status = service_statistic_save(
        by=by, org_unit=statistic.org_unit, month=statistic.month, source=statistic.source, **fields
    )
    return updated


@transaction.atomic
def service_statistic_delete(*, by, statistic: ServiceStatistic) -> None:
    """Remove a row entered by mistake (the admin's delete): refused in a locked month."""
    require(by, Action.MANAGE, statistic.org_unit)
    month_lock_check(marks=[(statistic.org_unit_id, statistic.month)])
    unit_id, day = statistic.org_unit_id, statistic.month
    statistic.delete()
    mark_dirty(org_unit_id=unit_id, day=day)


@dataclass
class PlannedRow:
    row: int
    org_unit: OrgUnit
    month: datetime.date
    source: str
    values: dict
    action: str = "created"  # created / updated / unchanged
    changes: dict = field(default_factory=dict)  # field -> (old, new)

    @property
    def change_list(self) -> list[tuple[str, object, object]]:
        """(column title, old, new) for the preview, in the column order of the file."""
        keys = {name: key for key, name in statistics_import.FIELDS.items()}
        return [
            (statistics_import.SHEET.title(keys[name]), old, new) for name, (old, new) in self.changes.items()
        ]


@dataclass
class StatisticImportResult:
    report: ImportReport
    rows: list[PlannedRow] = field(default_factory=list)
    skipped: int = 0  # template rows left without figures
    batch: StatisticImport | None = None


def _plan_statistics(user, table) -> StatisticImportResult:
    report = ImportReport(rows_total=len(table))
    result = StatisticImportResult(report=report)
    scope = scope_for(user, Action.MANAGE)
    codes = {" ".join(str(r.values.get("ma_don_vi") or "").split()) for r in table}
    units = {u.code: u for u in scope.units().filter(code__in=codes).select_related("successor")}
    latest = timezone.localdate().replace(day=1)
    title = statistics_import.SHEET.title
    seen: dict[tuple, int] = {}
    for row in table:
        if statistics_import.is_blank(row.values):
            result.skipped += 1  # a template line nobody filled in
            continue
        form = statistics_import.StatisticRow(row.values, units=units, latest=latest)
        if not report.add_form_errors(row.number, form, title):
            continue
        unit, month, source = (
            form.cleaned_data["ma_don_vi"],
            form.cleaned_data["thang"],
            form.cleaned_data["nguon"],
        )
        key = (unit.pk, month, source)
        if key in seen:
            report.add(
                row.number,
                title("ma_don_vi"),
                _("the same unit and month already appear in row %(row)d") % {"row": seen[key]},
            )
            continue
        seen[key] = row.number
        result.rows.append(PlannedRow(row.number, unit, month, source, form.figures()))
    # Compare with what is stored, in one query, so the preview can say created/updated/unchanged.
    if result.rows:
        condition = Q()
        for planned in result.rows:
            condition |= Q(org_unit=planned.org_unit, month=planned.month, source=planned.source)
        existing = {(s.org_unit_id, s.month, s.source): s for s in ServiceStatistic.objects.filter(condition)}
        for planned in result.rows:
            current = existing.get((planned.org_unit.pk, planned.month, planned.source))
            if current is None:
                continue
            planned.changes = {
                k: (getattr(current, k), new)
                for k, new in planned.values.items()
                if getattr(current, k) != new
            }
            planned.action = "updated" if planned.changes else "unchanged"
        # A row that would change a locked (submitted or approved) month is the file's error, named on
        # its row; the same figures again are fine (a province re-imports its whole file).
        locked = locked_months(
            unit_ids={p.org_unit.pk for p in result.rows}, months={p.month for p in result.rows}
        )
        kept = []
        for planned in result.rows:
            status = locked.get((planned.org_unit.pk, planned.month))
            if planned.action != "unchanged" and status:
                message = locked_message(unit_name=planned.org_unit.name, month=planned.month, status=status)
                report.add(planned.row, "Tháng", message)
            else:
                kept.append(planned)
        result.rows = kept
    for planned in result.rows:
        setattr(report, planned.action, getattr(report, planned.action) + 1)
    return result


def service_statistics_import(*, by, upload, dry_run: bool = True) -> StatisticImportResult:
    """Read an .xlsx/.csv of official statistics; write only when ``dry_run`` is False and every row is clean.

    Raises ValidationError for an unreadable file or missing columns. Row problems are in the report.
    """
    require(by, Action.MANAGE, message=_("Only province staff import statistics."))
    result = _plan_statistics(by, statistics_import.SHEET.read(upload))
    if dry_run or not result.report.is_clean:
        log_import("statistics", user=by, report=result.report, dry_run=dry_run)
        return result
    with transaction.atomic():
        batch = StatisticImport.objects.create(
            uploaded_by=by,
            file_name=getattr(upload, "name", "")[:255],
            created=result.report.created,
            updated=result.report.updated,
            unchanged=result.report.unchanged,
        )
        reason = _("Import #%(id)d: %(name)s") % {"id": batch.pk, "name": batch.file_name}
        for planned in result.rows:
            if planned.action == "unchanged":
                continue
            service_statistic_save(
                by=by,
                org_unit=planned.org_unit,
                month=planned.month,
                source=planned.source,
                reason=reason[:100],
                **planned.values,
            )
        result.batch = batch
    log_import("statistics", user=by, report=result.report, dry_run=False, batch_id=batch.pk)
    return result


def can_manage_statistics(user) -> bool:
    return not scope_for(user, Action.MANAGE).is_empty


def statistics_template_rows(*, by, month: datetime.date) -> list[list]:
    """One line per current unit the user manages (province first, then its communes), figures empty."""
    units = (
        scope_for(by, Action.MANAGE)
        .units()
        .current()
        .filter(kind__in=[OrgUnit.Kind.PROVINCE, OrgUnit.Kind.COMMUNE])
        .order_by("depth", "name")
    )
    return [[u.code, u.name, month.strftime("%m/%Y"), None, None, None, "tỉnh"] for u in units]


# --- Help sessions ---------------------------------------------------------------------------


def _int_or_none(value):
    return None if value in (None, "") else value


def _loaded_relations(instance) -> list[str]:
    """Foreign keys of ``instance`` set to an object read from the database (the form's team, the
    user): that it exists needs no second SELECT. A key with ``limit_choices_to`` is left to
    ``full_clean``, whose query checks the choice too; an unsaved or missing object as well."""
    names = []
    for model_field in instance._meta.concrete_fields:
        if not model_field.many_to_one or model_field.get_limit_choices_to():
            continue
        related = model_field.get_cached_value(instance, default=None)
        if related is None or related._state.adding:
            continue
        if getattr(related, model_field.target_field.attname) == getattr(instance, model_field.attname):
            names.append(model_field.name)
    return names


def _full_clean(instance: HelpSession | ServiceLine, *, exclude: Sequence[str]) -> None:
    """``full_clean()`` of a session or a line without the queries that repeat what is in hand.

    Skipped: the existence of related objects already read, and the check constraints, which
    Django validates with a savepoint and a SELECT each. Every check constraint of these two models
    is said again in Python with the field named (positive fields' validators, ``clean()``; one line
    per service in ``_validate_lines``), and a test holds each constraint to its Python twin; the
    database keeps them as the guarantee.
    """
    instance.full_clean(exclude=[*exclude, *_loaded_relations(instance)], validate_constraints=False)


def _validate_lines(lines: Sequence[dict]) -> list[ServiceLine]:
    """ServiceLine objects (unsaved) from dicts; errors keyed ``lines`` with the position of each bad line."""
    if not lines:
        raise ValidationError({"lines": _("Add at least one service with the number of citizens assisted.")})
    built, errors, seen = [], {}, set()
    for index, data in enumerate(lines):
        service = data.get("service")
        if not isinstance(service, Service):
            service = Service.objects.filter(pk=service, is_active=True).first() if service else None
        line = ServiceLine(service=service, **{k: _int_or_none(data.get(k)) for k in LINE_COUNT_FIELDS})
        if line.dossiers_online is None:
            line.dossiers_online = 0
        if line.successful is None:
            line.successful = 0
        try:
            if service is None:
                raise ValidationError({"service": _("Choose a service.")})
            if service.pk in seen:
                raise ValidationError({"service": _("This service is already listed in the session.")})
            seen.add(service.pk)
            _full_clean(line, exclude=["session"])
        except ValidationError as exc:
            errors[index] = exc.message_dict
        built.append(line)
    if errors:
        messages = []
        for index, line_errors in errors.items():
            label = built[index].service.name if built[index].service else str(index + 1)
            for field_messages in line_errors.values():
                messages.extend(f"{label}: {message}" for message in field_messages)
        exc = ValidationError({"lines": messages})
        exc.line_errors = errors  # position -> {field: [messages]}, for forms that highlight rows
        raise exc
    return built


def _check_volunteers(team: Team, day: datetime.date, volunteers: Iterable[Volunteer]) -> list[Volunteer]:
    chosen = list(volunteers)
    if not chosen:
        return []
    on_roster = set(
        Membership.objects.filter(team=team, volunteer__in=chosen, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .values_list("volunteer_id", flat=True)
    )
    outside = [v for v in chosen if v.pk not in on_roster]
    if outside:
        names = ", ".join(v.full_name for v in outside)
        raise ValidationError(
            {"volunteers": _("Not on the team's roster that day: %(names)s.") % {"names": names}}
        )
    return chosen


def duplicate_sessions(
    *, team: Team, org_unit: OrgUnit, location_kind: str, address: str, date, exclude_pk=None
):
    """Sessions already logged by the same team at the same place on the same day (to warn, not to
    refuse), earliest first: read in the order of the team's (team, date, start time) index, so the
    first few cost the same however busy the day was."""
    sessions = HelpSession.objects.filter(
        team=team, org_unit=org_unit, location_kind=location_kind, date=date
    ).filter(Q(address__iexact=address.strip()) | Q(address="") if address.strip() else Q())
    if exclude_pk:
        sessions = sessions.exclude(pk=exclude_pk)
    return sessions.order_by("start_time", "pk")


# How many same-day sessions the warning names: never the whole day's list (a busy desk logs dozens).
DUPLICATES_SHOWN = 5


@dataclass(frozen=True)
class DuplicateWarning:
    """ "This team already logged a session here today": a warning, not a refusal (the page asks to
    confirm, the API answers 201 with it). ``sessions`` names the first few, ``more`` if there are more."""

    sessions: list
    more: bool
    code: str = "same_day_duplicate"

    @property
    def message(self) -> str:
        return _("This team already logged a session at this place on this day.")


def help_session_duplicate_warning(
    *,
    team: Team,
    location_kind: str,
    date: datetime.date,
    org_unit: OrgUnit | None = None,
    address: str = "",
    idempotency_key=None,
    exclude_pk=None,
) -> DuplicateWarning | None:
    """The same-day duplicate warning for a session about to be logged (the page's form and the
    API alike); None when the team logged nothing at that place that day. A resubmission of the
    same session (its ``idempotency_key``) is not its own duplicate."""
    sessions = duplicate_sessions(
        team=team,
        org_unit=org_unit or team.org_unit,
        location_kind=location_kind,
        address=address or "",
        date=date,
        exclude_pk=exclude_pk,
    )
    if idempotency_key:
        sessions = sessions.exclude(idempotency_key=idempotency_key)
    found = list(sessions[: DUPLICATES_SHOWN + 1])
    if not found:
        return None
    return DuplicateWarning(sessions=found[:DUPLICATES_SHOWN], more=len(found) > DUPLICATES_SHOWN)


def _logged_before(user, idempotency_key) -> HelpSession | None:
    """The session a repeated key logged, if the user may log for its team (else PermissionDenied)."""
    if not idempotency_key:
        return None
    existing = (
        HelpSession.objects.filter(idempotency_key=idempotency_key).select_related("team__org_unit").first()
    )
    if existing is not None:
        require(user, Action.LOG, existing.team.org_unit)
    return existing


@transaction.atomic
def help_session_create(
    *,
    by,
    team: Team,
    location_kind: str,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    lines: Sequence[dict],
    org_unit: OrgUnit | None = None,
    address: str = "",
    volunteers: Iterable[Volunteer] = (),
    campaign: Campaign | None = None,
    notes: str = "",
    idempotency_key: uuid.UUID | str | None = None,
) -> HelpSession:
    """Log a session with its lines. A repeated ``idempotency_key`` returns the session already logged.

    Logged with Action.LOG on the team's unit; the place must be in the user's scope too.
    Raises ValidationError (field errors; ``lines`` holds one dict per line) or PermissionDenied.
    """
    # A repeated key is found by the unique index when the session is inserted (or, if the repeat
    # does not validate any more, before the errors are raised): no lookup before every new session.
    require(by, Action.LOG, team.org_unit)
    org_unit = org_unit or team.org_unit
    require(by, Action.LOG, org_unit)
    if team.status != Team.Status.ACTIVE:
        if (existing := _logged_before(by, idempotency_key)) is not None:
            return existing
        raise ValidationError({"team": _("This team is not active.")})
    try:
        month_lock_check(marks=[(org_unit.pk, date)])
    except ValidationError:
        if (existing := _logged_before(by, idempotency_key)) is not None:
            return existing  # a resend of a session logged before the month was approved
        raise
    session = HelpSession(
        team=team,
        org_unit=org_unit,
        location_kind=location_kind,
        address=address.strip(),
        date=date,
        start_time=start_time,
        end_time=end_time,
        campaign=campaign,
        notes=notes,
        created_by=by if getattr(by, "pk", None) else None,
    )
    if idempotency_key:
        session.idempotency_key = idempotency_key
    errors: dict = _campaign_errors(by, campaign)
    try:
        _full_clean(session, exclude=["idempotency_key"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if date and date > timezone.localdate():
        errors.setdefault("date", []).append(_("A session cannot be logged for a future date."))
    line_errors = {}
    try:
        built_lines = _validate_lines(lines)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        line_errors = getattr(exc, "line_errors", {})
        built_lines = []
    try:
        chosen = _check_volunteers(team, date, volunteers) if date else []
    except ValidationError as exc:
        errors.update(exc.message_dict)
        chosen = []
    if errors:
        if (existing := _logged_before(by, idempotency_key)) is not None:
            return existing
        exc = ValidationError(errors)
        exc.line_errors = line_errors
        raise exc
    _set_totals(session, built_lines, len(chosen))  # what help_session_totals_refresh would store
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        # The key was used before (a resubmit, or a concurrent submit that won the race): answer
        # with its session.
        existing = _logged_before(by, session.idempotency_key)
        if existing is None:
            raise
        return existing
    for line in built_lines:
        line.session = session
    bulk_create_with_history(built_lines, ServiceLine, default_user=by)  # keeps the history
    if chosen:  # add(), not set(): a new session has nobody to compare with (set() reads them first)
        session.volunteers.add(*chosen)
    mark_dirty(org_unit_id=org_unit.pk, day=date)
    return session


@transaction.atomic
def help_session_update(
    *, by, session: HelpSession, lines: Sequence[dict] | None = None, volunteers=None, **fields
) -> HelpSession:
    """Change a session; ``lines`` (if given) replaces all its lines. Marks the old and new unit/month dirty.

    Raises PermissionDenied outside the change window (``can_change_help_session``)."""
    help_session_require_change(by, session)
    old_unit_id, old_date, old_campaign_id = session.org_unit_id, session.date, session.campaign_id
    stored = HelpSession.objects.filter(pk=session.pk).values_list("org_unit_id", "date").get()
    for key in (*SESSION_FIELDS, "campaign", "org_unit", "team"):
        if key in fields:
            setattr(session, key, fields[key])
    month_lock_check(marks=[stored, (session.org_unit_id, session.date)])
    require(by, Action.LOG, session.org_unit)
    if "team" in fields:  # the admin may move a session to another team: one the user logs for
        require(by, Action.LOG, session.team.org_unit)
    errors: dict = {}
    if session.campaign_id != old_campaign_id:
        errors.update(_campaign_errors(by, session.campaign))
    try:
        _full_clean(session, exclude=["idempotency_key"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    built_lines = None
    if lines is not None:
        try:
            built_lines = _validate_lines(lines)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    chosen = None
    if volunteers is not None:
        try:
            chosen = _check_volunteers(session.team, session.date, volunteers)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    session.save()
    if built_lines is not None:
        session.lines.all().delete()
        for line in built_lines:
            line.session = session
        bulk_create_with_history(built_lines, ServiceLine, default_user=by)  # keeps the history
    if chosen is not None:
        session.volunteers.set(chosen)
    help_session_totals_refresh(session_ids=[session.pk])
    session.refresh_from_db(fields=TOTAL_FIELDS)
    mark_dirty_many([(old_unit_id, old_date), (session.org_unit_id, session.date)])
    return session


TOTAL_FIELDS = SESSION_TOTAL_FIELDS


def _set_totals(session: HelpSession, lines: Sequence[ServiceLine], present: int) -> None:
    """A new session's totals from the lines and volunteers in hand (no query); the same sums as
    ``help_session_totals_refresh`` (a test holds them equal)."""
    session.total_assisted = sum(line.citizens_assisted for line in lines)
    session.total_submitted_online = sum(line.dossiers_online for line in lines)
    session.total_successful = sum(line.successful for line in lines)
    session.total_vneid_activations = sum(
        line.citizens_assisted for line in lines if line.service.code == VNEID_ACTIVATION_SERVICE
    )
    session.volunteers_present = present
    start, end = session.start_time, session.end_time
    session.volunteer_minutes = (end.hour * 60 + end.minute - start.hour * 60 - start.minute) * present


def help_session_totals_refresh(*, session_ids: Iterable[int]) -> int:
    """Store each session's totals from its lines and volunteers present: the one writer of them.

    Called by every path that writes lines or who was present (the services, the admin, the demo
    and bench data); one UPDATE for any number of sessions. Returns the number of sessions.
    """
    ids = list(session_ids)
    if not ids:
        return 0
    lines = ServiceLine.objects.filter(session=OuterRef("pk")).order_by().values("session")
    present = (
        HelpSession.volunteers.through.objects.filter(helpsession=OuterRef("pk"))
        .order_by()
        .values("helpsession")
    )

    def total(expression):
        return Coalesce(Subquery(lines.annotate(t=expression).values("t"), output_field=IntegerField()), 0)

    sessions = HelpSession.objects.filter(pk__in=ids)
    updated = sessions.update(
        total_assisted=total(Sum("citizens_assisted")),
        total_submitted_online=total(Sum("dossiers_online")),
        total_successful=total(Sum("successful")),
        total_vneid_activations=total(
            Sum("citizens_assisted", filter=Q(service__code=VNEID_ACTIVATION_SERVICE))
        ),
        volunteers_present=Coalesce(
            Subquery(present.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
        ),
    )
    minutes = (ExtractHour("end_time") - ExtractHour("start_time")) * 60 + (
        ExtractMinute("end_time") - ExtractMinute("start_time")
    )
    sessions.update(volunteer_minutes=minutes * F("volunteers_present"))
    return updated


def help_session_totals_rebuild() -> None:
    """Every session's totals from its lines again, for bulk-loaded data: grouped UPDATEs on
    PostgreSQL (a national table in a minute or two), the per-session subqueries elsewhere."""
    if connection.vendor != "postgresql":
        help_session_totals_refresh(session_ids=HelpSession.objects.values_list("pk", flat=True))
        return
    session, line = HelpSession._meta.db_table, ServiceLine._meta.db_table
    present = HelpSession.volunteers.through._meta.db_table
    vneid = Service.objects.filter(code=VNEID_ACTIVATION_SERVICE).values_list("pk", flat=True).first() or -1
    with connection.cursor() as cursor:
        cursor.execute(  # table names from the models, every value a parameter
            f"""
            UPDATE {session} s SET total_assisted = l.assisted, total_submitted_online = l.online,
                   total_successful = l.successful, total_vneid_activations = l.vneid
            FROM (SELECT session_id, SUM(citizens_assisted) AS assisted, SUM(dossiers_online) AS online,
                         SUM(successful) AS successful,
                         SUM(CASE WHEN service_id = %s THEN citizens_assisted ELSE 0 END) AS vneid
                  FROM {line} GROUP BY session_id) l
            WHERE l.session_id = s.id
            """,  # noqa: S608
            [vneid],
        )
        cursor.execute(
            f"""
            UPDATE {session} s SET volunteers_present = p.n,
                   volunteer_minutes = (date_part('epoch', s.end_time - s.start_time) / 60)::integer * p.n
            FROM (SELECT helpsession_id, COUNT(*) AS n FROM {present} GROUP BY helpsession_id) p
            WHERE p.helpsession_id = s.id
            """  # noqa: S608
        )


@transaction.atomic
def help_session_delete(*, by, session: HelpSession) -> None:
    """Delete a session with its lines (its history keeps a "deleted" record naming the user)."""
    help_session_require_change(by, session)
    month_lock_check(marks=HelpSession.objects.filter(pk=session.pk).values_list("org_unit_id", "date"))
    session._change_reason = "deleted"
    unit_id, day = session.org_unit_id, session.date
    session.delete()
    mark_dirty(org_unit_id=unit_id, day=day)


@transaction.atomic
def help_sessions_bulk_create(*, by, items: Sequence[dict]) -> list[HelpSession]:
    """All or nothing: every item is validated; any error rolls the whole batch back.

    Raises ValidationError whose ``message_dict`` has one entry per failing item (``"3": {...}``).
    """
    created, errors = [], {}
    for index, item in enumerate(items):
        try:
            with transaction.atomic():
                created.append(help_session_create(by=by, **item))
        except ValidationError as exc:
            errors[str(index)] = (
                exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            )
        except PermissionDenied as exc:
            errors[str(index)] = {"team": [str(exc)]}
    if errors:
        raise BulkValidationError(errors)
    return created


class BulkValidationError(ValidationError):
    """Per-item errors of a rejected batch: ``errors`` maps the item's position to its field errors."""

    def __init__(self, errors: dict):
        self.item_errors = errors
        super().__init__(_("The batch was rejected: nothing was saved."))


# --- Follow-up contacts (privacy) -----------------------------------------------------------


@transaction.atomic
def follow_up_contact_add(
    *,
    by,
    session: HelpSession,
    name: str,
    phone: str,
    consent_given: bool,
    purpose: str,
    purge_on: datetime.date | None = None,
) -> FollowUpContact:
    """Keep a citizen's name and phone for a call-back, only with their consent and until ``purge_on``."""
    require(by, Action.LOG, session.team.org_unit)
    if not consent_given:
        raise ValidationError(
            {"consent_given": _("Record the citizen's consent before keeping their contact.")}
        )
    today = timezone.localdate()
    latest = today + datetime.timedelta(days=CONTACT_MAX_DAYS)
    purge_on = purge_on or today + datetime.timedelta(days=30)
    if purge_on > latest:
        raise ValidationError(
            {"purge_on": _("Contacts may be kept for %(days)d days at most.") % {"days": CONTACT_MAX_DAYS}}
        )
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not 9 <= len(digits) <= 11:
        raise ValidationError({"phone": _("Enter a phone number of 10 digits, e.g. 0912 345 678.")})
    contact = FollowUpContact(
        session=session,
        name=name.strip(),
        phone=digits,
        purpose=purpose.strip(),
        purge_on=purge_on,
        consent_recorded_at=timezone.now(),
        consent_recorded_by=by if getattr(by, "pk", None) else None,
    )
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def follow_up_contacts_purge(*, today: datetime.date | None = None) -> int:
    """Erase every contact past its purge date; the sessions and their counts stay. Returns how many."""
    today = today or timezone.localdate()
    expired = FollowUpContact.objects.filter(purge_on__lt=today)
    session_ids = list(expired.values_list("session_id", flat=True).distinct())
    deleted, _detail = expired.delete()
    HelpSession.objects.filter(pk__in=session_ids).update(contacts_purged_at=timezone.now())
    return deleted
