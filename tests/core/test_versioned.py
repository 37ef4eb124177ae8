"""core.versioned: entries are served only under the version they were computed under."""

import pytest
from django.core.cache import cache
from django.db import transaction

from core.versioned import Versioned

pytestmark = pytest.mark.django_db


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_a_hit_is_served_without_computing_and_a_change_retires_it():
    store, (calls, compute) = Versioned("test-v", 60), _counter()

    assert store.get("a", compute) == 1
    assert store.get("a", compute) == 1
    store.changed()
    assert store.get("a", compute) == 2
    assert len(calls) == 2


def test_an_entry_stored_under_a_retired_version_is_not_served():
    """A reader that read the version before a write and stored its (old) value after it."""
    store, (_, compute) = Versioned("test-v", 60), _counter()
    old = store.version()
    store.changed()
    cache.set(store.key("a"), (old, "stale"), 60)

    assert store.get("a", compute) == 1


def test_a_change_inside_a_transaction_is_retired_again_after_the_commit(django_capture_on_commit_callbacks):
    store, (_, compute) = Versioned("test-v", 60), _counter()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        store.changed()
        assert store.get("a", compute) == 1  # a reader inside the write's window caches a value...
    assert store.get("a", compute) == 2  # ... that the commit retires


def test_with_the_cache_down_every_read_computes(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    store, (_, compute) = Versioned("test-v", 60), _counter()

    assert store.version() == ""
    assert [store.get("a", compute) for _ in range(3)] == [1, 2, 3]
