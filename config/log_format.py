"""Log stamps that say their zone: the portal's processes run in Asia/Ho_Chi_Minh (TIME_ZONE), so a
bare "07:31:29" read next to a UTC log (PostgreSQL's, a proxy's) was seven hours off without a word."""

import logging
import time

from django.utils.log import ServerFormatter


class ZonedFormatter(logging.Formatter):
    """``%(asctime)s`` as ``2026-12-07 07:31:29,146+0700``: milliseconds, then the UTC offset."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return super().formatTime(record, datefmt) + time.strftime("%z", self.converter(record.created))


class ZonedServerFormatter(ZonedFormatter, ServerFormatter):
    """runserver's request lines (``django.server``) with the same stamp (Django's own is the local
    time without a zone), still coloured by status code."""
