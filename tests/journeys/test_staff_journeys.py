"""Province staff on a desktop: rosters, agreements, the communes that have not reported."""

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnerships.models import Agreement
from tests.conftest import browser_login, screenshot
from tests.partnerships.factories import PartnerFactory, make_agreement, objective_with_everything
from tests.volunteers.factories import MembershipFactory, TeamFactory, VolunteerFactory, WeeklyReportFactory
from volunteers import roster
from volunteers.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _roster_file(tmp_path, rows) -> str:
    """The file staff filled in: the portal's template columns, typed by hand."""
    workbook = openpyxl.Workbook()
    workbook.active.append(roster.header())
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / "danh-sach.xlsx"
    workbook.save(path)
    return str(path)


def _upload_check_confirm(page, team, path: str) -> None:
    page.goto(f"/teams/{team.pk}/")
    page.get_by_role("link", name="Nhập từ tệp").click()
    page.set_input_files("input[name=file]", path)
    page.get_by_role("button", name="Kiểm tra tệp").click()
    assert "Tệp hợp lệ" in page.locator(".alert-success").inner_text()
    page.get_by_role("button", name="Nhập các dòng này").click()
    page.wait_for_url(f"**/teams/{team.pk}/")


def test_staff_import_a_roster_upload_check_confirm(staff_page, personas, tree, tmp_path):
    team = TeamFactory(name="Đội TNCS An Hội", org_unit=tree.commune_a)
    path = _roster_file(
        tmp_path,
        [
            ["Lê", "Văn", "Hùng", 2001, "Nam", "0912555777", "", "", tree.commune_a.code, "Đội trưởng"],
            ["Trần", "Thị", "Bích", 2003, "Nữ", "0903000111", "", "", tree.commune_a.code, "Thành viên"],
        ],
    )
    browser_login(staff_page, personas.staff_a.username)

    _upload_check_confirm(staff_page, team, path)

    assert "2 tình nguyện viên mới" in staff_page.locator(".alert-success").inner_text()
    members = staff_page.locator(".roster").inner_text()
    assert "Lê Văn Hùng" in members and "Trần Thị Bích" in members
    screenshot(staff_page, "journey-staff-roster-import")


def test_staff_reimport_the_portals_own_roster_export(staff_page, personas, tree, tmp_path):
    old_team = TeamFactory(name="Đội TNCS An Hội 2025", org_unit=tree.commune_a)
    new_team = TeamFactory(name="Đội TNCS An Hội 2026", org_unit=tree.commune_a)
    for given, role in (("Hồng", Membership.Role.LEADER), ("Lan", Membership.Role.MEMBER)):
        volunteer = VolunteerFactory(home_unit=tree.commune_a, given_name=given)
        MembershipFactory(team=old_team, volunteer=volunteer, role=role)
    browser_login(staff_page, personas.staff_a.username)
    staff_page.goto(f"/teams/{old_team.pk}/")
    with staff_page.expect_download() as download:
        staff_page.locator(".roster").locator("xpath=..").get_by_role("link", name="Excel").click()
    path = str(tmp_path / "xuat.xlsx")
    download.value.save_as(path)

    _upload_check_confirm(staff_page, new_team, path)

    assert "2 người đã có được thêm vào đội" in staff_page.locator(".alert-success").inner_text()
    members = staff_page.locator(".roster").inner_text()
    assert "Hồng" in members and "Lan" in members and "Đội trưởng" in members
    screenshot(staff_page, "journey-staff-roster-reimport")


def test_staff_edit_and_save_an_agreement(staff_page, personas, tree):
    agreement = make_agreement(
        units=[tree.province_a],
        partners=[PartnerFactory(name="VNPT Vĩnh Long")],
        title="Thỏa thuận Vĩnh Long – VNPT",
        status=Agreement.Status.ACTIVE,
        objectives=[objective_with_everything(unit=tree.province_a)],
    )
    browser_login(staff_page, personas.staff_a.username)
    staff_page.goto(f"/agreements/{agreement.pk}/")
    staff_page.get_by_role("link", name="Sửa").first.click()
    staff_page.fill("#id_title", "Thỏa thuận Vĩnh Long – VNPT (bổ sung 2026)")

    staff_page.get_by_role("button", name="Lưu").click()

    staff_page.wait_for_url(f"**/agreements/{agreement.pk}/")
    assert "Đã lưu thỏa thuận" in staff_page.locator(".alert-success").inner_text()
    assert staff_page.locator("h1").inner_text() == "Thỏa thuận Vĩnh Long – VNPT (bổ sung 2026)"
    screenshot(staff_page, "journey-staff-agreement-saved")


def test_staff_see_the_communes_that_have_not_reported(staff_page, personas, tree):
    reported = TeamFactory(org_unit=tree.commune_a)
    year, week, _ = timezone.localdate().isocalendar()
    WeeklyReportFactory(team=reported, iso_year=year, iso_week=week)
    silent = TeamFactory(org_unit=tree.ward_a_ben_tre)
    leader = VolunteerFactory(
        home_unit=tree.ward_a_ben_tre, family_name="Trần", middle_name="Thị", given_name="Mai"
    )
    MembershipFactory(team=silent, volunteer=leader, role=Membership.Role.LEADER)
    browser_login(staff_page, personas.staff_a.username)
    staff_page.goto("/teams/")

    staff_page.get_by_role("link", name="Chưa báo cáo tuần này").click()

    expect(staff_page.locator("h1")).to_have_text(f"Tình hình báo cáo tuần {week}/{year}")
    staff_page.select_option("#f-status", "unreported")
    staff_page.get_by_role("button", name="Lọc").click()
    rows = staff_page.locator(".reporting-status tbody tr")
    expect(rows).to_have_count(2)  # Bến Tre ward and Phú Khương (no team), neither ever reported; An Hội did
    assert "Trần Thị Mai" in rows.nth(0).inner_text() and leader.phone in rows.nth(0).inner_text()
    assert "Đoàn phường Phú Khương" in rows.nth(1).inner_text() and "chưa có đội" in rows.nth(1).inner_text()
    assert "An Hội" not in staff_page.locator(".reporting-status").inner_text()
    screenshot(staff_page, "journey-staff-communes-unreported")
