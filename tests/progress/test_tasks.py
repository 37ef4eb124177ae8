"""Queueing the incremental rollup after marked commits: one queued run at a time with a worker,
every commit at once when tasks run eagerly (``make run``)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import transaction

from config.celery import app
from core import progress_marks
from core.models import DirtyMark
from core.progress_marks import ROLLUP_QUEUED_KEY, mark_dirty
from progress import rollup
from progress.tasks import rollup_dirty_task

DAY = datetime.date(2025, 8, 10)


@pytest.fixture
def sent(monkeypatch):
    """The task names handed to the broker; ``sent.ok`` is what the broker answers."""

    class Sent(list):
        ok = True

    calls = Sent()

    def enqueue(name, **options):
        calls.append(name)
        return calls.ok

    monkeypatch.setattr(progress_marks, "enqueue", enqueue)
    return calls


@pytest.fixture
def with_worker():
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = saved


def _log_a_fact(unit):
    """A service's transaction that marks a fact, committed (so its on-commit hook runs)."""
    with transaction.atomic():
        mark_dirty(org_unit_id=unit.pk, day=DAY)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("with_worker")
def test_commits_while_a_run_is_queued_queue_no_other_until_it_starts(tree, sent):
    for unit in (tree.commune_a, tree.sibling_a, tree.commune_b):
        _log_a_fact(unit)
    assert sent == [progress_marks.ROLLUP_DIRTY_TASK]

    rollup_dirty_task()  # the worker runs it: all three marks taken, the flag cleared as it starts
    assert not DirtyMark.objects.exists()
    assert cache.get(ROLLUP_QUEUED_KEY) is None

    _log_a_fact(tree.commune_a)
    assert sent == [progress_marks.ROLLUP_DIRTY_TASK] * 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("with_worker")
def test_a_run_the_broker_refused_is_tried_again_by_the_next_commit(tree, sent):
    sent.ok = False
    _log_a_fact(tree.commune_a)
    assert cache.get(ROLLUP_QUEUED_KEY) is None  # nothing is queued, so nothing may hold the place

    sent.ok = True
    _log_a_fact(tree.sibling_a)
    assert len(sent) == 2
    assert DirtyMark.objects.count() == 2  # both marks wait for that run


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("with_worker")
def test_a_run_that_took_a_full_batch_of_marks_queues_the_next(tree, sent, monkeypatch):
    monkeypatch.setattr(rollup.run, "CLAIM_BATCH", 2)
    for unit in (tree.commune_a, tree.sibling_a, tree.commune_b):
        _log_a_fact(unit)
    assert len(sent) == 1

    rollup_dirty_task()
    assert DirtyMark.objects.count() == 1
    assert len(sent) == 2  # the rest is not left for the beat

    rollup_dirty_task()
    assert not DirtyMark.objects.exists()
    assert len(sent) == 2  # that one took less than a batch: nothing left, nothing queued


@pytest.mark.django_db(transaction=True)
def test_with_eager_tasks_every_commit_runs_the_rollup_at_once(tree, sent):
    # `make run`: no worker, no flag; the dashboard is current after each save.
    _log_a_fact(tree.commune_a)
    _log_a_fact(tree.sibling_a)
    assert sent == [progress_marks.ROLLUP_DIRTY_TASK] * 2
    assert cache.get(ROLLUP_QUEUED_KEY) is None
