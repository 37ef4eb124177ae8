import datetime

import pytest

from progress import rollup
from tests.conftest import DESKTOP, PHONE, browser_login, screenshot
from tests.progress import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def recent(story):
    """The story plus a few months of this year's facts, so the charts have a line."""
    t = story.tree
    today = datetime.date.today()
    for back, citizens in ((4, 6), (3, 9), (2, 14), (1, 18), (0, 25)):
        day = rollup.add_months(today.replace(day=1), -back)
        f.session(story.team_a1, t.commune_a, day, ("dvc-national-full", citizens, citizens // 3))
        f.session(story.team_a1, t.sibling_a, day, ("vneid-level2", citizens // 2, 0))
        f.statistic(t.commune_a, day, 100, 10 + 4 * (4 - back))
        f.statistic(t.sibling_a, day, 50, 30)
    f.target(
        t.province_a,
        "online_service_rate",
        30,
        datetime.date(today.year, 12, 31),
        start=datetime.date(today.year, 1, 1),
    )
    f.target(
        t.commune_a,
        "online_service_rate",
        30,
        datetime.date(today.year, 12, 31),
        start=datetime.date(today.year, 1, 1),
    )
    rollup.rollup_full()
    return story


def test_province_staff_drill_into_a_commune_and_back(browser_context_factory, personas, recent):
    page = browser_context_factory(DESKTOP)
    browser_login(page, personas.staff_a.username)
    page.goto("/progress/")
    assert page.locator("h1").inner_text() == "Tỉnh đoàn Vĩnh Long"
    page.wait_for_selector("canvas.js-progress-chart[data-rendered='1']")
    screenshot(page, "progress-dashboard-desktop")

    page.locator("#ranking").get_by_role("link", name="Đoàn phường An Hội").click()
    assert page.locator("h1").inner_text() == "Đoàn phường An Hội"
    page.wait_for_selector("canvas.js-progress-chart[data-rendered='1']")
    canvas = page.locator("canvas.js-progress-chart").first
    assert canvas.bounding_box()["height"] > 100  # Chart.js sized and drew it
    screenshot(page, "progress-commune-desktop")

    page.locator(".breadcrumb").get_by_role("link", name="Tỉnh đoàn Vĩnh Long").click()
    assert page.locator("h1").inner_text() == "Tỉnh đoàn Vĩnh Long"
    # Sorting the ranking by a column reorders it in the page.
    page.locator("#ranking th").nth(1).click()
    assert page.locator("#ranking th").nth(1).get_attribute("aria-sort") == "ascending"


def test_dashboard_on_a_phone(browser_context_factory, personas, recent):
    page = browser_context_factory(PHONE)
    browser_login(page, personas.staff_a.username)
    page.goto("/progress/")
    page.wait_for_selector("canvas.js-progress-chart[data-rendered='1']")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360 + 1  # nothing overflows the phone's width (the ranking scrolls inside its box)
    screenshot(page, "progress-dashboard-phone")
