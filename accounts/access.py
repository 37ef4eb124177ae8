"""The one access layer: which org units a user may see, log work for, or manage.

Pages, the API and Django admin all ask these functions; nothing else decides scope.
A scope is a set of materialized-path prefixes. It fails closed: no role, no rows.

- view: every role, on its unit's subtree.
- log: unit leaders, province staff and admins: teams, activities, help sessions.
- manage: province staff and admins: agreements, statistics, accounts.

A unit that was dissolved and merged into a unit in scope (Tỉnh đoàn Bến Tre → Vĩnh Long)
is in scope too, with its own subtree, so its agreements and data stay with its successor.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from org.models import OrgUnit


class Action(StrEnum):
    VIEW = "view"
    LOG = "log"
    MANAGE = "manage"


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.PROVINCE_STAFF: frozenset(Action),
    Role.UNIT_LEADER: frozenset({Action.VIEW, Action.LOG}),
    Role.VIEWER: frozenset({Action.VIEW}),
}


@dataclass(frozen=True)
class UnitScope:
    """Path prefixes of the subtrees a user may act on; ``everything`` for superusers."""

    paths: tuple[str, ...] = ()
    everything: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.paths

    def q(self, path_lookup: str = "path") -> Q:
        """A filter for rows whose unit path is ``path_lookup`` (e.g. ``"org_unit__path"``)."""
        if self.everything:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        condition = Q()
        for path in self.paths:
            condition |= Q(**{f"{path_lookup}__startswith": path})
        return condition

    def filter(self, queryset: QuerySet, unit_field: str | None = None) -> QuerySet:
        """Rows of ``queryset`` in scope; ``unit_field`` names the FK to OrgUnit (None: the queryset is units)."""
        lookup = f"{unit_field}__path" if unit_field else "path"
        if self.is_empty:
            return queryset.none()
        return queryset.filter(self.q(lookup))

    def contains(self, unit: OrgUnit | None) -> bool:
        if unit is None:
            return self.everything
        return self.everything or any(unit.path.startswith(path) for path in self.paths)

    def units(self) -> QuerySet:
        return self.filter(OrgUnit.objects.all())


def _with_merged_predecessors(paths: set[str]) -> set[str]:
    """Add dissolved units merged into the scope, following chains of merges.

    One query per link of the longest chain, each reading only the merges into the subtrees found so
    far (through the path index): two for Vĩnh Long's staff (Bến Tre, Trà Vinh and their districts,
    then nothing merged into those), one for the central union's, instead of all 725 merges of the
    2025 reform on every request."""
    found, frontier = set(paths), set(paths)
    while frontier:
        into_frontier = Q()
        for path in frontier:
            into_frontier |= Q(successor__path__startswith=path)
        covered = tuple(found)
        added = OrgUnit.objects.filter(into_frontier).order_by().values_list("path", flat=True)
        frontier = set(_minimal({path for path in added if not path.startswith(covered)}))
        found |= frontier
    return found


def _minimal(paths: set[str]) -> tuple[str, ...]:
    """Drop prefixes already covered by a shorter one."""
    kept = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return tuple(sorted(kept))


def scope_for(user, action: Action = Action.VIEW) -> UnitScope:
    """The units ``user`` may perform ``action`` on; memoised on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return UnitScope()
    if user.is_superuser:
        return UnitScope(everything=True)
    memo = user.__dict__.setdefault("_unit_scopes", {})
    if action not in memo:
        paths = frozenset(a.org_unit.path for a in roles_of(user) if action in ROLE_ACTIONS[a.role])
        by_paths = user.__dict__.setdefault("_unit_scopes_by_paths", {})  # one role's actions share them
        if paths not in by_paths:
            by_paths[paths] = UnitScope(
                paths=_minimal(_with_merged_predecessors(set(paths))) if paths else ()
            )
        memo[action] = by_paths[paths]
    return memo[action]


def merged_into(user, paths: Iterable[str]) -> set[str]:
    """Paths of the dissolved units merged straight into the units at ``paths`` (one step, no chains).

    One query the first time for these paths in the request (kept on the user, like the scope)."""
    wanted = frozenset(paths)
    memo = user.__dict__.setdefault("_merged_into", {})
    if wanted not in memo:
        memo[wanted] = set(
            OrgUnit.objects.filter(successor__path__in=wanted).order_by().values_list("path", flat=True)
        )
    return memo[wanted]


def roles_of(user) -> list[RoleAssignment]:
    if not user.is_authenticated:
        return []
    memo = user.__dict__  # read once per request: the user object lives as long as the request
    if "_role_assignments" not in memo:
        memo["_role_assignments"] = list(RoleAssignment.objects.for_user(user).order_by("org_unit__path"))
    return memo["_role_assignments"]


def can(user, action: Action, unit: OrgUnit | None) -> bool:
    return scope_for(user, action).contains(unit)


def can_anywhere(user, action: Action) -> bool:
    """Whether ``user`` may do ``action`` on some unit: a role that grants it (the merges only widen
    a scope that is not empty, so they are not read for this)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(action in ROLE_ACTIONS[a.role] for a in roles_of(user))


def require(
    by, action: Action, *units: OrgUnit | None, any_of: bool = False, message: str | None = None
) -> None:
    """The one guard of a service's write: ``PermissionDenied`` unless ``by`` may do ``action``.

    On every one of ``units`` (on at least one with ``any_of``), or on some unit when none is given.
    ``by=None`` is the system (a Celery job, a management command, the demo seeding): not checked.
    """
    if by is None:
        return
    if units or any_of:
        allowed = (any if any_of else all)(can(by, action, unit) for unit in units)
    else:
        allowed = can_anywhere(by, action)
    if not allowed:
        raise PermissionDenied(message or _("You cannot do this for that unit."))


class OutOfScope(Http404):
    """A 404 raised by the access layer: the object does not exist or is outside the user's scope.

    Answered like any 404 (nothing tells the two apart); the portal logs it as a denied access.
    """


def get_in_scope_or_404(
    queryset: QuerySet, user, action: Action = Action.VIEW, unit_field: str | None = None, **lookup
):
    """One object in the user's scope; anything else, existing or not, is a 404."""
    try:
        return scope_for(user, action).filter(queryset, unit_field).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise OutOfScope(f"No {queryset.model._meta.model_name} in scope") from exc
