"""A commune leader's phone without signal (issue 24): the installable app's offline logging.

Chromium on a phone (390 x 844), the real buttons, the network cut with ``context.set_offline(True)``.
Service workers need a secure context: the live server runs on localhost, which counts as one.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from egov_support.demo import _ensure_catalogue
from egov_support.models import HelpSession, Service
from signoff import services as signoff_services
from tests.conftest import PASSWORD, screenshot
from tests.journeys.conftest import LEADER_PHONE
from tests.volunteers.factories import MembershipFactory, TeamFactory, VolunteerFactory
from volunteers.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "/help-sessions/new/"
ENTRIES = "async (user) => (await CdsOffline.list(user)).map((e) => [e.user, e.status])"
USER_CACHES = "async () => (await caches.keys()).filter((name) => name.startsWith('pages-u'))"


@pytest.fixture
def leader_page(browser_context_factory):
    """A phone with the service worker allowed (the other journeys block it)."""
    return browser_context_factory(LEADER_PHONE, service_workers="allow")


def browser_login(page, username: str) -> None:
    """Sign in and land on the home page (a page the worker controls never reaches "networkidle")."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    # The first page after sign-in waits for the worker to install (its shell files) and claim it.
    page.wait_for_selector("html[data-offline-ready='1']", timeout=30_000)


@pytest.fixture
def team(tree, personas):
    _ensure_catalogue()  # transactional tests flush the catalogue the migration seeded
    team = TeamFactory(name="Đội TNCS An Hội", org_unit=tree.commune_a)
    leader = VolunteerFactory(home_unit=tree.commune_a, user=personas.leader_a, given_name="Hồng")
    MembershipFactory(team=team, volunteer=leader, role=Membership.Role.LEADER)
    return team


def _ready_for_offline(page):
    """Signed in and online: home and the form opened once, the worker keeping them for this user."""
    page.goto("/")
    page.wait_for_selector("html[data-offline-ready='1']")
    page.goto(NEW)
    page.wait_for_selector("html[data-offline-ready='1']")


def _log_offline(page, address: str, citizens: int, *, start="07:30", end="11:00", day=None):
    page.get_by_role("link", name="Ghi nhận buổi hỗ trợ").first.click()
    page.wait_for_selector("form.session-form")
    vneid = Service.objects.get(code="vneid-level2").pk
    if day is not None:
        page.fill("input[name=date]", f"{day:%d/%m/%Y}")
    page.fill("input[name=address]", address)
    page.fill("input[name=start_time]", start)
    page.fill("input[name=end_time]", end)
    for _ in range(citizens):
        page.click(f"button[data-target='svc-{vneid}-citizens_assisted'][data-step='1']")
    page.get_by_role("button", name="Lưu buổi hỗ trợ").click()
    page.wait_for_url("**/?queued=1")


def test_two_sessions_logged_offline_arrive_exactly_once(leader_page, personas, team):
    page = leader_page
    browser_login(page, personas.leader_a.username)
    _ready_for_offline(page)

    page.context.set_offline(True)
    page.goto("/")
    _log_offline(page, "Chợ phường An Hội", 3)
    expect(page.locator("#offline-status")).to_contain_text("Đã lưu trên máy")
    expect(page.locator("#offline-status")).to_contain_text("Chờ gửi (1)")
    # Reloaded without signal, the form still opens (from the phone's copy).
    page.goto(NEW)
    page.reload()
    assert page.locator("h1").inner_text() == "Ghi nhận buổi hỗ trợ"
    page.goto("/")
    _log_offline(page, "Nhà văn hóa khu phố 2", 2)
    expect(page.locator("#offline-status")).to_contain_text("Chờ gửi (2)")
    assert HelpSession.objects.count() == 0
    screenshot(page, "journey-offline-two-waiting")

    page.context.set_offline(False)
    page.locator(".js-offline-note", has_text="Đã gửi từ máy này: 2.").wait_for()
    expect(page.locator(".js-offline-pending")).to_be_hidden()
    sessions = HelpSession.objects.order_by("address")
    assert [(s.address, s.total_assisted) for s in sessions] == [
        ("Chợ phường An Hội", 3),
        ("Nhà văn hóa khu phố 2", 2),
    ]
    assert len({s.idempotency_key for s in sessions}) == 2
    page.reload()  # a later page load sends nothing again
    page.wait_for_selector("html[data-offline-ready='1']")
    assert HelpSession.objects.count() == 2
    screenshot(page, "journey-offline-two-sent")


