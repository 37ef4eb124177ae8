"""The rollup on the real services: concurrent runs on PostgreSQL, and a real Celery worker on Redis."""

import threading
import time
import uuid

import pytest
from django.db import connection, connections, transaction

from progress import rollup
from progress.models import Progress, RollupState
from tests.conftest import require_service
from tests.progress import workers
from tests.progress.conftest import TODAY


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_are_serialised(story):
    require_service(connection.vendor == "postgresql", "needs PostgreSQL (advisory locks)")
    events = []
    held = threading.Event()

    def holder():
        try:
            with transaction.atomic():
                rollup.run._lock()
                held.set()
                events.append(("holder", "locked", time.monotonic()))
                time.sleep(1.0)
                events.append(("holder", "released", time.monotonic()))
        finally:
            connections.close_all()

    def runner():
        try:
            held.wait(5)
            rollup.rollup_full(today=TODAY)
            events.append(("runner", "done", time.monotonic()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=holder), threading.Thread(target=runner)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    times = {(who, what): at for who, what, at in events}
    # The second run could only write once the first transaction had let go of the lock.
    assert times[("runner", "done")] >= times[("holder", "released")]
    assert Progress.objects.filter(org_unit=story.tree.central).exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_full_runs_in_parallel_give_the_same_rows_as_one(story):
    require_service(connection.vendor == "postgresql", "needs PostgreSQL (advisory locks)")
    errors = []

    def run():
        try:
            rollup.rollup_full(today=TODAY)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    first = sorted(
        Progress.objects.values_list("org_unit_id", "indicator_id", "period_kind", "period_start", "value")
    )
    rollup.rollup_full(today=TODAY)
    assert (
        sorted(
            Progress.objects.values_list(
                "org_unit_id", "indicator_id", "period_kind", "period_start", "value"
            )
        )
        == first
    )


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_runs_the_rollup(story, tmp_path):
    url = workers.broker_url_for_workers()
    require_service(bool(url) and workers.redis_ok(url), "REDIS_URL is not set or Redis does not answer")
    require_service(connection.vendor == "postgresql", "the worker needs a shared database (PostgreSQL)")
    from config.celery import app

    queue = f"progress-test-{uuid.uuid4().hex[:8]}"
    worker = workers.start(queue, workers.worker_env(url), tmp_path / "worker.log")
    try:
        app.conf.broker_url = url
        with app.connection_for_write() as conn:
            app.send_task("progress.tasks.rollup_progress_task", queue=queue, connection=conn)
        workers.wait_for(
            lambda: RollupState.objects.filter(last_run_at__isnull=False).exists(), 60, worker, "the rollup"
        )
        assert Progress.objects.filter(
            org_unit=story.tree.central, indicator__code="citizens_assisted"
        ).exists()
    finally:
        workers.stop(worker)
