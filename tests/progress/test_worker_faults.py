"""A worker killed with SIGKILL in the middle of a rollup: nothing half-written stays, the task is
redelivered (acks late, reject on worker lost, Redis visibility timeout) to the next worker, and the
progress table ends up equal to a clean run. Real PostgreSQL, Redis and Celery workers."""

import signal
import uuid

import pytest
from django.db import connection

from progress import rollup
from progress.models import Fact, PeriodValue, Progress, RollupState
from tests.conftest import require_service
from tests.progress import workers

VISIBILITY_TIMEOUT = 3  # seconds before the dead worker's unacknowledged task is handed out again
COLUMNS = ("org_unit_id", "indicator_id", "period_kind", "period_start", "numerator", "denominator", "value")


def _rows() -> list[tuple]:
    return sorted(Progress.objects.values_list(*COLUMNS))


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_rollup_leaves_nothing_half_written_and_the_task_is_redelivered(story, tmp_path):
    url = workers.broker_url_for_workers()
    require_service(bool(url) and workers.redis_ok(url), "REDIS_URL is not set or Redis does not answer")
    require_service(connection.vendor == "postgresql", "the workers need a shared database (PostgreSQL)")
    from config.celery import app

    # Start from nothing computed (an eager rollup may have run when the story was written), so the
    # worker's run has everything to write.
    PeriodValue.objects.all().delete()
    Fact.objects.all().delete()
    RollupState.objects.all().delete()
    marker = tmp_path / "stalled"
    env = workers.worker_env(url, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT), FAULT_MARKER=str(marker))
    queue = f"progress-fault-{uuid.uuid4().hex[:8]}"
    first = workers.start(queue, env, tmp_path / "first.log", module="tests.progress.slow_worker")
    second = None
    try:
        app.conf.broker_url = url
        with app.connection_for_write() as conn:
            app.send_task("progress.tasks.rollup_progress_task", queue=queue, connection=conn)
        workers.wait_for(marker.exists, 90, first, "the rollup to reach its stall point")
        assert int(marker.read_text()) > 0  # period rows were written inside the run's transaction

        first.send_signal(signal.SIGKILL)
        first.wait(10)
        # The run's transaction died with the worker's connection: nothing of it is visible.
        assert not Progress.objects.exists() and not Fact.objects.exists()
        assert RollupState.objects.filter(last_run_at__isnull=False).count() == 0

        second = workers.start(queue, env, tmp_path / "second.log")
        workers.wait_for(
            lambda: RollupState.objects.filter(last_run_at__isnull=False).exists(),
            90,
            second,
            "the redelivered rollup to finish on the second worker",
        )
    finally:
        workers.stop(first)
        if second is not None:
            workers.stop(second)

    after_fault = _rows()
    assert after_fault
    PeriodValue.objects.all().delete()
    rollup.rollup_full()
    assert _rows() == after_fault  # the same table as a clean run
