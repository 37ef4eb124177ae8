"""Cached aggregates over facts (help sessions, activities, statistics) that stay exact.

Every write that changes a fact already calls ``core.progress_marks.mark_dirty_many`` in its
transaction; after the commit that also moves version numbers here: the country's, and the one of
each province the written units are in. A cached aggregate is keyed by the versions its scope reads
(a province's staff: their province's, and a merged predecessor's; the whole country: the country's),
so it is reused until the next change *in that scope*, and never outlives one. A session logged in
Thanh Hóa does not retire Vĩnh Long's cached list. Keys also carry the caller's scope and filters:
one user's totals are never served to another scope.
"""

import hashlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from core.cache import DOWN

logger = logging.getLogger(__name__)

VERSION_KEY = "facts:version"  # moves with every change anywhere (whole-country scopes read it)
GENERATION_KEY = "facts:generation"  # moves when a change names no unit: retires every entry
PROVINCE_KEY = "facts:version:{}"  # moves with every change in that province
TTL = 15 * 60  # a safety net: the versions already retire stale entries


def province_of(path: str) -> str | None:
    """The province segment of a materialized path ("/TW/86/28777/" -> "86"); None at the centre."""
    parts = [p for p in path.split("/") if p]
    return parts[1] if len(parts) >= 2 else None


def _read(keys: list[str]) -> dict[str, int]:
    values = cache.get_many(keys)
    for key in keys:
        if values.get(key) is None:
            cache.add(key, 1, None)
            values[key] = cache.get(key) or 1
    return values


def version() -> int:
    return _read([VERSION_KEY])[VERSION_KEY]


def scope_version(scope) -> tuple:
    """The versions a scope's cached aggregates depend on (one cache round trip)."""
    provinces = None if scope is None or scope.everything else {province_of(p) for p in scope.paths}
    if not provinces or None in provinces:
        return ("country", version())
    keys = [GENERATION_KEY, *(PROVINCE_KEY.format(p) for p in sorted(provinces))]
    values = _read(keys)
    return tuple(values[k] for k in keys)


def facts_changed(unit_ids: Iterable[int] | None = None, *, paths: Iterable[str] | None = None) -> None:
    """Call inside the writing transaction, with the units whose facts changed (none: everything);
    ``paths``, the paths of all those units, saves looking them up.

    The versions move now (nothing cached before the write is read again) and once more after the
    commit (nothing cached while it was uncommitted either).
    """
    keys = [VERSION_KEY]
    if unit_ids is None:
        keys.append(GENERATION_KEY)
    else:
        from org.models import OrgUnit  # the org app sits below this one

        if paths is None:
            paths = OrgUnit.objects.filter(pk__in=set(unit_ids)).values_list("path", flat=True)
        keys += sorted({PROVINCE_KEY.format(p) for p in map(province_of, paths) if p})
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


def _bump(keys: list[str]) -> None:
    try:
        if hasattr(cache, "bump_many"):  # Redis: one round trip for all the keys
            cache.bump_many(keys)
            return
        for key in keys:
            try:
                cache.incr(key)
            except ValueError:  # not set yet (or evicted): any new value retires the old entries
                cache.set(key, _read([key])[key] + 1, None)
    except DOWN:  # Redis is down: nothing cached can be read either until it is back
        logger.warning("facts version not moved: the cache is unreachable")


def key_for(name: str, parts: tuple, scope=None) -> str:
    """A cache key for ``name`` and ``parts`` at the versions ``scope`` reads (also for template
    fragments); without a scope, at the country's version."""
    versions = scope_version(scope) if scope is not None else ("country", version())
    digest = hashlib.sha256(repr((parts, versions, settings.CACHE_SALT)).encode()).hexdigest()[:32]
    return f"facts:{name}:{digest}"


def cached(name: str, parts: tuple, compute, scope=None):
    """``compute()``, cached under ``name`` + a digest of ``parts`` at the versions ``scope`` reads."""
    key = key_for(name, parts, scope)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TTL)
    return value
