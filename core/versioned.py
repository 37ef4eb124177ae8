"""Cached reads named by a version of the tables they come from.

A ``Versioned`` holds a random token for the current state of some tables. Each entry is stored with
the token it was computed under and is used only while that token is current; a write to the tables
calls ``changed()``, which drops the token at once and again after the commit, so the next reader
draws a new one. A reader racing a write can only store an entry under a token that is no longer
current, or under a new token with data read after the write: nothing stale is served as current.
Writes the signals cannot see (raw SQL) are bounded by the TTL. Keys carry CACHE_SALT (tests set one
per test). With the cache down every read goes to the database.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction


class Versioned:
    def __init__(self, name: str, ttl: int):
        self.name, self.ttl = name, ttl

    def _version_key(self) -> str:
        return f"{self.name}:version:{settings.CACHE_SALT}"

    def key(self, part: str) -> str:
        return f"{self.name}:{settings.CACHE_SALT}:{part}"

    def version(self) -> str:
        """The current token ("" when the cache is down: nothing is reused then)."""
        found = cache.get(self._version_key())
        return found if found is not None else self._new_version()

    def _new_version(self) -> str:
        cache.add(self._version_key(), uuid.uuid4().hex, None)
        return cache.get(self._version_key()) or ""

    def changed(self, **_signal_kwargs) -> None:
        """Call (or connect as a signal receiver) after a write to the tables."""
        cache.delete(self._version_key())
        transaction.on_commit(lambda: cache.delete(self._version_key()))

    def get(self, part: str, compute: Callable[[], Any]) -> Any:
        """The entry for ``part`` computed under the current version, or ``compute()`` stored under it:
        one round trip to the cache on a hit."""
        key = self.key(part)
        found = cache.get_many([self._version_key(), key])
        version = found.get(self._version_key())
        entry = found.get(key)
        if version is not None and entry is not None and entry[0] == version:
            return entry[1]
        if version is None:
            version = self._new_version()
        value = compute()
        if version:
            cache.set(key, (version, value), self.ttl)
        return value
