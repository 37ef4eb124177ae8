from html import escape

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core.text import vi_number

register = template.Library()

_PLACEHOLDER = 987654321


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


@register.simple_tag
def session_rows(sessions) -> str:
    """The help-session list's rows, written in Python like the dashboard's ranking rows: a page of
    dates, links, badges and counts through the template language were half of the list's CPU.
    Each row: the date linking to the session (the whole row is the link's tap target) and its hours; the team, place, unit, campaign and a
    badge per service line; the three totals. Every value is escaped here."""
    before, after = reverse("egov_support:session_detail", args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
    out = []
    for s in sessions:
        campaign = f" · {escape(Truncator(s.campaign.name).chars(40))}" if s.campaign else ""
        badges = "".join(
            '<span class="badge text-bg-light border text-wrap text-start fw-normal" '
            f'title="{escape(line.service.name)}">{escape(line.short_label)}: '
            f"<b>{vi_number(line.citizens_assisted)}</b></span> "
            for line in s.lines.all()
        )
        out.append(
            "<tr>\n"
            f'  <td class="text-nowrap"><a class="stretched-link" href="{before}{s.pk}{after}">{s.date:%d/%m/%Y}</a>'
            f'<div class="small text-body-secondary">{s.start_time:%H:%M}–{s.end_time:%H:%M}</div></td>\n'
            f"  <td><div>{escape(s.team.name)}</div>\n"
            f'    <div class="small text-body-secondary">{escape(s.get_location_kind_display())} · '
            f"{escape(s.org_unit.name)}{campaign}</div>\n"
            f'    <div class="small d-flex flex-wrap gap-1 mt-1">{badges}</div></td>\n'
            f'  <td class="text-end fw-semibold">{vi_number(s.total_assisted)}</td>\n'
            f'  <td class="text-end d-none d-sm-table-cell">{vi_number(s.total_submitted_online)}</td>\n'
            f'  <td class="text-end d-none d-sm-table-cell">{vi_number(s.total_successful)}</td>\n'
            "</tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value is escaped above
