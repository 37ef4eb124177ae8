""" "Computed at" comes from the cache; a run moves it at once, and after its commit the cache holds it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from progress import rollup
from progress.computed import computed_at
from progress.models import RollupState
from tests.progress.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_before_any_run_there_is_no_time_and_that_too_is_cached():
    assert computed_at() is None
    with CaptureQueriesContext(connection) as queries:
        assert computed_at() is None
    assert len(queries) == 0


def test_a_run_moves_it_at_once_and_its_commit_leaves_it_in_the_cache(
    story, django_capture_on_commit_callbacks
):
    rollup.rollup_full(today=TODAY)
    first = computed_at()
    assert first == RollupState.objects.get().last_run_at

    with django_capture_on_commit_callbacks(execute=True):
        rollup.rollup_full(today=TODAY)
    second = RollupState.objects.get().last_run_at
    assert second > first
    with CaptureQueriesContext(connection) as queries:
        assert computed_at() == second  # set by the commit: no query
    assert len(queries) == 0


def test_a_run_that_does_not_commit_leaves_readers_on_the_table(story, django_capture_on_commit_callbacks):
    rollup.rollup_full(today=TODAY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rollup.rollup_full(today=TODAY)
    assert callbacks  # the cache is set only after a commit
    assert computed_at() == RollupState.objects.get().last_run_at  # read from the table meanwhile
