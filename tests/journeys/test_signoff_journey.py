"""The monthly sign-off as people do it: the leader submits last month on a phone, finds a mistake,
withdraws the month, corrects it and submits it again; province staff approve it at a desk, the
leader is told, and a correction to a help session of that month is refused with the reason."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from egov_support import services as egov_services
from tests.conftest import browser_login, screenshot
from tests.egov_support.factories import MembershipFactory, ServiceFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_submits_withdraws_to_correct_staff_approve_and_the_locked_month_refuses_an_edit(
    leader_page, staff_page, personas, tree
):
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    label = f"{month:%m/%Y}"
    team = TeamFactory(org_unit=tree.commune_a, name="Đội hình CĐS phường An Hội")
    member = MembershipFactory(team=team, joined_on=datetime.date(2025, 9, 1)).volunteer
    vneid = ServiceFactory(code="vneid-level2", name_vi="Kích hoạt tài khoản định danh điện tử mức độ 2")
    session = egov_services.help_session_create(  # logged last month, before the sign-off
        by=personas.leader_a,
        team=team,
        location_kind="one_stop_desk",
        address="Bộ phận một cửa phường",
        date=month.replace(day=20),
        start_time=datetime.time(7, 30),
        end_time=datetime.time(11, 0),
        lines=[{"service": vneid, "citizens_assisted": 12, "successful": 10}],
        volunteers=[member],
    )

    # The leader, on a phone: the month's page, then the unit's, then the button.
    browser_login(leader_page, personas.leader_a.username)
    leader_page.goto("/sign-off/")
    row = leader_page.locator(".signoff-units tr", has_text="Đoàn phường An Hội")
    assert "Chưa gửi duyệt" in row.inner_text()
    row.get_by_role("link", name="Mở").click()
    asked = []  # one tap among the months' buttons does not send a month: the phone asks first
    leader_page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    card = leader_page.locator(f".signoff-month[data-month='{month:%Y-%m}']")
    card.get_by_role("link", name=f"Xem các buổi hỗ trợ tháng {label}").click()  # what is sent
    expect(leader_page.locator(".session-table tbody tr")).to_have_count(1)
    leader_page.go_back()
    card.get_by_text("Thêm ghi chú gửi Tỉnh đoàn").click()
    for target in (
        card.locator("summary"),
        card.get_by_role("button", name=f"Gửi duyệt tháng {label}"),
        card.get_by_role("link", name=f"Xem các buổi hỗ trợ tháng {label}"),
        leader_page.locator(".navbar-toggler"),
    ):
        box = target.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box  # a thumb's size on the phone
    # A second tab keeps the session's edit form open while the month goes to the province.
    old_tab = leader_page.context.new_page()
    old_tab.goto(f"/help-sessions/{session.pk}/edit/")
    expect(old_tab.get_by_role("button", name="Lưu buổi hỗ trợ")).to_be_enabled()
    card.get_by_label("Ghi chú gửi Tỉnh đoàn").fill("Đủ buổi hỗ trợ ở bộ phận một cửa")
    leader_page.get_by_role("button", name=f"Gửi duyệt tháng {label}").click()
    leader_page.wait_for_load_state("networkidle")
    assert f"Đã gửi duyệt tháng {label}." in leader_page.locator(".alert-success").inner_text()
    assert asked == [
        f"Gửi duyệt tháng {label}? Từ lúc gửi, số liệu tháng này được giữ nguyên trong khi Tỉnh đoàn "
        "xem xét: muốn sửa, hãy rút lại."
    ]
    assert "Đã gửi duyệt" in card.inner_text()
    expect(card.locator(".signoff-note")).to_have_text("Ghi chú của đơn vị: Đủ buổi hỗ trợ ở bộ phận một cửa")
    screenshot(leader_page, "journey-leader-submits-month")

    # Then the leader sees two more citizens were helped that day. The month waits for the province
    # as it was sent: its session says so, and how to correct it.
    waiting = (
        f"Tháng {label} của Đoàn phường An Hội đã gửi duyệt: không thể thay đổi số liệu trong lúc Tỉnh đoàn "
        "xem xét. Muốn sửa, hãy rút lại tháng này, hoặc đề nghị cán bộ Tỉnh đoàn trả lại."
    )
    leader_page.goto(f"/help-sessions/{session.pk}/")
    expect(leader_page.locator(".session-lock")).to_have_text(waiting)
    leader_page.get_by_role(
        "link", name=f"Mở tháng {label} ở trang duyệt số liệu"
    ).click()  # where to withdraw
    leader_page.wait_for_url(f"**/sign-off/units/*/#month-{month:%Y-%m}")
    leader_page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    card.get_by_role("button", name=f"Rút lại tháng {label} để sửa").click()
    leader_page.wait_for_load_state("networkidle")
    assert asked[-1] == f"Rút lại tháng {label} để sửa? Tỉnh đoàn chỉ duyệt được sau khi bạn gửi lại."
    expect(leader_page.locator(".alert-success")).to_have_text(
        f"Đã rút lại tháng {label}: hãy sửa số liệu rồi gửi duyệt lại."
    )
    expect(card.locator(".badge")).to_have_text("Đã rút lại")
    screenshot(leader_page, "journey-leader-withdraws-month")
    leader_page.goto("/")  # taken back, not forgotten: the home page says it waits to be sent again
    reminder = leader_page.locator(".home-send-again")
    expect(reminder).to_contain_text(f"Tháng {label} của Đoàn phường An Hội: đã rút lại, chưa gửi duyệt lại.")
    screenshot(leader_page, "journey-leader-home-month-withdrawn")
    leader_page.goto(f"/help-sessions/{session.pk}/edit/")
    leader_page.fill(f"#svc-{vneid.pk}-citizens_assisted", "14")
    leader_page.get_by_role("button", name="Lưu buổi hỗ trợ").click()
    leader_page.wait_for_load_state("networkidle")
    session.refresh_from_db()
    assert session.total_assisted == 14
    leader_page.goto("/")
    reminder.get_by_role("link", name="Gửi duyệt lại").click()
    expect(card.get_by_label("Ghi chú gửi Tỉnh đoàn")).to_have_value("Đủ buổi hỗ trợ ở bộ phận một cửa")
    leader_page.once("dialog", lambda dialog: dialog.accept())
    card.get_by_role("button", name=f"Gửi duyệt tháng {label}").click()
    leader_page.wait_for_load_state("networkidle")
    expect(card.locator(".badge")).to_have_text("Đã gửi duyệt")

    # Province staff, at a desk: told by the bell; the month's overview, the unit waiting, what it
    # logged that month, approve (asked first: it locks the figures).
    browser_login(staff_page, personas.staff_a.username)
    expect(staff_page.locator(".notification-count")).to_have_text("1")
    staff_page.get_by_role("link", name="Duyệt số liệu tháng (1 chờ duyệt)").click()  # the home page's
    assert "0/3 đơn vị đã duyệt" in staff_page.locator(".signoff-counts").inner_text()
    assert "1 đơn vị chờ duyệt" in staff_page.locator(".signoff-counts").inner_text()
    staff_page.locator(".signoff-units tr", has_text="Đoàn phường An Hội").get_by_role(
        "link", name="Mở"
    ).click()
    expect(staff_page.locator(f".signoff-month[data-month='{month:%Y-%m}'] .signoff-note")).to_contain_text(
        "Đủ buổi hỗ trợ ở bộ phận một cửa"
    )
    staff_page.get_by_role("link", name=f"Xem các buổi hỗ trợ tháng {label}").click()
    expect(staff_page.locator(".session-table tbody tr")).to_have_count(1)
    expect(staff_page.locator(".session-totals")).to_contain_text("14")
    staff_page.go_back()
    # "Trả lại đơn vị" without a reason: the field says so in Vietnamese, whatever the browser's language.
    staff_page.get_by_role("button", name="Trả lại đơn vị").click()
    reason = staff_page.get_by_placeholder("Lý do trả lại")
    assert reason.evaluate("field => field.validationMessage") == "Vui lòng điền mục này."
    confirmed = []
    staff_page.once("dialog", lambda dialog: (confirmed.append(dialog.message), dialog.accept()))
    staff_page.get_by_role("button", name=f"Duyệt tháng {label}").click()
    staff_page.wait_for_load_state("networkidle")
    assert "số liệu tháng này đã được khóa sổ" in staff_page.locator(".alert-success").inner_text()
    assert confirmed == [f"Duyệt tháng {label} của Đoàn phường An Hội? Số liệu tháng này sẽ bị khóa."]
    assert "Đã duyệt" in staff_page.locator(f".signoff-month[data-month='{month:%Y-%m}']").inner_text()
    # Decided from here, without opening the bell: the month no longer counts as waiting.
    expect(staff_page.locator(".notification-count")).to_have_count(0)
    staff_page.goto("/sign-off/")
    assert "1/3 đơn vị đã duyệt" in staff_page.locator(".signoff-counts").inner_text()
    screenshot(staff_page, "journey-staff-approves-month")

    # The leader hears of it without asking: the bell counts it, the notification opens the unit's months.
    leader_page.goto("/")
    expect(leader_page.locator(".notification-count")).to_have_text("1")
    leader_page.locator(".notification-bell").click()
    news = leader_page.locator(".notification-unread")
    expect(news.locator(".notification-subject")).to_have_text(
        f"Tháng {label} của Đoàn phường An Hội đã được duyệt"
    )
    screenshot(leader_page, "journey-leader-hears-month-approved")
    news.get_by_role("button", name="Mở").click()
    expect(leader_page.locator(f".signoff-month[data-month='{month:%Y-%m}']")).to_contain_text("Đã duyệt")
    expect(leader_page.locator(".notification-count")).to_have_count(0)

    locked = (
        f"Tháng {label} của Đoàn phường An Hội đã được duyệt và khóa sổ: không thể thay đổi số liệu của "
        "tháng này. Đề nghị cán bộ Tỉnh đoàn mở khóa nếu cần sửa."
    )
    # The leader opens a session of that month: the reason instead of the buttons to correct or delete.
    leader_page.goto(f"/help-sessions/{session.pk}/")
    expect(leader_page.locator(".session-lock")).to_have_text(locked)
    expect(leader_page.get_by_role("link", name="Sửa")).to_have_count(0)
    expect(leader_page.get_by_role("button", name="Xóa")).to_have_count(0)
    screenshot(leader_page, "journey-leader-locked-session")
    # The form opened by its address (a bookmark) says why at once; nothing can be sent from it.
    leader_page.goto(f"/help-sessions/{session.pk}/edit/")
    expect(leader_page.locator(".form-lock")).to_have_text(locked)
    expect(leader_page.get_by_role("button", name="Lưu buổi hỗ trợ")).to_be_disabled()
    # The way to the month and the way back stay live (a disabled fieldset would grey out its links).
    for link in (f"Mở tháng {label} ở trang duyệt số liệu", "Hủy"):
        assert (
            leader_page.get_by_role("link", name=link).evaluate("a => getComputedStyle(a).pointerEvents")
            != "none"
        )
    # Nothing can be typed either: the counters and fields of a locked month are disabled.
    expect(leader_page.locator(f"#svc-{vneid.pk}-citizens_assisted")).to_be_disabled()
    expect(
        leader_page.locator(f"button[data-target='svc-{vneid.pk}-citizens_assisted'][data-step='1']")
    ).to_be_disabled()
    screenshot(leader_page, "journey-leader-locked-edit-form")
    # The tab opened before the month was sent is refused with the reason, nothing changed.
    old_tab.fill(f"#svc-{vneid.pk}-citizens_assisted", "15")
    old_tab.get_by_role("button", name="Lưu buổi hỗ trợ").click()
    old_tab.wait_for_load_state("networkidle")
    expect(old_tab.locator(".alert-danger")).to_contain_text(locked)
    session.refresh_from_db()
    assert session.total_assisted == 14
    screenshot(old_tab, "journey-leader-locked-month-refused")
