"""Every write of the monthly sign-off, and the one lock check every figure-writing service calls.

submit (the unit's leader, log scope) → approve or return with a reason (province staff, manage
scope), or withdraw (the leader, to correct it) → an approved month stays locked until staff unlock
it with a reason. From submission to a return, a withdrawal or an unlock the month's figures are
locked. Each step is one ``SignoffEvent``; the ``MonthSignoff`` row holds the current state.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.access import Action, require
from accounts.selectors import approvers_of, leaders_of
from notifications.services import notifications_settle, notify
from org.models import OrgUnit
from signoff.models import MonthSignoff, SignoffEvent, SignoffStatus
from signoff.selectors import locked_message, locked_signoff

# The code a refused write carries (API clients and tests can tell a lock from other errors).
MONTH_LOCKED = "month_locked"


def _record(
    signoff: MonthSignoff, *, by, action: str, reason: str = "", note: str = "", at: datetime.datetime
) -> SignoffEvent:
    event = SignoffEvent(signoff=signoff, action=action, by=by, at=at, reason=reason, note=note)
    event.full_clean()
    event.save()
    return event


def _decision_message(signoff: MonthSignoff, action: str, reason: str) -> tuple[str, str]:
    """Subject and body of the news of a decision, in Vietnamese (what leaders read the portal in)."""
    values = {"month": f"{signoff.month:%m/%Y}", "unit": signoff.org_unit.name, "reason": reason.rstrip(" .")}
    with override("vi"):
        if action == SignoffStatus.APPROVED:
            subject = _("Month %(month)s of %(unit)s has been approved") % values
            body = _("Its figures are locked. Staff can unlock the month if a correction is needed.")
        elif action == SignoffStatus.RETURNED:
            subject = _("Month %(month)s of %(unit)s was returned") % values
            body = _("Reason: %(reason)s. Correct the figures, then submit the month again.") % values
        else:
            subject = _("Month %(month)s of %(unit)s was unlocked for corrections") % values
            body = _("Reason: %(reason)s. Submit the month again once it is corrected.") % values
    return subject, body


def _tell_the_approvers(signoff: MonthSignoff, event: SignoffEvent, *, by) -> None:
    """The province staff who approve the unit's months hear that one is waiting (bell and e-mail)."""
    people = [user for user in approvers_of(unit=signoff.org_unit) if user.pk != getattr(by, "pk", None)]
    if not people:
        return
    values = {"month": f"{signoff.month:%m/%Y}", "unit": signoff.org_unit.name, "note": signoff.note}
    with override("vi"):
        subject = _("%(unit)s has submitted month %(month)s for approval") % values
        body = _("Open the unit's months to approve it or return it with a reason.")
        if signoff.note:
            body = _("Note from the unit: %(note)s") % values + "\n" + body
    _send(signoff, event, users=people, subject=subject, body=body, by=by)


def _tell_the_unit(signoff: MonthSignoff, event: SignoffEvent, *, by) -> None:
    """The unit's leaders, and whoever submitted the month, hear of the decision (bell and e-mail)."""
    people = {user.pk: user for user in leaders_of(units=[signoff.org_unit]).get(signoff.org_unit_id, [])}
    if signoff.submitted_by is not None and signoff.submitted_by.is_active:
        people.setdefault(signoff.submitted_by_id, signoff.submitted_by)
    people.pop(getattr(by, "pk", None), None)  # not the person who decided
    if not people:
        return
    subject, body = _decision_message(signoff, event.action, event.reason)
    _send(signoff, event, users=people.values(), subject=subject, body=body, by=by)


def _send(signoff: MonthSignoff, event: SignoffEvent, *, users, subject: str, body: str, by) -> None:
    """One step's news, once per person (its key is the event), linking to the unit's months."""
    notify(
        users=users,
        key=_event_key(event.pk),
        subject=subject,
        body=body,
        url=reverse("signoff:unit_months", args=[signoff.org_unit_id]),
        requested_by=by,
        org_unit=signoff.org_unit,
    )


def _event_key(event_pk: int) -> str:
    return f"signoff:event:{event_pk}"


