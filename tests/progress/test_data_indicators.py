"""Indicators defined as data (issue #22 item 4): validated when saved, computed by the same rollup.

The figures are hand-computed from the story of ``conftest.py`` (today 20/11/2025).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.progress_marks import mark_dirty
from partnerships.models import Indicator
from progress import rollup
from progress.models import DataMeasure, IndicatorRule, MeasureValue, Progress, TargetStatus
from progress.services import MeasureSpec, indicator_define
from tests.progress import factories as f
from tests.progress.conftest import TODAY
from volunteers.models import Activity

pytestmark = pytest.mark.django_db
D = datetime.date


def define(code, *, formula="sum", aggregation="flow", numerator, denominator=None, **kwargs):
    return indicator_define(
        code=code,
        name_vi=f"Chỉ tiêu {code}",
        name_en=f"Indicator {code}",
        unit="người",
        direction="at_least",
        formula=formula,
        aggregation=aggregation,
        numerator=numerator,
        denominator=denominator,
        **kwargs,
    )


def value(unit, code, kind, start, field="value"):
    row = Progress.objects.filter(
        org_unit=unit, indicator__code=code, period_kind=kind, period_start=start
    ).first()
    return None if row is None else getattr(row, field)


def snapshot():
    fields = [
        "org_unit_id",
        "indicator_id",
        "period_kind",
        "period_start",
        "period_end",
        "numerator",
        "denominator",
        "value",
    ]
    return sorted(Progress.objects.values_list(*fields))


VNEID = MeasureSpec(source="service_lines", operation="sum", field="line_citizens_assisted")


def _vneid():
    from egov_support.models import Service

    return MeasureSpec(
        source="service_lines",
        operation="sum",
        field="line_citizens_assisted",
        service=Service.objects.get(code="vneid-level2"),
    )


# --- Sum, ratio, flow, stock ----------------------------------------------------------------------


def test_a_sum_over_lines_of_one_service_is_a_flow_up_the_tree(story):
    define("vneid_lines", numerator=_vneid())
    rollup.rollup_full(today=TODAY)
    t = story.tree
    aug = D(2025, 8, 1)
    assert value(t.sibling_a, "vneid_lines", "month", aug) == 5
    assert value(t.province_a, "vneid_lines", "month", aug) == 5
    assert value(t.central, "vneid_lines", "quarter", D(2025, 7, 1)) == 5
    assert value(t.commune_a, "vneid_lines", "month", aug) is None  # its lines are another service
    assert value(t.province_b, "vneid_lines", "year", D(2025, 1, 1)) is None


def test_a_count_of_lines_in_a_service_group_follows_a_dissolved_unit_to_its_successor(story):
    define(
        "public_lines",
        numerator=MeasureSpec(source="service_lines", operation="count", service_category="public_service"),
    )
    rollup.rollup_full(today=TODAY)
    t = story.tree
    assert value(t.central, "public_lines", "month", D(2025, 8, 1)) == 2  # An Hội and Hạc Thành
    assert value(t.central, "public_lines", "year", D(2025, 1, 1)) == 4
    assert value(t.dissolved_a, "public_lines", "month", D(2025, 5, 1)) == 1  # before the merger
    assert value(t.province_a, "public_lines", "month", D(2025, 9, 1)) == 1  # after it: the successor's


def test_a_ratio_is_sum_over_sum_at_every_level_never_an_average(story):
    define(
        "online_share",
        formula="ratio",
        numerator=MeasureSpec(source="statistics", operation="sum", field="stat_dossiers_online"),
        denominator=MeasureSpec(source="statistics", operation="sum", field="stat_dossiers_total"),
    )
    rollup.rollup_full(today=TODAY)
    t = story.tree
    aug = D(2025, 8, 1)
    assert value(t.commune_a, "online_share", "month", aug) == 10  # 1 of 10
    assert value(t.sibling_a, "online_share", "month", aug) == 100  # 90 of 90
    # 91 of 100, not the average 55 of 10% and 100%; the quarter 100 of 200, not the average of months.
    assert value(t.province_a, "online_share", "month", aug) == 91
    assert value(t.province_a, "online_share", "quarter", D(2025, 7, 1)) == 50
    assert value(t.province_a, "online_share", "quarter", D(2025, 7, 1), "denominator") == 200
    assert Indicator.objects.get(code="online_share").kind == Indicator.Kind.RATIO
    assert IndicatorRule.objects.get(indicator__code="online_share").scale == 100


def test_memberships_as_a_stock_and_as_a_flow(story):
    members = MeasureSpec(source="memberships", operation="count")
    define("on_rosters", aggregation="stock", numerator=members)
    define("joined", aggregation="flow", numerator=members)
    rollup.rollup_full(today=TODAY)
    t = story.tree
    # On a roster at the month's end: V2 from 20/07; V1 in two teams from 10/08; V1 left one 15/09.
    assert value(t.province_a, "on_rosters", "month", D(2025, 7, 1)) == 1
    assert value(t.province_a, "on_rosters", "month", D(2025, 8, 1)) == 3
    assert value(t.province_a, "on_rosters", "month", D(2025, 9, 1)) == 2
    assert value(t.province_a, "on_rosters", "quarter", D(2025, 7, 1)) == 2  # the stock at September
    assert value(t.province_a, "on_rosters", "year", D(2025, 1, 1)) == 2  # at November, the current month
    # Begun in the month, summed over the quarter.
    assert value(t.province_a, "joined", "month", D(2025, 8, 1)) == 2
    assert value(t.province_a, "joined", "quarter", D(2025, 7, 1)) == 3


def test_activities_by_kind_and_a_target_on_the_indicator(story):
    define(
        "pilots",
        numerator=MeasureSpec(source="activities", operation="count", activity_kind="three_no_pilot"),
    )
    for day, kind in (
        (D(2025, 8, 2), "three_no_pilot"),
        (D(2025, 9, 9), "three_no_pilot"),
        (D(2025, 9, 9), "training"),
    ):
        Activity.objects.create(team=story.team_a1, date=day, kind=kind, title="Ra mắt mô hình")
        mark_dirty(org_unit_id=story.team_a1.org_unit_id, day=day)
    target = f.target(story.tree.province_a, "pilots", 4, D(2025, 12, 31))
    rollup.rollup_full(today=TODAY)
    assert value(story.tree.province_a, "pilots", "quarter", D(2025, 7, 1)) == 2
    status = TargetStatus.objects.get(target=target)
    assert status.value == 2
    assert status.status in (
        TargetStatus.Status.AT_RISK,
        TargetStatus.Status.OFF_TRACK,
        TargetStatus.Status.ON_TRACK,
    )


def test_incremental_runs_agree_with_a_full_run_and_a_redefinition_recomputes(story):
    define("vneid_lines", numerator=_vneid())
    rollup.rollup_dirty(today=TODAY)  # a new definition is computed in full by an incremental run
    assert value(story.tree.central, "vneid_lines", "month", D(2025, 8, 1)) == 5
    f.session(story.team_a1, story.tree.commune_a, D(2025, 10, 3), ("vneid-level2", 4, 0))
    rollup.rollup_dirty(today=TODAY)
    assert value(story.tree.province_a, "vneid_lines", "year", D(2025, 1, 1)) == 9
    incremental = snapshot()
    rollup.rollup_full(today=TODAY)
    assert snapshot() == incremental
    written = MeasureValue.objects.count()
    assert rollup.rollup_full(today=TODAY).rows_written >= 0 and MeasureValue.objects.count() == written

    # Counted instead of summed: the next run, with no mark at all, recomputes every period.
    indicator = Indicator.objects.get(code="vneid_lines")
    from egov_support.models import Service

    indicator_define(
        indicator=indicator,
        code="vneid_lines",
        name_vi="Số buổi kích hoạt VNeID",
        name_en="VNeID sessions",
        unit="buổi",
        direction="at_least",
        formula="sum",
        aggregation="flow",
        numerator=MeasureSpec(
            source="service_lines", operation="count", service=Service.objects.get(code="vneid-level2")
        ),
    )
    rollup.rollup_dirty(today=TODAY)
    assert value(story.tree.province_a, "vneid_lines", "year", D(2025, 1, 1)) == 2
    incremental = snapshot()
    rollup.rollup_full(today=TODAY)
    assert snapshot() == incremental


def test_a_ratio_turned_into_a_sum_drops_its_denominator(story):
    stat = MeasureSpec(source="statistics", operation="sum", field="stat_dossiers_online")
    total = MeasureSpec(source="statistics", operation="sum", field="stat_dossiers_total")
    indicator = define("share", formula="ratio", numerator=stat, denominator=total)
    rollup.rollup_dirty(today=TODAY)
    define("share", indicator=indicator, numerator=stat)
    rollup.rollup_dirty(today=TODAY)
    assert DataMeasure.objects.count() == 1
    assert value(story.tree.province_a, "share", "month", D(2025, 8, 1)) == 91
    assert value(story.tree.province_a, "share", "month", D(2025, 8, 1), "denominator") is None


# --- Validation -------------------------------------------------------------------------------------


def _errors(**kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        define("bad", **kwargs)
    assert not Indicator.objects.filter(code="bad").exists()  # nothing half-saved
    assert not DataMeasure.objects.exists()
    return caught.value.message_dict


@pytest.mark.parametrize(
    "kwargs, field, words",
    [
        ({"formula": "ratio", "numerator": VNEID}, "denominator_source", "cần có mẫu số"),
        ({"numerator": VNEID, "denominator": VNEID}, "denominator_source", "không có mẫu số"),
        (
            {"numerator": MeasureSpec(source="memberships", operation="sum", field="line_successful")},
            "numerator_operation",
            "chỉ đếm",
        ),
        ({"numerator": MeasureSpec(source="service_lines", operation="sum")}, "numerator_field", "trường"),
        (
            {"numerator": MeasureSpec(source="activities", operation="sum", field="stat_dossiers_total")},
            "numerator_field",
            "Hoạt động",
        ),
        (
            {"numerator": MeasureSpec(source="activities", operation="count", service_category="payment")},
            "numerator_service_category",
            "buổi hỗ trợ",
        ),
        (
            {"numerator": MeasureSpec(source="statistics", operation="count", activity_kind="training")},
            "numerator_activity_kind",
            "hoạt động",
        ),
        ({"aggregation": "stock", "numerator": VNEID}, "aggregation", "lưu lượng"),
        ({"numerator": MeasureSpec()}, "numerator_source", "Tử số"),
    ],
)
def test_definitions_that_cannot_compute_are_refused_naming_the_field(catalogues, kwargs, field, words):
    errors = _errors(**kwargs)
    assert field in errors, errors
    assert words.lower() in " ".join(errors[field]).lower(), errors[field]


def test_a_filter_that_matches_nothing_is_refused(catalogues):
    from egov_support.models import Service

    signature = Service.objects.get(code="digital-signature")
    errors = _errors(
        numerator=MeasureSpec(
            source="service_lines", operation="count", service=signature, service_category="payment"
        )
    )
    assert "không khớp" in errors["numerator_service_category"][0]


def test_a_ratio_of_a_measure_by_itself_and_a_taken_code_are_refused(catalogues):
    errors = _errors(formula="ratio", numerator=VNEID, denominator=VNEID)
    assert "denominator_source" in errors
    with pytest.raises(ValidationError) as caught:
        define("citizens_assisted", numerator=VNEID)
    assert "code" in caught.value.message_dict


def test_a_built_in_indicator_is_not_redefined(catalogues):
    with pytest.raises(ValidationError) as caught:
        define("x", indicator=Indicator.objects.get(code="citizens_assisted"), numerator=VNEID)
    assert "formula" in caught.value.message_dict
    assert IndicatorRule.objects.get(indicator__code="citizens_assisted").numerator == "citizens_assisted"


def test_decimal_sums_keep_their_decimals(story):
    define(
        "hours", numerator=MeasureSpec(source="activities", operation="sum", field="activity_volunteer_hours")
    )
    Activity.objects.create(
        team=story.team_a1,
        date=D(2025, 8, 2),
        kind="training",
        title="Tập huấn",
        volunteer_hours=Decimal("2.5"),
    )
    mark_dirty(org_unit_id=story.team_a1.org_unit_id, day=D(2025, 8, 2))
    rollup.rollup_dirty(today=TODAY)
    assert value(story.tree.province_a, "hours", "month", D(2025, 8, 1)) == Decimal("2.5")


def test_a_target_on_a_dissolved_unit_counts_its_successor_after_its_end(story):
    define(
        "public_lines",
        numerator=MeasureSpec(source="service_lines", operation="count", service_category="public_service"),
    )
    t = story.tree
    target = f.target(t.dissolved_district_a, "public_lines", 5, D(2025, 12, 31), start=D(2025, 1, 1))
    rollup.rollup_full(today=TODAY)
    # May's session while Thành đoàn Bến Tre existed, September's in Phường Bến Tre after it.
    assert TargetStatus.objects.get(target=target).value == 2
