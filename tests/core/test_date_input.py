"""Dates typed on a phone: the numeric keypad (an iPhone's) has no "/", so eight digits are a date."""

import datetime

import pytest
from django import forms

from core.widgets import DateInput


class _Form(forms.Form):
    day = forms.DateField(required=False, widget=DateInput())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("05122026", datetime.date(2026, 12, 5)),
        (" 31012026 ", datetime.date(2026, 1, 31)),
        ("05/12/2026", datetime.date(2026, 12, 5)),
        ("5-12-2026", datetime.date(2026, 12, 5)),
        ("", None),
    ],
)
def test_a_date_typed_as_digits_or_with_separators_reads_day_first(typed, expected):
    form = _Form({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == expected


@pytest.mark.parametrize("typed", ["31022026", "5122026", "2026120", "051226"])
def test_digits_that_are_not_one_date_are_refused_in_vietnamese(typed):
    form = _Form({"day": typed})
    assert not form.is_valid()
    assert form.errors["day"] == ["Nhập một ngày hợp lệ."]
