"""Logins and sessions through the real HTTP flow: lockout per username, passwords, session lifetime."""

import datetime
from importlib import import_module

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from accounts.services import user_deactivate
from tests.conftest import PASSWORD, clear_own_cache_keys

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # cached_db with Redis, db without

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth keeps its own login rate limits in the cache; each test starts from none.
    clear_own_cache_keys()
    yield
    clear_own_cache_keys()


def portal_login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=ip)


def admin_login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        ADMIN_LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )


def is_logged_in(client: Client) -> bool:
    return client.get("/").status_code == 200


@pytest.mark.parametrize("login", [portal_login, admin_login], ids=["portal", "admin"])
def test_five_failures_lock_the_username_whatever_the_ip_until_the_cool_off(login, personas):
    username = personas.staff_a.username
    with time_machine.travel(NOW, tick=False) as clock:
        for attempt in range(4):
            response = login(Client(), username, "wrong-password-1", ip=f"10.0.0.{attempt}")
            assert response.status_code == 200  # the form again, with an error

        fifth = login(Client(), username, "wrong-password-1", ip="10.0.0.9")
        assert fifth.status_code == 429
        assert "Tài khoản tạm thời bị khoá" in fifth.content.decode()

        # The right password from another office's IP does not get through while locked.
        other_ip = Client()
        locked = login(other_ip, username, PASSWORD, ip="172.16.5.5")
        assert locked.status_code == 429
        assert not is_logged_in(other_ip)

        # Another user in the same commune office (same IP) is not affected.
        neighbour = Client()
        assert login(neighbour, personas.admin.username, PASSWORD, ip="10.0.0.9").status_code == 302

        clock.shift(settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1))
        assert login(Client(), username, PASSWORD, ip="172.16.5.5").status_code == 429

        clock.shift(datetime.timedelta(minutes=1, seconds=1))
        after = Client()
        assert login(after, username, PASSWORD, ip="172.16.5.5").status_code == 302
        assert is_logged_in(after)


def test_the_window_and_the_lock_are_five_minutes():
    # Issue #7: 5 failed logins for one username within 5 minutes lock it, for a limited time.
    assert settings.AXES_FAILURE_LIMIT == 5
    assert datetime.timedelta(minutes=5) == settings.AXES_COOLOFF_TIME
    # Per username first; per IP only at a much higher count (a commune office shares one IP).
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert settings.LOCKOUT_IP_FAILURE_LIMIT == 50


@pytest.mark.parametrize("login", [portal_login, admin_login], ids=["portal", "admin"])
def test_five_failures_within_five_minutes_lock(login, personas):
    username = personas.staff_b.username  # staff: the admin login accepts them
    with time_machine.travel(NOW, tick=False) as clock:
        for minute in range(4):
            assert login(Client(), username, "wrong-password-1", ip=f"10.1.0.{minute}").status_code == 200
            clock.shift(datetime.timedelta(minutes=1))
        # 4 minutes after the first failure: the fifth one locks.
        assert login(Client(), username, "wrong-password-1", ip="10.1.0.9").status_code == 429


@pytest.mark.parametrize("login", [portal_login, admin_login], ids=["portal", "admin"])
def test_failures_spread_beyond_the_window_do_not_lock(login, personas):
    username = personas.staff_b.username  # staff: the admin login accepts them
    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(4):
            assert login(Client(), username, "wrong-password-1").status_code == 200
        clock.shift(settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1))
        assert login(Client(), username, "wrong-password-1").status_code == 200
        after = Client()
        assert login(after, username, PASSWORD).status_code == 302
        assert is_logged_in(after)


def test_lockout_page_is_vietnamese_in_the_portal_layout_and_does_not_echo_the_username(personas):
    for _ in range(5):
        response = portal_login(Client(), personas.leader_a.username, "wrong-password-1")
    body = response.content.decode()

    assert response.status_code == 429
    assert "portal-navbar" in body
    assert "Vui lòng thử lại sau 5 phút" in body
    assert personas.leader_a.username not in body


# --- Passwords --------------------------------------------------------------------------------


def _change_password(client: Client, new: str):
    return client.post(
        "/accounts/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("Ng7#short", "ít nhất 12 ký tự"),
        ("password1234", "quá phổ biến"),
    ],
    ids=["too-short", "common"],
)
def test_change_password_refuses_weak_passwords(client, personas, new_password, message):
    portal_login(client, personas.leader_a.username, PASSWORD)
    response = _change_password(client, new_password)

    assert response.status_code == 200
    assert message in response.content.decode()
    personas.leader_a.refresh_from_db()
    assert personas.leader_a.check_password(PASSWORD)


