"""Log lines say their zone: the processes run in Asia/Ho_Chi_Minh, and a stamp without an offset read
beside a UTC log was seven hours off. Celery's worker and beat keep the same format (and redaction)."""

import logging
import logging.config
import re

from django.conf import settings

from config.celery import app

STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\+0700"


def formatter(name: str) -> logging.Formatter:
    spec = dict(settings.LOGGING["formatters"][name])
    configurator = logging.config.DictConfigurator({"version": 1})
    return configurator.configure_formatter(spec)


def record(name: str, message: str, **extra) -> logging.LogRecord:
    entry = logging.LogRecord(name, logging.INFO, __file__, 1, message, None, None)
    entry.__dict__.update(extra)
    return entry


def test_every_portal_log_line_is_stamped_with_its_utc_offset():
    line = formatter("plain").format(record("progress.rollup", "progress rollup full"))

    assert re.fullmatch(rf"{STAMP} INFO progress\.rollup progress rollup full", line), line


def test_runserver_request_lines_carry_the_same_stamp():
    line = formatter("django.server").format(
        record("django.server", '"GET /health/ HTTP/1.1" 200 54', status_code=200)
    )

    # Django's runserver layout (07/Dec/2026 07:31:29), with milliseconds and the offset
    assert re.fullmatch(
        r'\[\d\d/\w{3}/\d{4} \d\d:\d\d:\d\d,\d{3}\+0700\] "GET /health/ HTTP/1.1" 200 54', line
    ), line


def test_celery_processes_keep_the_portals_logging(monkeypatch):
    root = logging.getLogger()
    handlers = list(root.handlers)

    monkeypatch.setattr(app.log, "already_setup", False)
    app.log.setup_logging_subsystem(loglevel="INFO")

    assert root.handlers == handlers  # Celery installed none of its own
