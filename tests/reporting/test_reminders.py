"""Issue #23 item 2: reminders that reach commune leaders, by hand and on the province's schedule."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from accounts.services import role_assign
from notifications.models import Delivery, Notification
from reporting import services
from reporting.models import ReminderSchedule
from reporting.periods import Period
from tests.factories import UserFactory
from tests.volunteers.factories import TeamFactory, WeeklyReportFactory

pytestmark = pytest.mark.django_db

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
W49 = Period("week", 2026, 49)
FRIDAY_W49 = datetime.date(2026, 12, 4)


@pytest.fixture
def leaders(tree, personas):
    """Carol leads An Hội (e-mail on file); Phú Khương's leader has an account; Bến Tre ward has none."""
    carol = personas.leader_a
    carol.email = "carol@doan-an-hoi.vn"
    carol.save(update_fields=["email"])
    phu = UserFactory(username="phu_leader", email="phu@doan-phu-khuong.vn", first_name="Hà", last_name="Lê")
    role_assign(user=phu, role=Role.UNIT_LEADER, org_unit=tree.sibling_a)
    return {"carol": carol, "phu": phu}


def _at(day: datetime.date, hour: int, minute: int = 0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), HCM)


def test_staff_remind_a_commune_by_email_and_bell_once_per_period(
    as_user, personas, tree, leaders, django_capture_on_commit_callbacks
):
    client = as_user(personas.staff_a)
    with (
        time_machine.travel(_at(FRIDAY_W49, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("reporting:remind"), {"units": [tree.commune_a.pk], "week": "2026-W49"}, follow=True
        )
        again = client.post(
            reverse("reporting:remind"), {"units": [tree.commune_a.pk], "week": "2026-W49"}, follow=True
        )

    assert "Đã gửi nhắc nhở tới lãnh đạo 1 xã, phường: Đoàn phường An Hội." in response.content.decode()
    assert "Đã nhắc trong kỳ này, không gửi lại: Đoàn phường An Hội." in again.content.decode()
    sent = Delivery.objects.filter(user=leaders["carol"]).order_by("channel")
    assert [(d.channel, d.status, d.attempts, d.requested_by) for d in sent] == [
        ("email", "sent", 1, personas.staff_a),
        ("portal", "sent", 1, personas.staff_a),
    ]
    assert {d.key for d in sent} == {"reporting:2026-W49:28777"}
    [message] = mail.outbox
    assert message.to == ["carol@doan-an-hoi.vn"]
    assert message.subject == "Nhắc báo cáo: Đoàn phường An Hội chưa báo cáo tuần 49/2026"
    assert f"{settings.PORTAL_URL}/teams/mine/" in message.body
    notification = Notification.objects.get(user=leaders["carol"])
    assert notification.subject == message.subject and notification.read_at is None


def test_a_commune_that_reported_is_not_reminded_and_one_without_leader_is_named(
    as_user, personas, tree, leaders
):
    WeeklyReportFactory(team=TeamFactory(org_unit=tree.sibling_a), iso_year=2026, iso_week=49)
    with time_machine.travel(_at(FRIDAY_W49, 9), tick=False):
        response = as_user(personas.staff_a).post(
            reverse("reporting:remind"),
            {"units": [tree.sibling_a.pk, tree.ward_a_ben_tre.pk], "week": "2026-W49"},
            follow=True,
        )

    html = response.content.decode()
    assert "Đã báo cáo, không nhắc: Đoàn phường Phú Khương." in html
    assert "Chưa có tài khoản lãnh đạo để nhận nhắc nhở: Đoàn phường Bến Tre." in html
    assert not Delivery.objects.exists() and not mail.outbox


def test_a_leader_cannot_send_reminders_and_staff_not_outside_their_province(
    as_user, personas, tree, leaders
):
    data = {"units": [tree.commune_a.pk], "week": "2026-W49"}
    assert as_user(personas.leader_a).post(reverse("reporting:remind"), data).status_code == 403
    data = {"units": [tree.commune_a.pk, tree.commune_b.pk], "week": "2026-W49"}
    assert as_user(personas.staff_a).post(reverse("reporting:remind"), data).status_code == 404
    assert not Delivery.objects.exists()


def test_a_failed_email_is_recorded_retried_and_then_marked_failed(
    tree, personas, leaders, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    with (
        time_machine.travel(_at(FRIDAY_W49, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.reminders_send(by=personas.staff_a, units=[tree.commune_a], period=W49)

    email = Delivery.objects.get(channel="email")
    assert (email.status, email.attempts) == ("failed", 6)  # the first try and five retries (eager here)
    assert "ConnectionRefusedError" in email.error
    assert Delivery.objects.get(channel="portal").status == "sent"  # the bell does not depend on SMTP


# --- On the province's schedule (beat every 15 minutes; frozen clock) -------------------------------


def test_the_scheduled_reminder_is_in_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["reporting-scheduled-reminders"]
    assert entry["task"] == "reporting.tasks.send_scheduled_reminders_task"
    assert entry["schedule"].minute == {0, 15, 30, 45}


def test_friday_16_00_reminds_the_leaders_of_communes_without_this_weeks_report_once(
    tree, leaders, django_capture_on_commit_callbacks
):
    from reporting.tasks import send_scheduled_reminders_task

    for province in (tree.province_a, tree.province_b):  # the weekly rhythm alone
        ReminderSchedule.objects.create(org_unit=province, monthly_enabled=False)
    WeeklyReportFactory(team=TeamFactory(org_unit=tree.commune_b), iso_year=2026, iso_week=49)
    WeeklyReportFactory(team=TeamFactory(org_unit=tree.sibling_a), iso_year=2026, iso_week=49)
    with time_machine.travel(_at(FRIDAY_W49, 15, 45), tick=False):
        assert send_scheduled_reminders_task.delay().get() == 0  # not yet
    with (
        time_machine.travel(_at(FRIDAY_W49, 16, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_scheduled_reminders_task.delay().get() == 2  # An Hội's leader: bell and e-mail
    with time_machine.travel(_at(FRIDAY_W49 + datetime.timedelta(days=1), 10), tick=False):
        assert send_scheduled_reminders_task.delay().get() == 0  # once per period

    assert set(Delivery.objects.values_list("user__username", "key", "requested_by")) == {
        ("carol_leader_a", "reporting:2026-W49:28777", None)
    }  # Phú Khương reported: its leader is not reminded
    assert [m.to for m in mail.outbox] == [["carol@doan-an-hoi.vn"]]


def test_the_third_working_day_reminds_about_the_month_before(tree, leaders):
    # December 2026 starts on a Tuesday: its 3rd working day is Thursday 03/12.
    assert services.working_day(2026, 12, 3) == datetime.date(2026, 12, 3)
    with time_machine.travel(_at(datetime.date(2026, 12, 2), 9), tick=False):
        assert services.scheduled_reminders_send() == 0
    with time_machine.travel(_at(datetime.date(2026, 12, 3), 8, 15), tick=False):
        # Two leaders × two channels in Vĩnh Long, and Hạc Thành's leader (no e-mail on file: the bell).
        assert services.scheduled_reminders_send() == 5
    assert set(Delivery.objects.values_list("key", flat=True)) == {
        "reporting:2026-11:28777",
        "reporting:2026-11:28756",
        "reporting:2026-11:16066",
    }


def test_a_province_sets_its_own_schedule(tree, leaders, personas):
    services.reminder_schedule_save(
        by=personas.staff_a,
        schedule=ReminderSchedule(
            org_unit=tree.province_a, weekly_weekday=3, weekly_time=datetime.time(9, 0), monthly_enabled=False
        ),
    )
    with time_machine.travel(_at(datetime.date(2026, 12, 3), 9, 0), tick=False):  # Thursday
        services.scheduled_reminders_send()
    assert set(Delivery.objects.filter(org_unit__parent=tree.province_a).values_list("key", flat=True)) == {
        "reporting:2026-W49:28777",
        "reporting:2026-W49:28756",
    }  # weekly only: the monthly reminder is off


def test_staff_of_another_province_cannot_set_this_ones_schedule(tree, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.reminder_schedule_save(
            by=personas.staff_b, schedule=ReminderSchedule(org_unit=tree.province_a)
        )
    assert not ReminderSchedule.objects.exists()


def test_a_schedule_belongs_to_a_province(tree, personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.reminder_schedule_save(by=personas.admin, schedule=ReminderSchedule(org_unit=tree.commune_a))
    assert "org_unit" in error.value.message_dict
