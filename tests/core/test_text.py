"""Vietnamese text helpers: search folding and alphabetical order."""

from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.text import fold, vi_number, vi_sort_key


def test_fold_drops_diacritics_and_maps_d_with_stroke():
    assert fold("  Đoàn phường  Bến Tre ") == "doan phuong ben tre"


def test_vietnamese_order_puts_each_letter_after_its_base_letter():
    names = ["Đông Hải", "Ấp Bắc", "An Bình", "Ăn Quán", "Duyên Hải", "Ê Đê", "Zơ", "Ô Môn", "Ơ Rê", "Ong"]
    assert sorted(names, key=vi_sort_key) == [
        "An Bình",
        "Ăn Quán",
        "Ấp Bắc",
        "Duyên Hải",
        "Đông Hải",
        "Ê Đê",
        "Ong",
        "Ô Môn",
        "Ơ Rê",
        "Zơ",
    ]


def test_tones_only_break_ties_between_the_same_letters():
    assert vi_sort_key("Hòa") == vi_sort_key("Hoà")  # old and new tone placement
    assert sorted(["Hòa", "Hóa", "Hoa", "Họa", "Hoang"], key=vi_sort_key) == [
        "Hoa",
        "Hòa",
        "Hóa",
        "Họa",
        "Hoang",
    ]


@given(
    value=st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**12), max_value=10**12, places=6),
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12).map(
            lambda f: round(f, 6)
        ),
        st.integers(min_value=-(10**12), max_value=10**12),
    ),
    places=st.sampled_from([0, 1, 2]),
)
def test_vi_number_writes_what_floatformat_writes_in_vietnamese(value, places):
    with translation.override("vi"):
        assert vi_number(value, places) == floatformat(value, f"-{places}g")


def test_vi_number_groups_thousands_with_dots_and_decimals_with_a_comma():
    assert vi_number(Decimal("1234567.25")) == "1.234.567,3"
    assert vi_number(Decimal("34.00")) == "34"
    assert vi_number(-0.04) == "0,0"
    assert vi_number(Decimal("-1234.5"), 2) == "-1.234,50"
