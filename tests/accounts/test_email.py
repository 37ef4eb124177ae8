"""Issue #17 item 8: production sends real mail (EMAIL_URL) and never prints reset links to the log.

A password reset is delivered over SMTP to a server this test starts on 127.0.0.1 (aiosmtpd), and
the link in it works. Without mail configured, production sends nothing (a logged error without the
message) and ``check --deploy`` fails; with production-like settings including EMAIL_URL,
``check --deploy --fail-level WARNING`` is clean.
"""

import logging
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
RESET = "/accounts/password/reset/"
KEY_LINK = re.compile(r"https?://[^\s/]+(/accounts/password/reset/key/[^\s]+/)")


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def _body(message) -> str:
    parts = message.walk() if message.is_multipart() else [message]
    return "".join(
        part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        for part in parts
        if part.get_content_type() == "text/plain"
    )


@pytest.mark.django_db
def test_a_password_reset_is_delivered_over_smtp_and_its_link_works(smtp_server, personas, settings, caplog):
    controller, inbox = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    user = personas.leader_a
    user.email = "carol@doan-an-hoi.vn"
    user.save(update_fields=["email"])
    caplog.set_level(logging.DEBUG)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # the test server's own log of the data

    response = Client().post(RESET, {"email": "carol@doan-an-hoi.vn"})

    assert response.status_code == 302
    deadline = time.monotonic() + 10
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)  # delivery is synchronous; the server thread files it a moment later
    [(recipients, message)] = inbox.messages
    assert recipients == ["carol@doan-an-hoi.vn"]
    link = KEY_LINK.search(_body(message)).group(1)
    assert link not in caplog.text  # the link is in the mail only, never in the log

    browser = Client()
    form = browser.get(link, follow=True)
    assert form.status_code == 200
    new = "mùa-hè-xanh-an-hội-2026"
    done = browser.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert not user.check_password(PASSWORD)


@pytest.mark.django_db
def test_without_mail_configured_production_sends_nothing_and_logs_no_link(personas, settings, caplog):
    settings.EMAIL_BACKEND = "accounts.mail.UnconfiguredEmailBackend"
    personas.leader_a.email = "carol@doan-an-hoi.vn"
    personas.leader_a.save(update_fields=["email"])
    caplog.set_level(logging.DEBUG)

    assert Client().post(RESET, {"email": "carol@doan-an-hoi.vn"}).status_code == 302

    assert "EMAIL_URL is not set" in caplog.text
    assert "/password/reset/key/" not in caplog.text


@pytest.mark.parametrize(
    "backend",
    [
        "accounts.mail.UnconfiguredEmailBackend",
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
    ],
)
def test_the_deploy_check_fails_without_real_mail_when_debug_is_off(backend, settings):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = backend
    assert [e.id for e in run_checks(include_deployment_checks=True) if e.id == "accounts.E001"] == [
        "accounts.E001"
    ]
    with pytest.raises(SystemCheckError, match="accounts.E001"):
        call_command("check", "--deploy", "--tag", "security")

    settings.DEBUG = True  # development: the console is where mail belongs
    assert not [e for e in run_checks(include_deployment_checks=True) if e.id == "accounts.E001"]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """manage.py under the production settings module (not the test overlay), DEBUG off."""
    production = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "portal.doan.vn",
        "CSRF_TRUSTED_ORIGINS": "https://portal.doan.vn",
        "DATABASE_URL": "sqlite:////tmp/cds-check-deploy.sqlite3",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_read_smtp_from_email_url():
    # check --deploy --fail-level WARNING with EMAIL_URL set: tests/core/test_security.py.
    url = "smtp+tls://no-reply%40doan.vn:s3cret@smtp.doan.vn:587"
    shown = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS)",
        EMAIL_URL=url,
    )
    assert shown.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.doan.vn",
        "587",
        "no-reply@doan.vn",
        "True",
    ], shown.stderr


def test_production_settings_without_email_url_fail_check_deploy():
    done = _manage("check", "--deploy")
    assert done.returncode != 0
    assert "accounts.E001" in done.stderr + done.stdout
