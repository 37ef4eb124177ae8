import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from signoff import services
from signoff.models import MonthSignoff, SignoffEvent

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _december():
    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _step(unit, step, month=NOVEMBER):
    return reverse("signoff:month_step", args=[unit.pk, month.year, month.month, step])


def test_leader_submits_on_the_unit_page_and_staff_approve(tree, personas, as_user):
    leader = as_user(personas.leader_a)
    page = leader.get(reverse("signoff:unit_months", args=[tree.commune_a.pk]))
    html = page.content.decode()
    assert "Gửi duyệt tháng 11/2026" in html and "Chưa gửi duyệt" in html
    assert "Duyệt tháng 11/2026" not in html  # the leader does not approve

    shown = leader.post(_step(tree.commune_a, "submit"), follow=True).content.decode()
    assert "Đã gửi duyệt tháng 11/2026." in shown
    assert MonthSignoff.objects.get().status == "submitted"

    staff = as_user(personas.staff_a)
    overview = staff.get(reverse("signoff:month_overview") + "?month=2026-11").content.decode()
    assert "0/3 đơn vị đã duyệt" in overview and "1 đơn vị chờ duyệt" in overview
    shown = staff.post(_step(tree.commune_a, "approve"), follow=True).content.decode()
    assert "Đã duyệt tháng 11/2026 của Đoàn phường An Hội: số liệu tháng này đã được khóa sổ." in shown
    assert "Mở khóa" in shown
    overview = staff.get(reverse("signoff:month_overview") + "?month=2026-11&status=approved")
    assert [row["unit"] for row in overview.context["rows"]] == [tree.commune_a]
    assert "1/3 đơn vị đã duyệt" in overview.content.decode()


def test_the_leader_withdraws_a_waiting_month_to_correct_it_and_staff_see_it_gone(tree, personas, as_user):
    services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    withdraw = "Rút lại tháng 11/2026 để sửa"
    staff_page = as_user(personas.staff_a).get(reverse("signoff:unit_months", args=[tree.commune_a.pk]))
    assert withdraw not in staff_page.content.decode()  # staff return it instead
    assert as_user(personas.leader_b).post(_step(tree.commune_a, "withdraw")).status_code == 404
    assert as_user(personas.viewer).post(_step(tree.commune_a, "withdraw")).status_code == 403

    leader = as_user(personas.leader_a)
    page = leader.get(reverse("signoff:unit_months", args=[tree.commune_a.pk])).content.decode()
    card = re.search(r'data-month="2026-11".*?</section>', page, re.S).group(0)
    assert withdraw in card and "Gửi duyệt tháng 11/2026" not in card
    assert "Tỉnh đoàn chỉ duyệt được sau khi bạn gửi lại." in card  # asked first

    shown = leader.post(_step(tree.commune_a, "withdraw"), follow=True).content.decode()
    assert "Đã rút lại tháng 11/2026: hãy sửa số liệu rồi gửi duyệt lại." in shown
    card = re.search(r'data-month="2026-11".*?</section>', shown, re.S).group(0)
    assert "Đã rút lại" in card and "Gửi duyệt tháng 11/2026" in card and withdraw not in card
    assert MonthSignoff.objects.get().status == "withdrawn"
    home = leader.get(reverse("portal:home")).content.decode()  # a month taken back is not forgotten
    assert "Tháng 11/2026 của Đoàn phường An Hội: đã rút lại, chưa gửi duyệt lại." in home
    assert f'href="/sign-off/units/{tree.commune_a.pk}/#month-2026-11">Gửi duyệt lại</a>' in home
    overview = as_user(personas.staff_a).get(reverse("signoff:month_overview") + "?month=2026-11")
    assert "0 đơn vị chờ duyệt" in overview.content.decode()
    again = leader.post(_step(tree.commune_a, "withdraw"), follow=True).content.decode()
    assert "đang ở trạng thái “đã rút lại”: không thể thực hiện thao tác này." in again
    assert MonthSignoff.objects.get().events.count() == 2


def test_return_without_a_reason_is_refused_with_the_message(tree, personas, as_user):
    services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    shown = as_user(personas.staff_a).post(_step(tree.commune_a, "return"), {"reason": " "}, follow=True)
    assert "Hãy ghi lý do: đơn vị sẽ thấy lý do này." in shown.content.decode()
    assert MonthSignoff.objects.get().status == "submitted"

    shown = as_user(personas.staff_a).post(
        _step(tree.commune_a, "return"), {"reason": "Thiếu tuần 4"}, follow=True
    )
    assert "Lý do: Thiếu tuần 4" in shown.content.decode()
    page = as_user(personas.leader_a).get(reverse("signoff:unit_months", args=[tree.commune_a.pk]))
    assert "Bị trả lại" in page.content.decode() and "Gửi duyệt tháng 11/2026" in page.content.decode()


