"""PlainSelect writes the same options as Django's Select, without a template per option."""

import re

import pytest
from django import forms

from core.widgets import PlainSelect

CHOICES = [("", "---------"), (1, "Bến Tre & <Vĩnh Long>"), (2, "Đà Nẵng"), (2, "again")]


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html
        )
    ]


@pytest.mark.parametrize("value", [None, "", 1, "2", "9"])
def test_the_options_and_the_selected_one_are_django_s(value):
    attrs = {"class": "form-select"}
    django_html = forms.Select(choices=CHOICES, attrs=attrs).render("unit", value, {"id": "id_unit"})
    plain_html = PlainSelect(choices=CHOICES, attrs=attrs).render("unit", value, {"id": "id_unit"})

    assert _options(plain_html) == _options(django_html)
    assert plain_html.startswith('<select name="unit" ')
    assert 'class="form-select"' in plain_html and 'id="id_unit"' in plain_html
    assert "&amp; &lt;Vĩnh Long&gt;" in plain_html  # labels escaped
    assert sum(selected for _v, selected, _l in _options(plain_html)) <= 1
