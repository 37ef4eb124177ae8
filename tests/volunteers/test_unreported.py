"""Staff see every commune in scope that has not reported this week, with or without a team."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.volunteers.factories import MembershipFactory, TeamFactory, VolunteerFactory, WeeklyReportFactory
from volunteers import selectors
from volunteers.models import Membership

pytestmark = pytest.mark.django_db


def _week(weeks_ago: int) -> tuple[int, int]:
    year, week, _ = (timezone.localdate() - datetime.timedelta(weeks=weeks_ago)).isocalendar()
    return year, week


def test_communes_without_this_weeks_report_with_weeks_since_and_whom_to_call(as_user, personas, tree):
    # An Hội reported this week: not listed. Bến Tre ward last reported 3 weeks ago. Phú Khương has no team.
    an_hoi = TeamFactory(org_unit=tree.commune_a)
    year, week = _week(0)
    WeeklyReportFactory(team=an_hoi, iso_year=year, iso_week=week)
    ben_tre = TeamFactory(org_unit=tree.ward_a_ben_tre, contact_name="Lê Văn Tư", contact_phone="0900000004")
    year, week = _week(3)
    WeeklyReportFactory(team=ben_tre, iso_year=year, iso_week=week)
    leader = VolunteerFactory(
        home_unit=tree.ward_a_ben_tre, family_name="Trần", middle_name="Thị", given_name="Mai"
    )
    MembershipFactory(team=ben_tre, volunteer=leader, role=Membership.Role.LEADER)
    TeamFactory(org_unit=tree.commune_b)  # Thanh Hóa: another province

    response = as_user(personas.staff_a).get(reverse("volunteers:communes_unreported"))

    rows = response.context["rows"]
    assert [(r["unit"].code, r["unit"].team_count, r["weeks_since"]) for r in rows] == [
        ("28756", 0, None),  # never reported, no team: first
        ("28789", 1, 3),
    ]
    assert rows[0]["contact"] is None
    assert rows[1]["contact"] == {"name": "Trần Thị Mai", "phone": leader.phone}
    html = response.content.decode()
    assert "chưa có đội" in html and "3 tuần trước" in html and f"tel:{leader.phone}" in html


def test_the_units_leader_is_the_contact_and_leaders_see_their_commune_only(as_user, personas, tree):
    VolunteerFactory(home_unit=tree.commune_a, user=personas.leader_a, phone="0911222333")
    personas.leader_a.last_name, personas.leader_a.first_name = "Nguyễn", "Văn Hòa"
    personas.leader_a.save()

    rows = as_user(personas.leader_a).get(reverse("volunteers:communes_unreported")).context["rows"]

    assert [(r["unit"].code, r["contact"]) for r in rows] == [
        ("28777", {"name": "Nguyễn Văn Hòa", "phone": "0911222333"})
    ]
    assert as_user(personas.viewer).get(reverse("volunteers:communes_unreported")).status_code == 403


def test_a_month_view_is_the_same_selector_over_the_months_weeks(personas, tree):
    team = TeamFactory(org_unit=tree.commune_a)
    WeeklyReportFactory(team=team, iso_year=2026, iso_week=10)  # Monday 02/03/2026
    march = selectors.weeks_of(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert march == [(2026, 10), (2026, 11), (2026, 12), (2026, 13), (2026, 14)]

    codes = {u.code for u in selectors.communes_without_report(user=personas.staff_a, weeks=march)}

    assert codes == {"28756", "28789"}
