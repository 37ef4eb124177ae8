"""Marking facts as changed for the progress rollup (see core.models.DirtyMark).

The marks are written in the caller's transaction; once it commits, the incremental rollup is
queued by task *name* (``progress`` sits at the top of the app chain, so nothing here imports it).
With eager Celery (development, ``make run``) the dashboard is therefore current at once.
"""

import contextlib
import datetime
import threading
from collections.abc import Iterable

from celery import current_app
from django.core.cache import cache
from django.db import connection, transaction

from core.models import DirtyMark
from core.queueing import enqueue

ROLLUP_DIRTY_TASK = "progress.tasks.rollup_dirty_task"
# Set while an incremental run is queued and has not started; it expires by itself should that run
# never start (a lost worker), and the beat's run every 3 minutes catches up whatever is left.
ROLLUP_QUEUED_KEY = "progress:rollup-dirty:queued"
ROLLUP_QUEUED_SECONDS = 60
_local = threading.local()


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def mark_dirty(*, org_unit_id: int, day: datetime.date, rosters: bool = False) -> None:
    """Call inside the service's transaction whenever a fact for this unit and day changes;
    ``rosters`` when a membership or a team changed (who counts as a volunteer, and where)."""
    mark_dirty_many([(org_unit_id, day)], rosters=rosters)


def mark_dirty_many(pairs: Iterable[tuple[int, datetime.date]], *, rosters: bool = False) -> None:
    marks = {(unit_id, month_start(day)) for unit_id, day in pairs}
    DirtyMark.objects.bulk_create(
        [DirtyMark(org_unit_id=unit_id, month=month, rosters=rosters) for unit_id, month in marks],
        ignore_conflicts=True,
    )
    queue_progress_rollup()


def _send_rollup() -> None:
    # By name: runs in-process when tasks are eager, goes to the broker otherwise. A broker that is
    # down does not fail the request: the marks are committed and the next scheduled run takes them.
    if current_app.conf.task_always_eager:
        enqueue(ROLLUP_DIRTY_TASK)
        return
    # One queued run at a time: a run takes every mark there is, and a campaign morning commits
    # dozens a second (a task each kept the broker and the worker busy with runs that found nothing).
    # The run clears the flag before it claims marks: a mark committed after that queues the next.
    if not _first_to_queue():
        return
    if not enqueue(ROLLUP_DIRTY_TASK):
        cache.delete(ROLLUP_QUEUED_KEY)


def _first_to_queue() -> bool:
    add = getattr(cache, "add_or_unreachable", cache.add)  # the Redis cache's; a local one cannot fail
    return add(ROLLUP_QUEUED_KEY, True, ROLLUP_QUEUED_SECONDS)


def rollup_run_starting() -> None:
    """Called by a queued incremental run before it claims the marks: the next marked commit queues
    another run (this one may have been claimed before that commit)."""
    cache.delete(ROLLUP_QUEUED_KEY)


def queue_progress_rollup_now() -> None:
    """Queue an incremental run at once (outside any transaction), unless one is queued already."""
    _send_rollup()


def queue_progress_rollup() -> None:
    """Queue the incremental rollup after the current transaction commits (once per transaction)."""
    if getattr(_local, "suspended", False):
        return
    if any(func is _send_rollup for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_send_rollup)


@contextlib.contextmanager
def rollup_queueing_suspended():
    """Bulk loads (the demo seed) mark dirty without a rollup per commit; one full run follows them."""
    previous = getattr(_local, "suspended", False)
    _local.suspended = True
    try:
        yield
    finally:
        _local.suspended = previous
