"""Province staff choose units by typing their names without diacritics: in admin and on pages."""

import pytest
from playwright.sync_api import expect

from egov_support.models import Campaign
from tests.conftest import browser_login, screenshot
from tests.egov_support.factories import HelpSessionFactory
from tests.volunteers.factories import TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_province_staff_pick_a_unit_in_admin_by_typing_its_name_without_diacritics(
    staff_page, personas, tree
):
    page = staff_page
    browser_login(page, personas.staff_a.username)

    page.goto("/admin/egov_support/campaign/add/")
    page.fill("input[name=name]", "Tháng cao điểm dịch vụ công")
    page.fill("input[name=starts_on]", "01/11/2025")
    page.fill("input[name=ends_on]", "30/11/2025")
    page.locator("[aria-labelledby=select2-id_org_unit-container]").click()
    page.locator("input[aria-controls=select2-id_org_unit-results]").fill("an hoi")
    option = page.locator(".select2-results__option", has_text="Đoàn phường An Hội")
    option.click()
    assert page.locator("#select2-id_org_unit-container").inner_text().strip().endswith("Đoàn phường An Hội")
    page.locator("input[name=_save]").click()

    page.wait_for_url("**/admin/egov_support/campaign/")
    assert "Tháng cao điểm dịch vụ công" in page.locator(".messagelist").inner_text()
    campaign = Campaign.objects.get(name="Tháng cao điểm dịch vụ công")
    assert campaign.org_unit == tree.commune_a
    screenshot(page, "journey-staff-admin-unit-picker")


def test_province_staff_filter_sessions_by_a_commune_typed_without_diacritics(staff_page, personas, tree):
    an_hoi = TeamFactory(name="Đội TNCS An Hội", org_unit=tree.commune_a)
    phu_khuong = TeamFactory(name="Đội TNCS Phú Khương", org_unit=tree.sibling_a)
    HelpSessionFactory(team=an_hoi, address="Nhà văn hóa khu phố 3")
    HelpSessionFactory(team=phu_khuong, address="Bộ phận một cửa phường Phú Khương")
    page = staff_page
    browser_login(page, personas.staff_a.username)

    page.goto("/help-sessions/")
    expect(page.locator(".session-table tbody tr")).to_have_count(2)
    page.get_by_text("Lọc", exact=True).click()
    page.locator(".ts-control").first.click()
    page.keyboard.type("phu khuong")
    page.locator(".ts-dropdown .option", has_text="Đoàn phường Phú Khương").click()
    page.get_by_role("button", name="Áp dụng").click()

    page.wait_for_url("**/help-sessions/?*")
    rows = page.locator(".session-table tbody")
    expect(rows.locator("tr")).to_have_count(1)
    assert "Đội TNCS Phú Khương" in rows.inner_text()
    expect(page.locator(".session-filter-chip")).to_have_text(["Đoàn phường Phú Khương"])  # what it selects
    page.get_by_text("Lọc", exact=True).click()
    assert "Đoàn phường Phú Khương" in page.locator(".ts-control").first.inner_text()
    screenshot(page, "journey-staff-filter-unit-picker")
