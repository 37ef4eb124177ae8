"""A Redis cache that degrades to "nothing cached" while Redis is down.

The cache only holds things that can be recomputed or are kept elsewhere too (rate-limit counters,
the beat heartbeat, the health probe's key, the queued-rollup flag, signed-in sessions, which
``cached_db`` also writes to their table): when Redis is unreachable, a read is a miss and a write is dropped, with a
warning in the log, instead of a 500 on every page. Sign-in lockout does not depend on it (django-axes
keeps its counters in the database).
"""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError)


def _degrade(method: str, fallback):
    def call(self, *args, **kwargs):
        try:
            return getattr(super(ResilientRedisCache, self), method)(*args, **kwargs)
        except DOWN as exc:
            logger.warning("cache %s skipped, Redis is unreachable (%s)", method, exc.__class__.__name__)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    call.__name__ = method
    return call


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` around the pool for every cache call, and redis-py
    fills its ~170 response callbacks in each one (a third of a millisecond, five times a page). One
    ``Redis`` per pool is enough: it holds no connection of its own and is thread-safe."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    get = _degrade("get", lambda key, default=None, version=None: default)
    get_many = _degrade("get_many", {})
    has_key = _degrade("has_key", False)
    set = _degrade("set", None)
    set_many = _degrade("set_many", lambda data, *a, **k: list(data))
    # Unreachable, the cache is an empty one that drops writes, so add() finds no key and "stores"
    # it: True. allauth's rate limits take a lock with add() before counting; False there answered
    # every sign-in with 429 while Redis was down (issue #17). They now fail open, logged.
    add = _degrade("add", True)
    add_or_unreachable = add  # the name progress_marks uses for a claim that must not block work
    touch = _degrade("touch", False)
    delete = _degrade("delete", False)
    delete_many = _degrade("delete_many", None)
    # incr/decr keep raising: their callers must know the counter is not there.
