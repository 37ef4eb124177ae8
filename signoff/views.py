"""Pages of the monthly sign-off: the month's overview for a province, a unit's months with its steps."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import Action, can, get_in_scope_or_404
from core.text import vi_sort_key
from org.models import OrgUnit
from signoff import selectors, services
from signoff.models import SignoffStatus

PAGE_SIZE = 50
MONTHS_SHOWN = 6  # a unit's page: the last six months that have ended


def _month_or_404(year: int, month: int) -> datetime.date:
    try:
        return datetime.date(year, month, 1)
    except ValueError as exc:
        raise Http404("No such month") from exc


def _month_param(value: str | None, default: datetime.date) -> datetime.date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return default


def _overview_order(unit: OrgUnit) -> tuple:
    return (unit.parent.path if unit.parent_id else "", vi_sort_key(unit.name))


@login_required
def month_overview(request):
    """The communes in the user's units with their status for one month, and how many have approved."""
    default = selectors.last_ended_month(timezone.localdate())
    month = _month_param(request.GET.get("month"), default)
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:100]
    units = selectors.signoff_units(user=request.user)
    counts = selectors.approval_counts(units=units, month=month)
    waiting = selectors.waiting_months(units=units, besides=month)
    statuses = selectors.month_statuses(unit_ids=units.values_list("pk", flat=True), month=month)
    if status == "none":
        units = units.exclude(pk__in=list(statuses))
    elif status in SignoffStatus.values:
        units = units.filter(pk__in=[pk for pk, value in statuses.items() if value == status])
    if query:  # a name typed with or without diacritics ("an hoi"), or a code
        units = units.search(query)
    # In Vietnamese alphabetical order within each district or province ("Đông" after "Dương").
    ordered = sorted(units.select_related("parent"), key=_overview_order)
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"unit": unit, "status": statuses.get(unit.pk)} for unit in page.object_list]
    context = {
        "month": month,
        "page": page,
        "rows": rows,
        "counts": counts,
        "waiting_months": waiting,
        "status": status,
        "query": query,
        "statuses": SignoffStatus.choices,
        "previous_month": (month - datetime.timedelta(days=1)).replace(day=1),
        "next_month": (month + datetime.timedelta(days=32)).replace(day=1) if month < default else None,
    }
    return render(request, "signoff/month_overview.html", context)


@login_required
def unit_months(request, pk: int):
    """One unit's recent months: status, who did what and why, and the step the user may take."""
    unit = get_in_scope_or_404(OrgUnit.objects.all(), request.user, Action.VIEW, pk=pk)
    last = selectors.last_ended_month(timezone.localdate())
    months = [last]
    while len(months) < MONTHS_SHOWN:
        months.append((months[-1] - datetime.timedelta(days=1)).replace(day=1))
    signoffs = selectors.unit_signoffs(org_unit=unit, months=months)
    may_log, may_manage = can(request.user, Action.LOG, unit), can(request.user, Action.MANAGE, unit)
    rows = []
    for month in months:
        signoff = signoffs.get(month)
        status = signoff.status if signoff else None
        next_month = (month + datetime.timedelta(days=31)).replace(day=1)
        rows.append(
            {
                "month": month,
                "last_day": next_month - datetime.timedelta(days=1),
                "signoff": signoff,
                # The unit's leaders send their month; staff approve or return it, and need no button
                # that submits a commune's month by a slip of the mouse (the API still lets them).
                "can_submit": may_log
                and not may_manage
                and status not in (SignoffStatus.SUBMITTED, SignoffStatus.APPROVED),
                "can_decide": may_manage and status == SignoffStatus.SUBMITTED,
                "can_withdraw": may_log and not may_manage and status == SignoffStatus.SUBMITTED,
                "can_unlock": may_manage and status == SignoffStatus.APPROVED,
            }
        )
    context = {"unit": unit, "rows": rows, "may_manage": may_manage}
    return render(request, "signoff/unit_months.html", context)


STEPS = {"submit", "withdraw", "approve", "return", "unlock"}


@login_required
@require_POST
def month_step(request, pk: int, year: int, month: int, step: str):
    """Submit, withdraw, approve, return or unlock a unit's month (the service checks who may)."""
    if step not in STEPS:
        raise Http404("No such step")
    unit = get_in_scope_or_404(OrgUnit.objects.all(), request.user, Action.VIEW, pk=pk)
    day = _month_or_404(year, month)
    try:
        if step == "submit":
            services.month_submit(
                by=request.user, org_unit=unit, month=day, note=request.POST.get("note", "")
            )
            messages.success(request, _("Month %(month)s sent for approval.") % {"month": f"{day:%m/%Y}"})
        else:
            signoff = selectors.month_signoff(org_unit=unit, month=day)
            if signoff is None:
                raise ValidationError(_("This month has not been submitted."))
            reason = request.POST.get("reason", "")
            if step == "withdraw":
                services.month_withdraw(by=request.user, signoff=signoff)
                done = _("Month %(month)s withdrawn: correct its figures, then submit it again.")
            elif step == "approve":
                services.month_approve(by=request.user, signoff=signoff)
                done = _("Month %(month)s of %(unit)s approved: its figures are locked.")
            elif step == "return":
                services.month_return(by=request.user, signoff=signoff, reason=reason)
                done = _("Month %(month)s of %(unit)s returned to the unit.")
            else:
                services.month_unlock(by=request.user, signoff=signoff, reason=reason)
                done = _("Month %(month)s of %(unit)s unlocked: its figures can be corrected.")
            messages.success(request, done % {"month": f"{day:%m/%Y}", "unit": unit.name})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("signoff:unit_months", pk=unit.pk)
