"""Issue #17 items 1, 7, 12, 13: one identity per username on every sign-in path, one lockout for
passwords and authenticator codes, API tokens that expire and can be revoked.

Each test drives the real endpoints (portal /accounts/login/, /admin/login/, POST /api/v1/auth/token/,
allauth's two-factor step) the way the adversarial test did.
"""

import datetime
import uuid

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import User
from tests.accounts.test_mfa import activate_totp, current_code
from tests.conftest import PASSWORD, clear_own_cache_keys
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN, ADMIN_LOGIN, TOKEN = "/accounts/login/", "/admin/login/", "/api/v1/auth/token/"
AUTHENTICATE = "/accounts/2fa/authenticate/"
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
LOCKED_VI = "Tài khoản tạm thời bị khoá"


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_own_cache_keys()  # used TOTP codes and allauth's other rate limits live in the cache
    yield
    clear_own_cache_keys()


def variants(username: str) -> list[str]:
    return [username.upper(), f"  {username} ", username.title(), f"{username.upper()}\t", username]


def portal(username: str, password: str, ip: str = "10.9.0.1", client: Client | None = None):
    client = client or Client()
    response = client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=ip)
    return response, client


def admin(username: str, password: str, ip: str = "10.9.0.1", client: Client | None = None):
    client = client or Client()
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(ADMIN_LOGIN, data, REMOTE_ADDR=ip), client