def _reason_or_error(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Give the reason: the unit sees it.")})
    return reason


def _locked_for_update(signoff: MonthSignoff) -> MonthSignoff:
    # Two staff deciding at once: the second sees the first one's status, not a stale copy.
    return MonthSignoff.objects.select_for_update().select_related("org_unit").get(pk=signoff.pk)


@transaction.atomic
def month_submit(*, by, org_unit: OrgUnit, month: datetime.date, note: str = "") -> MonthSignoff:
    """The unit's leader sends a finished month for approval (again, after a return or an unlock).

    Raises PermissionDenied outside the user's log scope, ValidationError for a month that has not
    ended or one already submitted or approved."""
    require(by, Action.LOG, org_unit)
    month = month.replace(day=1)
    now = timezone.now()
    if month >= timezone.localdate(now).replace(day=1):
        raise ValidationError({"month": _("Only a month that has ended can be submitted.")})
    signoff = MonthSignoff.objects.select_for_update().filter(org_unit=org_unit, month=month).first()
    if signoff is not None and signoff.status in (SignoffStatus.SUBMITTED, SignoffStatus.APPROVED):
        raise ValidationError(
            _("%(month)s has already been %(status)s.")
            % {"month": f"{month:%m/%Y}", "status": signoff.get_status_display().lower()}
        )
    if signoff is None:
        signoff = MonthSignoff(org_unit=org_unit, month=month)
    signoff.status = SignoffStatus.SUBMITTED
    signoff.submitted_at, signoff.submitted_by = now, by
    signoff.decided_at = signoff.decided_by = None
    signoff.note, signoff.reason = (note or "").strip(), ""
    signoff.full_clean()
    signoff.save()
    event = _record(signoff, by=by, action=SignoffStatus.SUBMITTED, note=signoff.note, at=now)
    _tell_the_approvers(signoff, event, by=by)
    return signoff


def _decide(*, by, signoff: MonthSignoff, expected: str, action: str, reason: str = "") -> MonthSignoff:
    require(by, Action.MANAGE, signoff.org_unit)
    return _step(by=by, signoff=signoff, expected=expected, action=action, reason=reason)


def _step(*, by, signoff: MonthSignoff, expected: str, action: str, reason: str = "") -> MonthSignoff:
    signoff = _locked_for_update(signoff)
    if signoff.status != expected:
        raise ValidationError(
            _("%(month)s of %(unit)s is %(status)s: it cannot be changed that way.")
            % {
                "month": f"{signoff.month:%m/%Y}",
                "unit": signoff.org_unit.name,
                "status": signoff.get_status_display().lower(),
            }
        )
    now = timezone.now()
    signoff.status, signoff.decided_at, signoff.decided_by, signoff.reason = action, now, by, reason
    signoff.full_clean()
    signoff._change_reason = reason[:100] if reason else action
    signoff.save()
    event = _record(signoff, by=by, action=action, reason=reason, at=now)
    if action != SignoffStatus.WITHDRAWN:  # the unit withdrew it itself: nobody to tell
        _tell_the_unit(signoff, event, by=by)
    if expected == SignoffStatus.APPROVED:  # unlocked: "approved" is no longer the month's news
        approved = signoff.events.filter(action=SignoffStatus.APPROVED).values_list("pk", flat=True)
        notifications_settle(keys=[_event_key(pk) for pk in approved])
    if expected == SignoffStatus.SUBMITTED:  # decided: "waiting for approval" is no longer news
        submitted = signoff.events.filter(action=SignoffStatus.SUBMITTED).values_list("pk", flat=True)
        notifications_settle(keys=[_event_key(pk) for pk in submitted])
    return signoff


@transaction.atomic
def month_approve(*, by, signoff: MonthSignoff) -> MonthSignoff:
    """Province staff approve a submitted month: from now on its figures are locked."""
    return _decide(by=by, signoff=signoff, expected=SignoffStatus.SUBMITTED, action=SignoffStatus.APPROVED)


@transaction.atomic
def month_return(*, by, signoff: MonthSignoff, reason: str) -> MonthSignoff:
    """Province staff send a submitted month back to the unit with the reason it reads."""
    return _decide(
        by=by,
        signoff=signoff,
        expected=SignoffStatus.SUBMITTED,
        action=SignoffStatus.RETURNED,
        reason=_reason_or_error(reason),
    )


@transaction.atomic
def month_unlock(*, by, signoff: MonthSignoff, reason: str) -> MonthSignoff:
    """Province staff open an approved month for corrections; the unit submits it again after."""
    return _decide(
        by=by,
        signoff=signoff,
        expected=SignoffStatus.APPROVED,
        action=SignoffStatus.UNLOCKED,
        reason=_reason_or_error(reason),
    )


@transaction.atomic
def month_withdraw(*, by, signoff: MonthSignoff) -> MonthSignoff:
    """The unit's leader takes back a submitted month, not yet decided, to correct its figures; the
    approvers' "waiting" news is settled, and the month is submitted again once corrected."""
    require(by, Action.LOG, signoff.org_unit)
    return _step(by=by, signoff=signoff, expected=SignoffStatus.SUBMITTED, action=SignoffStatus.WITHDRAWN)


def month_lock_check(*, marks: Iterable[tuple[int, datetime.date | None]]) -> None:
    """Refuse a write that would change a locked (submitted or approved) month: the one lock check.

    ``marks`` are the (unit id, day) pairs the write changes, the same pairs it marks dirty for the
    rollup (the unit where the figures count, old and new dates). Every service that writes help
    sessions, activities, memberships or statistics calls it before writing, so pages, API, admin
    and imports all refuse alike. Raises ValidationError (code ``month_locked``); one query.
    """
    locked = locked_signoff(marks=marks)
    if locked is not None:
        # A non-field error in a dict: forms, the admin's service-error display and the API all
        # read it as the form's own error (the API answers it as ``non_field_errors``).
        message = locked_message(unit_name=locked.org_unit.name, month=locked.month, status=locked.status)
        raise ValidationError({NON_FIELD_ERRORS: [ValidationError(message, code=MONTH_LOCKED)]})


def is_month_locked(error: ValidationError) -> bool:
    """Whether ``error`` is the lock's refusal (and not a field's error)."""
    found = getattr(error, "error_dict", {}).get(NON_FIELD_ERRORS, [])
    return any(getattr(item, "code", None) == MONTH_LOCKED for item in found)
