"""Celery discipline: every task has time limits and late acks, nothing is sent after a rollback,
and /health/ tells whether the broker is reachable."""

import os
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import transaction

from config.celery import app
from core.tasks import BEAT_KEY, beat_heartbeat_task
from tests.conftest import require_service
from tests.factories import UserFactory

# Every app of this repository (not the libraries'), so a new app's tasks are checked too.
PROJECT_APPS = tuple(
    f"{config.name}."
    for config in django_apps.get_app_configs()
    if Path(config.path).resolve().is_relative_to(Path(__file__).resolve().parents[2])
    and ".venv" not in Path(config.path).parts
)
# Tasks that must not be acknowledged late (not idempotent), each with the reason. None so far.
NOT_ACKS_LATE: dict[str, str] = {}


def project_tasks():
    app.loader.import_default_modules()  # autodiscover every app's tasks.py
    return sorted((name, task) for name, task in app.tasks.items() if name.startswith(PROJECT_APPS))


def test_the_registry_holds_the_project_tasks():
    assert "core.tasks.beat_heartbeat_task" in dict(project_tasks())


@pytest.mark.parametrize(("name", "task"), project_tasks(), ids=[n for n, _ in project_tasks()])
def test_every_task_has_soft_and_hard_time_limits_and_late_acks(name, task):
    soft = task.soft_time_limit or app.conf.task_soft_time_limit
    hard = task.time_limit or app.conf.task_time_limit
    assert soft and hard, f"{name} has no time limit"
    assert soft < hard, f"{name}: the soft limit must come first so the task can clean up"
    if name in NOT_ACKS_LATE:
        assert task.acks_late is False
    else:
        assert task.acks_late is True, f"{name}: make it idempotent and ack late, or list it in NOT_ACKS_LATE"
        assert task.reject_on_worker_lost or app.conf.task_reject_on_worker_lost


def test_beat_schedule_names_only_registered_tasks():
    registered = dict(project_tasks())
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in registered


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_on_commit_is_not_sent_when_the_transaction_rolls_back():
    # Eager mode runs the task in-process, so "sent" is observable: the heartbeat writes the cache.
    cache.delete(BEAT_KEY)
    with pytest.raises(RuntimeError), transaction.atomic():
        beat_heartbeat_task.delay_on_commit()
        transaction.on_commit(beat_heartbeat_task.delay)
        raise RuntimeError("the write failed")
    assert cache.get(BEAT_KEY) is None

    with transaction.atomic():
        beat_heartbeat_task.delay_on_commit()
        assert cache.get(BEAT_KEY) is None  # not before the commit either
    assert cache.get(BEAT_KEY) is not None


@pytest.fixture
def real_broker():
    """Turn eager mode off for the health probe, and put the broker settings back afterwards."""
    saved = (app.conf.task_always_eager, app.conf.broker_url)

    def use(url: str) -> None:
        app.conf.task_always_eager = False
        app.conf.broker_url = url

    yield use
    app.conf.task_always_eager, app.conf.broker_url = saved


@pytest.mark.django_db
def test_health_reports_an_unreachable_broker_as_down(client, real_broker):
    real_broker("redis://127.0.0.1:1/0")  # nothing listens on port 1

    client.force_login(UserFactory(is_staff=True), backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "up"


@pytest.mark.django_db
def test_health_reports_the_real_redis_broker_as_up(client, real_broker):
    redis_url = os.environ.get("REDIS_URL", "")
    require_service(bool(redis_url), "REDIS_URL is not set: no Redis broker to probe")
    real_broker(redis_url)

    client.force_login(UserFactory(is_staff=True), backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/health/")

    assert response.status_code == 200, response.json()
    broker = response.json()["checks"]["broker"]
    assert (broker["status"], broker["mode"]) == ("up", "worker")


def test_a_task_queued_by_name_runs_eagerly_even_before_its_module_was_imported(monkeypatch):
    """`make run` (eager, in-memory broker): queueing by name must run the task in-process, not drop it
    into a broker nobody reads because no code had imported the task's module yet."""
    import sys

    from core.queueing import enqueue

    monkeypatch.delitem(sys.modules, "core.tasks")
    monkeypatch.delitem(app.tasks, "core.tasks.beat_heartbeat_task")
    cache.delete(BEAT_KEY)

    assert enqueue("core.tasks.beat_heartbeat_task") is True
    assert cache.get(BEAT_KEY) is not None  # it ran here and then
    with pytest.raises(KeyError):
        enqueue("core.tasks.no_such_task")
