from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import json_script
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import Action, can
from core.queueing import enqueue
from core.tabular import xlsx_response
from org.models import OrgUnit
from progress import selectors
from progress.exports import progress_sheets
from progress.models import TargetStatus
from progress.reports.content import ReportContent, report_content
from progress.reports.period import PeriodError, parse_period, period_choices
from reporting import selectors as reporting_selectors
from reporting.periods import Period
from signoff.selectors import dashboard_signoff


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _context(request, pk: int) -> dict:
    unit = selectors.unit_get(user=request.user, pk=pk)  # scope first: 404 before anything is read
    year = _year(request)
    today = timezone.localdate()
    figures = selectors.dashboard_figures(user=request.user, unit=unit, year=year)
    return {
        "unit": unit,
        "year": year,
        "years": list(range(today.year, today.year - 3, -1)),
        **{
            name: figures[name]
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
        "chart_script": json_script(figures["chart_data"], "progress-chart-data"),
        "breadcrumb": selectors.breadcrumb(user=request.user, unit=unit),
        "computed_at": selectors.computed_at(),
        "can_refresh": can(request.user, Action.MANAGE, unit),
        "statuses": TargetStatus.Status,
        "today": today,
        "report_periods": period_choices(year=year, today=today),
        "signoff": dashboard_signoff(unit=unit, year=year, today=today),
    }


@login_required
def dashboard_home(request):
    return redirect("progress:dashboard", pk=selectors.home_unit(user=request.user).pk)


def _reporting(request, unit) -> dict | None:
    """This week's "42/124 xã chưa báo cáo tuần 49" for a unit above the communes (a count only;
    the list behind it, with names and phones, is for those who log: the link is shown to them)."""
    if unit.kind == OrgUnit.Kind.COMMUNE:
        return None
    period = Period.week_of(timezone.localdate())
    unreported, total = reporting_selectors.unreported_count(unit=unit, period=period)
    if not total:
        return None
    return {
        "unreported": unreported,
        "total": total,
        "period": period,
        "can_list": can(request.user, Action.LOG, unit),
    }


@login_required
def dashboard(request, pk: int):
    context = _context(request, pk)
    context["reporting"] = _reporting(request, context["unit"])
    return render(request, "progress/dashboard.html", context)


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


def _report(request, pk: int) -> ReportContent | HttpResponse:
    """The report's content for ``?period=`` (YYYY-MM, YYYY-Qn or YYYY; the dashboard's year when
    absent), or a page saying in Vietnamese what is wrong with the period (400)."""
    unit = selectors.unit_get(user=request.user, pk=pk)  # scope first: 404 before the period is read
    today = timezone.localdate()
    try:
        period = parse_period(request.GET.get("period") or str(_year(request)), today=today)
    except PeriodError as error:
        context = {"unit": unit, "message": str(error)}
        return render(request, "progress/report_period_error.html", context, status=400)
    return report_content(user=request.user, unit=unit, period=period, today=today)


@login_required
def export_pdf(request, pk: int):
    """The periodic report as a printable A4 PDF in the union's document style (WeasyPrint)."""
    from weasyprint import HTML

    report = _report(request, pk)
    if isinstance(report, HttpResponse):
        return report
    html = render_to_string("progress/report_pdf.html", {"report": report}, request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"bao-cao-{report.unit.code}-{report.period.code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_docx(request, pk: int):
    """The same report as an editable Word file (the office numbers, completes and signs it)."""
    from progress.reports.word import report_docx

    report = _report(request, pk)
    if isinstance(report, HttpResponse):
        return report
    response = HttpResponse(
        report_docx(report),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"bao-cao-{report.unit.code}-{report.period.code}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
