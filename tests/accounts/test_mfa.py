"""Two-factor authentication through the real flow: forced setup for staff, TOTP at login, recovery codes."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.mfa.utils import decrypt
from django.test import Client

from tests.conftest import PASSWORD, clear_own_cache_keys

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
SETUP = "/accounts/2fa/totp/activate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"
REAUTHENTICATE = "/accounts/reauthenticate/"


@pytest.fixture(autouse=True)
def _mfa_on(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    clear_own_cache_keys()  # used TOTP codes and rate limits live in the cache
    yield
    clear_own_cache_keys()


def current_code(secret: str) -> str:
    """The code an authenticator app would show now, computed with allauth's own helpers."""
    counter = list(yield_hotp_counters_from_time())[len(list(yield_hotp_counters_from_time())) // 2]
    return format_hotp_value(hotp_value(secret, counter))


def login(client: Client, username: str):
    return client.post(LOGIN, {"login": username, "password": PASSWORD})


def activate_totp(client: Client) -> str:
    """Open the setup page, confirm the password as allauth asks, scan, type the code."""
    page = client.get(SETUP)
    if page.status_code == 302 and page.url.startswith(REAUTHENTICATE):
        confirmed = client.post(page.url, {"password": PASSWORD})
        assert (confirmed.status_code, confirmed.url) == (302, SETUP)
        page = client.get(SETUP)
    assert page.status_code == 200
    assert "Kích hoạt ứng dụng xác thực" in page.content.decode()
    secret = page.context["form"].secret
    response = client.post(SETUP, {"code": current_code(secret)})
    assert response.status_code == 302, response.context["form"].errors
    return secret


@pytest.mark.parametrize("who", ["admin", "staff_a"])
def test_staff_without_totp_are_sent_to_setup_until_they_activate_it(client, personas, who):
    user = getattr(personas, who)
    login(client, user.username)

    for url in ["/", "/units/", "/admin/", "/api/v1/org-units/"]:
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 403
        else:
            assert (response.status_code, response.url) == (302, SETUP), url
    # allauth asks for the password again before a second factor is added: that page is reachable.
    setup_page = client.get(SETUP)
    assert setup_page.url.startswith(REAUTHENTICATE)
    assert client.get(setup_page.url).status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200
    assert client.get("/health/").status_code in (200, 503)

    activate_totp(client)

    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1
    assert client.get("/").status_code == 200
    assert client.get("/units/").status_code == 200


def test_leaders_and_viewers_are_not_forced_but_may_activate(client, personas):
    login(client, personas.leader_a.username)
    assert client.get("/").status_code == 200

    activate_totp(client)
    assert Authenticator.objects.filter(user=personas.leader_a, type=Authenticator.Type.TOTP).exists()


def test_the_rule_is_off_when_the_setting_is_off(client, personas, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    login(client, personas.staff_a.username)
    assert client.get("/").status_code == 200


def test_sign_out_stays_reachable_without_totp(client, personas):
    login(client, personas.staff_a.username)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").url.startswith(LOGIN)


def test_next_login_asks_for_the_code_and_a_recovery_code_works_once(personas):
    user = personas.staff_a
    first = Client()
    login(first, user.username)
    secret = activate_totp(first)
    codes = RecoveryCodes(Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES))
    recovery_code = codes.get_unused_codes()[0]
    assert (
        decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]) == secret
    )

    # Password alone is not enough any more.
    with_code = Client()
    response = login(with_code, user.username)
    assert (response.status_code, response.url) == (302, AUTHENTICATE)
    assert with_code.get("/").url.startswith(LOGIN)
    page = with_code.get(AUTHENTICATE)
    assert "Xác thực hai lớp" in page.content.decode()
    assert with_code.post(AUTHENTICATE, {"code": "000000"}).status_code == 200
    response = with_code.post(AUTHENTICATE, {"code": current_code(secret)})
    assert response.status_code == 302
    assert with_code.get("/").status_code == 200

    # Lost phone: a recovery code signs in once, and only once.
    lost_phone = Client()
    login(lost_phone, user.username)
    assert lost_phone.post(AUTHENTICATE, {"code": recovery_code}).status_code == 302
    assert lost_phone.get("/").status_code == 200

    again = Client()
    login(again, user.username)
    assert again.post(AUTHENTICATE, {"code": recovery_code}).status_code == 200
    assert again.get("/").url.startswith(LOGIN)


def test_api_token_needs_the_authenticator_code_once_totp_is_active(personas, api_client):
    user = personas.staff_a
    body = {"username": user.username, "password": PASSWORD}
    # Required but not set up yet: no token, whatever the password.
    assert api_client.post("/api/v1/auth/token/", body).status_code == 400

    browser = Client()
    login(browser, user.username)
    secret = activate_totp(browser)

    assert api_client.post("/api/v1/auth/token/", body).status_code == 400
    assert api_client.post("/api/v1/auth/token/", {**body, "otp": "000000"}).status_code == 400
    response = api_client.post("/api/v1/auth/token/", {**body, "otp": current_code(secret)})
    assert response.status_code == 200
    assert response.json()["token"]


def test_api_token_for_a_leader_without_totp_needs_only_the_password(personas, api_client):
    body = {"username": personas.leader_a.username, "password": PASSWORD}
    assert api_client.post("/api/v1/auth/token/", body).status_code == 200


def test_admin_login_form_cannot_skip_the_second_factor(personas):
    user = personas.staff_a
    browser = Client()
    login(browser, user.username)
    activate_totp(browser)

    admin_form = Client()
    response = admin_form.post(
        "/admin/login/", {"username": user.username, "password": PASSWORD, "next": "/admin/"}
    )

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert admin_form.get("/admin/").status_code == 302
    assert admin_form.get("/").url.startswith(LOGIN)


def test_admin_login_form_still_works_when_no_second_factor_is_involved(personas, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    admin_form = Client()
    response = admin_form.post(
        "/admin/login/", {"username": personas.staff_a.username, "password": PASSWORD, "next": "/admin/"}
    )
    assert (response.status_code, response.url) == (302, "/admin/")
    assert admin_form.get("/admin/").status_code == 200
