"""Journey (phone): a commune leader mistypes her password, with her name in capitals, until the
account locks; she sees the Vietnamese lockout page, and the right password does not get through."""

import pytest

from tests.conftest import PASSWORD, browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_locked_by_typos_in_any_case_sees_the_vietnamese_lockout_page(page, personas):
    username = personas.leader_a.username
    for attempt in range(4):
        browser_login(page, username.upper() if attempt % 2 else f" {username} ", "mật-khẩu-sai-1")
        assert page.locator(".alert-danger").is_visible()

    browser_login(page, username.title(), "mật-khẩu-sai-1")
    assert page.locator("h1").inner_text() == "Tài khoản tạm thời bị khoá"
    assert page.get_by_text("Vui lòng thử lại sau 5 phút").is_visible()

    browser_login(page, username, PASSWORD)  # the right password, while locked
    assert page.locator("h1").inner_text() == "Tài khoản tạm thời bị khoá"
    assert username not in page.content()
    screenshot(page, "lockout-phone")
    page.get_by_role("link", name="Quay lại trang đăng nhập").click()
    assert "/accounts/login/" in page.url
