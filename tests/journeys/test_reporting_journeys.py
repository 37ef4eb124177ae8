"""Issue #23 items 1 and 2 as people do them: province staff (desktop) see which communes have not
reported this week and remind one with the real buttons; the e-mail arrives at an SMTP server this
test starts (aiosmtpd); the commune's leader (phone) signs in and finds the reminder under the bell."""

import logging
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.accounts.test_email import _body, smtp_server  # noqa: F401 (the SMTP server fixture)
from tests.conftest import browser_login, screenshot
from tests.volunteers.factories import TeamFactory, WeeklyReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_remind_a_silent_commune_and_its_leader_sees_it_in_the_bell(
    staff_page,
    leader_page,
    personas,
    tree,
    smtp_server,  # noqa: F811
    settings,
):
    controller, inbox = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    leader = personas.leader_a
    leader.email = "carol@doan-an-hoi.vn"
    leader.save(update_fields=["email"])
    year, week, _ = timezone.localdate().isocalendar()
    TeamFactory(name="Đội TN An Hội", org_unit=tree.commune_a)  # has a team, has not reported
    WeeklyReportFactory(team=TeamFactory(org_unit=tree.sibling_a), iso_year=year, iso_week=week)

    # Staff: from the province dashboard's count to the list, tick An Hội, send.
    browser_login(staff_page, personas.staff_a.username)
    staff_page.goto(f"/progress/{tree.province_a.pk}/")
    count = staff_page.locator(".reporting-summary")
    assert count.inner_text().strip() == f"2/3 xã chưa báo cáo tuần {week}"
    count.get_by_role("link").click()
    staff_page.wait_for_url("**/reporting-status/**")
    rows = staff_page.locator(".reporting-status tbody tr")
    expect(rows).to_have_count(2)  # filtered to those not reported: An Hội and Bến Tre ward
    staff_page.get_by_label("Chọn Đoàn phường An Hội").check()
    staff_page.get_by_role("button", name="Gửi nhắc nhở tới các xã đã chọn").click()
    staff_page.wait_for_load_state("networkidle")

    success = staff_page.locator(".alert-success").inner_text()
    assert success == "Đã gửi nhắc nhở tới lãnh đạo 1 xã, phường: Đoàn phường An Hội."
    an_hoi = staff_page.locator(".reporting-status tbody tr", has_text="Đoàn phường An Hội")
    assert "Thư điện tử · Đã gửi" in an_hoi.locator(".reminders").inner_text()
    screenshot(staff_page, "journey-staff-reporting-reminder")

    # The e-mail reached the SMTP server.
    deadline = time.monotonic() + 10
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    [(recipients, message)] = inbox.messages
    assert recipients == ["carol@doan-an-hoi.vn"]
    subject = f"Nhắc báo cáo: Đoàn phường An Hội chưa báo cáo tuần {week}/{year}"
    assert _decoded_subject(message) == subject
    assert "/teams/mine/" in _body(message)

    # The leader, on a phone: the bell shows one unread; open it, read it, mark it read.
    browser_login(leader_page, leader.username)
    bell = leader_page.locator(".notification-bell")
    assert bell.locator(".notification-count").inner_text() == "1"
    bell.click()
    item = leader_page.locator(".notification-list .list-group-item").first
    assert item.locator(".notification-subject").inner_text() == subject
    screenshot(leader_page, "journey-leader-reminder-in-bell")
    item.get_by_role("button", name="Đánh dấu đã đọc").click()
    leader_page.wait_for_load_state("networkidle")
    expect(leader_page.locator(".notification-bell .notification-count")).to_have_count(0)
    expect(leader_page.locator(".notification-unread")).to_have_count(0)


def _decoded_subject(message) -> str:
    from email.header import decode_header, make_header

    return str(make_header(decode_header(message["Subject"])))
