"""Cached aggregates over facts (help sessions, activities, statistics) that stay exact.

Every write that changes a fact already calls ``core.progress_marks.mark_dirty_many`` in its
transaction; after the commit that also moves a version number here. A cached aggregate is keyed by
that version, so it is reused until the next change anywhere, and never outlives one. Keys also
carry the caller's scope and filters: one user's totals are never served to another scope.
"""

import hashlib
import logging

from django.conf import settings
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
    """Call inside the writing transaction. The version moves now (nothing cached before the write
    is read again) and once more after the commit (nothing cached while it was uncommitted either)."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value retires the old entries
        cache.set(VERSION_KEY, version() + 1, None)
    except DOWN:  # Redis is down: nothing cached can be read either until it is back
        logger.warning("facts version not moved: the cache is unreachable")


def key_for(name: str, parts: tuple) -> str:
    """A cache key for ``name`` and ``parts`` at the current facts version (also for template fragments)."""
    digest = hashlib.sha256(repr((parts, settings.CACHE_SALT)).encode()).hexdigest()[:32]
    return f"facts:{name}:{version()}:{digest}"


def cached(name: str, parts: tuple, compute):
    """``compute()``, cached under ``name`` + a digest of ``parts`` at the current facts version."""
    key = key_for(name, parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TTL)
    return value
