"""Use-case reads of the union hierarchy, always through the caller's scope."""

import datetime

from django.db.models import Count, Q, QuerySet

from accounts.access import Action, can_anywhere, get_in_scope_or_404, scope_for
from core.text import fold, vi_sort_key
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


# What each unit picker searches (core.widgets.UnitPicker's ``purpose``), for the user asking.
PICK_PURPOSES = ("view", "log", "manage", "party")
PICK_LIMIT = 20


def org_unit_pick(*, user, purpose: str, search: str) -> list[OrgUnit]:
    """Current units matching every typed word (diacritics ignored) or the exact code, for a picker.

    "view", "log" and "manage": the units of the user's scope for that action (list filters, forms
    that write); "party": every union unit above the communes (an agreement's signatory may sit anywhere),
    offered only to someone who manages somewhere.
    """
    if purpose == "party":
        if not can_anywhere(user, Action.MANAGE):
            return []
        units = OrgUnit.objects.exclude(kind=OrgUnit.Kind.COMMUNE)
    elif purpose in ("log", "manage"):
        units = scope_for(user, Action(purpose)).units()
    else:
        units = scope_for(user, Action.VIEW).units()
    words = fold(search).split()
    if not words:
        return list(units.current().select_related("parent").order_by("depth", "path")[:PICK_LIMIT])
    by_name = Q()
    for word in words:
        by_name &= Q(search_name__contains=word)
    units = units.current().filter(by_name | Q(code__iexact=search.strip())).select_related("parent")
    return sorted(
        units.order_by("depth", "path")[:PICK_LIMIT], key=lambda unit: (unit.depth, vi_sort_key(unit.name))
    )
