"""The reporting status by commune (page, Excel) and the reminders staff send from it."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from accounts.access import Action, can_anywhere, get_in_scope_or_404, scope_for
from core.params import int_param
from core.tabular import Column, Kind, xlsx_response
from org.models import OrgUnit
from reporting import selectors, services
from reporting.periods import Period

PAGE_SIZE = 50


def period_from(params) -> Period:
    """The period a request asks for (``week=`` or ``month=``); this ISO week when it names none."""
    if params.get("week") or params.get("month"):
        return Period.parse(week=params.get("week"), month=params.get("month"))
    return Period.week_of(timezone.localdate())


def unit_from(params, user) -> OrgUnit | None:
    """The unit whose communes are shown (``unit=<id>``, in the user's log scope, else a 404)."""
    if "unit" not in params or params.get("unit") == "":
        return None
    pk = int_param(params.get("unit"))
    if pk is None:
        raise Http404
    return get_in_scope_or_404(OrgUnit.objects.all(), user, Action.LOG, pk=pk)


def filters_from(params) -> dict:
    return {
        "status": params.get("status", "") if params.get("status") in selectors.STATUSES else "",
        "teams": params.get("teams", "") if params.get("teams") in selectors.TEAM_FILTERS else "",
        "q": params.get("q", "")[:100],
        "sort": params.get("sort") if params.get("sort") in selectors.SORTS else selectors.DEFAULT_SORT,
    }


def _status_request(request):
    if not can_anywhere(request.user, Action.LOG):
        raise PermissionDenied
    unit = unit_from(request.GET, request.user)
    try:
        period = period_from(request.GET)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        period = Period.week_of(timezone.localdate())
    filters = filters_from(request.GET)
    rows = selectors.reporting_status(user=request.user, period=period, unit=unit, **filters)
    return unit, period, filters, rows


@login_required
def status(request):
    """Every commune in scope for a week or a month: reported or not, its teams, its last report, how
    many periods in a row it has missed, whom to call, the reminders sent; staff select and remind."""
    unit, period, filters, rows = _status_request(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.with_details(page.object_list, period=period)
    today = timezone.localdate()
    this_week, last_month = Period.week_of(today), Period.month_of(today).previous()
    following = Period.week_of(period.end + datetime.timedelta(days=1))
    if period.kind == "month":
        following = Period.month_of(period.end + datetime.timedelta(days=1))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": page.object_list,
        "unit": unit,
        "period": period,
        "filters": filters,
        "unreported": sum(1 for row in rows if not row.reported),
        "total": len(rows),
        "this_week": this_week,
        "last_month": last_month,
        "previous": period.previous(),
        "following": following if following.start <= today else None,
        "can_remind": can_anywhere(request.user, Action.MANAGE),
        "units": scope_for(request.user, Action.LOG)
        .units()
        .filter(kind=OrgUnit.Kind.PROVINCE, valid_to__isnull=True)
        .order_by("path"),
        "query": query.urlencode(),
        "sorts": selectors.SORTS,
    }
    return render(request, "reporting/status.html", context)


@login_required
def status_export(request):
    """The same rows (all pages) as an Excel workbook ready to read."""
    unit, period, _filters_, rows = _status_request(request)
    selectors.with_details(rows, period=period)
    columns = [
        Column(_("Commune / ward")),
        Column(_("Code"), Kind.TEXT),
        Column(_("Reported"), Kind.TEXT),
        Column(_("Teams"), Kind.INTEGER),
        Column(_("Team names"), Kind.TEXT, width=40),
        Column(_("Last report"), Kind.DATETIME),
        Column(_("Periods missed in a row")),
        Column(pgettext("of a commune", "Leader"), Kind.TEXT),
        Column(_("Phone"), Kind.TEXT),
        Column(_("Reminded"), Kind.DATETIME),
    ]
    lines = [
        [
            row.unit.name,
            row.unit.code,
            _("yes") if row.reported else _("no"),
            row.team_count,
            ", ".join(row.teams),
            timezone.localtime(row.last_report_at).replace(tzinfo=None) if row.last_report_at else None,
            row.missed if row.missed is not None else _("never reported"),
            (row.contact or {}).get("name", ""),
            (row.contact or {}).get("phone", ""),
            timezone.localtime(row.reminders[-1].created_at).replace(tzinfo=None) if row.reminders else None,
        ]
        for row in rows
    ]
    title = _("Reporting %(period)s") % {"period": period.code}
    return xlsx_response(f"bao-cao-{period.code}.xlsx", [(title, columns, lines)])


@login_required
@require_POST
def remind(request):
    """Staff remind the leaders of the communes they ticked (only those not reported; once a period)."""
    if not can_anywhere(request.user, Action.MANAGE):
        raise PermissionDenied
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None) or not back.startswith("/"):
        back = reverse("reporting:status")
    ids = {pk for pk in (int_param(v) for v in request.POST.getlist("units")) if pk is not None}
    units = list(
        scope_for(request.user, Action.MANAGE).filter(
            OrgUnit.objects.filter(pk__in=ids, kind=OrgUnit.Kind.COMMUNE, valid_to__isnull=True)
        )
    )
    if len(units) != len(ids):
        raise Http404  # a commune out of scope (or not a current commune): nothing is sent
    try:
        period = period_from(request.POST)
        outcome = services.reminders_send(by=request.user, units=units, period=period)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    if outcome.reminded:
        messages.success(
            request,
            _("Reminder sent to the leaders of %(count)d communes: %(names)s.")
            % {"count": len(outcome.reminded), "names": ", ".join(outcome.reminded)},
        )
    if outcome.already:
        messages.info(
            request,
            _("Already reminded for this period, not sent again: %(names)s.")
            % {"names": ", ".join(outcome.already)},
        )
    if outcome.reported:
        messages.info(
            request, _("Already reported, not reminded: %(names)s.") % {"names": ", ".join(outcome.reported)}
        )
    if outcome.no_leader:
        messages.warning(
            request,
            _("No leader account to remind in: %(names)s.") % {"names": ", ".join(outcome.no_leader)},
        )
    return redirect(back)
