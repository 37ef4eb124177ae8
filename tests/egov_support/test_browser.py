import datetime
import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from egov_support.demo import _ensure_catalogue
from egov_support.models import HelpSession, Service
from tests.conftest import DESKTOP, PASSWORD, browser_login, screenshot
from tests.egov_support.factories import HelpSessionFactory, ServiceLineFactory, ServiceStatisticFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue():
    # Transactional tests flush the tables, including the catalogue the migration seeded.
    _ensure_catalogue()
    return {s.code: s for s in Service.objects.all()}


def test_leader_logs_a_help_session_on_a_phone_and_sees_it_in_the_list(page, personas, egov, catalogue):
    browser_login(page, personas.leader_a.username)
    page.goto("/help-sessions/new/")

    assert page.locator("h1").inner_text() == "Ghi nhận buổi hỗ trợ"
    assert "mật khẩu VNeID" in page.locator(".privacy-notice").inner_text()
    # The team and unit are pre-filled: the leader has one team.
    assert page.locator("select[name=team]").input_value() == str(egov.team_a.pk)
    assert page.locator("select[name=org_unit]").input_value() == str(egov.team_a.org_unit.pk)
    page.select_option("select[name=location_kind]", "market")
    page.fill("input[name=address]", "Chợ phường An Hội")
    # Yesterday's session, its date typed on the numeric keypad, which on an iPhone has no "/".
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.fill("input[name=date]", f"{yesterday:%d%m%Y}")
    page.locator("input[name=date]").blur()
    expect(page.locator("input[name=date]")).to_have_value(f"{yesterday:%d/%m/%Y}")  # as it will be saved
    vneid = catalogue["vneid-level2"].pk
    for _ in range(3):
        page.click(f"button[data-target='svc-{vneid}-citizens_assisted'][data-step='1']")
    page.click(f"button[data-target='svc-{vneid}-citizens_assisted'][data-step='-1']")
    dvc = catalogue["dvc-provincial-full"].pk
    page.fill(f"#svc-{dvc}-citizens_assisted", "4")
    assert page.locator(".js-session-total").inner_text() == "6"
    page.locator(".session-more > summary").click()  # volunteers, campaign and notes are folded
    page.check(f"#vol-{egov.member_a.pk}")
    screenshot(page, "egov-session-form-phone")
    page.click(".session-form button[type=submit]")
    page.wait_for_url("**/help-sessions/")

    assert page.locator(".alert-success").is_visible()
    assert page.locator(".session-table").get_by_text(egov.team_a.name).is_visible()
    session = HelpSession.objects.get()
    assert (session.location_kind, session.total_assisted, session.date) == ("market", 6, yesterday)
    assert list(session.volunteers.all()) == [egov.member_a]
    screenshot(page, "egov-session-list-phone")


def test_error_keeps_what_the_leader_typed(page, personas, egov, catalogue):
    browser_login(page, personas.leader_a.username)
    page.goto("/help-sessions/new/")
    vneid = catalogue["vneid-level2"].pk
    page.fill(f"#svc-{vneid}-citizens_assisted", "2")
    page.locator(f"[data-service='{vneid}'] summary").click()
    page.fill(f"#svc-{vneid}-successful", "5")
    page.fill("input[name=address]", "Nhà văn hóa khu phố 3")
    page.click(".session-form button[type=submit]")

    assert page.locator(".alert-danger").is_visible()
    assert page.locator("input[name=address]").input_value() == "Nhà văn hóa khu phố 3"
    assert page.locator(f"#svc-{vneid}-successful").input_value() == "5"
    assert not HelpSession.objects.exists()
    screenshot(page, "egov-session-form-error-phone")


def test_statistics_page_and_import_preview(browser_context_factory, personas, tree, tmp_path):
    for month in range(1, 11):
        ServiceStatisticFactory(
            org_unit=tree.commune_a,
            month=datetime.date(2026, month, 1),
            dossiers_total=200,
            dossiers_online=40 + month * 12,
        )
        ServiceStatisticFactory(
            org_unit=tree.sibling_a,
            month=datetime.date(2026, month, 1),
            dossiers_total=120,
            dossiers_online=20 + month * 8,
        )
    page = browser_context_factory(DESKTOP)
    browser_login(page, personas.staff_a.username)
    page.goto("/statistics/")
    assert page.locator("h1").inner_text() == "Thống kê dịch vụ công trực tuyến"
    screenshot(page, "egov-statistics-desktop")

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Mã đơn vị",
            "Tên đơn vị",
            "Tháng",
            "Tổng hồ sơ",
            "Hồ sơ trực tuyến",
            "Thanh toán trực tuyến",
            "Nguồn",
        ]
    )
    sheet.append(["28777", "Đoàn phường An Hội", "10/2026", 200, 170, 50, "tỉnh"])
    sheet.append(["28789", "Đoàn phường Bến Tre", "10/2026", 90, 40, None, "tỉnh"])
    sheet.append(["16066", "Đoàn phường Hạc Thành", "10/2026", 90, 40, None, "tỉnh"])
    path = tmp_path / "thong-ke.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    page.goto("/statistics/import/")
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('Kiểm tra tệp')")
    assert page.locator(".import-errors").is_visible()
    screenshot(page, "egov-import-errors-desktop")

    sheet.delete_rows(4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('Kiểm tra tệp')")
    assert page.locator(".import-preview").is_visible()
    screenshot(page, "egov-import-preview-desktop")
    page.click(".js-confirm-import")
    page.wait_for_load_state("networkidle")
    screenshot(page, "egov-import-done-desktop")
    page.wait_for_url("**/statistics/")
    assert page.locator(".alert-success").is_visible()


def test_session_list_on_a_phone_with_data(page, personas, egov, catalogue):
    for day in range(1, 8):
        session = HelpSessionFactory(team=egov.team_a, date=datetime.date(2026, 10, day))
        ServiceLineFactory(
            session=session, service=catalogue["vneid-level2"], citizens_assisted=10 + day, successful=9
        )
        ServiceLineFactory(
            session=session,
            service=catalogue["dvc-national-full"],
            citizens_assisted=4,
            dossiers_online=4,
            successful=3,
        )
    browser_login(page, personas.staff_a.username)
    page.goto("/help-sessions/")
    assert page.locator(".session-totals").get_by_text("126").is_visible()
    screenshot(page, "egov-session-list-data-phone")


def test_the_filter_opened_after_the_session_ended_signs_in_and_comes_back(page, personas, egov):
    """A leader leaves the list open for hours; the session ends; they open "Lọc": the page goes to the
    sign-in form (not a sign-in form inside the filter), and back to the list after signing in."""
    HelpSessionFactory(team=egov.team_a, date=datetime.date(2025, 9, 1))
    browser_login(page, personas.leader_a.username)
    page.goto("/help-sessions/?page=1")
    page.context.clear_cookies()  # the session has ended

    page.get_by_text("Lọc", exact=True).click()

    page.wait_for_url("**/accounts/login/?next=%2Fhelp-sessions%2F%3Fpage%3D1")
    expect(page.locator("details#session-filter")).to_have_count(0)
    page.fill("input[name=login]", personas.leader_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/help-sessions/?page=1")
    expect(page.locator(".session-table tbody tr")).to_have_count(1)