def test_an_entry_refused_at_sync_is_listed_fixed_and_sign_out_clears_the_phone(leader_page, personas, team):
    page = leader_page
    browser_login(page, personas.leader_a.username)
    _ready_for_offline(page)

    page.context.set_offline(True)
    page.goto("/")
    _log_offline(page, "Chợ Long Hồ", 4, start="11:00", end="07:30")  # the end before the start
    page.context.set_offline(False)
    page.locator(".js-offline-refused", has_text="Cần sửa (1)").click()

    entry = page.locator(".offline-entry-refused")
    assert "Chợ Long Hồ" in entry.inner_text()
    assert "Đến: Giờ kết thúc phải sau giờ bắt đầu." in entry.inner_text()
    screenshot(page, "journey-offline-refused-list")
    entry.get_by_role("link", name="Mở để sửa").click()
    assert "Giờ kết thúc phải sau giờ bắt đầu" in page.locator(".offline-refused").inner_text()
    assert page.locator("input[name=address]").input_value() == "Chợ Long Hồ"
    page.fill("input[name=end_time]", "12:00")
    page.get_by_role("button", name="Lưu buổi hỗ trợ").click()
    page.wait_for_url("**/help-sessions/")
    assert "4 người dân" in page.locator(".alert-success").inner_text()
    assert HelpSession.objects.get().address == "Chợ Long Hồ"
    assert page.evaluate(ENTRIES, str(personas.leader_a.pk)) == []

    # Another refused entry, then sign out: a warning names it, and the phone keeps nothing after.
    page.context.set_offline(True)
    page.goto("/")
    _log_offline(page, "Ấp Phước Hậu", 1, start="11:00", end="07:30")
    page.context.set_offline(False)
    page.locator(".js-offline-refused", has_text="Cần sửa (1)").wait_for()
    assert page.evaluate(USER_CACHES) == [f"pages-u{personas.leader_a.pk}"]
    warnings = []
    page.once("dialog", lambda dialog: (warnings.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Menu").click()
    page.locator("#mainnav .dropdown-toggle").last.click()  # the account menu
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/accounts/login/**")
    assert warnings == [
        "Còn 1 bản ghi trên máy này chưa gửi. Đăng xuất sẽ xoá chúng khỏi máy. Vẫn đăng xuất?"
    ]
    assert page.evaluate(ENTRIES, str(personas.leader_a.pk)) == []
    assert page.evaluate(USER_CACHES) == []
    assert HelpSession.objects.count() == 1
    screenshot(page, "journey-offline-signed-out")


def test_an_entry_refused_by_a_sent_month_leads_to_it_and_goes_once_the_month_is_withdrawn(
    leader_page, personas, team, tree
):
    """Logged without signal for last month, which the leader had already sent: the phone says why,
    links to the month, and after the withdrawal "Gửi ngay" sends the entry as it is."""
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    label = f"{last_month:%m/%Y}"
    signoff_services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=last_month)
    page = leader_page
    browser_login(page, personas.leader_a.username)
    _ready_for_offline(page)
    page.context.set_offline(True)
    page.goto("/")
    _log_offline(page, "Nhà văn hóa khu phố 2", 3, day=last_month.replace(day=20))
    page.context.set_offline(False)
    page.locator(".js-offline-refused", has_text="Cần sửa (1)").click()

    entry = page.locator(".offline-entry-refused")
    expect(entry).to_contain_text(f"Tháng {label} của Đoàn phường An Hội đã gửi duyệt")
    expect(entry).to_contain_text("Nhà văn hóa khu phố 2 · 3 người dân")  # the count says what it counts
    screenshot(page, "journey-offline-refused-by-sent-month")
    entry.get_by_role("link", name=f"Mở tháng {label} ở trang duyệt số liệu").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Rút lại tháng {label} để sửa").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".alert-success")).to_contain_text(f"Đã rút lại tháng {label}")

    page.locator(".js-offline-refused", has_text="Cần sửa (1)").click()
    page.get_by_role("button", name="Gửi ngay").click()  # as it is: nothing in it needs fixing
    expect(page.locator(".js-offline-note")).to_have_text("Đã gửi từ máy này: 1.")
    assert HelpSession.objects.get().address == "Nhà văn hóa khu phố 2"
    assert page.evaluate(ENTRIES, str(personas.leader_a.pk)) == []


def test_a_second_user_on_the_same_phone_never_sends_the_first_users_queue(leader_page, personas, team, tree):
    TeamFactory(name="Đội TNCS Hạc Thành", org_unit=tree.commune_b)
    page = leader_page
    browser_login(page, personas.leader_a.username)
    _ready_for_offline(page)
    page.context.set_offline(True)
    page.goto("/")
    _log_offline(page, "Chợ phường An Hội", 2)
    expect(page.locator("#offline-status")).to_contain_text("Chờ gửi (1)")

    # The first user's session ends without signing out (cookies gone); another leader signs in.
    page.context.clear_cookies()
    page.context.set_offline(False)
    browser_login(page, personas.leader_b.username)
    page.wait_for_selector("html[data-offline-ready='1']")
    page.goto(NEW)
    page.wait_for_selector("html[data-offline-ready='1']")

    expect(page.locator("#offline-status")).to_be_hidden()
    assert HelpSession.objects.count() == 0
    assert page.evaluate(ENTRIES, str(personas.leader_a.pk)) == [[str(personas.leader_a.pk), "pending"]]
    assert page.evaluate(USER_CACHES) == [f"pages-u{personas.leader_b.pk}"]
    screenshot(page, "journey-offline-second-user")
