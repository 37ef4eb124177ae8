import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import Notification
from org.models import OrgUnit
from signoff import selectors, services
from signoff.models import MonthSignoff, SignoffEvent, SignoffStatus

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2026, 11, 1)


@pytest.fixture(autouse=True)
def _december():
    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def test_leader_submits_staff_approve_and_the_status_reads_back(tree, personas):
    signoff = services.month_submit(
        by=personas.leader_a, org_unit=tree.commune_a, month=datetime.date(2026, 11, 20), note="Đủ số liệu"
    )

    assert (signoff.month, signoff.status, signoff.submitted_by) == (NOVEMBER, "submitted", personas.leader_a)
    assert selectors.month_status(org_unit=tree.commune_a, month=NOVEMBER) == SignoffStatus.SUBMITTED
    assert selectors.reported_unit_ids(month=NOVEMBER) == {tree.commune_a.pk}

    services.month_approve(by=personas.staff_a, signoff=signoff)

    assert selectors.month_status(org_unit=tree.commune_a.pk, month=NOVEMBER) == SignoffStatus.APPROVED
    assert selectors.month_status(org_unit=tree.sibling_a, month=NOVEMBER) is None
    assert selectors.month_statuses(unit_ids=[tree.commune_a.pk, tree.sibling_a.pk], month=NOVEMBER) == {
        tree.commune_a.pk: "approved"
    }
    assert list(SignoffEvent.objects.values_list("action", "by__username")) == [
        ("submitted", personas.leader_a.username),
        ("approved", personas.staff_a.username),
    ]


def test_return_and_unlock_need_a_reason_and_keep_the_history(tree, personas):
    signoff = services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    with pytest.raises(ValidationError) as error:
        services.month_return(by=personas.staff_a, signoff=signoff, reason="   ")
    assert "reason" in error.value.message_dict
    services.month_return(by=personas.staff_a, signoff=signoff, reason="Thiếu số liệu tuần 4")
    assert selectors.reported_unit_ids(month=NOVEMBER) == set()

    services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    services.month_approve(by=personas.staff_a, signoff=signoff)
    with pytest.raises(ValidationError):
        services.month_unlock(by=personas.staff_a, signoff=signoff, reason="")
    services.month_unlock(by=personas.staff_a, signoff=signoff, reason="Sửa buổi hỗ trợ ngày 20/11")

    signoff.refresh_from_db()
    assert (signoff.status, signoff.reason) == ("unlocked", "Sửa buổi hỗ trợ ngày 20/11")
    assert list(signoff.events.values_list("action", "reason")) == [
        ("submitted", ""),
        ("returned", "Thiếu số liệu tuần 4"),
        ("submitted", ""),
        ("approved", ""),
        ("unlocked", "Sửa buổi hỗ trợ ngày 20/11"),
    ]
    assert signoff.history.count() >= 5


@pytest.mark.parametrize("month", [datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)])
def test_a_month_that_has_not_ended_cannot_be_submitted(tree, personas, month):
    with pytest.raises(ValidationError) as error:
        services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=month)
    assert error.value.message_dict == {"month": ["Chỉ gửi duyệt được tháng đã kết thúc."]}
    assert not MonthSignoff.objects.exists()


def test_submitted_or_approved_month_cannot_be_submitted_again(tree, personas):
    signoff = services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    with pytest.raises(ValidationError):
        services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    services.month_approve(by=personas.staff_a, signoff=signoff)
    with pytest.raises(ValidationError):
        services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    with pytest.raises(ValidationError):  # approve twice
        services.month_approve(by=personas.staff_a, signoff=signoff)
    assert SignoffEvent.objects.count() == 2


def test_wrong_role_or_other_unit_is_refused_and_changes_nothing(tree, personas):
    with pytest.raises(PermissionDenied):
        services.month_submit(by=personas.leader_b, org_unit=tree.commune_a, month=NOVEMBER)
    with pytest.raises(PermissionDenied):
        services.month_submit(by=personas.viewer, org_unit=tree.commune_a, month=NOVEMBER)
    signoff = services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    for who in (personas.leader_a, personas.staff_b, personas.viewer):
        with pytest.raises(PermissionDenied):
            services.month_approve(by=who, signoff=signoff)
        with pytest.raises(PermissionDenied):
            services.month_return(by=who, signoff=signoff, reason="x")
    signoff.refresh_from_db()
    assert signoff.status == "submitted"
    assert SignoffEvent.objects.count() == 1


