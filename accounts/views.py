"""Account management for province staff: the portal's way to create staff accounts (no public sign-up)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.access import Action, can, can_anywhere
from accounts.forms import RoleGrantForm, UserCreateForm
from accounts.models import RoleAssignment


def _require_manager(user) -> None:
    if not (user.is_superuser or can_anywhere(user, Action.MANAGE)):
        raise Http404  # the page does not exist for leaders and viewers


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def user_list(request):
    _require_manager(request.user)
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.user_list(user=request.user, search=search or None), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/user_list.html", {"page": page, "search": search})


@login_required
def user_create(request):
    _require_manager(request.user)
    form = UserCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.user_create(
                username=data["username"],
                password=data["password"],
                role=data["role"],
                org_unit=data["org_unit"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                by=request.user,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("org_unit", str(exc))
        else:
            messages.success(request, _("Account %(username)s created.") % {"username": account.username})
            return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request, pk: int):
    _require_manager(request.user)
    account = selectors.user_get(user=request.user, pk=pk)
    form = RoleGrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assign(
                user=account,
                role=form.cleaned_data["role"],
                org_unit=form.cleaned_data["org_unit"],
                by=request.user,
            )
        except PermissionDenied as exc:
            form.add_error("org_unit", str(exc))
        else:
            messages.success(request, _("Role granted."))
            return redirect("accounts:user_detail", pk=account.pk)
    roles = [
        (assignment, request.user.is_superuser or can(request.user, Action.MANAGE, assignment.org_unit))
        for assignment in account.role_assignments.all()
    ]
    return render(request, "accounts/user_detail.html", {"account": account, "roles": roles, "form": form})


@login_required
@require_POST
def role_revoke(request, pk: int, assignment_pk: int):
    _require_manager(request.user)
    account = selectors.user_get(user=request.user, pk=pk)
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("org_unit"), pk=assignment_pk, user=account
    )
    try:
        services.role_revoke(assignment=assignment, by=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc  # a role outside the caller's units is not theirs to see
    messages.success(request, _("Role removed."))
    return redirect("accounts:user_detail", pk=account.pk)


@login_required
@require_POST
def user_deactivate(request, pk: int):
    _require_manager(request.user)
    account = selectors.user_get(user=request.user, pk=pk)
    if account == request.user or account.is_superuser:
        raise PermissionDenied
    # Only accounts whose every role is inside the caller's units may be disabled by them.
    if not request.user.is_superuser and not all(
        can(request.user, Action.MANAGE, a.org_unit) for a in account.role_assignments.all()
    ):
        raise PermissionDenied
    services.user_deactivate(user=account, by=request.user)
    messages.success(
        request, _("Account %(username)s disabled; its sessions have ended.") % {"username": account.username}
    )
    return redirect("accounts:user_detail", pk=account.pk)
