"""Vietnamese text helpers: search folding and alphabetical order."""

from core.text import fold, vi_sort_key


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