def test_lock_check_refuses_submitted_and_approved_unit_months_and_says_which(tree, personas):
    """What staff approve is what was submitted: from submission the month's figures are locked."""
    end_of_november = (tree.commune_a.pk, datetime.date(2026, 11, 30))
    signoff = services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    with pytest.raises(ValidationError) as error:
        services.month_lock_check(marks=[end_of_november])
    assert services.is_month_locked(error.value)
    assert error.value.messages == [
        "Tháng 11/2026 của Đoàn phường An Hội đã gửi duyệt: không thể thay đổi số liệu trong lúc Tỉnh đoàn "
        "xem xét. Muốn sửa, hãy rút lại tháng này, hoặc đề nghị cán bộ Tỉnh đoàn trả lại."
    ]
    services.month_withdraw(by=personas.leader_a, signoff=signoff)
    services.month_lock_check(marks=[end_of_november])  # withdrawn: open to correct
    signoff = services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    services.month_return(by=personas.staff_a, signoff=signoff, reason="Thiếu buổi ngày 20")
    services.month_lock_check(marks=[end_of_november])  # returned: open to correct
    signoff = services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    services.month_approve(by=personas.staff_a, signoff=signoff)

    with pytest.raises(ValidationError) as error:
        services.month_lock_check(marks=[(tree.commune_a.pk, datetime.date(2026, 10, 5)), end_of_november])
    assert services.is_month_locked(error.value)
    assert error.value.messages == [
        "Tháng 11/2026 của Đoàn phường An Hội đã được duyệt và khóa sổ: không thể thay đổi số liệu "
        "của tháng này. Đề nghị cán bộ Tỉnh đoàn mở khóa nếu cần sửa."
    ]
    services.month_lock_check(
        marks=[(tree.sibling_a.pk, NOVEMBER), (tree.commune_a.pk, datetime.date(2026, 10, 1))]
    )
    services.month_lock_check(marks=[])

    services.month_unlock(by=personas.staff_a, signoff=signoff, reason="Sửa số liệu")
    services.month_lock_check(marks=[(tree.commune_a.pk, NOVEMBER)])


def test_the_leader_withdraws_a_waiting_month_and_the_approvers_news_is_settled(
    tree, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signoff = services.month_submit(
            by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER, note="Đủ"
        )
    waiting = Notification.objects.filter(user=personas.staff_a, read_at__isnull=True)
    assert waiting.count() == 1

    withdrawn = services.month_withdraw(by=personas.leader_a, signoff=signoff)
    assert withdrawn.status == SignoffStatus.WITHDRAWN
    assert [event.action for event in withdrawn.events.all()] == ["submitted", "withdrawn"]
    assert waiting.count() == 0  # nothing waits for staff any more; the leader is told nothing new
    assert not Notification.objects.filter(user=personas.leader_a).exists()
    with pytest.raises(ValidationError, match="rút lại|cannot be changed"):
        services.month_withdraw(by=personas.leader_a, signoff=withdrawn)  # only a waiting month
    with pytest.raises(PermissionDenied):
        services.month_withdraw(
            by=personas.leader_b,
            signoff=services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER),
        )


def test_approval_counts_in_one_query(tree, personas, django_assert_num_queries):
    for unit in (tree.commune_a, tree.sibling_a):
        services.month_submit(by=personas.staff_a, org_unit=unit, month=NOVEMBER)
    services.month_approve(by=personas.staff_a, signoff=MonthSignoff.objects.get(org_unit=tree.commune_a))
    communes = OrgUnit.objects.filter(parent=tree.province_a)
    with django_assert_num_queries(2):
        counts = selectors.approval_counts(units=communes, month=NOVEMBER)
    assert counts == {"approved": 1, "submitted": 1, "total": 3}


def test_demo_sends_its_last_month_of_sessions_once_and_only_submits_it(tree):
    from accounts.models import Role
    from accounts.services import role_assign
    from egov_support.demo import SESSIONS_TO
    from reporting import demo
    from tests.factories import UserFactory

    role_assign(user=UserFactory(username="leader_an_hoi"), role=Role.UNIT_LEADER, org_unit=tree.commune_a)
    # Its last month of demo sessions (10/2026), not the empty month just ended (11/2026).
    assert SESSIONS_TO.replace(day=1) == demo.LAST_MONTH_WITH_SESSIONS
    assert demo.seed(password="x") == "An Hội sent 10/2026 for approval"
    assert demo.seed(password="x") == "sign-off already there"
    assert list(MonthSignoff.objects.values_list("status", flat=True)) == ["submitted"]


