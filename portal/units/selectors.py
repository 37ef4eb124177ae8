"""Use-case reads of the union hierarchy, always through the caller's scope."""

import datetime

from django.db.models import Count, QuerySet

from accounts.access import Action, get_in_scope_or_404, scope_for
from core.text import vi_sort_key
from org.models import OrgUnit


def org_unit_list(
    *,
    user,
    parent: OrgUnit | None = None,
    kind: str | None = None,
    valid_on: datetime.date | None = None,
    search: str | None = None,
) -> QuerySet[OrgUnit]:
    units = scope_for(user, Action.VIEW).units().select_related("parent", "successor")
    if parent is not None:
        units = units.filter(parent=parent)
    if kind:
        units = units.filter(kind=kind)
    if valid_on:
        units = units.valid_on(valid_on)
    if search:
        units = units.search(search)
    return units


def org_unit_get(*, user, pk: int) -> OrgUnit:
    return get_in_scope_or_404(
        OrgUnit.objects.select_related("parent", "successor"), user, Action.VIEW, pk=pk
    )


def org_unit_children(*, user, unit: OrgUnit) -> list[OrgUnit]:
    """Current units first in Vietnamese alphabetical order, then the dissolved ones by date.

    A unit has at most a few hundred children, so the order is applied in Python: the databases'
    collations put "Đ" after "Z".
    """
    children = (
        scope_for(user, Action.VIEW)
        .units()
        .filter(parent=unit)
        .select_related("successor")
        .annotate(child_count=Count("children"))
    )
    return sorted(
        children, key=lambda c: (c.valid_to is not None, c.valid_to or datetime.date.min, vi_sort_key(c.name))
    )


def org_unit_breadcrumb(*, user, unit: OrgUnit) -> list[OrgUnit]:
    """Ancestors the user may see, root first: the way back up from a drill-down."""
    scope = scope_for(user, Action.VIEW)
    return [a for a in unit.ancestors() if scope.contains(a)]
