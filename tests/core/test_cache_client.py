"""The Redis cache keeps one ``redis.Redis`` per pool (Django's client builds one per call)."""

import os
import uuid

from django.core.cache.backends.redis import RedisCacheClient

from core.cache import ResilientRedisCache, ReusedClientRedisCacheClient
from tests.conftest import require_service


def _cache(url: str) -> ResilientRedisCache:
    return ResilientRedisCache(url, {"OPTIONS": {"socket_connect_timeout": 2}})


def test_one_client_per_pool_is_reused_for_reads_and_writes():
    cache = _cache("redis://127.0.0.1:1/0")  # never connected: clients are built without a connection

    client = cache._cache.get_client()

    assert isinstance(cache._cache, ReusedClientRedisCacheClient)
    assert isinstance(cache._cache, RedisCacheClient)
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client  # one server: reads and writes share its pool
    assert client.connection_pool is cache._cache._get_connection_pool(False)


def test_the_reused_client_reads_and_writes_redis():
    url = os.environ.get("REDIS_URL", "")
    require_service(bool(url), "REDIS_URL is not set")
    cache = _cache(url)
    key = f"test-client-{uuid.uuid4().hex}"

    cache.set(key, {"a": 1}, 30)
    cache.set_many({key + "-2": 2}, 30)

    assert cache.get(key) == {"a": 1}
    assert cache.get_many([key, key + "-2"]) == {key: {"a": 1}, key + "-2": 2}
    cache.delete_many([key, key + "-2"])
    assert cache.get(key) is None


def test_bump_many_moves_every_counter_in_one_round_trip_and_starts_a_missing_one_from_the_clock():
    url = os.environ.get("REDIS_URL", "")
    require_service(bool(url), "REDIS_URL is not set")
    cache = _cache(url)
    kept, missing = f"test-bump-{uuid.uuid4().hex}", f"test-bump-{uuid.uuid4().hex}"
    cache.set(kept, 7, 30)
    client = cache._cache.get_client(write=True)
    commands = []
    execute = client.pipeline

    def pipeline(**kwargs):
        pipe = execute(**kwargs)
        commands.append(pipe)
        return pipe

    client.pipeline = pipeline
    try:
        cache.bump_many([kept, missing])
    finally:
        del client.pipeline

    assert len(commands) == 1  # both INCRs in one pipeline
    assert cache.get(kept) == 8
    # A counter that was gone does not restart at 1 (entries cached under 1 earlier stay unread).
    assert cache.get(missing) > 1_000_000_000_000
    cache.delete_many([kept, missing])


def test_bump_many_raises_when_redis_is_down_so_the_caller_can_say_so():
    import pytest

    from core.cache import DOWN

    with pytest.raises(DOWN):
        _cache("redis://127.0.0.1:1/0").bump_many(["any"])