def test_the_leader_hears_of_each_decision_on_their_month_once(
    tree, personas, django_capture_on_commit_callbacks
):
    from notifications.models import Notification
    from tests.conftest import _person

    _person("erin_central_staff", "province_staff", tree.central)  # above the province: not told
    with django_capture_on_commit_callbacks(execute=True):
        signoff = services.month_submit(
            by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER, note="Đủ số liệu"
        )
    waiting = Notification.objects.get(user=personas.staff_a)  # the province staff who approve
    assert waiting.subject == f"{tree.commune_a.name} đã gửi duyệt tháng 11/2026"
    assert waiting.body == (
        "Ghi chú của đơn vị: Đủ số liệu\nMở trang duyệt tháng của đơn vị để duyệt hoặc trả lại kèm lý do."
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.month_return(by=personas.staff_a, signoff=signoff, reason="Thiếu số liệu tuần 4.")
    services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        services.month_approve(by=personas.staff_a, signoff=signoff)

    returned, approved = Notification.objects.filter(user=personas.leader_a).order_by("created_at", "pk")
    unit = tree.commune_a.name
    assert returned.subject == f"Tháng 11/2026 của {unit} bị trả lại"
    assert returned.body == "Lý do: Thiếu số liệu tuần 4. Vui lòng sửa số liệu rồi gửi duyệt lại tháng."
    assert returned.url == f"/sign-off/units/{tree.commune_a.pk}/"
    assert approved.subject == f"Tháng 11/2026 của {unit} đã được duyệt"
    # The staff member who decided is not told of their own decision; nobody outside the unit is.
    decisions = Notification.objects.exclude(pk=waiting.pk)
    assert set(decisions.values_list("user__username", flat=True)) == {personas.leader_a.username}
    # Staff of another province, and of the central union above, hear of none of it.
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        personas.leader_a.username,
        personas.staff_a.username,
    }


def test_a_month_submitted_by_staff_tells_the_units_leaders_and_the_submitter(
    tree, personas, django_capture_on_commit_callbacks
):
    from notifications.models import Notification
    from tests.conftest import _person

    other_staff = _person("dan_staff_a2", "province_staff", tree.province_a)
    with django_capture_on_commit_callbacks(execute=True):
        signoff = services.month_submit(by=other_staff, org_unit=tree.commune_a, month=NOVEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        services.month_approve(by=personas.staff_a, signoff=signoff)

    told = set(Notification.objects.exclude(user=personas.staff_a).values_list("user__username", flat=True))
    assert told == {personas.leader_a.username, other_staff.username}
    # staff_a heard of the submission (the one who submitted did not), not of their own approval.
    assert Notification.objects.filter(user=personas.staff_a).count() == 1


def test_a_decided_month_no_longer_counts_as_waiting_on_any_approvers_bell(
    tree, personas, django_capture_on_commit_callbacks
):
    from notifications.models import Notification
    from notifications.selectors import unread_of
    from tests.conftest import _person

    other_staff = _person("dan_staff_a2", "province_staff", tree.province_a)
    with django_capture_on_commit_callbacks(execute=True):
        signoff = services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    assert unread_of(user=personas.staff_a).count() == unread_of(user=other_staff).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.month_return(by=personas.staff_a, signoff=signoff, reason="Thiếu tuần 4")
    # Returned: neither approver's bell counts the month; the leader's counts the return.
    assert not unread_of(user=personas.staff_a).exists() and not unread_of(user=other_staff).exists()
    assert unread_of(user=personas.leader_a).get().subject.endswith("bị trả lại")

    with django_capture_on_commit_callbacks(execute=True):
        services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    assert unread_of(user=other_staff).count() == 1  # waiting again: news again
    with django_capture_on_commit_callbacks(execute=True):
        services.month_approve(by=other_staff, signoff=signoff)
    assert not unread_of(user=personas.staff_a).exists()
    # Read, not deleted: the history of what was asked stays in the list.
    assert Notification.objects.filter(user=personas.staff_a).count() == 2
    assert unread_of(user=personas.leader_a).count() == 2  # the return and the approval, theirs to read


def test_news_settled_before_the_worker_delivers_it_reaches_the_bell_read(tree, personas):
    """The leader withdraws (or staff decide) before the worker has delivered "waiting for
    approval": when it does deliver, the news arrives read, never asking staff to act."""
    from notifications import services as notification_services
    from notifications.models import Delivery

    signoff = services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    queued = Delivery.objects.get(user=personas.staff_a, channel=Delivery.Channel.PORTAL)
    assert queued.status == Delivery.Status.QUEUED  # the worker has not run (no commit in this test)
    services.month_withdraw(by=personas.leader_a, signoff=signoff)

    notification_services.delivery_send(delivery_id=queued.pk)  # the worker, late
    late = Notification.objects.get(user=personas.staff_a)
    assert late.read_at is not None and late.delivery.settled_at is not None

    again = services.month_submit(by=personas.leader_a, org_unit=tree.commune_a, month=NOVEMBER)
    fresh = Delivery.objects.filter(user=personas.staff_a, channel=Delivery.Channel.PORTAL).exclude(
        pk=queued.pk
    )
    notification_services.delivery_send(delivery_id=fresh.get().pk)
    assert again.status == "submitted"
    assert Notification.objects.filter(user=personas.staff_a, read_at__isnull=True).count() == 1  # news
