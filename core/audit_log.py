"""Structured security log: one JSON line per event, with personal data masked.

    log_event("import.done", user_id=7, org_unit_id=12, rows=340)
    -> {"event": "import.done", "user_id": 7, "org_unit_id": 12, "rows": 340}

Logins, failures, lockouts and denied access are logged by the portal itself (core/signals.py,
portal/middleware.py, core/api/exceptions.py); apps call ``log_event`` for imports and exports.
``redact`` masks phone numbers, 9- and 12-digit ID numbers and any value whose name says password,
token, otp or secret; ``RedactingFilter`` applies it to every log line the process writes.
"""

import json
import logging
import re
import sys

logger = logging.getLogger("portal.audit")

MASK = "***"
SECRET_NAMES = re.compile(r"password|passwd|token|otp|secret|session|csrf", re.I)
# key=value, key: value, "key": "value" where the key names a secret.
_SECRET_PAIR = re.compile(
    r"""(?P<key>["']?[\w-]*(?:password|passwd|token|otp|secret|sessionid|csrf)[\w-]*["']?\s*[:=]\s*)"""
    r"""(?P<value>"[^"]*"|'[^']*'|[^\s,;&}\]]+)""",
    re.I,
)
# Vietnamese phone numbers: 0xxxxxxxxx or +84 xxx xxx xxx, with optional spaces, dots or dashes.
_PHONE = re.compile(r"(?<![\w.])(?:\+84|84|0)(?:[\s.-]?\d){8,10}(?![\d])")
# Citizen ID (CCCD, 12 digits) and old identity card (CMND, 9 digits); also catches bare 10-11 digit runs.
_ID_NUMBER = re.compile(r"(?<!\d)\d{9,12}(?!\d)")


def _mask_pair(match: re.Match) -> str:
    quote = match["value"][0] if match["value"][0] in "\"'" else ""
    return f"{match['key']}{quote}{MASK}{quote}"


def redact(text: str) -> str:
    """``text`` with secrets, phone numbers and ID numbers replaced by ***."""
    text = _SECRET_PAIR.sub(_mask_pair, text)
    text = _PHONE.sub(MASK, text)
    return _ID_NUMBER.sub(MASK, text)


def _clean(fields: dict) -> dict:
    return {k: (MASK if SECRET_NAMES.search(k) else v) for k, v in fields.items()}


def log_event(event: str, **fields) -> None:
    """Write one structured line for ``event``; never pass whole objects, only ids and counts."""
    line = json.dumps({"event": event, **_clean(fields)}, ensure_ascii=False, default=str)
    logger.info(redact(line))


def log_import(kind: str, *, user, report, dry_run: bool, **fields) -> None:
    """One line per import attempt: who, what kind, how many rows, the outcome (never the rows' data)."""
    outcome = "dry_run" if dry_run else ("refused" if report.errors else "written")
    log_event(
        f"import.{outcome}",
        kind=kind,
        user_id=getattr(user, "pk", None),
        rows=report.rows_total,
        created=report.created,
        updated=report.updated,
        errors=len(report.errors),
        **fields,
    )


def log_export(request, response) -> None:
    """One line per file handed out (Excel, CSV, PDF, JSON export): who, which page, which file."""
    disposition = response.get("Content-Disposition", "")
    filename = disposition.split("filename=", 1)[-1].strip('"') if "filename=" in disposition else ""
    log_event(
        "export",
        user_id=getattr(request.user, "pk", None),
        path=request.path,
        filename=filename,
        content_type=response.get("Content-Type", "").split(";")[0],
    )


class RedactingFilter(logging.Filter):
    """Masks personal data in every record a handler writes, whoever logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class StderrHandler(logging.StreamHandler):
    """A console handler that writes to whatever ``sys.stderr`` is at the time of the record.

    ``logging.StreamHandler`` keeps the stream it was built with; under a test runner that swaps and
    closes ``sys.stderr`` (pytest's capture), later records would hit a closed file. Assigning
    ``stream`` pins another stream; assigning ``None`` follows ``sys.stderr`` again.
    """

    def __init__(self):
        super().__init__(stream=None)
        self._pinned = None

    @property
    def stream(self):
        return self._pinned if self._pinned is not None else sys.stderr

    @stream.setter
    def stream(self, value):
        self._pinned = value


def log_denied(request, reason: str) -> None:
    user = getattr(request, "user", None)
    log_event(
        "access.denied",
        reason=reason,
        user_id=getattr(user, "pk", None),
        method=request.method,
        path=request.path,
    )
