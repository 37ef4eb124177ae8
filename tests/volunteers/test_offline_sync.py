"""The phone's offline queue posting activities (issue 24): exactly once, errors as data, owner only."""

import pytest
from django.urls import reverse

from tests.volunteers.test_pages import LOG_URL, _activity_post
from volunteers.models import Activity

pytestmark = pytest.mark.django_db


def _sync_headers(user):
    return {"X-Offline-Sync": "1", "X-Offline-User": str(user.pk)}


def test_a_queued_activity_is_saved_once_when_sent_twice(as_user, personas, teams):
    client = as_user(personas.leader_a)
    data = _activity_post(teams.a)

    first = client.post(LOG_URL, data, headers=_sync_headers(personas.leader_a))
    again = client.post(LOG_URL, data, headers=_sync_headers(personas.leader_a))

    activity = Activity.objects.get()
    assert first.status_code == again.status_code == 201
    assert (
        first.json()["url"]
        == again.json()["url"]
        == reverse("volunteers:activity_detail", args=[activity.pk])
    )


def test_a_refused_activity_names_the_field(as_user, personas, teams):
    response = as_user(personas.leader_a).post(
        LOG_URL, _activity_post(teams.a, participants="-3"), headers=_sync_headers(personas.leader_a)
    )

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"participants"}
    assert response.json()["messages"][0].startswith("Số người được tiếp cận:")
    assert not Activity.objects.exists()


def test_another_users_queue_is_refused(as_user, personas, teams):
    response = as_user(personas.staff_a).post(
        LOG_URL, _activity_post(teams.a), headers=_sync_headers(personas.leader_a)
    )

    assert response.status_code == 409
    assert not Activity.objects.exists()


def test_an_activity_in_a_sent_month_is_refused_with_the_way_to_the_month(as_user, personas, teams, tree):
    """Online the form, offline the phone's queue: the lock's reason and a link to the month."""
    import datetime

    from signoff import services as signoff_services

    signoff_services.month_submit(
        by=personas.leader_a, org_unit=tree.commune_a, month=datetime.date(2025, 10, 1)
    )
    client = as_user(personas.leader_a)
    month = reverse("signoff:unit_months", args=[tree.commune_a.pk]) + "#month-2025-10"

    queued = client.post(LOG_URL, _activity_post(teams.a), headers=_sync_headers(personas.leader_a))
    assert queued.status_code == 400
    assert queued.json()["link"] == {"url": month, "text": "Mở tháng 10/2025 ở trang duyệt số liệu"}
    assert "đã gửi duyệt" in queued.json()["messages"][0]

    page = client.post(LOG_URL, _activity_post(teams.a)).content.decode()
    assert "đã gửi duyệt" in page
    assert f'class="btn btn-outline-secondary btn-touch mb-3 lock-month" href="{month}"' in page
    assert "<fieldset disabled>" not in page  # the date can be changed: nothing on the form is locked
    assert not Activity.objects.exists()

    other = client.post(
        LOG_URL, _activity_post(teams.a, participants="-3"), headers=_sync_headers(personas.leader_a)
    )
    assert other.json()["link"] is None  # an ordinary refusal has nowhere else to go
