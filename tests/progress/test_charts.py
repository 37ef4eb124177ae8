"""Trend charts (issue #21 item 9): what the dashboard hands Chart.js for each indicator.

An annual target of 6,000 citizens is compared with the running total since January, never with one
month's 300-600; a month without data stays empty, and the months after today are not drawn.
"""

import datetime

import pytest

from progress import rollup, selectors
from tests.progress import factories as f

pytestmark = pytest.mark.django_db

YEAR = 2025
TODAY = datetime.date(YEAR, 5, 20)


@pytest.fixture
def months(story):
    """An Hội: sessions in January, February and April (none in March); statistics the same months."""
    t = story.tree
    for month, citizens, total, online in ((1, 300, 100, 20), (2, 500, 100, 40), (4, 600, 200, 120)):
        day = datetime.date(YEAR, month, 10)
        f.session(story.team_a1, t.commune_a, day, ("dvc-national-full", citizens, 0))
        f.statistic(t.commune_a, day.replace(day=1), total, online)
    f.target(
        t.commune_a, "citizens_assisted", 6000, datetime.date(YEAR, 12, 31), start=datetime.date(YEAR, 1, 1)
    )
    f.target(
        t.commune_a, "online_service_rate", 80, datetime.date(YEAR, 12, 31), start=datetime.date(YEAR, 1, 1)
    )
    rollup.rollup_full()
    return story


def _chart(kpis, code):
    return selectors.chart_series(next(k for k in kpis if k.code == code))


def test_a_count_is_drawn_as_its_running_total_against_the_annual_target(months):
    kpis = selectors.unit_kpis(unit=months.tree.commune_a, year=YEAR, today=TODAY)
    chart = _chart(kpis, "citizens_assisted")

    assert chart["months"] == [f"{m:02d}/{YEAR}" for m in range(1, 13)]  # the calendar year
    ytd, monthly = chart["series"]
    assert ytd["kind"] == "ytd" and monthly["kind"] == "monthly"
    # January 300, February 800, March still 800 (no session), April 1,400, May 1,400; none after today.
    assert ytd["values"] == [300, 800, 800, 1400, 1400] + [None] * 7
    # Each month as it was: March and the months after today have no bar.
    assert monthly["values"] == [300, 500, None, 600] + [None] * 8
    assert chart["target"] == {"value": 6000.0, "label": "Mục tiêu 6.000 đến 31/12/2025"}
    assert chart["percent"] is False


def test_a_rate_so_far_is_sum_of_numerators_over_sum_of_denominators(months):
    kpis = selectors.unit_kpis(unit=months.tree.commune_a, year=YEAR, today=TODAY)
    chart = _chart(kpis, "online_service_rate")

    (ytd,) = chart["series"]  # a rate has no monthly bars
    # 20/100, (20+40)/200, the same in March, (20+40+120)/400 = 45% from April.
    assert ytd["values"][:5] == [20.0, 30.0, 30.0, 45.0, 45.0]
    assert chart["percent"] is True and chart["target"]["label"] == "Mục tiêu 80% đến 31/12/2025"


def test_a_level_is_drawn_month_by_month(months):
    kpis = selectors.unit_kpis(unit=months.tree.commune_a, year=YEAR, today=TODAY)
    chart = _chart(kpis, "teams_active")

    (level,) = chart["series"]
    assert level["kind"] == "level"
    assert len(level["values"]) == 12 and level["values"][6:] == [None] * 6  # nothing after today
