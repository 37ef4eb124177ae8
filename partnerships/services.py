"""Every write to partners and agreements: pages, API, admin, demo and tasks call these.

Each service is atomic and validates with ``full_clean()`` before saving, so a failure anywhere
(a bad objective, a missing party) leaves the database as it was. Permission checks happen here
too when a ``user`` is given; tasks and the demo pass ``user=None``.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Action, can, require
from accounts.choices import choices_for
from accounts.models import Role, RoleAssignment
from core.text import fold
from org.models import OrgUnit
from partnerships.models import (
    Agreement,
    AgreementAttendee,
    AgreementParty,
    Commitment,
    Indicator,
    Objective,
    Partner,
    ReminderSent,
    Target,
)

Status = Agreement.Status

# The state machine: from each status, where a person or the daily task may move an agreement.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SIGNED, Status.TERMINATED}),
    Status.SIGNED: frozenset({Status.ACTIVE, Status.ENDED, Status.TERMINATED}),
    Status.ACTIVE: frozenset({Status.SUSPENDED, Status.ENDED, Status.TERMINATED}),
    Status.SUSPENDED: frozenset({Status.ACTIVE, Status.ENDED, Status.TERMINATED}),
    Status.ENDED: frozenset(),
    Status.TERMINATED: frozenset(),
}
REMINDER_DAYS = (7, 30, 90)  # before a phase ends; the tightest one that applies is sent

AGREEMENT_FIELDS = (
    "code",
    "title",
    "kind",
    "signed_on",
    "signed_place",
    "start_date",
    "end_date",
    "summary",
    "legal_references",
    "follows",
    "is_illustrative",
)


# --- Inputs ---------------------------------------------------------------------------------


@dataclass
class PartyInput:
    org_unit: OrgUnit | None = None
    partner: Partner | None = None
    role: str = AgreementParty.Role.SIGNATORY
    signatory_name: str = ""
    signatory_title: str = ""
    id: int | None = None


@dataclass
class AttendeeInput:
    """A witness or attendee of the signing; ``organisation`` is required, the name may be unknown."""

    organisation: str
    name: str = ""
    title: str = ""
    role: str = AgreementAttendee.Role.ATTENDEE


@dataclass
class CommitmentInput:
    text: str
    party_number: int | None = None  # 1-based position in the agreement's parties
    owner: str = ""
    due_date: datetime.date | None = None
    recurrence: str = Commitment.Recurrence.ONCE
    id: int | None = None


@dataclass
class TargetInput:
    indicator: Indicator
    org_unit: OrgUnit
    target_value: Decimal
    deadline: datetime.date
    baseline: Decimal | None = None
    direction: str | None = None  # None: the indicator's own
    responsible_partner: Partner | None = None  # a partner or department committed to it
    id: int | None = None


@dataclass
class ObjectiveInput:
    number: int
    text: str
    area: str
    commitments: list[CommitmentInput] = field(default_factory=list)
    targets: list[TargetInput] = field(default_factory=list)
    id: int | None = None


# --- Permissions ----------------------------------------------------------------------------


def agreement_union_units(agreement: Agreement) -> list[OrgUnit]:
    return [p.org_unit for p in agreement.parties.all() if p.org_unit_id]


def agreement_can_manage(user, agreement: Agreement) -> bool:
    """Editing needs MANAGE on one of the agreement's union parties."""
    return any(can(user, Action.MANAGE, unit) for unit in agreement_union_units(agreement))


def _require_manage(by, agreement: Agreement) -> None:
    """Changing an agreement needs MANAGE on one of its union parties."""
    message = _("You can only change agreements of the units you manage.")
    require(by, Action.MANAGE, *agreement_union_units(agreement), any_of=True, message=message)


def _require_parties_manageable(by, parties: list[PartyInput]) -> None:
    units = [p.org_unit for p in parties if p.org_unit is not None]
    message = _("At least one union party must be a unit you manage.")
    require(by, Action.MANAGE, *units, any_of=True, message=message)


# --- Partners -------------------------------------------------------------------------------


