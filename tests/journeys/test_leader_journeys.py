"""A commune leader on a phone: log a help session and correct it; log an activity and file the week."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from egov_support.demo import _ensure_catalogue
from egov_support.models import Service
from tests.conftest import browser_login, screenshot
from tests.egov_support.factories import HelpSessionFactory, ServiceLineFactory
from tests.volunteers.factories import MembershipFactory, TeamFactory, VolunteerFactory
from volunteers.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(tree, personas):
    """leader_a leads the An Hội team (their volunteer record says so); the catalogue is loaded."""
    _ensure_catalogue()  # transactional tests flush the catalogue the migration seeded
    team = TeamFactory(name="Đội TNCS An Hội", org_unit=tree.commune_a)
    leader = VolunteerFactory(home_unit=tree.commune_a, user=personas.leader_a, given_name="Hồng")
    MembershipFactory(team=team, volunteer=leader, role=Membership.Role.LEADER)
    return team


def test_leader_logs_a_session_then_corrects_it(leader_page, personas, team):
    vneid = Service.objects.get(code="vneid-level2").pk
    page = leader_page
    browser_login(page, personas.leader_a.username)
    page.goto("/help-sessions/")
    page.get_by_role("link", name="+ Ghi nhận buổi hỗ trợ").click()
    page.fill("input[name=address]", "Chợ phường An Hội")
    for _ in range(3):
        page.click(f"button[data-target='svc-{vneid}-citizens_assisted'][data-step='1']")
    page.get_by_role("button", name="Lưu buổi hỗ trợ").click()
    page.wait_for_url("**/help-sessions/")
    assert "3 người dân" in page.locator(".alert-success").inner_text()

    # Two citizens more came after the leader saved: open the session and correct it.
    row = page.locator(".session-table tbody tr").first
    assert row.bounding_box()["height"] >= 44  # the whole row is the tap target, not the date alone
    place = row.locator("td").nth(1).bounding_box()  # the team and place, away from the date's link
    page.mouse.click(place["x"] + place["width"] / 2, place["y"] + place["height"] / 2)
    page.wait_for_url("**/help-sessions/*/")
    page.get_by_role("link", name="Sửa").click()
    expect(page.locator("h1")).to_have_text("Sửa buổi hỗ trợ")
    assert page.locator(f"#svc-{vneid}-citizens_assisted").input_value() == "3"
    for _ in range(2):
        page.click(f"button[data-target='svc-{vneid}-citizens_assisted'][data-step='1']")
    page.get_by_role("button", name="Lưu buổi hỗ trợ").click()

    page.wait_for_url("**/help-sessions/*/")
    assert "Đã lưu buổi hỗ trợ: 5 người dân" in page.locator(".alert-success").inner_text()
    assert page.locator("tfoot").inner_text().split()[1] == "5"
    assert "Chợ phường An Hội" in page.locator("dl").inner_text()
    screenshot(page, "journey-leader-session-corrected")


def test_leader_logs_an_activity_and_files_the_week_with_its_session(leader_page, personas, team):
    today = timezone.localdate()
    # A help session the team logged earlier this week (its own journey is the one above).
    session = HelpSessionFactory(
        team=team, date=today, address="Nhà văn hóa khu phố 3", created_by=personas.leader_a
    )
    ServiceLineFactory(
        session=session,
        service=Service.objects.get(code="vneid-level2"),
        citizens_assisted=9,
        dossiers_online=0,
        successful=0,
    )
    page = leader_page
    browser_login(page, personas.leader_a.username)
    page.goto(f"/teams/{team.pk}/")
    page.get_by_role("link", name="Ghi hoạt động").click()
    page.select_option("select[name=kind]", "communication")
    page.fill("input[name=title]", "Tuyên truyền cài đặt VNeID ở chợ")
    page.fill("input[name=participants]", "40")
    page.fill("input[name=volunteers_count]", "5")
    page.fill("input[name=volunteer_hours]", "10")
    page.locator("form.js-draft button[type=submit]").click()
    assert "Tuyên truyền cài đặt VNeID ở chợ" in page.locator(".alert-success").inner_text()

    page.goto(f"/teams/{team.pk}/")
    year, week, _ = today.isocalendar()
    page.get_by_role("link", name=f"Báo cáo tuần {week}").click()
    page.get_by_role("button", name="Nộp báo cáo tuần").click()

    page.wait_for_url(f"**/teams/{team.pk}/weeks/{year}-W{week}/")
    assert "Đã nộp báo cáo tuần" in page.locator(".alert-success").first.inner_text()
    assert "Tuyên truyền cài đặt VNeID ở chợ" in page.locator(".week-activities").inner_text()
    sessions = page.locator(".week-sessions").inner_text()
    assert "Nhà văn hóa khu phố 3" in sessions and "9 người dân được hỗ trợ" in sessions
    assert datetime.date.fromisocalendar(year, week, 1) <= today
    screenshot(page, "journey-leader-weekly-report")


def test_leader_logs_a_session_on_a_phone_with_24_hour_times(leader_page, personas, team):
    vneid = Service.objects.get(code="vneid-level2").pk
    page = leader_page
    browser_login(page, personas.leader_a.username)
    page.goto("/help-sessions/new/")
    page.fill("input[name=start_time]", "1330")  # the numeric keypad has no colon on every phone
    page.fill("input[name=end_time]", "17:45")
    page.fill("input[name=address]", "Nhà văn hóa khu phố 3")
    page.click(f"button[data-target='svc-{vneid}-citizens_assisted'][data-step='1']")
    page.get_by_role("button", name="Lưu buổi hỗ trợ").click()

    page.wait_for_url("**/help-sessions/")
    assert "13:30–17:45" in page.locator(".session-table").inner_text()
    screenshot(page, "journey-leader-session-24-hour")
