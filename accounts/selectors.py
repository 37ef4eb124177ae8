"""Reads of accounts and roles, scoped by the access layer."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts.access import Action, scope_for
from accounts.models import RoleAssignment, User
from core.text import fold


def user_list(*, user, search: str | None = None) -> QuerySet[User]:
    """Accounts holding a role in units the caller manages (superusers: every account)."""
    if user.is_superuser:
        users = User.objects.all()
    else:
        scope = scope_for(user, Action.MANAGE)
        if scope.is_empty:
            return User.objects.none()
        users = User.objects.filter(
            pk__in=RoleAssignment.objects.filter(scope.q("org_unit__path")).values("user_id")
        )
    if search:
        folded = fold(search)
        users = users.filter(
            Q(username__icontains=search.strip())
            | Q(first_name__icontains=search.strip())
            | Q(last_name__icontains=search.strip())
            | Q(username__icontains=folded)
        )
    roles = RoleAssignment.objects.select_related("org_unit").order_by("org_unit__path", "role")
    return users.prefetch_related(Prefetch("role_assignments", queryset=roles)).order_by("username")


def user_get(*, user, pk: int) -> User:
    """One account the caller manages; any other, existing or not, is a 404."""
    try:
        return user_list(user=user).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc
