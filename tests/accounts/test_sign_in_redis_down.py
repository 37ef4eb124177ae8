"""Issue #17 item 4: with Redis unreachable, people still sign in (portal, admin, API).

The adversarial run saw every POST /accounts/login/ answer 429 with Redis down: allauth's rate
limits take a lock in the cache first. Rate limits now fail open with a logged warning, while the
lockout, kept in the database, still locks after 5 failures.
"""

import logging

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every call is refused at once


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": UNREACHABLE,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # as in production
    settings.API_AUTH_THROTTLE = "20/minute"  # the production rate: its counter is in the cache too


def test_portal_admin_and_api_sign_in_work_with_redis_down(redis_down, personas, caplog):
    caplog.set_level(logging.WARNING, logger="core.cache")

    portal = Client()
    response = portal.post("/accounts/login/", {"login": personas.leader_a.username, "password": PASSWORD})
    assert response.status_code == 302
    assert portal.get("/").status_code == 200

    admin = Client()
    response = admin.post(
        "/admin/login/",
        {"username": personas.staff_a.username, "password": PASSWORD, "next": "/admin/"},
    )
    assert (response.status_code, response.url) == (302, "/admin/")
    assert admin.get("/admin/").status_code == 200

    response = APIClient().post(
        "/api/v1/auth/token/", {"username": personas.leader_a.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["token"]

    assert any("Redis is unreachable" in r.getMessage() for r in caplog.records)


def test_the_lockout_still_holds_with_redis_down(redis_down, personas):
    for _ in range(4):
        wrong = Client().post(
            "/accounts/login/", {"login": personas.leader_a.username, "password": "nope-123"}
        )
        assert wrong.status_code == 200
    fifth = Client().post("/accounts/login/", {"login": personas.leader_a.username, "password": "nope-123"})
    assert fifth.status_code == 429
    right = Client().post("/accounts/login/", {"login": personas.leader_a.username, "password": PASSWORD})
    assert right.status_code == 429
