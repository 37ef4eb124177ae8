"""Thin tasks around the rollup. Both are idempotent (acks_late) and single-flight (the lock)."""

import datetime

from celery import shared_task
from django.db import InterfaceError, OperationalError

from core.progress_marks import queue_progress_rollup_now, rollup_run_starting
from progress import rollup

# Only a lost or busy database is worth retrying; a bug in the SQL is not.
TRANSIENT = (OperationalError, InterfaceError)


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    max_retries=3,
    soft_time_limit=15 * 60,
    time_limit=20 * 60,
    ignore_result=True,
)
def rollup_progress_task(period: str | None = None) -> dict:
    """The full recompute (nightly safety net and the staff "refresh"), or one month ("YYYY-MM")."""
    month = datetime.date.fromisoformat(f"{period}-01") if period else None
    result = rollup.rollup_full(period=month)
    return {"mode": result.mode, "rows": result.rows_written, "seconds": round(result.seconds, 3)}


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=2,
    max_retries=3,
    soft_time_limit=5 * 60,
    time_limit=6 * 60,
    ignore_result=True,
)
def rollup_dirty_task() -> dict:
    """Recompute what the dirty marks touch: every few minutes, and after marked commits (one queued
    run at a time: core.progress_marks)."""
    rollup_run_starting()
    result = rollup.rollup_dirty()
    if result.more_marks:
        queue_progress_rollup_now()  # more marks than one run takes (a bulk import): the rest next
    return {"mode": result.mode, "marks": result.marks, "rows": result.rows_written}
