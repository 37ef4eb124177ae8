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