def api(username: str, password: str, ip: str = "10.9.0.1", **extra):
    client = APIClient()
    response = client.post(TOKEN, {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)
    return response, client


PATHS = {"portal": portal, "admin": admin, "api": api}


def signed_in(path: str, response, client) -> bool:
    if path == "api":
        return response.status_code == 200 and bool(response.json().get("token"))
    return response.status_code == 302 and client.get("/").status_code == 200


def failures_of(username: str) -> int:
    return AccessAttempt.objects.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"] or 0


# --- One identity ---------------------------------------------------------------------------------


def test_usernames_are_stored_folded_and_a_case_variant_is_not_a_second_account(personas):
    user = User.objects.create_user(username="  Lock_Portal ", password=PASSWORD)
    assert user.username == "lock_portal"

    twin = User(username="LOCK_PORTAL", password="x")
    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "username" in error.value.message_dict
    # Even a write that skips the model (bulk update, raw SQL) cannot make a case twin.
    other = UserFactory(username="someone_else")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(username="Lock_Portal")


def test_the_migration_folds_existing_usernames(personas):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0002_username_folded")
    User.objects.filter(pk=personas.leader_a.pk).update(username="  Carol_Leader_A ")

    migration.fold_usernames(apps, None)

    personas.leader_a.refresh_from_db()
    assert personas.leader_a.username == "carol_leader_a"


@pytest.mark.parametrize("path", PATHS)
def test_every_case_and_space_variant_signs_in_as_the_one_account(path, personas):
    user = personas.staff_a  # staff: the admin login accepts them
    for variant in variants(user.username):
        response, client = PATHS[path](variant, PASSWORD)
        assert signed_in(path, response, client), (path, repr(variant), response.status_code)


def test_five_failures_on_any_variant_and_any_path_lock_every_variant_everywhere(personas):
    """The adversary's attack: case variants spread over the three sign-in forms."""
    user = personas.staff_a
    names = variants(user.username)
    with time_machine.travel(NOW, tick=False):
        attempts = [(portal, names[0]), (admin, names[1]), (api, names[2]), (portal, names[3])]
        for n, (login, name) in enumerate(attempts, start=1):
            response, _client = login(name, "wrong-password-1", ip=f"10.9.1.{n}")
            assert response.status_code in (200, 400), (login.__name__, name)
            assert failures_of(user.username) == n  # one failure counts once, on the folded name
        fifth, _client = api(names[4], "wrong-password-1", ip="10.9.1.9")
        assert fifth.status_code == 429

        for path, login in PATHS.items():
            for variant in names:
                response, client = login(variant, PASSWORD, ip="172.16.9.9")
                assert response.status_code == 429, (path, repr(variant))
                assert not signed_in(path, response, client)
        assert not AuthToken.objects.filter(user=user).exists()


def test_a_locked_api_login_answers_429_in_vietnamese(personas):
    user = personas.leader_a
    for _ in range(4):
        response, _client = api(user.username.upper(), "wrong-password-1")
        assert response.status_code == 400
    response, _client = api(user.username, "wrong-password-1")

    assert response.status_code == 429
    assert "Quá nhiều lần đăng nhập" in response.json()["detail"]
    assert user.username not in response.content.decode()


def test_each_api_failure_is_counted_once(personas):
    for n in range(1, 4):
        api(personas.leader_a.username, "wrong-password-1")
        assert failures_of(personas.leader_a.username) == n


# --- Per username first, per IP much later --------------------------------------------------------


def test_one_persons_typos_do_not_lock_the_commune_office(personas):
    office = "10.20.30.40"
    # Carol keeps trying within the minute (allauth's 10 a minute per IP used to lock everyone here).
    for _ in range(12):
        portal(personas.leader_a.username, "wrong-password-1", ip=office)
    # Carol is locked; her colleague at the same address is not.
    assert portal(personas.leader_a.username, PASSWORD, ip=office)[0].status_code == 429
    response, client = portal(personas.staff_a.username, PASSWORD, ip=office)
    assert signed_in("portal", response, client)


def test_a_colleagues_sign_in_does_not_clear_anothers_failures(personas):
    office = "10.20.30.41"
    for _ in range(4):
        portal(personas.leader_a.username, "wrong-password-1", ip=office)
    assert signed_in("portal", *portal(personas.staff_a.username, PASSWORD, ip=office))
    assert portal(personas.leader_a.username, "wrong-password-1", ip=office)[0].status_code == 429


def test_an_address_is_locked_only_at_the_much_higher_ip_limit(personas, settings):
    settings.LOCKOUT_IP_FAILURE_LIMIT = 12  # 50 in production (checked in test_logins); smaller here
    office = "10.20.30.42"
    for n in range(11):
        # Different names, each far below the per-username limit: only the address adds up.
        response, _client = portal(f"guess_{n}", "wrong-password-1", ip=office)
        assert response.status_code == 200
    assert signed_in("portal", *portal(personas.leader_a.username, PASSWORD, ip=office))
    assert portal("guess_last", "wrong-password-1", ip=office)[0].status_code == 429
    assert portal(personas.staff_a.username, PASSWORD, ip=office)[0].status_code == 429
    # Another address is not affected.
    assert signed_in("portal", *portal(personas.staff_a.username, PASSWORD, ip="10.20.30.43"))


# --- Throttle on the API's sign-in endpoint -------------------------------------------------------


def test_the_token_endpoint_is_throttled_with_a_vietnamese_429(personas, settings):
    settings.API_AUTH_THROTTLE = "3/minute"
    ip = f"10.77.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"  # a throttle history of its own
    for _ in range(3):
        assert api("", "", ip=ip)[0].status_code == 400
    response, _client = api(personas.leader_a.username, PASSWORD, ip=ip)

    assert response.status_code == 429
    assert "Quá nhiều yêu cầu đăng nhập" in response.json()["detail"]
    assert "Retry-After" in response.headers
    assert not AuthToken.objects.filter(user=personas.leader_a).exists()


# --- Authenticator codes count like passwords -----------------------------------------------------


@pytest.fixture
def staff_with_totp(personas, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    browser = Client()
    portal(personas.staff_a.username, PASSWORD, client=browser)
    secret = activate_totp(browser)
    AccessAttempt.objects.all().delete()
    return personas.staff_a, secret


def test_wrong_codes_on_the_api_lock_the_account(staff_with_totp):
    user, secret = staff_with_totp
    for _ in range(4):
        response, _client = api(user.username, PASSWORD, otp="000000")
        assert response.status_code == 400
    assert failures_of(user.username) == 4
    assert api(user.username, PASSWORD, otp="000000")[0].status_code == 429

    response, _client = api(user.username.upper(), PASSWORD, otp=current_code(secret))
    assert response.status_code == 429
    assert "token" not in response.json()
    assert portal(user.username, PASSWORD)[0].status_code == 429


def test_wrong_codes_at_the_portal_two_factor_step_lock_the_account(staff_with_totp):
    user, secret = staff_with_totp
    browser = Client()
    response, _client = portal(user.username, PASSWORD, client=browser)
    assert response.url == AUTHENTICATE
    for n in range(1, 5):
        page = browser.post(AUTHENTICATE, {"code": "000000"})
        assert page.status_code == 200
        assert failures_of(user.username) == n
    locked = browser.post(AUTHENTICATE, {"code": "000000"})
    assert locked.status_code == 429
    assert LOCKED_VI in locked.content.decode()

    # The right code no longer helps, nor does starting over, on any path.
    assert browser.post(AUTHENTICATE, {"code": current_code(secret)}).status_code == 429
    assert browser.get("/").status_code == 302
    assert portal(user.username.upper(), PASSWORD)[0].status_code == 429
    assert api(user.username, PASSWORD, otp=current_code(secret))[0].status_code == 429


def test_a_right_code_after_a_few_wrong_ones_signs_in_and_clears_the_count(staff_with_totp):
    user, secret = staff_with_totp
    browser = Client()
    portal(user.username, PASSWORD, client=browser)
    browser.post(AUTHENTICATE, {"code": "000000"})
    assert browser.post(AUTHENTICATE, {"code": current_code(secret)}).status_code == 302
    assert browser.get("/").status_code == 200
    assert failures_of(user.username) == 0


# --- API tokens: expiry, revocation ---------------------------------------------------------------


def _token_for(user, **extra) -> str:
    response, _client = api(user.username, PASSWORD, **extra)
    assert response.status_code == 200, response.content
    assert response.json()["expiry"]
    return response.json()["token"]


def _calls_with(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/org-units/").status_code


def test_a_token_expires_after_the_configured_lifetime(personas, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": datetime.timedelta(hours=2)}
    with time_machine.travel(NOW, tick=False) as clock:
        token = _token_for(personas.leader_a)
        clock.shift(datetime.timedelta(hours=1, minutes=59))
        assert _calls_with(token) == 200
        clock.shift(datetime.timedelta(minutes=2))
        assert _calls_with(token) == 401


def test_the_default_lifetime_is_a_day(settings):
    assert datetime.timedelta(hours=24) == settings.REST_KNOX["TOKEN_TTL"]


def test_a_password_change_revokes_every_token(personas):
    user = personas.leader_a
    first, second = _token_for(user), _token_for(user)
    browser = Client()
    portal(user.username, PASSWORD, client=browser)
    new = "mùa-xuân-tình-nguyện-2026"
    changed = browser.post(
        "/accounts/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )
    assert changed.status_code == 302

    assert _calls_with(first) == 401
    assert _calls_with(second) == 401
    response, _client = api(user.username, new)
    assert response.json()["token"] not in (first, second)


def test_a_hash_upgrade_at_sign_in_is_not_a_password_change(personas, settings):
    token = _token_for(personas.leader_a)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert signed_in("portal", *portal(personas.leader_a.username, PASSWORD))  # rehashed now
    assert _calls_with(token) == 200


def test_delete_revokes_the_callers_own_token_only(personas):
    user = personas.leader_a
    mine, other_device = _token_for(user), _token_for(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {mine}")

    assert client.delete(TOKEN).status_code == 204
    assert _calls_with(mine) == 401
    assert _calls_with(other_device) == 200
    assert client.delete(TOKEN).status_code == 401


def test_unauthenticated_api_calls_answer_401_with_www_authenticate(personas):
    response = APIClient().get("/api/v1/org-units/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.get("/api/v1/org-units/").status_code == 401


def test_the_too_many_attempts_message_is_vietnamese_on_vietnamese_pages():
    from allauth.account.adapter import get_adapter
    from django.utils import translation

    with translation.override("vi"):
        message = str(get_adapter().error_messages["too_many_login_attempts"])
    assert message == "Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau."


def test_wrong_codes_when_confirming_identity_count_too(staff_with_totp):
    """Signed in, allauth asks for a code again before sensitive changes (two-factor settings):
    guessing it there counts toward the same lockout."""
    user, secret = staff_with_totp
    browser = Client()
    portal(user.username, PASSWORD, client=browser)
    assert browser.post(AUTHENTICATE, {"code": current_code(secret)}).status_code == 302
    AccessAttempt.objects.all().delete()  # earlier codes of this test's setup

    for n in range(1, 5):
        assert browser.post("/accounts/2fa/reauthenticate/", {"code": "000000"}).status_code == 200
        assert failures_of(user.username) == n
    assert browser.post("/accounts/2fa/reauthenticate/", {"code": "000000"}).status_code == 429
    assert portal(user.username, PASSWORD)[0].status_code == 429
