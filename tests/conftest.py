"""Shared fixtures: a small real-shaped union tree and the personas of the permission tests.

The tree (codes are the real ones):
    TW  Trung ương Đoàn
    ├── 86  Tỉnh đoàn Vĩnh Long          (province A)
    │   ├── 28777 Đoàn phường An Hội     (commune A1: the leader's unit)
    │   └── 28756 Đoàn phường Phú Khương (commune A2: a sibling)
    ├── old-83 Tỉnh đoàn Bến Tre          (dissolved 30/06/2025, merged into Vĩnh Long)
    │   └── old-d829 Thành đoàn Bến Tre   (dissolved district, merged into Phường Bến Tre)
    │       (28789 Đoàn phường Bến Tre is under Vĩnh Long)
    └── 38  Tỉnh đoàn Thanh Hóa           (province B)
        └── 16066 Đoàn phường Hạc Thành   (commune B1)
"""

import datetime
import os
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connections
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.services import role_assign
from core.cache import DOWN
from org.models import OrgUnit
from tests.factories import OrgUnitFactory, UserFactory

PASSWORD = "correct-horse-battery-9"
REFORM = datetime.date(2025, 7, 1)
LAST_DAY = datetime.date(2025, 6, 30)


def clear_own_cache_keys() -> None:
    """Delete this test process's cache entries and nobody else's: with Redis, the keys under this
    process's prefix (config/settings_test.py); a local-memory cache is the process's own."""
    from django.conf import settings
    from django.core.cache import cache

    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client_of is None or not prefix:
        cache.clear()
        return
    try:
        client = client_of(write=True)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    except DOWN:
        pass  # Redis is down (a test may stop it): nothing of ours can be read either


@pytest.fixture(autouse=True)
def _own_cache_keys_cleared():
    """Each test starts with nothing in the cache from an earlier test of this process (sessions,
    rate-limit counters, a queued rollup no worker started); other processes' keys are left alone."""
    clear_own_cache_keys()


