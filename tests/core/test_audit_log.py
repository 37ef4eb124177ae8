"""Structured security log: logins, failures, lockouts and denials are logged; personal data never is."""

import io
import json
import logging

import pytest
from django.test import Client

from core.audit_log import RedactingFilter, log_event, redact
from tests.conftest import PASSWORD, clear_own_cache_keys

PHONE = "0912345678"
CCCD = "001203004567"  # 12-digit citizen ID
CMND = "271234567"  # 9-digit old identity card
SECRETS = [PASSWORD, "wrong-Pa55word-0912345678", PHONE, CCCD, CMND, "091 234 5678", "+84 912 345 678"]


@pytest.fixture
def console_output():
    """What the real console handler (with its redaction filter) writes, captured as text."""
    handler = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, RedactingFilter) for f in h.filters)
    )
    buffer = io.StringIO()
    # Pin the stream without setStream(): that flushes the old stream first, which may be a capture
    # file pytest already closed when this worker ran an earlier test.
    with handler.lock:
        handler.stream = buffer
    yield buffer
    with handler.lock:
        handler.stream = None  # follow sys.stderr again (core.audit_log.StderrHandler)


def audit_events(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "portal.audit"]


@pytest.mark.django_db
def test_login_failures_lockout_and_denials_are_logged_without_personal_data(
    personas, tree, caplog, console_output
):
    clear_own_cache_keys()
    caplog.set_level(logging.INFO)
    leader = personas.leader_a

    # A user who types their phone number as the username, and passwords full of digits.
    Client().post("/accounts/login/", {"login": PHONE, "password": "wrong-Pa55word-0912345678"})
    for _ in range(5):
        Client().post("/accounts/login/", {"login": leader.username, "password": f"sai-{CCCD}"})
    signed_in = Client()
    signed_in.post("/accounts/login/", {"login": personas.staff_b.username, "password": PASSWORD})
    signed_in.get(f"/units/{tree.province_a.pk}/")  # another province: out of scope
    signed_in.get(f"/api/v1/org-units/{tree.commune_a.pk}/")
    log_event("export.done", user_id=1, note=f"CMND {CMND}, SĐT 091 234 5678", token="abc", rows=3)

    events = audit_events(caplog)
    kinds = [e["event"] for e in events]
    assert kinds.count("auth.login_failed") == 6
    assert kinds.count("auth.locked_out") == 1
    assert kinds.count("auth.login") == 1
    assert [e["path"] for e in events if e["event"] == "access.denied"] == [
        f"/units/{tree.province_a.pk}/",
        f"/api/v1/org-units/{tree.commune_a.pk}/",
    ]
    assert {e["user_id"] for e in events if e["event"] == "access.denied"} == {personas.staff_b.pk}
    assert next(e for e in events if e["event"] == "export.done")["token"] == "***"

    everything = "\n".join(r.getMessage() for r in caplog.records) + console_output.getvalue()
    assert "auth.locked_out" in console_output.getvalue()
    for secret in SECRETS:
        assert secret not in everything, secret


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("phone=0912345678 ok", "phone=*** ok"),
        ("gọi +84 912 345 678 nhé", "gọi *** nhé"),
        ("CCCD 001203004567", "CCCD ***"),
        ("CMND: 271234567.", "CMND: ***."),
        ('{"password": "hunter2-long", "user_id": 5}', '{"password": "***", "user_id": 5}'),
        ("otp=123456&next=/", "otp=***&next=/"),
        ("api_token: abcdef", "api_token: ***"),
        ("user_id=42 rows=340 unit=28777", "user_id=42 rows=340 unit=28777"),
    ],
)
def test_redact(raw, expected):
    assert redact(raw) == expected


def test_one_json_line_per_event(caplog):
    caplog.set_level(logging.INFO, logger="portal.audit")
    log_event("import.done", user_id=7, org_unit_id=12, rows=340, password="x")

    (record,) = [r for r in caplog.records if r.name == "portal.audit"]
    assert json.loads(record.getMessage()) == {
        "event": "import.done",
        "user_id": 7,
        "org_unit_id": 12,
        "rows": 340,
        "password": "***",
    }
