"""The demo's progress step: one full run the first time, then only what the seeding changed (nothing on
a second `make run`), and a full run again when the month moved on."""

import datetime

import pytest
import time_machine

from core.models import DirtyMark
from progress import demo, rollup
from progress.models import RollupState
from tests.progress import factories as f
from tests.progress.test_rollup import snapshot

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2025, 11, 20, 9, 0, tzinfo=datetime.UTC)


def state() -> RollupState:
    return RollupState.objects.get(pk=1)


@time_machine.travel(NOW, tick=False)
def test_the_first_seed_computes_everything_and_the_next_one_runs_nothing(story):
    first = demo.seed(password="unused")
    computed = snapshot(with_time=True)
    ran_at = state().last_run_at

    second = demo.seed(password="unused")

    assert first.startswith("progress computed in full")
    assert second == "progress already up to date (nothing changed since it was computed)"
    assert state().last_run_at == ran_at  # no run at all, not even an incremental one
    assert snapshot(with_time=True) == computed
    assert DirtyMark.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_what_the_seeding_added_is_computed_from_its_marks_as_a_full_run_would(story):
    demo.seed(password="unused")
    full_at = state().last_full_at
    f.session(story.team_a1, story.tree.commune_a, datetime.date(2025, 10, 3), ("dvc-national-full", 6, 2))

    message = demo.seed(password="unused")

    assert message.startswith("progress updated for 1 changed unit-months")
    assert state().last_full_at == full_at  # incremental
    incremental = snapshot()
    rollup.rollup_full()
    assert snapshot() == incremental


def test_a_new_month_since_the_last_full_run_computes_everything_again(story):
    with time_machine.travel(NOW, tick=False):
        demo.seed(password="unused")
    with time_machine.travel(datetime.datetime(2025, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        message = demo.seed(password="unused")
        assert message.startswith("progress computed in full")
        assert timezone_month(state().last_full_at) == datetime.date(2025, 12, 1)


def timezone_month(moment: datetime.datetime) -> datetime.date:
    from django.utils import timezone

    return timezone.localdate(moment).replace(day=1)
