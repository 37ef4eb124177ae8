"""Real Celery workers for the tests that need them: started as subprocesses on Redis, against the
test database (which they can see because those tests commit: ``transaction=True``)."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def broker_url_for_workers() -> str:
    """REDIS_URL on its own database number: the broker's queues and unacknowledged messages stay
    apart from the cache's keys, which tests clear."""
    url = os.environ.get("REDIS_URL", "")
    return urlsplit(url)._replace(path="/15").geturl() if url else ""


def redis_ok(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.exceptions.ConnectionError:
        return False


def worker_env(broker_url: str, **extra: str) -> dict:
    """The environment of a worker on ``broker_url`` and the test database (not the development one)."""
    s = connection.settings_dict
    database_url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        **extra,
    }


def start(queue: str, env: dict, log: Path, module: str = "celery") -> subprocess.Popen:
    """One solo worker consuming ``queue``; its log goes to ``log``."""
    worker = subprocess.Popen(
        [sys.executable, "-m", module, "-A", "config", "worker", "-Q", queue, "-P", "solo", "-c", "1"]
        + ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "info"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    worker.log = log
    return worker


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)


def wait_for(condition, seconds: float, worker: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.poll() is not None:
            pytest.fail(f"the worker exited while waiting for {what}: {worker.log.read_text()[-3000:]}")
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}; the worker's log: {worker.log.read_text()[-3000:]}")
