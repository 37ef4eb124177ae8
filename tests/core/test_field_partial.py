"""includes/field.html: the one partial that renders a form field on every page."""

import re

from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the ID card")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A")], required=False)
    agreed = forms.BooleanField(label="Agreed", required=False)
    key = forms.CharField(widget=forms.HiddenInput, required=False)


def test_a_field_in_error_is_marked_and_described():
    html = render_to_string("includes/field.html", {"field": _Form(data={})["name"]})

    assert (
        'class="form-label fw-semibold" for="id_name">Name <span class="text-danger" aria-hidden="true">*'
        in html
    )
    assert re.search(r'<input[^>]*class="form-control is-invalid"', html)
    described = re.search(r'aria-describedby="([^"]*)"', html).group(1).split()
    assert described == ["id_name_helptext", "id_name_error"]
    for target in described:  # every id the widget points at is on the page
        assert f'id="{target}"' in html
    assert 'class="invalid-feedback d-block"' in html


def test_wrapper_compact_checkbox_select_and_hidden():
    form = _Form()
    select = render_to_string(
        "includes/field.html", {"field": form["kind"], "wrapper": "col-6", "compact": True}
    )
    assert '<div class="col-6">' in select
    assert 'class="form-label small fw-semibold mb-1"' in select
    assert 'class="form-select"' in select and "text-danger" not in select

    checkbox = render_to_string("includes/field.html", {"field": form["agreed"]})
    assert '<div class="form-check">' in checkbox and 'class="form-check-input"' in checkbox
    assert 'class="form-check-label" for="id_agreed"' in checkbox

    hidden = render_to_string("includes/field.html", {"field": form["key"]}).strip()
    assert hidden == '<input type="hidden" name="key" id="id_key">'


def test_form_fields_loops_over_the_partial():
    html = render_to_string("includes/form_fields.html", {"form": _Form()})
    assert html.count('class="form-label fw-semibold"') == 2 and 'class="form-check"' in html
