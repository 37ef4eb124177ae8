import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, lazy
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import Action, can, scope_for
from core.page_cache import render_page
from core.queueing import enqueue
from core.tabular import xlsx_response
from progress import selectors
from progress.exports import progress_sheets
from progress.models import TargetStatus

DASHBOARD_TTL = 60 * 60  # a safety net: a new rollup run changes the key anyway


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _context(request, pk: int) -> dict:
    unit = selectors.unit_get(user=request.user, pk=pk)  # scope first: 404 before any cache is read
    year = _year(request)
    today = timezone.localdate()
    computed = selectors.computed_at()
    key = _figures_key(request.user, unit, year, computed)
    memo: dict = {}

    def figures() -> dict:
        if not memo:
            memo.update(_figures(request.user, unit, year, key))
        return memo

    def later(name: str):
        # Read only if the page's cached fragment (same key) is missing, or by the exports.
        return SimpleLazyObject(lambda: figures()[name])

    return {
        "unit": unit,
        "year": year,
        "years": list(range(today.year, today.year - 3, -1)),
        "figures_key": key,
        **{
            name: later(name)
            for name in (
                "kpis",
                "volunteer_kpis",
                "official_kpis",
                "ranking",
                "current_ranking",
                "dissolved_ranking",
                "children_noun",
                "lagging",
                "lagging_groups",
                "leaders",
                "percent_codes",
            )
        },
        "chart_script": lazy(
            lambda: json_script(figures()["chart_data"], "progress-chart-data"), SafeString
        )(),
        # Read only when the cached breadcrumb (same key as the figures) is missing.
        "breadcrumb": SimpleLazyObject(lambda: selectors.breadcrumb(user=request.user, unit=unit)),
        "computed_at": computed,
        "can_refresh": can(request.user, Action.MANAGE, unit),
        "statuses": TargetStatus.Status,
        "today": today,
    }


def _figures_key(user, unit, year: int, computed) -> str:
    """Figures change only when the rollup runs: the key carries the run's time, the unit, the year,
    the language and the caller's scope (so a new run shows at once, and no scope sees another's)."""
    scope = scope_for(user, Action.VIEW)
    parts = (
        unit.pk,
        year,
        get_language(),
        computed.isoformat() if computed else "",
        timezone.localdate().isoformat(),
    )
    parts += (scope.everything, tuple(sorted(scope.paths)), settings.CACHE_SALT)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _figures(user, unit, year: int, key: str) -> dict:
    """KPIs, ranking, lagging units and chart data, cached under ``key`` until the next rollup run."""
    figures = cache.get(f"dashboard:{key}")
    if figures is None:
        figures = selectors.dashboard_figures(user=user, unit=unit, year=year)
        cache.set(f"dashboard:{key}", figures, DASHBOARD_TTL)
    return figures


@login_required
def dashboard_home(request):
    return redirect("progress:dashboard", pk=selectors.home_unit(user=request.user).pk)


@login_required
def dashboard(request, pk: int):
    """The whole page is reused while its figures are (same key), per layout (core.page_cache); the
    unit's name is in the key because the header shows it outside the cached figures."""
    context = _context(request, pk)
    key_parts = ("dashboard", context["figures_key"], context["unit"].name)
    return render_page(request, "progress/dashboard.html", context, key_parts=key_parts, ttl=DASHBOARD_TTL)


@login_required
@require_POST
def refresh(request, pk: int):
    """Staff queue a full recompute; the page says when it last ran."""
    unit = selectors.unit_get(user=request.user, pk=pk)
    if not can(request.user, Action.MANAGE, unit):
        raise PermissionDenied
    if enqueue("progress.tasks.rollup_progress_task"):
        message, level = _("The recompute is queued; reload in a moment."), messages.INFO
    else:
        message = _(
            "The job queue is unreachable right now; the scheduled recompute will catch up when it is back."
        )
        level = messages.WARNING
    if request.htmx:
        context = {"message": message, "ok": level == messages.INFO}
        return HttpResponse(render_to_string("progress/_refresh_done.html", context, request))
    messages.add_message(request, level, message)
    return redirect("progress:dashboard", pk=unit.pk)


@login_required
def export_xlsx(request, pk: int):
    """The dashboard as a workbook: a summary by unit, the targets, one sheet per indicator."""
    context = _context(request, pk)
    unit, year = context["unit"], context["year"]
    sheets = progress_sheets(unit=unit, year=year, kpis=context["kpis"], ranking=context["ranking"])
    return xlsx_response(f"tien-do-{unit.code}-{year}.xlsx", sheets)


@login_required
def export_pdf(request, pk: int):
    """The dashboard as a printable A4 report in the union's document style (WeasyPrint)."""
    from weasyprint import HTML

    context = _context(request, pk)
    html = render_to_string("progress/report_pdf.html", context, request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-tien-do-{context["unit"].code}.pdf"'
    return response
