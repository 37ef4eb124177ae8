"""Reads of accounts and roles, scoped by the access layer."""

from collections import defaultdict

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts.access import Action, scope_for
from accounts.models import Role, RoleAssignment, User
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


def leaders_of(*, units) -> dict[int, list]:
    """The active unit leaders of each unit: {unit id: [users]} (whom reminders and sign-off news go to)."""
    leaders: dict[int, list] = defaultdict(list)
    for assignment in (
        RoleAssignment.objects.filter(org_unit__in=units, role=Role.UNIT_LEADER, user__is_active=True)
        .select_related("user")
        .order_by("org_unit_id", "user_id")
    ):
        leaders[assignment.org_unit_id].append(assignment.user)
    return leaders


def approvers_of(*, unit) -> list:
    """The active province staff nearest above ``unit`` (its own, else its parent's, …): who approves
    its months. Staff higher up (the central union) are not told of each of 3,321 communes."""
    paths = [unit.path[: index + 1] for index, char in enumerate(unit.path) if char == "/"][1:]
    by_path: dict[str, list] = defaultdict(list)
    for assignment in (
        RoleAssignment.objects.filter(
            org_unit__path__in=paths, role=Role.PROVINCE_STAFF, user__is_active=True
        )
        .select_related("user", "org_unit")
        .order_by("user_id")
    ):
        by_path[assignment.org_unit.path].append(assignment.user)
    nearest = max(by_path, key=len, default=None)
    return by_path[nearest] if nearest else []
