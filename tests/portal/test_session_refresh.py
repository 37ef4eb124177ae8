"""The idle timeout's session saves: one at sign-in, then at most one per SESSION_REFRESH_SECONDS."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import middleware

pytestmark = pytest.mark.django_db


def _session_writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "django_session"')]


def test_the_first_page_after_sign_in_does_not_save_the_session_again(client, personas, monkeypatch):
    clock = [1_800_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: clock[0])
    client.force_login(personas.staff_a, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("volunteers:team_list")
    assert _session_writes(client, url) == []  # stamped when signing in
    clock[0] += 60
    assert _session_writes(client, url) == []  # within the refresh interval
    clock[0] += 5 * 60
    assert len(_session_writes(client, url)) == 1  # past it: the expiry moves on
    assert _session_writes(client, url) == []
