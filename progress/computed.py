"""When the rollup last ran ("computed at"): shown on the dashboard and part of every cached figure's
key, so it is read on every dashboard view and progress API answer. Kept in the cache: a run drops it
inside its transaction and sets the new time after the commit; the short TTL bounds what a race between
a reader and a run's commit could leave. The key carries CACHE_SALT (tests set one per test)."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from progress.models import RollupState

COMPUTED_AT_TTL = 60  # seconds: bounds a race between a reader and a run's commit


def _computed_at_key() -> str:
    return f"progress:computed-at:{settings.CACHE_SALT}"


def computed_at() -> datetime.datetime | None:
    """When the rollup last ran: part of every cached figure's key, read on every dashboard and API
    answer. From the cache; each run drops it, then sets it after its commit (``computed_at_moved``)."""
    found = cache.get(_computed_at_key())
    if found is None:
        found = RollupState.objects.filter(pk=1).values_list("last_run_at", flat=True).first() or ""
        cache.set(_computed_at_key(), found, COMPUTED_AT_TTL)
    return found or None


def computed_at_moved(when: datetime.datetime) -> None:
    """Called by the rollup inside its transaction: readers go to the table until the commit, then
    read the new time from the cache."""
    cache.delete(_computed_at_key())
    transaction.on_commit(lambda: cache.set(_computed_at_key(), when, COMPUTED_AT_TTL))
