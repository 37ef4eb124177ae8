"""The phone's offline queue posting help sessions (issue 24): JSON answers, exactly once, owner only."""

import uuid

import pytest
from django.urls import reverse

from egov_support.models import HelpSession
from tests.egov_support.test_pages import _post_data

pytestmark = pytest.mark.django_db

NEW = reverse("egov_support:session_create")


def _sync_headers(user):
    return {"X-Offline-Sync": "1", "X-Offline-User": str(user.pk)}


def test_a_queued_session_is_saved_once_even_when_the_answer_was_lost(egov, personas, as_user):
    client = as_user(personas.leader_a)
    data = _post_data(egov, idempotency_key=str(uuid.uuid4()))

    first = client.post(NEW, data, headers=_sync_headers(personas.leader_a))
    again = client.post(NEW, data, headers=_sync_headers(personas.leader_a))  # the phone never heard

    session = HelpSession.objects.get()
    assert first.status_code == again.status_code == 201
    assert (
        first.json()
        == again.json()
        == {
            "ok": True,
            "id": session.pk,
            "url": reverse("egov_support:session_detail", args=[session.pk]),
        }
    )
    assert str(session.idempotency_key) == data["idempotency_key"]


def test_a_refused_entry_comes_back_with_errors_naming_the_field(egov, personas, as_user):
    data = _post_data(egov, start_time="11:00", end_time="07:30", **{f"svc-{egov.vneid.pk}-successful": "x"})

    response = as_user(personas.leader_a).post(NEW, data, headers=_sync_headers(personas.leader_a))

    assert response.status_code == 400
    answer = response.json()
    assert answer["ok"] is False
    assert "Đến: Giờ kết thúc phải sau giờ bắt đầu." in answer["messages"]
    assert set(answer["fields"]) == {"end_time", f"svc-{egov.vneid.pk}-successful"}
    assert any(message.startswith(egov.vneid.name) for message in answer["messages"])
    assert not HelpSession.objects.exists()


def test_a_queue_is_never_sent_under_another_users_session(egov, personas, as_user):
    """The phone of leader_a, now signed in as staff_a: leader_a's entry is refused, nothing saved."""
    client = as_user(personas.staff_a)

    response = client.post(NEW, _post_data(egov), headers=_sync_headers(personas.leader_a))

    assert response.status_code == 409
    assert response.json()["owner"] is False
    assert not HelpSession.objects.exists()


def test_a_signed_out_phone_gets_the_sign_in_redirect_not_a_save(egov, personas, client):
    response = client.post(NEW, _post_data(egov), headers=_sync_headers(personas.leader_a))

    assert response.status_code == 302
    assert not HelpSession.objects.exists()