@pytest.fixture(autouse=True)
def _portal_language():
    """Each test starts in the portal's language (Vietnamese): a request with the English switch's
    cookie leaves its thread in English (the middleware activates the chosen language per request),
    and a later test's service message would then be English on that xdist worker only."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def _own_cache_keys_cleared_at_the_end():
    yield
    clear_own_cache_keys()


def require_service(available: bool, reason: str) -> None:
    """Skip a test whose service is missing, or fail it when CI demands every service."""
    if available:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def tree(db):
    K = OrgUnit.Kind
    central = OrgUnitFactory(code="TW", name="Trung ương Đoàn TNCS Hồ Chí Minh", kind=K.CENTRAL)
    vinh_long = OrgUnitFactory(
        code="86", name="Tỉnh đoàn Vĩnh Long", kind=K.PROVINCE, parent=central, valid_from=REFORM
    )
    an_hoi = OrgUnitFactory(code="28777", name="Đoàn phường An Hội", parent=vinh_long, valid_from=REFORM)
    phu_khuong = OrgUnitFactory(
        code="28756", name="Đoàn phường Phú Khương", parent=vinh_long, valid_from=REFORM
    )
    ben_tre_ward = OrgUnitFactory(
        code="28789", name="Đoàn phường Bến Tre", parent=vinh_long, valid_from=REFORM
    )
    ben_tre = OrgUnitFactory(
        code="old-83",
        name="Tỉnh đoàn Bến Tre",
        kind=K.PROVINCE,
        parent=central,
        valid_to=LAST_DAY,
        successor=vinh_long,
    )
    ben_tre_city = OrgUnitFactory(
        code="old-d829",
        name="Thành đoàn Bến Tre",
        kind=K.DISTRICT,
        parent=ben_tre,
        valid_to=LAST_DAY,
        successor=ben_tre_ward,
    )
    thanh_hoa = OrgUnitFactory(
        code="38", name="Tỉnh đoàn Thanh Hóa", kind=K.PROVINCE, parent=central, valid_from=REFORM
    )
    hac_thanh = OrgUnitFactory(
        code="16066", name="Đoàn phường Hạc Thành", parent=thanh_hoa, valid_from=REFORM
    )
    return SimpleNamespace(
        central=central,
        province_a=vinh_long,
        commune_a=an_hoi,
        sibling_a=phu_khuong,
        ward_a_ben_tre=ben_tre_ward,
        dissolved_a=ben_tre,
        dissolved_district_a=ben_tre_city,
        province_b=thanh_hoa,
        commune_b=hac_thanh,
    )


def _person(username: str, role: str | None, unit: OrgUnit | None, **extra):
    user = UserFactory(username=username, **extra)
    if role:
        role_assign(user=user, role=role, org_unit=unit)
    return user


@pytest.fixture
def personas(tree):
    """The people every permission test tries: each sees only what their role and unit allow."""
    return SimpleNamespace(
        admin=_person("alice_admin", None, None, is_superuser=True, is_staff=True),
        staff_a=_person("bob_staff_a", Role.PROVINCE_STAFF, tree.province_a),
        leader_a=_person("carol_leader_a", Role.UNIT_LEADER, tree.commune_a),
        staff_b=_person("dave_staff_b", Role.PROVINCE_STAFF, tree.province_b),
        leader_b=_person("erin_leader_b", Role.UNIT_LEADER, tree.commune_b),
        viewer=_person("frank_viewer", Role.VIEWER, tree.central),
        outsider=_person("oscar_outsider", None, None),
    )


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def as_user(client):
    """Log the test client in as a persona: ``as_user(personas.staff_a)``."""

    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


@pytest.fixture
def api_as(api_client):
    def login(user):
        api_client.force_authenticate(user=user)
        return api_client

    return login


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Browser tests (Playwright driving Debian's chromium; run in their own pytest process) ----

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "screenshots")
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 860}


@pytest.fixture
def browser_context_factory(live_server):
    """New browser contexts on the live server: ``new_context(viewport=PHONE)`` -> page."""
    require_service(os.path.exists(CHROMIUM), f"{CHROMIUM} is missing (apt-get install -y chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        contexts = []

        def new_page(viewport=PHONE, service_workers="block"):
            # The portal's service worker (issue 24) is blocked except in the journeys about it: a page
            # it controls never reaches Playwright's "networkidle", which the other journeys wait for.
            context = browser.new_context(
                viewport=viewport,
                base_url=live_server.url,
                locale="vi-VN",
                timezone_id="Asia/Ho_Chi_Minh",
                service_workers=service_workers,
            )
            context.set_default_timeout(15_000)
            contexts.append(context)
            return context.new_page()

        yield new_page
        for context in contexts:
            context.close()
        browser.close()
        # While Playwright's event loop runs in this thread, Django keeps this thread's database
        # connections in a context-local slot (asgiref's Local, once a loop is running), not the
        # plain thread-local one: whatever the test and its fixtures queried went through a
        # connection that nothing closes after the loop stops. Left open, it made dropping the test
        # database fail at the end of the browser phase ("is being accessed by other users").
        connections.close_all()


@pytest.fixture
def page(browser_context_factory):
    """A phone-sized page (360 px wide), the way commune leaders use the portal."""
    return browser_context_factory(PHONE)


def browser_login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def pick_unit(page, field_id: str, typed: str, name: str) -> None:
    """Choose a unit in a searchable picker (core.widgets.UnitPicker) as a person does: type, then click."""
    page.locator(f"#{field_id}-ts-control").locator("xpath=..").click()
    page.keyboard.type(typed)
    page.locator(f"#{field_id}-ts-dropdown .option", has_text=name).first.click()
    # What a person sees before the next tap: the unit chosen, the list closed.
    page.locator(f"#{field_id}-ts-control").locator("xpath=..").locator(".item", has_text=name).wait_for()
    page.locator(f"#{field_id}-ts-dropdown").wait_for(state="hidden")


def screenshot(page, name: str) -> str:
    os.makedirs(SCREENSHOTS, exist_ok=True)
    path = os.path.join(SCREENSHOTS, f"{name}.png")
    page.screenshot(path=path, full_page=True)
    return path
