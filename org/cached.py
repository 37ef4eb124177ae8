"""Org units by primary key, from the cache: the dashboard reads its unit (and the unit's parent) on
every view. Retired by every write to units (``org.signals.units_changed``, connected in org.apps)."""

from core.versioned import Versioned
from org.models import OrgUnit

UNITS = Versioned("org-units", 10 * 60)


def unit_with_parent(pk: int) -> OrgUnit | None:
    """The unit ``pk`` with its parent loaded, or None. Not scoped: callers check the scope."""
    return UNITS.get(
        f"unit:{int(pk)}", lambda: OrgUnit.objects.select_related("parent").filter(pk=pk).first()
    )
