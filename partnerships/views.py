from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import Action, can_anywhere
from core.params import int_param
from core.tabular import xlsx_response
from core.uploads import protected_download
from partnerships import selectors, services
from partnerships.forms import AgreementFormBundle, PartnerForm, TransitionForm
from partnerships.models import Agreement, Commitment, Partner

PAGE_SIZE = 25


def _filters_from(request) -> selectors.AgreementFilters:
    get = request.GET
    status = get.get("status", "")
    kind = get.get("kind", "")
    return selectors.AgreementFilters(
        status=status if status in Agreement.Status.values else "",
        kind=kind if kind in Agreement.Kind.values else "",
        partner=int_param(get.get("partner")),
        province=int_param(get.get("province")),
        year=int_param(get.get("year"), minimum=1900, maximum=2100),
        q=get.get("q", "").strip()[:200],
        sort=get.get("sort", selectors.DEFAULT_SORT)
        if get.get("sort") in selectors.SORTS
        else selectors.DEFAULT_SORT,
    )


@login_required
def agreement_list(request):
    filters = _filters_from(request)
    agreements = selectors.agreement_list(user=request.user, filters=filters)
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "statuses": Agreement.Status.choices,
        "kinds": Agreement.Kind.choices,
        **selectors.agreement_filter_choices(user=request.user),
        "years": range(timezone.localdate().year + 5, 2014, -1),
        "sorts": [
            ("-start", _("Newest phase first")),
            ("start", _("Oldest phase first")),
            ("end", _("Ending soonest")),
            ("title", _("Title A–Z")),
            ("-signed", _("Recently signed")),
            ("status", _("Status")),
        ],
        "can_create": can_anywhere(request.user, Action.MANAGE),
    }
    return render(request, "partnerships/agreement_list.html", context)


@login_required
def agreement_export(request):
    """The filtered list (every page) as an Excel workbook."""
    agreements = selectors.agreement_list(user=request.user, filters=_filters_from(request))
    header = [
        _("Number/code"),
        _("Title"),
        _("Kind"),
        _("Status"),
        _("Parties"),
        _("Signing date"),
        _("Phase start"),
        _("Phase end"),
    ]
    rows = (
        [
            a.code,
            a.title,
            a.get_kind_display(),
            a.get_status_display(),
            "; ".join(p.name for p in a.parties.all()),
            a.signed_on,
            a.start_date,
            a.end_date,
        ]
        for a in agreements
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(f"agreements-{stamp}.xlsx", [(_("Agreements"), header, rows)])


def _detail_context(request, agreement):
    before, after = selectors.agreement_chain(user=request.user, agreement=agreement)
    can_manage = services.agreement_can_manage(request.user, agreement)
    allowed = services.agreement_allowed_transitions(agreement)
    return {
        "agreement": agreement,
        "parties": list(agreement.parties.all()),
        "objectives": list(agreement.objectives.all()),
        "attendees": list(agreement.attendees.all()),
        "teams": selectors.agreement_teams(user=request.user, agreement=agreement),
        "chain_before": before,
        "chain_after": after,
        "can_manage": can_manage,
        "transitions": [(s, label) for s, label in Agreement.Status.choices if s in allowed]
        if can_manage
        else [],
        "history": selectors.agreement_history(agreement=agreement) if can_manage else [],
        "today": timezone.localdate(),
    }


@login_required
def agreement_detail(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)  # out of scope: 404
    return render(request, "partnerships/agreement_detail.html", _detail_context(request, agreement))


@login_required
def agreement_print(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    context = _detail_context(request, agreement)
    context["printed_at"] = timezone.localtime()
    return render(request, "partnerships/agreement_print.html", context)


@login_required
def agreement_pdf(request, pk: int):
    """The printable view as an A4 PDF (WeasyPrint): parties, who carries the agreement on, targets
    with their figures. The stylesheet is read from the static files, never fetched over HTTP."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    agreement = selectors.agreement_get(user=request.user, pk=pk)
    context = _detail_context(request, agreement)
    context.update(printed_at=timezone.localtime(), pdf=True)
    html = render_to_string("partnerships/agreement_print.html", context, request)
    stylesheet = CSS(filename=finders.find("css/partnerships-print.css"))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(stylesheets=[stylesheet])
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{agreement.code or 'thoa-thuan-' + str(agreement.pk)}.pdf".replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def agreement_document(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    if not agreement.document:
        raise Http404
    name = f"{agreement.code or 'agreement-' + str(agreement.pk)}.pdf".replace("/", "-")
    return protected_download(agreement.document, name)


def _form_view(request, agreement: Agreement | None):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    bundle = AgreementFormBundle(user=request.user, data=data, files=files, agreement=agreement)
    if request.method == "POST" and bundle.is_valid():
        try:
            with transaction.atomic():
                kwargs = bundle.service_kwargs()
                if agreement is None:
                    saved = services.agreement_create(by=request.user, **kwargs)
                else:
                    saved = services.agreement_update(by=request.user, agreement=agreement, **kwargs)
        except ValidationError as error:
            bundle.add_service_errors(error)
        except PermissionDenied as error:
            bundle.form.add_error(None, str(error))
        else:
            messages.success(request, _("The agreement was saved."))
            return redirect("partnerships:agreement_detail", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "partnerships/agreement_form.html",
        {"bundle": bundle, "agreement": agreement},
        status=status,
    )


@login_required
def agreement_create(request):
    if not can_anywhere(request.user, Action.MANAGE):
        raise PermissionDenied
    return _form_view(request, None)


@login_required
def agreement_edit(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    if not services.agreement_can_manage(request.user, agreement):
        raise PermissionDenied
    return _form_view(request, agreement)


@login_required
@require_POST
def agreement_transition(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
        return redirect("partnerships:agreement_detail", pk=pk)
    try:
        services.agreement_transition(by=request.user, agreement=agreement, to=form.cleaned_data["to"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The status was changed."))
    return redirect("partnerships:agreement_detail", pk=pk)


@login_required
@require_POST
def commitment_done(request, pk: int):
    commitment = get_object_or_404(Commitment.objects.select_related("objective"), pk=pk)
    agreement = selectors.agreement_get(user=request.user, pk=commitment.objective.agreement_id)
    services.commitment_set_done(by=request.user, commitment=commitment, done=request.POST.get("done") != "0")
    return redirect("partnerships:agreement_detail", pk=agreement.pk)


@login_required
def partner_list(request):
    q = request.GET.get("q", "").strip()[:200]
    partners = selectors.partner_list(user=request.user, q=q)
    page = Paginator(partners, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/partner_list.html",
        {"page": page, "q": q, "can_manage": can_anywhere(request.user, Action.MANAGE)},
    )


@login_required
def partner_form(request, pk: int | None = None):
    if not can_anywhere(request.user, Action.MANAGE):
        raise PermissionDenied
    partner = get_object_or_404(Partner, pk=pk) if pk else None
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("name", "short_name", "kind", "parent")}
        try:
            if partner is None:
                services.partner_create(by=request.user, **data)
            else:
                services.partner_update(by=request.user, partner=Partner.objects.get(pk=partner.pk), **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The partner was saved."))
            return redirect("partnerships:partner_list")
    return render(request, "partnerships/partner_form.html", {"form": form, "partner": partner})