def test_the_leaders_note_goes_with_the_month_and_a_returned_month_keeps_it_to_edit(tree, personas, as_user):
    leader = as_user(personas.leader_a)
    page = leader.get(reverse("signoff:unit_months", args=[tree.commune_a.pk])).content.decode()
    assert 'name="note"' in page and "Thêm ghi chú gửi Tỉnh đoàn" in page
    assert "Xem các buổi hỗ trợ tháng 11/2026" in page  # what they are about to submit

    leader.post(_step(tree.commune_a, "submit"), {"note": "  Đủ 4 tuần, 12 buổi  "})
    assert MonthSignoff.objects.get().note == "Đủ 4 tuần, 12 buổi"
    staff = as_user(personas.staff_a)
    shown = staff.get(reverse("signoff:unit_months", args=[tree.commune_a.pk])).content.decode()
    assert "Ghi chú của đơn vị: Đủ 4 tuần, 12 buổi" in shown
    assert "Trả lại tháng 11/2026 cho Đoàn phường An Hội? Lãnh đạo đơn vị sẽ nhận được lý do." in shown

    shown = staff.post(_step(tree.commune_a, "return"), {"reason": "Thiếu tuần 4"}, follow=True)
    card = re.search(r'data-month="2026-11".*?</section>', shown.content.decode(), re.S).group(0)
    assert card.count("Thiếu tuần 4") == 1  # in the box, not again in the history below it
    page = (
        as_user(personas.leader_a)
        .get(reverse("signoff:unit_months", args=[tree.commune_a.pk]))
        .content.decode()
    )
    card = re.search(r'data-month="2026-11".*?</section>', page, re.S).group(0)
    assert re.search(r"<details[^>]*signoff-note-field[^>]* open>", card)  # the note, ready to edit
    assert ">Đủ 4 tuần, 12 buổi</textarea>" in card

    as_user(personas.leader_a).post(_step(tree.commune_a, "submit"), {"note": "Đã bổ sung tuần 4"})
    page = (
        as_user(personas.leader_a)
        .get(reverse("signoff:unit_months", args=[tree.commune_a.pk]))
        .content.decode()
    )
    card = re.search(r'data-month="2026-11".*?</section>', page, re.S).group(0)
    assert "· Thiếu tuần 4" in card  # resubmitted: the return's reason stays in the history
    assert 'signoff-event-note">Ghi chú: Đủ 4 tuần, 12 buổi</span>' in card  # the first sending's note
    assert card.count("Đã bổ sung tuần 4") == 1  # the current note: in its box only


def test_wrong_role_other_unit_and_bad_month_change_nothing(tree, personas, as_user):
    assert as_user(personas.leader_b).post(_step(tree.commune_a, "submit")).status_code == 404
    assert as_user(personas.viewer).post(_step(tree.commune_a, "submit")).status_code == 403
    bad = reverse("signoff:month_step", args=[tree.commune_a.pk, 2026, 13, "submit"])
    assert as_user(personas.leader_a).post(bad).status_code == 404
    nothing = reverse("signoff:month_step", args=[tree.commune_a.pk, 2026, 11, "delete"])
    assert as_user(personas.leader_a).post(nothing).status_code == 404
    shown = as_user(personas.leader_a).post(
        _step(tree.commune_a, "submit", datetime.date(2026, 12, 1)), follow=True
    )
    assert "Chỉ gửi duyệt được tháng đã kết thúc." in shown.content.decode()
    assert not MonthSignoff.objects.exists() and not SignoffEvent.objects.exists()


