"""Projection statuses and the weekly pace (rollup.target_assessment), hand-computed."""

import datetime
from decimal import Decimal

import pytest

from partnerships.models import Target
from progress.models import Aggregation, IndicatorRule, TargetStatus
from progress.rollup import target_assessment

D = datetime.date
START, DEADLINE = D(2026, 1, 1), D(2026, 12, 31)  # 365 days
TODAY = D(2026, 7, 1)  # day 182: elapsed 182 of 365


def assess(value, goal, *, aggregation=Aggregation.FLOW, baseline=None, today=TODAY, direction="at_least"):
    target = Target(target_value=Decimal(goal), baseline=baseline, deadline=DEADLINE, direction=direction)
    rule = IndicatorRule(aggregation=aggregation)
    return target_assessment(
        target=target,
        rule=rule,
        start=START,
        today=today,
        numerator=value,
        denominator=None,
        value=Decimal(value),
    )


def test_achieved_when_met():
    assert assess(1000, 1000)["status"] == TargetStatus.Status.ACHIEVED


def test_on_track_when_the_linear_projection_meets_the_target():
    result = assess(500, 1000)  # 500 x 365 / 182 = 1002.7
    assert result["status"] == TargetStatus.Status.ON_TRACK
    assert result["projected"] == Decimal("1002.7473")


def test_at_risk_within_ten_percent():
    result = assess(460, 1000)  # projected 922.5: short by less than 10%
    assert result["status"] == TargetStatus.Status.AT_RISK


def test_off_track_beyond_ten_percent_and_after_the_deadline():
    assert assess(300, 1000)["status"] == TargetStatus.Status.OFF_TRACK  # projected 601.6
    assert assess(999, 1000, today=D(2027, 1, 5))["status"] == TargetStatus.Status.OFF_TRACK


def test_needs_per_week_is_what_is_missing_over_the_weeks_left():
    result = assess(500, 1000)  # 500 missing, 183 days = 26.142857 weeks left
    assert result["needs_per_week"] == Decimal("19.1257")


def test_a_rate_is_projected_from_its_baseline():
    # 20% at the start, 25% now: +5 points in half the time -> 30.03% at the deadline.
    result = assess(25, 30, aggregation=Aggregation.STOCK, baseline=Decimal(20))
    assert result["status"] == TargetStatus.Status.ON_TRACK
    assert result["projected"] == Decimal("30.0275")
    assert assess(22, 30, aggregation=Aggregation.STOCK, baseline=Decimal(20))["status"] == "off_track"


def test_at_most_targets_are_achieved_only_at_the_deadline():
    assert assess(100, 300, direction="at_most")["status"] == TargetStatus.Status.ON_TRACK  # 200.5 <= 300
    assert assess(100, 300, direction="at_most", today=DEADLINE)["status"] == TargetStatus.Status.ACHIEVED


@pytest.mark.django_db
def test_no_value_means_no_data():
    target = Target(target_value=Decimal(10), deadline=DEADLINE)
    result = target_assessment(
        target=target,
        rule=IndicatorRule(aggregation="flow"),
        start=START,
        today=TODAY,
        numerator=0,
        denominator=None,
        value=None,
    )
    assert result["status"] == TargetStatus.Status.NO_DATA
