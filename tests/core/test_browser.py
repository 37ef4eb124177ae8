import pytest

from tests.conftest import DESKTOP, browser_login, pick_unit, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_province_staff_signs_in_on_a_phone_and_sees_their_unit(page, personas):
    page.goto("/")
    assert "/accounts/login/" in page.url

    browser_login(page, personas.staff_a.username)

    assert page.locator("h1").inner_text().startswith("Xin chào")
    assert page.get_by_text("Tỉnh đoàn Vĩnh Long").first.is_visible()
    assert page.get_by_text("Cán bộ tỉnh đoàn").first.is_visible()
    screenshot(page, "home-phone")


def test_wrong_password_is_refused_with_a_message(page, personas):
    browser_login(page, personas.staff_a.username, "not-the-password")

    assert "/accounts/login/" in page.url
    assert page.locator(".alert-danger").is_visible()


def test_units_page_on_desktop_drills_down(browser_context_factory, personas, tree):
    page = browser_context_factory(DESKTOP)
    browser_login(page, personas.staff_a.username)
    page.goto("/units/")
    page.get_by_role("link", name="Tỉnh đoàn Vĩnh Long").first.click()
    page.get_by_role("link", name="Đoàn phường An Hội").click()

    assert page.locator("h1").inner_text() == "Đoàn phường An Hội"
    assert page.locator(".breadcrumb").get_by_text("Tỉnh đoàn Vĩnh Long").is_visible()
    screenshot(page, "unit-detail-desktop")


def test_province_staff_create_a_leader_account_on_a_phone(page, personas, tree):
    from django.contrib.auth import get_user_model

    browser_login(page, personas.staff_a.username)
    page.goto("/users/new/")
    page.fill("input[name=username]", "leader_phu_khuong")
    page.fill("input[name=last_name]", "Lê Thị")
    page.fill("input[name=first_name]", "Mai")
    page.fill("input[name=password]", "mot-mat-khau-dai-2026")
    page.select_option("select[name=role]", "unit_leader")
    pick_unit(page, "id_org_unit", "phu khuong", "Đoàn phường Phú Khương")
    screenshot(page, "account-create-phone")
    page.click("main button[type=submit]")

    assert page.locator("h1").inner_text() == "Lê Thị Mai"
    assert page.get_by_text("Đoàn phường Phú Khương").first.is_visible()
    assert get_user_model().objects.get(username="leader_phu_khuong").role_assignments.count() == 1
    screenshot(page, "account-detail-phone")