def _partner_save(partner: Partner) -> Partner:
    partner.search_name = fold(f"{partner.name} {partner.short_name}")
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def partner_create(
    *, by, name: str, kind: str, short_name: str = "", parent: Partner | None = None
) -> Partner:
    require(by, Action.MANAGE, message=_("Only province staff and administrators can add partners."))
    return _partner_save(Partner(name=name, kind=kind, short_name=short_name, parent=parent))


@transaction.atomic
def partner_update(*, by, partner: Partner, **changes) -> Partner:
    require(by, Action.MANAGE, message=_("Only province staff and administrators can change partners."))
    allowed = {"name", "kind", "short_name", "parent"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"unknown partner fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(partner, name, value)
    if partner.parent_id and partner.parent_id == partner.pk:
        raise ValidationError({"parent": _("A partner cannot be its own parent.")})
    return _partner_save(partner)


# --- Agreements -----------------------------------------------------------------------------


def _validate_parties(parties: list[PartyInput]) -> None:
    errors = []
    if len(parties) < 2:
        errors.append(_("An agreement needs at least two parties."))
    for number, party in enumerate(parties, start=1):
        if (party.org_unit is None) == (party.partner is None):
            errors.append(
                _("Party %(number)d: choose either a union unit or a partner.") % {"number": number}
            )
    if not any(p.org_unit is not None for p in parties):
        errors.append(_("At least one party must be a unit of the union."))
    units = [p.org_unit.pk for p in parties if p.org_unit is not None]
    partners = [p.partner.pk for p in parties if p.partner is not None]
    if len(units) != len(set(units)) or len(partners) != len(set(partners)):
        errors.append(_("The same party is listed twice."))
    if errors:
        raise ValidationError({"parties": errors})


def _refresh_search_text(agreement: Agreement) -> None:
    names = " ".join(p.name for p in agreement.parties.select_related("org_unit", "partner"))
    short_names = " ".join(
        p.partner.short_name for p in agreement.parties.select_related("partner") if p.partner_id
    )
    agreement.search_text = fold(
        " ".join([agreement.code, agreement.title, agreement.summary, names, short_names])
    )
    Agreement.objects.filter(pk=agreement.pk).update(search_text=agreement.search_text)


def _sync_parties(agreement: Agreement, parties: list[PartyInput]) -> list[AgreementParty]:
    existing = {p.pk: p for p in agreement.parties.all()}
    kept_ids = {p.id for p in parties if p.id}
    unknown = kept_ids - set(existing)
    if unknown:
        raise ValidationError({"parties": _("A party does not belong to this agreement.")})
    for pk, party in existing.items():
        if pk not in kept_ids:
            party.delete()
    result = []
    for position, data in enumerate(parties, start=1):
        party = existing.get(data.id) if data.id else AgreementParty(agreement=agreement)
        party.position = position
        party.org_unit = data.org_unit
        party.partner = data.partner
        party.role = data.role
        party.signatory_name = data.signatory_name
        party.signatory_title = data.signatory_title
        result.append(party)
    for party in result:
        party.full_clean(exclude=["agreement"])
        party.save()
    return result


def _sync_attendees(agreement: Agreement, attendees: list[AttendeeInput]) -> None:
    """Replace the witnesses and attendees with ``attendees``, in order (a short list: rewritten whole)."""
    rows = [
        AgreementAttendee(
            agreement=agreement,
            position=position,
            role=data.role,
            name=data.name.strip(),
            title=data.title.strip(),
            organisation=data.organisation.strip(),
        )
        for position, data in enumerate(attendees, start=1)
    ]
    errors = {}
    for position, row in enumerate(rows, start=1):
        try:
            row.full_clean(exclude=["agreement"], validate_unique=False)
        except ValidationError as error:
            errors[f"attendees-{position}"] = [
                _("Witness or attendee %(number)d: %(errors)s")
                % {"number": position, "errors": " ".join(error.messages)}
            ]
    if errors:
        raise ValidationError(errors)
    agreement.attendees.all().delete()
    AgreementAttendee.objects.bulk_create(rows)


def _sync_objectives(
    agreement: Agreement, objectives: list[ObjectiveInput], parties: list[AgreementParty], user=None
) -> None:
    errors: dict[str, list[str]] = {}
    numbers = [o.number for o in objectives]
    if len(numbers) != len(set(numbers)):
        errors.setdefault("objectives", []).append(_("Two objectives have the same number."))
    for objective in objectives:
        for commitment in objective.commitments:
            if commitment.party_number is not None and not 1 <= commitment.party_number <= len(parties):
                errors.setdefault("commitments", []).append(
                    _("Objective %(objective)d: there is no party number %(party)d.")
                    % {"objective": objective.number, "party": commitment.party_number}
                )
    if errors:
        raise ValidationError(errors)

    existing = {o.pk: o for o in agreement.objectives.all()}
    kept = {o.id for o in objectives if o.id}
    if kept - set(existing):
        raise ValidationError({"objectives": _("An objective does not belong to this agreement.")})
    for pk, objective in existing.items():
        if pk not in kept:
            objective.delete()
    # Numbers are unique per agreement: park the kept ones out of the way before renumbering.
    Objective.objects.filter(pk__in=kept).update(number=F("pk") + 10_000)
    for data in objectives:
        objective = existing.get(data.id) if data.id else Objective(agreement=agreement)
        objective.number = data.number
        objective.text = data.text
        objective.area = data.area
        objective.full_clean(exclude=["agreement"], validate_unique=False)
        objective.save()
        _sync_commitments(objective, data.commitments, parties)
        _sync_targets(objective, data.targets, user)


def _sync_commitments(objective: Objective, items: list[CommitmentInput], parties) -> None:
    existing = {c.pk: c for c in Commitment.objects.filter(objective__agreement=objective.agreement)}
    mine = {pk for pk, c in existing.items() if c.objective_id == objective.pk}
    kept = {c.id for c in items if c.id}
    if kept - set(existing):
        raise ValidationError({"commitments": _("A commitment does not belong to this agreement.")})
    Commitment.objects.filter(pk__in=mine - kept).delete()
    today = timezone.localdate()
    for data in items:
        commitment = existing.get(data.id) if data.id else Commitment()
        commitment.objective = objective
        commitment.text = data.text
        commitment.party = parties[data.party_number - 1] if data.party_number else None
        commitment.owner = data.owner
        commitment.due_date = data.due_date
        commitment.recurrence = data.recurrence
        if commitment.status == Commitment.Status.OVERDUE and (
            commitment.due_date is None or commitment.due_date >= today
        ):
            commitment.status = Commitment.Status.OPEN  # a new due date lifts "overdue"
        commitment.full_clean()
        commitment.save()


def _target_unchanged(target: Target | None, data: TargetInput) -> bool:
    if target is None:
        return False
    return (
        target.indicator_id,
        target.org_unit_id,
        target.target_value,
        target.baseline,
        target.deadline,
        target.responsible_partner_id,
    ) == (
        data.indicator.pk,
        data.org_unit.pk,
        data.target_value,
        data.baseline,
        data.deadline,
        data.responsible_partner.pk if data.responsible_partner else None,
    ) and target.direction == (data.direction or data.indicator.direction)


def _check_target_units(user, objective: Objective, items: list[TargetInput], existing, removed) -> None:
    """A target sits on a unit's dashboard: only someone who manages that unit sets, changes or removes
    it. Naming another province's union as a party gives no rights there (only administrators, whose
    scope is everything, set targets outside their own); another's target is kept as it is."""
    if user is None:
        return
    errors = []
    for data in items:
        if not can(user, Action.MANAGE, data.org_unit) and not _target_unchanged(existing.get(data.id), data):
            errors.append(
                _(
                    "Objective %(objective)d: %(unit)s is not a unit you manage; only its own staff or an "
                    "administrator set targets there."
                )
                % {"objective": objective.number, "unit": data.org_unit.name}
            )
    for target in removed:
        if not can(user, Action.MANAGE, target.org_unit):
            errors.append(
                _("Objective %(objective)d: the target of %(unit)s can only be removed by its own staff.")
                % {"objective": objective.number, "unit": target.org_unit.name}
            )
    if errors:
        raise ValidationError({"targets": errors})


def _sync_targets(objective: Objective, items: list[TargetInput], user=None) -> None:
    existing = {
        t.pk: t
        for t in Target.objects.filter(objective__agreement=objective.agreement).select_related("org_unit")
    }
    mine = {pk for pk, t in existing.items() if t.objective_id == objective.pk}
    kept = {t.id for t in items if t.id}
    if kept - set(existing):
        raise ValidationError({"targets": _("A target does not belong to this agreement.")})
    _check_target_units(user, objective, items, existing, [existing[pk] for pk in mine - kept])
    Target.objects.filter(pk__in=mine - kept).delete()
    for data in items:
        target = existing.get(data.id) if data.id else Target()
        target.objective = objective
        target.indicator = data.indicator
        target.org_unit = data.org_unit
        target.baseline = data.baseline
        target.target_value = data.target_value
        target.deadline = data.deadline
        target.responsible_partner = data.responsible_partner
        target.direction = data.direction or data.indicator.direction
        target.full_clean()
        target.save()


def _apply_fields(agreement: Agreement, fields: dict) -> None:
    unknown = set(fields) - set(AGREEMENT_FIELDS) - {"document"}
    if unknown:
        raise ValueError(f"unknown agreement fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name == "document" and value is None:
            continue  # None keeps the current file; pass False to remove it
        setattr(agreement, name, value)
    if agreement.follows_id and agreement.pk and agreement.follows_id == agreement.pk:
        raise ValidationError({"follows": _("An agreement cannot follow itself.")})


def _check_follows(user, agreement: Agreement, before: int | None = None) -> None:
    """The agreement renewed must be one the user sees (the same rows the API and forms offer)."""
    if user is None or not agreement.follows_id or agreement.follows_id == before:
        return
    if not choices_for(user, Agreement, Action.VIEW).filter(pk=agreement.follows_id).exists():
        raise ValidationError({"follows": _("Choose an agreement you can see.")})


@transaction.atomic
def agreement_create(
    *,
    by,
    parties: list[PartyInput],
    objectives: list[ObjectiveInput] | None = None,
    attendees: list[AttendeeInput] | None = None,
    **fields,
) -> Agreement:
    """Create a draft agreement with its parties, objectives, commitments and targets.

    Raises ValidationError (nothing saved) or PermissionDenied when ``user`` manages none of the
    union parties.
    """
    _validate_parties(parties)
    _require_parties_manageable(by, parties)
    agreement = Agreement(created_by=by if by is not None and by.is_authenticated else None)
    _apply_fields(agreement, fields)
    _check_follows(by, agreement)
    agreement.full_clean()
    agreement.save()
    saved_parties = _sync_parties(agreement, parties)
    _sync_objectives(agreement, objectives or [], saved_parties, by)
    if attendees:
        _sync_attendees(agreement, attendees)
    _refresh_search_text(agreement)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    by,
    agreement: Agreement,
    parties: list[PartyInput] | None = None,
    objectives: list[ObjectiveInput] | None = None,
    attendees: list[AttendeeInput] | None = None,
    **fields,
) -> Agreement:
    """Change an agreement; ``parties``/``objectives``/``attendees`` given replace the lists (parties and
    objectives with an id are kept)."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _require_manage(by, agreement)
    if parties is not None:
        _validate_parties(parties)
        _require_parties_manageable(by, parties)
    follows_before = agreement.follows_id
    _apply_fields(agreement, fields)
    _check_follows(by, agreement, follows_before)
    agreement.full_clean()
    agreement.save()
    saved_parties = (
        _sync_parties(agreement, parties) if parties is not None else list(agreement.parties.all())
    )
    if objectives is not None:
        _sync_objectives(agreement, objectives, saved_parties, by)
    if attendees is not None:
        _sync_attendees(agreement, attendees)
    _refresh_search_text(agreement)
    return agreement


@transaction.atomic
def agreement_transition(*, by, agreement: Agreement, to: str, on: datetime.date | None = None) -> Agreement:
    """Move an agreement to status ``to`` if the state machine and the dates allow it.

    ``on`` is the day it happens (today by default). After signing, the dates decide at once
    whether the agreement is already active or even ended (an old agreement entered late).
    """
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _require_manage(by, agreement)
    today = on or timezone.localdate()
    current = agreement.status
    if to not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if to not in TRANSITIONS[current]:
        raise ValidationError(
            {
                "status": _("An agreement that is %(current)s cannot become %(to)s.")
                % {"current": Status(current).label.lower(), "to": Status(to).label.lower()}
            }
        )
    if to == Status.ACTIVE and not agreement.start_date <= today <= agreement.end_date:
        raise ValidationError({"status": _("An agreement can only be active during its phase.")})
    if to == Status.ENDED and today <= agreement.end_date:
        raise ValidationError(
            {"status": _("The phase has not ended yet; terminate the agreement to stop it early.")}
        )
    agreement.status = to
    agreement.save(update_fields=["status", "updated_at"])
    if to == Status.SIGNED:
        _follow_dates(agreement, today)
    _close_commitments(agreement)
    return agreement


def _close_commitments(agreement: Agreement) -> None:
    """An agreement that ended or was terminated closes its commitments: those not done by then are
    recorded as not done (no longer open or overdue, and no more reminders about them)."""
    if agreement.status not in (Status.ENDED, Status.TERMINATED):
        return
    unfinished = Commitment.objects.filter(
        objective__agreement=agreement, status__in=[Commitment.Status.OPEN, Commitment.Status.OVERDUE]
    )
    for commitment in unfinished:
        commitment.status = Commitment.Status.NOT_DONE
        commitment.save(update_fields=["status"])  # save(), not update(): the history records it


def agreement_allowed_transitions(agreement: Agreement, today: datetime.date | None = None) -> list[str]:
    """The statuses a person could move the agreement to today (the machine and the dates agree)."""
    today = today or timezone.localdate()
    allowed = []
    for status in TRANSITIONS[agreement.status]:
        if status == Status.ACTIVE and not agreement.start_date <= today <= agreement.end_date:
            continue
        if status == Status.ENDED and today <= agreement.end_date:
            continue
        allowed.append(status)
    return allowed


def agreement_sign(*, by, agreement: Agreement, on: datetime.date | None = None) -> Agreement:
    return agreement_transition(by=by, agreement=agreement, to=Status.SIGNED, on=on)


def _date_status(agreement: Agreement, today: datetime.date) -> str | None:
    """The status the dates call for, or None when they call for no change."""
    if agreement.status in (Status.SIGNED, Status.ACTIVE, Status.SUSPENDED) and agreement.end_date < today:
        return Status.ENDED
    if agreement.status == Status.SIGNED and agreement.start_date <= today:
        return Status.ACTIVE
    return None


def _follow_dates(agreement: Agreement, today: datetime.date) -> None:
    target = _date_status(agreement, today)
    if target is not None:
        agreement.status = target
        agreement.save(update_fields=["status", "updated_at"])
        _close_commitments(agreement)


@transaction.atomic
def agreements_follow_dates(*, today: datetime.date | None = None) -> int:
    """The daily run: signed → active when the phase starts, → ended when it is over. Idempotent."""
    today = today or timezone.localdate()
    changed = 0
    candidates = Agreement.objects.select_for_update(skip_locked=True).filter(
        status__in=[Status.SIGNED, Status.ACTIVE, Status.SUSPENDED]
    )
    for agreement in candidates:
        before = agreement.status
        _follow_dates(agreement, today)
        changed += agreement.status != before
    return changed


# --- Commitments ----------------------------------------------------------------------------


@transaction.atomic
def commitment_set_done(*, by, commitment: Commitment, done: bool = True) -> Commitment:
    commitment = (
        Commitment.objects.select_for_update().select_related("objective__agreement").get(pk=commitment.pk)
    )
    _require_manage(by, commitment.objective.agreement)
    today = timezone.localdate()
    if done:
        commitment.status = Commitment.Status.DONE
    elif commitment.objective.agreement.is_closed:
        commitment.status = Commitment.Status.NOT_DONE  # reopened after the end: it was not done
    elif commitment.due_date and commitment.due_date < today:
        commitment.status = Commitment.Status.OVERDUE
    else:
        commitment.status = Commitment.Status.OPEN
    commitment.save(update_fields=["status"])
    return commitment


@transaction.atomic
def commitments_mark_overdue(*, today: datetime.date | None = None) -> list[int]:
    """Open commitments past their due date become overdue; returns their ids."""
    today = today or timezone.localdate()
    late = Commitment.objects.filter(
        status=Commitment.Status.OPEN,
        due_date__lt=today,
        objective__agreement__status__in=[Status.SIGNED, Status.ACTIVE, Status.SUSPENDED],
    )
    ids = list(late.values_list("pk", flat=True))
    for commitment in Commitment.objects.filter(pk__in=ids):
        commitment.status = Commitment.Status.OVERDUE
        commitment.save(update_fields=["status"])  # save(), not update(): the history records it
    return ids


# --- Reminders ------------------------------------------------------------------------------


def _province_code(unit: OrgUnit) -> str:
    codes = [c for c in unit.path.split("/") if c]
    return codes[1] if len(codes) > 1 else codes[0]


def reminder_recipients(agreement: Agreement) -> list:
    """Province staff of each union party's province; for a dissolved one, its successor's staff."""
    pending = {_province_code(u) for u in agreement_union_units(agreement)}
    provinces: set[int] = set()
    visited: set[str] = set()
    while pending:  # follow merges (Bến Tre → Vĩnh Long) to the unit that exists today
        visited |= pending
        next_codes = set()
        for unit in OrgUnit.objects.filter(code__in=pending).select_related("successor"):
            if unit.successor_id and _province_code(unit.successor) not in visited:
                next_codes.add(_province_code(unit.successor))
            else:
                provinces.add(unit.pk)
        pending = next_codes
    assignments = (
        RoleAssignment.objects.filter(
            role=Role.PROVINCE_STAFF, org_unit_id__in=provinces, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    return list({a.user_id: a.user for a in assignments}.values())


def _send_once(*, key: str, agreement: Agreement, recipients, subject: str, body: str) -> int:
    sent = 0
    for user in recipients:
        try:
            # The row and the mail succeed together; a second run hits the unique key and skips.
            with transaction.atomic():
                ReminderSent.objects.create(key=key, recipient=user, agreement=agreement)
                send_mail(subject, body, None, [user.email])
        except IntegrityError:
            continue
        sent += 1
    return sent


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Mail phase-end reminders (90/30/7 days) and overdue commitments, each once per recipient."""
    from django.urls import reverse

    today = today or timezone.localdate()
    sent = 0
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    ending = Agreement.objects.filter(
        status__in=[Status.SIGNED, Status.ACTIVE, Status.SUSPENDED],
        end_date__gte=today,
        end_date__lte=horizon,
    ).prefetch_related("parties__org_unit")
    for agreement in ending:
        days_left = (agreement.end_date - today).days
        threshold = min(d for d in REMINDER_DAYS if days_left <= d)
        key = f"phase-end:{agreement.pk}:{agreement.end_date:%Y%m%d}:{threshold}"
        subject = _("Agreement “%(title)s” ends in %(days)d days") % {
            "title": agreement.title[:120],
            "days": days_left,
        }
        body = _(
            "The phase of the agreement “%(title)s” ends on %(end)s (%(days)d days from now).\n"
            "Review its commitments and targets, and prepare the renewal if one is planned.\n%(url)s"
        ) % {
            "title": agreement.title,
            "end": agreement.end_date.strftime("%d/%m/%Y"),
            "days": days_left,
            "url": reverse("partnerships:agreement_detail", args=[agreement.pk]),
        }
        sent += _send_once(
            key=key,
            agreement=agreement,
            recipients=reminder_recipients(agreement),
            subject=subject,
            body=body,
        )
    overdue = Commitment.objects.filter(status=Commitment.Status.OVERDUE).select_related(
        "objective__agreement"
    )
    for commitment in overdue:
        agreement = commitment.objective.agreement
        key = f"overdue:{commitment.pk}:{commitment.due_date:%Y%m%d}"
        subject = _("Overdue commitment in “%(title)s”") % {"title": agreement.title[:120]}
        body = _("The commitment “%(text)s” was due on %(due)s and is not done.\n%(url)s") % {
            "text": commitment.text,
            "due": commitment.due_date.strftime("%d/%m/%Y") if commitment.due_date else "—",
            "url": reverse("partnerships:agreement_detail", args=[agreement.pk]),
        }
        sent += _send_once(
            key=key,
            agreement=agreement,
            recipients=reminder_recipients(agreement),
            subject=subject,
            body=body,
        )
    return sent
