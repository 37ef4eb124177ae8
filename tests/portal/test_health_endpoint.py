import pytest

from portal import health
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True), backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_anonymous_callers_get_the_status_only(client, monkeypatch):
    up = client.get("/health/")
    assert (up.status_code, up.json()) == (200, {"status": "ok"})

    def broken():
        raise ConnectionError("no route")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    down = client.get("/health/")
    # Which part failed, vendors, backends and timings would map the deployment for an attacker.
    assert (down.status_code, down.json()) == (503, {"status": "error"})


def test_signed_in_non_staff_get_the_status_only(client, personas):
    client.force_login(personas.leader_a, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/health/").json() == {"status": "ok"}


def test_health_is_200_with_every_part_up(staff_client):
    response = staff_client.get("/health/")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "up",
        "cache": "up",
        "broker": "up",
    }


def test_health_is_503_and_names_the_part_that_is_down(staff_client, monkeypatch):
    def broken():
        raise ConnectionError("no route")

    monkeypatch.setitem(health.CHECKS, "database", broken)

    response = staff_client.get("/health/")

    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["database"] == {
        "status": "down",
        "error": "ConnectionError",
        "ms": body["checks"]["database"]["ms"],
    }
    assert body["checks"]["cache"]["status"] == "up"


def test_health_needs_no_login_and_is_not_cached(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_health_uses_the_real_database_vendor_configured(staff_client, settings):
    body = staff_client.get("/health/").json()

    expected = "postgresql" if "postgres" in settings.DATABASES["default"]["ENGINE"] else "sqlite"
    assert body["checks"]["database"]["vendor"] == expected


def test_ping_is_the_trivial_view_and_touches_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping/")

    assert (response.status_code, response.content) == (200, b"pong")
