from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import Action, can
from org.models import OrgUnit
from org.services import org_unit_document_settings_update
from portal.units import selectors
from portal.units.forms import DocumentSettingsForm


@login_required
def unit_list(request):
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if kind not in OrgUnit.Kind.values:
        kind = ""
    units = selectors.org_unit_list(user=request.user, kind=kind or None, search=search or None)
    page = Paginator(units, 50).get_page(request.GET.get("page"))
    context = {"page": page, "search": search, "kind": kind, "kinds": OrgUnit.Kind.choices}
    template = "org/_unit_rows.html" if request.htmx else "org/unit_list.html"
    return render(request, template, context)


@login_required
def unit_pick(request):
    """JSON for the searchable unit pickers: the units of the user's scope matching what is typed."""
    purpose = request.GET.get("purpose", "view")
    if purpose not in selectors.PICK_PURPOSES:
        purpose = "view"
    units = selectors.org_unit_pick(user=request.user, purpose=purpose, search=request.GET.get("q", "")[:100])
    results = [
        {"value": unit.pk, "text": unit.name, "parent": unit.parent.name if unit.parent else ""}
        for unit in units
    ]
    return JsonResponse({"results": results})


@login_required
def unit_detail(request, pk: int):
    unit = selectors.org_unit_get(user=request.user, pk=pk)
    children = selectors.org_unit_children(user=request.user, unit=unit)
    page = Paginator(children, 100).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "page": page,
        "breadcrumb": selectors.org_unit_breadcrumb(user=request.user, unit=unit),
        "predecessors": unit.predecessors.all(),
        "can_manage": can(request.user, Action.MANAGE, unit),
        "title": _("Org unit"),
    }
    return render(request, "org/unit_detail.html", context)


@login_required
def unit_document_settings(request, pk: int):
    """Province staff set what their unit's reports print: the place of the date line and the signer."""
    unit = selectors.org_unit_get(user=request.user, pk=pk)  # 404 outside the view scope
    if not can(request.user, Action.MANAGE, unit):
        raise PermissionDenied
    initial = {name: getattr(unit, name) for name in ("document_place", "signer_title", "signer_name")}
    form = DocumentSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            org_unit_document_settings_update(unit=unit, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The report settings are saved."))
            return redirect("org:unit_detail", pk=unit.pk)
    context = {
        "unit": unit,
        "form": form,
        "breadcrumb": selectors.org_unit_breadcrumb(user=request.user, unit=unit),
    }
    return render(request, "org/unit_document_settings.html", context)
