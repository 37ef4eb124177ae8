"""The dashboard's ranking rows, written in Python: ≈120 communes × 9 indicators through a template
include per row and a filter chain per cell were most of the page's CPU. Same HTML as the include was."""

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()

_PLACEHOLDER = 987654321


def _cell(code, value, light, percent_codes):
    light_html = (
        format_html('<span class="light light-{}" aria-label="{}"></span> ', light, light) if light else ""
    )
    if value is None:
        shown = "—"
    else:
        shown = format_html("{}{}", floatformat(value, "-1g"), "%" if code in percent_codes else "")
    return format_html(
        '<td class="text-end text-nowrap" data-value="{}">{}{}</td>',
        "" if value is None else str(value),
        light_html,
        shown,
    )


@register.simple_tag
def ranking_rows(rows, year, percent_codes):
    """One ``<tr>`` per child unit: its name linking to its own dashboard, then each indicator's cell."""
    before, after = reverse("progress:dashboard", args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
    dissolved = format_html(' <span class="badge text-bg-secondary">{}</span>', _("Dissolved"))
    out = []
    for row in rows:
        cells = format_html_join(
            "",
            "{}",
            ((_cell(code, value, light, percent_codes),) for code, (value, light) in row.values.items()),
        )
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