def test_change_password_accepts_a_long_uncommon_one(client, personas):
    portal_login(client, personas.leader_a.username, PASSWORD)
    response = _change_password(client, "mùa-xuân-tình-nguyện-2026")

    assert response.status_code == 302
    personas.leader_a.refresh_from_db()
    assert personas.leader_a.check_password("mùa-xuân-tình-nguyện-2026")


# --- Sessions ---------------------------------------------------------------------------------


def test_session_key_rotates_at_login(client, personas):
    before = SessionStore()
    before["probe"] = "planted by an attacker"
    before.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = before.session_key

    assert portal_login(client, personas.leader_a.username, PASSWORD).status_code == 302

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before.session_key
    assert not Session.objects.filter(session_key=before.session_key).exists()
    assert is_logged_in(client)


def test_idle_session_expires_but_an_active_one_lives_on(client, personas):
    idle_limit = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    with time_machine.travel(NOW, tick=False) as clock:
        portal_login(client, personas.leader_a.username, PASSWORD)
        # Each request moves the expiry forward: a full working day of activity keeps the session.
        for _ in range(3):
            clock.shift(idle_limit - datetime.timedelta(minutes=5))
            assert is_logged_in(client)

        clock.shift(idle_limit + datetime.timedelta(minutes=1))
        _expire_cached_copy(client.session.session_key, idle_limit)
        response = client.get("/")
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)


def _expire_cached_copy(session_key: str, idle_limit: datetime.timedelta) -> None:
    """With cached_db sessions on Redis, Redis's own TTL ends the cached copy, and Redis's clock is not
    the one time_machine moves: check the TTL is the idle limit at most, then play Redis's part."""
    prefix = getattr(SessionStore, "cache_key_prefix", None)
    if prefix is None:
        return  # sessions in the table only: their expire_date alone decides
    key = cache.make_key(prefix + session_key)
    redis = getattr(cache, "_cache", None)
    if redis is not None and hasattr(redis, "get_client"):
        ttl = redis.get_client(key).ttl(key)
        assert 0 < ttl <= idle_limit.total_seconds()
    cache.delete(prefix + session_key)


def test_deactivating_a_user_ends_their_sessions_and_tokens_only(personas):
    leader = personas.leader_a
    phone, desk, colleague = Client(), Client(), Client()
    portal_login(phone, leader.username, PASSWORD)
    portal_login(desk, leader.username, PASSWORD)
    portal_login(colleague, personas.staff_a.username, PASSWORD)
    AuthToken.objects.create(user=leader)
    # An expired session of the same user is not even decoded; it is cleared by clearsessions.
    stale = SessionStore()
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(days=1)
    )

    phone_key = phone.session.session_key
    user_deactivate(user=leader)

    # Gone from the table and from the session cache (sessions are cached_db).
    assert not SessionStore().exists(phone_key)
    assert not is_logged_in(phone)
    assert not is_logged_in(desk)
    assert is_logged_in(colleague)
    assert not AuthToken.objects.filter(user=leader).exists()
    again = Client()
    portal_login(again, leader.username, PASSWORD)
    assert not is_logged_in(again)


def test_api_token_endpoint_shares_the_username_lock(personas, api_client):
    body = {"username": personas.leader_a.username, "password": "wrong-password-1"}
    for _ in range(4):
        assert api_client.post("/api/v1/auth/token/", body).status_code == 400
    assert api_client.post("/api/v1/auth/token/", body).status_code == 429  # the fifth locks

    response = api_client.post("/api/v1/auth/token/", {**body, "password": PASSWORD})
    assert response.status_code == 429
    assert "token" not in response.json()
    assert portal_login(Client(), personas.leader_a.username, PASSWORD).status_code == 429


def test_an_active_session_is_written_at_most_every_five_minutes(client, personas, django_assert_num_queries):
    """Page views within the refresh interval read the session and write nothing to it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert is_logged_in(client)
        return sum(1 for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"])

    with time_machine.travel(NOW, tick=False) as clock:
        portal_login(client, personas.leader_a.username, PASSWORD)
        clock.shift(datetime.timedelta(minutes=6))
        assert session_writes() == 1  # first view after the interval: the expiry moves on
        for _ in range(3):
            clock.shift(datetime.timedelta(minutes=1))
            assert session_writes() == 0
        clock.shift(datetime.timedelta(minutes=3))
        assert session_writes() == 1
