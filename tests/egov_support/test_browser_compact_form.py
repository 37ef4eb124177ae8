"""The compact help-session form on a 360 px phone: six services, the rest one tap away."""

import pytest

from egov_support.demo import _ensure_catalogue
from egov_support.models import HelpSession, Service
from tests.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_logs_an_uncommon_service_from_dich_vu_khac(page, personas, egov):
    _ensure_catalogue()  # transactional tests flush the catalogue the migration seeded
    other = Service.objects.get(code="digital-skills")
    browser_login(page, personas.leader_a.username)
    page.goto("/help-sessions/new/")

    assert page.locator(".common-services .service-row").count() == 6
    assert not page.locator(f"#svc-{other.pk}-citizens_assisted").is_visible()
    assert not page.locator(".session-more textarea[name=notes]").is_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"compact form height at 360 px: {height} px")
    screenshot(page, "egov-session-form-compact-phone")

    page.locator(".other-services > summary").click()
    page.fill(f"#svc-{other.pk}-citizens_assisted", "3")
    page.fill("input[name=address]", "Nhà văn hóa khu phố 3")
    page.click(".session-form button[type=submit]")
    page.wait_for_url("**/help-sessions/")

    session = HelpSession.objects.get()
    assert [(line.service.code, line.citizens_assisted) for line in session.lines.all()] == [
        ("digital-skills", 3)
    ]


def test_the_sign_in_page_looks_like_the_portal_on_a_phone(page):
    page.goto("/accounts/login/")

    assert page.locator(".portal-navbar").is_visible()
    assert page.locator(".entrance-card h1").inner_text() != ""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    screenshot(page, "sign-in-phone")
