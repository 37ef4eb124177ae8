"""The dashboard of a unit with units under it (issue #21 item 11): a national figure from some of the
provinces is marked partial, dissolved units are behind a toggle, every indicator has its highest and
lowest units, and the lagging units are grouped."""

import datetime
import re

import pytest
from django.urls import reverse

from progress import rollup, selectors
from tests.progress import factories as f

pytestmark = pytest.mark.django_db
THIS_YEAR = datetime.date.today().year


@pytest.fixture
def this_year(story):
    t = story.tree
    month = datetime.date.today().replace(day=1)
    f.session(story.team_a1, t.commune_a, month, ("dvc-national-full", 40, 10))
    f.session(story.team_a2, t.sibling_a, month, ("dvc-national-full", 15, 0))
    rollup.rollup_full()
    return story


def test_national_figures_from_one_of_two_provinces_are_marked_partial(this_year, personas, as_user):
    body = as_user(personas.viewer).get(reverse("progress:dashboard", args=[this_year.tree.central.pk]))
    html = body.content.decode()
    card = html.split('data-indicator="citizens_assisted"', 1)[1].split("</div>\n</div>", 1)[0]
    assert "Một phần" in card and "1/2 tỉnh có số liệu" in card
    # Thanh Hóa and Vĩnh Long are the current provinces; Bến Tre (dissolved) counts in neither.
    figures = body.context["kpis"]
    citizens = next(k for k in figures if k.code == "citizens_assisted")
    assert (citizens.reported, citizens.reporting_total, citizens.is_partial) == (1, 2, True)


def test_dissolved_units_are_behind_a_toggle_not_in_the_table(this_year, personas, as_user):
    html = (
        as_user(personas.viewer).get(reverse("progress:dashboard", args=[this_year.tree.central.pk])).content
    )
    html = html.decode()
    table = html.split('id="ranking"', 1)[1].split("</table>", 1)[0]
    assert "Tỉnh đoàn Vĩnh Long" in table and "Tỉnh đoàn Thanh Hóa" in table
    assert "Tỉnh đoàn Bến Tre" not in table
    toggle = html.split('id="dissolved-units"', 1)[1].split("</details>", 1)[0]
    assert "1 đơn vị đã giải thể" in toggle and "Tỉnh đoàn Bến Tre" in toggle


def test_each_indicator_ranks_its_highest_and_lowest_units(this_year, personas, as_user):
    response = as_user(personas.staff_a).get(
        reverse("progress:dashboard", args=[this_year.tree.province_a.pk])
    )
    leaders = {item.kpi.code: item for item in response.context["leaders"]}
    citizens = leaders["citizens_assisted"]
    assert [(unit.name, value) for unit, value, _light in citizens.top] == [
        ("Đoàn phường An Hội", 40),
        ("Đoàn phường Phú Khương", 15),
    ]
    assert citizens.bottom == []  # two units: both are among the five highest
    assert citizens.without_data == 1  # Phường Bến Tre has no session this year
    html = response.content.decode()
    assert len(re.findall(r'class="js-leaders-panel"', html)) == len(selectors.rules())


def test_a_province_page_marks_official_statistics_partial_but_not_volunteer_outputs(
    this_year, personas, as_user
):
    month = datetime.date.today().replace(day=1)
    f.statistic(this_year.tree.commune_a, month, 100, 40)
    rollup.rollup_full()
    response = as_user(personas.staff_a).get(
        reverse("progress:dashboard", args=[this_year.tree.province_a.pk])
    )
    kpis = {k.code: k for k in response.context["kpis"]}
    # One commune of three has reported its statistics: the rate is partial.
    assert (kpis["online_service_rate"].reported, kpis["online_service_rate"].reporting_total) == (1, 3)
    assert "1/3 xã, phường có số liệu" in response.content.decode()
    # A commune whose team helped nobody is not missing data.
    assert kpis["citizens_assisted"].reporting_total is None