def test_api_submit_approve_return_unlock(tree, personas, api_as):
    leader = api_as(personas.leader_a)
    created = leader.post(
        "/api/v1/month-signoffs/", {"org_unit": tree.commune_a.pk, "month": "2026-11"}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["month"], body["status"], body["org_unit_name"]) == (
        "2026-11",
        "submitted",
        "Đoàn phường An Hội",
    )
    pk = body["id"]
    assert leader.post(f"/api/v1/month-signoffs/{pk}/approve/", {}, format="json").status_code == 403

    staff = api_as(personas.staff_a)
    refused = staff.post(f"/api/v1/month-signoffs/{pk}/return/", {}, format="json")
    assert refused.status_code == 400 and refused.json() == {
        "reason": ["Hãy ghi lý do: đơn vị sẽ thấy lý do này."]
    }
    approved = staff.post(f"/api/v1/month-signoffs/{pk}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    unlocked = staff.post(f"/api/v1/month-signoffs/{pk}/unlock/", {"reason": "Sửa ngày 20/11"}, format="json")
    assert unlocked.json()["reason"] == "Sửa ngày 20/11"
    assert [e["action"] for e in unlocked.json()["events"]] == ["submitted", "approved", "unlocked"]

    resubmitted = staff.post(
        "/api/v1/month-signoffs/", {"org_unit": tree.commune_a.pk, "month": "2026-11"}, format="json"
    )
    assert resubmitted.status_code == 201
    assert staff.post(f"/api/v1/month-signoffs/{pk}/withdraw/", {}, format="json").status_code == 200
    withdrawn = api_as(personas.leader_a).post(f"/api/v1/month-signoffs/{pk}/withdraw/", {}, format="json")
    assert withdrawn.status_code == 400  # already withdrawn
    assert api_as(personas.viewer).post(f"/api/v1/month-signoffs/{pk}/withdraw/").status_code in (403, 404)
    services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    withdrawn = api_as(personas.leader_a).post(f"/api/v1/month-signoffs/{pk}/withdraw/", {}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn", withdrawn.content
    listed = api_as(personas.staff_a).get("/api/v1/month-signoffs/?month=2026-11&status=withdrawn").json()
    assert [row["id"] for row in listed["results"]] == [pk]
    services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    services.month_approve(by=personas.staff_a, signoff=MonthSignoff.objects.get(pk=pk))
    services.month_unlock(by=personas.staff_a, signoff=MonthSignoff.objects.get(pk=pk), reason="Sửa")
    listed = api_as(personas.staff_a).get("/api/v1/month-signoffs/?month=2026-11&status=unlocked").json()
    assert [row["id"] for row in listed["results"]] == [pk]
    assert api_as(personas.staff_b).get(f"/api/v1/month-signoffs/{pk}/").status_code == 404
    assert api_as(personas.leader_b).get("/api/v1/month-signoffs/").json()["results"] == []


def test_dashboard_marks_unapproved_months_provisional_and_counts_approvals(tree, personas, as_user):
    signoff = services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    services.month_approve(by=personas.staff_a, signoff=signoff)
    services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=datetime.date(2026, 10, 1))

    commune = as_user(personas.leader_a).get(reverse("progress:dashboard", args=[tree.commune_a.pk]))
    note = commune.content.decode()
    assert "Các tháng chưa được duyệt, số liệu là tạm tính:" in note
    assert "09/2026, 10/2026, 12/2026." in note  # November is approved; December has not ended

    province = as_user(personas.staff_a).get(reverse("progress:dashboard", args=[tree.province_a.pk]))
    assert "Tháng 11/2026: 1/3 xã, phường đã duyệt, 0 chờ duyệt" in province.content.decode()
    national = as_user(personas.viewer).get(reverse("progress:dashboard", args=[tree.central.pk]))
    assert "Tháng 11/2026: 1/4 xã, phường đã duyệt, 0 chờ duyệt" in national.content.decode()


def test_the_units_page_of_a_month_marks_one_menu_item_as_current(as_user, personas, tree):
    html = as_user(personas.staff_a).get(f"/sign-off/units/{tree.commune_a.pk}/").content.decode()
    current = re.findall(r'<a class="nav-link active"[^>]*>([^<]+)</a>', html)
    assert current == ["Duyệt tháng"]
    # The leader sends months and the viewer reads them: the menu does not call it approving.
    for persona in (personas.leader_a, personas.viewer):
        html = as_user(persona).get(f"/sign-off/units/{tree.commune_a.pk}/").content.decode()
        assert re.findall(r'<a class="nav-link active"[^>]*>([^<]+)</a>', html) == ["Số liệu tháng"]
        assert '<h1 class="h4">Số liệu tháng: Đoàn phường An Hội</h1>' in html  # not "Duyệt"
    staff = as_user(personas.staff_a).get(f"/sign-off/units/{tree.commune_a.pk}/").content.decode()
    assert '<h1 class="h4">Duyệt số liệu tháng: Đoàn phường An Hội</h1>' in staff
    assert "Duyệt tháng đơn vị đã gửi, hoặc trả lại kèm lý do." in staff


def test_the_overview_finds_a_unit_typed_without_diacritics_and_lists_in_vietnamese_order(
    tree, personas, as_user
):
    from tests.factories import OrgUnitFactory

    for code, name in [("29001", "Đoàn phường Tân Ngãi"), ("29002", "Đoàn phường Đông Thành")]:
        OrgUnitFactory(code=code, name=name, parent=tree.province_a, valid_from=datetime.date(2025, 7, 1))
    staff = as_user(personas.staff_a)

    names = [row["unit"].name for row in staff.get(reverse("signoff:month_overview")).context["rows"]]
    assert names == [
        "Đoàn phường An Hội",
        "Đoàn phường Bến Tre",
        "Đoàn phường Đông Thành",  # Đ after D, before P and T (not after "Tân" as by code point)
        "Đoàn phường Phú Khương",
        "Đoàn phường Tân Ngãi",
    ]
    found = staff.get(reverse("signoff:month_overview"), {"q": "dong thanh"}).context["rows"]
    assert [row["unit"].name for row in found] == ["Đoàn phường Đông Thành"]


def test_the_overview_points_to_other_months_waiting_in_scope_only(tree, personas, as_user):
    october, september = datetime.date(2026, 10, 1), datetime.date(2026, 9, 1)
    services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=october)
    services.month_submit(by=personas.leader_b, org_unit=tree.commune_b, month=september)  # province B
    staff = as_user(personas.staff_a)

    page = staff.get(reverse("signoff:month_overview")).content.decode()  # 11/2026, nothing waiting
    note = re.search(r'class="alert alert-info py-2 signoff-waiting-months">(.*?)</p>', page, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", "", note).split()) == "Còn chờ duyệt: tháng 10/2026 (1 đơn vị)"
    assert 'href="?month=2026-10&amp;status=submitted"' in note
    followed = staff.get(reverse("signoff:month_overview") + "?month=2026-10&status=submitted")
    assert [row["unit"] for row in followed.context["rows"]] == [tree.commune_a]
    assert "signoff-waiting-months" not in followed.content.decode()  # nothing else waits


def test_home_shows_staff_the_months_waiting_and_leaders_only_their_own_to_send_again(
    tree, personas, as_user
):
    staff_home = as_user(personas.staff_a).get(reverse("portal:home")).content.decode()
    assert ">Duyệt số liệu tháng</a>" in staff_home
    signoff = services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    services.month_submit(by=personas.leader_b, org_unit=tree.commune_b, month=NOVEMBER)  # another province
    staff_home = as_user(personas.staff_a).get(reverse("portal:home")).content.decode()
    assert "Duyệt số liệu tháng (1 chờ duyệt)" in staff_home
    assert "chưa gửi duyệt lại" not in staff_home

    services.month_return(by=personas.staff_a, signoff=signoff, reason="Thiếu tuần 4")
    assert (
        "Tháng 11/2026 của Đoàn phường An Hội: bị trả lại, chưa gửi duyệt lại."
        in as_user(personas.leader_a).get(reverse("portal:home")).content.decode()
    )
    assert "chưa gửi duyệt lại" not in as_user(personas.leader_b).get(reverse("portal:home")).content.decode()
    services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    assert "chưa gửi duyệt lại" not in as_user(personas.leader_a).get(reverse("portal:home")).content.decode()


def test_the_leaders_home_says_the_month_just_ended_is_not_sent_until_it_is(tree, personas, as_user):
    ended = "Tháng 11/2026 của Đoàn phường An Hội đã kết thúc: gửi duyệt khi đã ghi nhận đủ"
    home = as_user(personas.leader_a).get(reverse("portal:home")).content.decode()
    assert ended in home
    assert f'href="/sign-off/units/{tree.commune_a.pk}/#month-2026-11">Gửi duyệt tháng</a>' in home
    assert ended not in as_user(personas.staff_a).get(reverse("portal:home")).content.decode()
    services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    assert ended not in as_user(personas.leader_a).get(reverse("portal:home")).content.decode()


def test_staff_see_a_decided_months_sessions_and_month_links_keep_the_filters(tree, personas, as_user):
    signoff = services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    services.month_approve(by=personas.staff_a, signoff=signoff)
    staff = as_user(personas.staff_a)
    page = staff.get(reverse("signoff:unit_months", args=[tree.commune_a.pk])).content.decode()
    card = re.search(r'data-month="2026-11".*?</section>', page, re.S).group(0)
    assert "Xem các buổi hỗ trợ tháng 11/2026" in card  # what an unlock would open

    overview = staff.get(reverse("signoff:month_overview") + "?month=2026-11&status=approved&q=an+hoi")
    assert 'href="?month=2026-10&amp;status=approved&amp;q=an%20hoi"' in overview.content.decode()


def test_unlocking_settles_the_leaders_news_of_the_approval(
    tree, personas, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    signoff = services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        services.month_approve(by=personas.staff_a, signoff=signoff)
    approved = Notification.objects.get(user=personas.leader_a)
    assert approved.read_at is None
    with django_capture_on_commit_callbacks(execute=True):
        services.month_unlock(by=personas.staff_a, signoff=signoff, reason="Sửa ngày 20/11")
    approved.refresh_from_db()
    assert approved.read_at is not None  # "approved" is no longer the month's news
    assert Notification.objects.filter(user=personas.leader_a, read_at__isnull=True).count() == 1  # unlocked
