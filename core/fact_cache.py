"""Cached aggregates over facts (help sessions, activities, statistics) that stay exact.

Every write that changes a fact already calls ``core.progress_marks.mark_dirty_many`` in its
transaction; after the commit that also moves a version number here. A cached aggregate is keyed by
that version, so it is reused until the next change anywhere, and never outlives one. Keys also
carry the caller's scope and filters: one user's totals are never served to another scope.
"""

import hashlib
import logging

from django.core.cache import cache
from django.db import transaction

from core.cache import DOWN

logger = logging.getLogger(__name__)

VERSION_KEY = "facts:version"
TTL = 15 * 60  # a safety net: the version already retires stale entries


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        value = 1
        cache.add(VERSION_KEY, value, None)
    return value


def facts_changed() -> None:
    """Call inside the writing transaction: the version moves once it commits."""

    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not set yet (or evicted): any new value retires the old entries
            cache.set(VERSION_KEY, 2, None)
        except DOWN:  # Redis is down: nothing cached can be read either until it is back
            logger.warning("facts version not moved: the cache is unreachable")

    transaction.on_commit(bump)


def cached(name: str, parts: tuple, compute):
    """``compute()``, cached under ``name`` + a digest of ``parts`` at the current facts version."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"facts:{name}:{version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TTL)
    return value
