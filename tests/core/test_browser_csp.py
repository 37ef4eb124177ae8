"""The Content-Security-Policy in a real browser: the pages and the API docs run with no violation."""

import pytest

from tests.conftest import DESKTOP, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_and_portal_pages_render_without_csp_violations(browser_context_factory, personas):
    page = browser_context_factory(DESKTOP)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    browser_login(page, personas.staff_a.username)
    page.goto("/units/")
    page.goto("/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()

    assert "Đoàn CĐS portal API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() >= 1  # the operations were read from /api/schema/
    assert violations == []
