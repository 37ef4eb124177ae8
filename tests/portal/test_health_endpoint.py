import pytest

from portal import health

pytestmark = pytest.mark.django_db


def test_health_is_200_with_every_part_up(client):
    response = client.get("/health/")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "up",
        "cache": "up",
        "broker": "up",
    }


def test_health_is_503_and_names_the_part_that_is_down(client, monkeypatch):
    def broken():
        raise ConnectionError("no route")

    monkeypatch.setitem(health.CHECKS, "database", broken)

    response = client.get("/health/")

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


def test_health_uses_the_real_database_vendor_configured(client, settings):
    body = client.get("/health/").json()

    expected = "postgresql" if "postgres" in settings.DATABASES["default"]["ENGINE"] else "sqlite"
    assert body["checks"]["database"]["vendor"] == expected


def test_ping_is_the_trivial_view_and_touches_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping/")

    assert (response.status_code, response.content) == (200, b"pong")
