from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key`` for dicts keyed by ids (templates cannot index by a variable)."""
    return mapping.get(key, "") if mapping else ""


@register.filter
def percent(value, digits: int = 1) -> str:
    """A 0–1 ratio as "12,3 %" in the active locale; "—" when there is no denominator."""
    if value is None:
        return "—"
    return f"{number_format(value * 100, digits)} %"


@register.filter
def in_scope(unit, scope) -> bool:
    """``unit|in_scope:scope``: whether a UnitScope from the access layer contains the unit (no query)."""
    return bool(scope) and scope.contains(unit)
