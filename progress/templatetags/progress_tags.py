"""The dashboard's ranking rows, written in Python: ≈120 communes × 9 indicators through a template
include per row and a filter chain per cell were most of the page's CPU. Same HTML as the include was."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.text import vi_number

register = template.Library()

_PLACEHOLDER = 987654321


def _cell(code, value, light, percent_codes) -> str:
    """One indicator's cell as plain text, every piece escaped (format_html per cell cost more than the
    rest of the row)."""
    light_html = (
        f'<span class="light light-{escape(light)}" aria-label="{escape(light)}"></span> ' if light else ""
    )
    shown = "—" if value is None else vi_number(value) + ("%" if code in percent_codes else "")
    data = "" if value is None else escape(str(value))
    return f'<td class="text-end text-nowrap" data-value="{data}">{light_html}{shown}</td>'


@register.simple_tag
def ranking_rows(rows, year, percent_codes):
    """One ``<tr>`` per child unit: its name linking to its own dashboard, then each indicator's cell."""
    before, after = reverse("progress:dashboard", args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
    dissolved = format_html(' <span class="badge text-bg-secondary">{}</span>', _("Dissolved"))
    out = []
    for row in rows:
        cells = "".join(
            _cell(code, value, light, percent_codes) for code, (value, light) in row.values.items()
        )
        cells = mark_safe(cells)  # noqa: S308 - every piece is escaped in _cell
        out.append(
            format_html(
                '<tr>\n  <td><a href="{}{}{}?year={}">{}</a>{}</td>\n  {}\n</tr>',
                before,
                row.unit.pk,
                after,
                year,
                row.unit.name,
                dissolved if row.unit.is_dissolved else "",
                cells,
            )
        )
    return format_html_join("\n", "{}", ((row,) for row in out))


@register.simple_tag
def leader_rows(rows, year, is_percent):
    """The numbered rows of one indicator's highest or lowest units (unit, value, light), or a dash."""
    if not rows:
        return mark_safe('<tr><td class="text-body-secondary">—</td></tr>')
    before, after = reverse("progress:dashboard", args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
    suffix = "%" if is_percent else ""
    out = []
    for number, (unit, value, light) in enumerate(rows, start=1):
        light_html = (
            f'<span class="light light-{escape(light)}" aria-label="{escape(light)}"></span> '
            if light
            else ""
        )
        out.append(
            f'<tr><td class="ps-0 text-body-secondary">{number}.</td>\n'
            f'  <td><a href="{before}{unit.pk}{after}?year={int(year)}">{escape(unit.name)}</a></td>\n'
            f'  <td class="text-end text-nowrap pe-0">{light_html}{vi_number(value)}{suffix}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above
