"""A worker killed with SIGKILL in the middle of a rollup: nothing half-written stays, the task is
redelivered (acks late, reject on worker lost, Redis visibility timeout) to the next worker, and the
progress table ends up equal to a clean run. Real PostgreSQL, Redis and Celery workers."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

from progress import rollup
from progress.models import Fact, Progress, RollupState
from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 3  # seconds before the dead worker's unacknowledged task is handed out again
COLUMNS = ("org_unit_id", "indicator_id", "period_kind", "period_start", "numerator", "denominator", "value")


def broker_url_for_workers() -> str:
    """REDIS_URL on its own database number: parallel tests clear the cache (FLUSHDB on the cache's
    database), which would wipe the broker's queues and unacknowledged messages under a worker."""
    url = os.environ.get("REDIS_URL", "")
    return urlsplit(url)._replace(path="/15").geturl() if url else ""


def _redis_ok(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.exceptions.ConnectionError:
        return False


def _worker(module: list[str], queue: str, env: dict, log: Path) -> subprocess.Popen:
    worker = subprocess.Popen(
        [sys.executable, "-m", *module, "-A", "config", "worker", "-Q", queue, "-P", "solo", "-c", "1"]
        + ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "info"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    worker.log = log
    return worker


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)


def _wait(condition, seconds: float, worker: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.poll() is not None:
            pytest.fail(
                f"the worker exited while waiting for {what}: {worker.stderr.read().decode()[-2000:]}"
            )
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


def _rows() -> list[tuple]:
    return sorted(Progress.objects.values_list(*COLUMNS))


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_rollup_leaves_nothing_half_written_and_the_task_is_redelivered(story, tmp_path):
    url = broker_url_for_workers()
    require_service(bool(url) and _redis_ok(url), "REDIS_URL is not set or Redis does not answer")
    require_service(connection.vendor == "postgresql", "the workers need a shared database (PostgreSQL)")
    from config.celery import app

    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@"
        f"{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    # Start from nothing computed (an eager rollup may have run when the story was written), so the
    # worker's run has everything to write.
    Progress.objects.all().delete()
    Fact.objects.all().delete()
    RollupState.objects.all().delete()
    marker = tmp_path / "stalled"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "FAULT_MARKER": str(marker),
    }
    queue = f"progress-fault-{uuid.uuid4().hex[:8]}"
    first = _worker(["tests.progress.slow_worker"], queue, env, tmp_path / "first.log")
    second = None
    try:
        app.conf.broker_url = url
        with app.connection_for_write() as conn:
            app.send_task("progress.tasks.rollup_progress_task", queue=queue, connection=conn)
        _wait(marker.exists, 90, first, "the rollup to reach its stall point")
        assert int(marker.read_text()) > 0  # month rows were written inside the run's transaction

        first.send_signal(signal.SIGKILL)
        first.wait(10)
        # The run's transaction died with the worker's connection: nothing of it is visible.
        assert not Progress.objects.exists() and not Fact.objects.exists()
        assert RollupState.objects.filter(last_run_at__isnull=False).count() == 0

        second = _worker(["celery"], queue, env, tmp_path / "second.log")
        _wait(
            lambda: RollupState.objects.filter(last_run_at__isnull=False).exists(),
            90,
            second,
            "the redelivered rollup to finish on the second worker",
        )
    finally:
        _stop(first)
        if second is not None:
            _stop(second)

    after_fault = _rows()
    assert after_fault
    Progress.objects.all().delete()
    rollup.rollup_full()
    assert _rows() == after_fault  # the same table as a clean run
