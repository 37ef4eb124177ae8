"""Production hardening: deploy checks, security headers, CSP without inline scripts, no caching of
personal pages."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_passes_without_any_warning_under_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "SECURE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="cds.doanthanhnien.vn",
        LOG_LEVEL="WARNING",
        # Production sends real mail (without it the deploy check fails: tests/accounts/test_email.py).
        EMAIL_URL="smtp+tls://no-reply%40doanthanhnien.vn:s3cret@smtp.doanthanhnien.vn:587",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.django_db
def test_portal_pages_send_the_security_headers_and_a_csp_without_inline_scripts(personas):
    client = Client()
    login = client.post(
        "/accounts/login/", {"login": personas.leader_a.username, "password": PASSWORD}, secure=True
    )
    response = client.get("/", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    csp = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'"
    assert csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    session_cookie = login.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] and session_cookie["httponly"]
    assert settings.CSRF_COOKIE_SECURE
    # What the policy promises, the page keeps: every script is a file from this site.
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts
    assert all(re.search(r'\bsrc="/static/', attrs) for attrs in scripts)


@pytest.mark.django_db
def test_pages_and_api_answers_turn_off_browser_features_the_portal_never_uses(client):
    for url in ("/accounts/login/", "/api/v1/org-units/", "/health/"):
        policy = client.get(url)["Permissions-Policy"]
        features = dict(item.split("=") for item in policy.split(", "))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
            assert features[feature] == "()", (url, feature)


@pytest.mark.django_db
def test_the_language_cookie_is_secure_and_same_site_lax(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = True  # as in production
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]

    assert cookie.value == "en"
    assert cookie["secure"]
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]


def test_production_makes_the_language_cookie_secure_with_the_session_cookie():
    # Under the test overlay DEBUG is off, as in production: the cookies follow SECURE_COOKIES.
    assert settings.LANGUAGE_COOKIE_SECURE is settings.SESSION_COOKIE_SECURE is True
    assert settings.LANGUAGE_COOKIE_SAMESITE == "Lax"


@pytest.mark.django_db
def test_login_page_is_under_the_csp_too(client):
    response = client.get("/accounts/login/", secure=True)
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_hsts_is_only_sent_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/accounts/login/")


@pytest.mark.django_db
def test_api_docs_work_under_the_csp(as_user, personas):
    client = as_user(personas.staff_a)
    page = client.get("/api/docs/", secure=True)
    assert page.status_code == 200
    assert "script-src 'self'" in page["Content-Security-Policy"]
    sources = re.findall(r'<script src="([^"]+)"', page.content.decode())
    assert len(sources) == len(re.findall(r"<script\b", page.content.decode()))
    for source in sources:
        assert source.startswith("/"), source  # same origin: allowed by script-src 'self'
    init = client.get(sources[-1], secure=True)
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert client.get("/api/schema/", secure=True).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/units/", "/api/v1/org-units/", "/accounts/2fa/"])
def test_signed_in_responses_are_never_stored(as_user, personas, url):
    response = as_user(personas.staff_a).get(url)
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


# --- Templates: no inline script, no event-handler attribute --------------------------------------

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)
SKIP_DIRS = {".venv", "node_modules", ".git", "staticfiles"}


def _templates() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.html"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIP_DIRS or "templates" not in parts:
            continue
        found.append(path)
    return sorted(found)


def test_the_template_scan_finds_the_templates():
    names = {p.relative_to(ROOT).as_posix() for p in _templates()}
    assert "templates/base.html" in names
    assert "templates/account/lockout.html" in names


@pytest.mark.parametrize("path", _templates(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_templates_have_no_inline_scripts_or_event_handlers(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.findall(text), "inline <script> without src: move it to static/js/"
    assert not EVENT_HANDLER.findall(text), "on*= attribute: bind the event in static/js/ instead"


@pytest.mark.parametrize(
    ("snippet", "bad"),
    [
        ("<script>alert(1)</script>", True),
        ('<script type="module">import x</script>', True),
        ('<button onclick="go()">', True),
        ('<body\n  onload="init()">', True),
        ('<script src="/static/js/portal.js"></script>', False),
        ('<script type="application/json" id="data">{}</script>', False),
        ('<a class="js-once" data-online="1">', False),
    ],
)
def test_the_scan_itself_tells_good_from_bad(snippet, bad):
    assert bool(INLINE_SCRIPT.search(snippet) or EVENT_HANDLER.search(snippet)) is bad
