"""The dashboard's "lagging units" list and the order of units: most red lights first, then the
Vietnamese alphabet ("Đ" after "D"), and a long list folds after ten."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from progress.selectors import ChildRow, lagging_units
from tests.factories import OrgUnitFactory
from tests.progress.factories import statistic, target

pytestmark = pytest.mark.django_db


def _kpi(code, name):
    return SimpleNamespace(code=code, rule=SimpleNamespace(indicator=SimpleNamespace(name=name)))


def test_lagging_units_worst_first_then_in_vietnamese_order():
    kpis = [_kpi("a", "Tỷ lệ"), _kpi("b", "Lượt")]
    rows = [
        ChildRow(SimpleNamespace(name="Đoàn xã Đông Hải"), {"a": (1, "red"), "b": (1, "amber")}),
        ChildRow(SimpleNamespace(name="Đoàn xã Duyên Hải"), {"a": (1, "red"), "b": (1, "amber")}),
        ChildRow(SimpleNamespace(name="Đoàn xã An Bình"), {"a": (1, "amber"), "b": (1, "green")}),
        ChildRow(SimpleNamespace(name="Đoàn xã Ba Tri"), {"a": (1, "red"), "b": (1, "red")}),
        ChildRow(SimpleNamespace(name="Đoàn xã Cái Nhum"), {"a": (1, "green"), "b": (None, None)}),
    ]
    assert [(u.name, problems) for u, problems in lagging_units(ranking=rows, kpis=kpis)] == [
        ("Đoàn xã Ba Tri", ["Tỷ lệ", "Lượt"]),
        ("Đoàn xã Duyên Hải", ["Tỷ lệ", "Lượt"]),
        ("Đoàn xã Đông Hải", ["Tỷ lệ", "Lượt"]),
        ("Đoàn xã An Bình", ["Tỷ lệ"]),
    ]


def test_a_long_lagging_list_shows_ten_and_folds_the_rest(tree, catalogues, personas, as_user):
    from progress.rollup import rollup_full

    today = datetime.date.today()
    province = tree.province_a
    for n in range(12):
        commune = OrgUnitFactory(code=f"lag{n}", name=f"Đoàn xã Thử {n:02d}", parent=province)
        statistic(commune, today.replace(day=1), 100, 1)  # 1% online against the province's target
    target(
        province,
        "online_service_rate",
        80,
        datetime.date(today.year, 12, 31),
        start=datetime.date(today.year, 1, 1),
    )
    rollup_full()
    body = as_user(personas.staff_a).get(reverse("progress:dashboard", args=[province.pk])).content.decode()
    # One group (the one indicator all twelve miss), ten names shown, two folded.
    panel = body.split('id="lagging"', 1)[1].split("</ul>", 1)[0]
    assert panel.count('class="mb-2 lag-group"') == 1
    listed, folded = panel.split("<details", 1)
    assert listed.count("Đoàn xã Thử") == 10
    assert "Xem thêm 2 đơn vị" in folded and folded.count("Đoàn xã Thử") == 2


def test_lagging_groups_put_units_behind_on_the_same_indicators_together():
    from progress.selectors import lagging_groups

    kpis = [_kpi("a", "Tỷ lệ"), _kpi("b", "Lượt")]
    rows = [
        ChildRow(SimpleNamespace(name=f"Đoàn xã {name}"), values)
        for name, values in (
            ("Đông Hải", {"a": (1, "red"), "b": (1, "green")}),
            ("Duyên Hải", {"a": (1, "red"), "b": (1, "green")}),
            ("Ba Tri", {"a": (1, "red"), "b": (1, "red")}),
            ("An Bình", {"a": (1, "amber"), "b": (None, "")}),
            ("Cái Nhum", {"a": (1, "green"), "b": (None, "")}),
        )
    ]
    groups = [(g.reds, g.ambers, [u.name for u in g.units]) for g in lagging_groups(ranking=rows, kpis=kpis)]
    assert groups == [
        (["Tỷ lệ", "Lượt"], [], ["Đoàn xã Ba Tri"]),
        (["Tỷ lệ"], [], ["Đoàn xã Duyên Hải", "Đoàn xã Đông Hải"]),  # "Đ" after "D"
        ([], ["Tỷ lệ"], ["Đoàn xã An Bình"]),
    ]
