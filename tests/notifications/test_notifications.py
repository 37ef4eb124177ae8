"""The notification centre: the bell's count, the list, mark as read; each person sees only their own."""

import pytest
from django.urls import reverse

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_bell_counts_unread_and_marking_read_clears_it(as_user, personas):
    mine = Notification.objects.create(
        user=personas.leader_a, subject="Nhắc báo cáo tuần 49", url="/teams/mine/"
    )
    Notification.objects.create(user=personas.leader_a, subject="Cũ", read_at="2026-12-01T00:00Z")
    Notification.objects.create(user=personas.staff_a, subject="Của người khác")
    client = as_user(personas.leader_a)

    page = client.get(reverse("notifications:list")).content.decode()
    assert "Nhắc báo cáo tuần 49" in page and "Của người khác" not in page
    assert (
        client.get(reverse("notifications:unread"))
        .content.decode()
        .strip()
        .endswith('notification-count" title="1 chưa đọc">1</span>')
    )

    opened = client.post(reverse("notifications:read", args=[mine.pk]), {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == "/teams/mine/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(reverse("notifications:unread")).content.decode().strip() == ""


def test_nobody_marks_anothers_notification(as_user, personas):
    theirs = Notification.objects.create(user=personas.staff_a, subject="Của người khác")
    assert as_user(personas.leader_a).post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    as_user(personas.leader_a).post(reverse("notifications:read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_link_elsewhere_is_not_followed(as_user, personas):
    odd = Notification.objects.create(user=personas.leader_a, subject="x", url="https://evil.example/")
    response = as_user(personas.leader_a).post(reverse("notifications:read", args=[odd.pk]), {"open": "1"})
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_as_read_is_offered_only_while_something_is_unread(as_user, personas):
    Notification.objects.create(user=personas.leader_a, subject="Cũ", read_at="2026-12-01T00:00Z")
    client = as_user(personas.leader_a)
    assert "Đánh dấu tất cả đã đọc" not in client.get("/notifications/").content.decode()

    Notification.objects.create(user=personas.leader_a, subject="Mới")
    assert "Đánh dấu tất cả đã đọc" in client.get("/notifications/").content.decode()
