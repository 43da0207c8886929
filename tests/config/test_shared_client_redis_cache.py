"""The Redis cache CACHE_URL configures behaves as Django's, with one client reused for
every call (Django 5.2 builds one per call)."""

import pytest
import redis

from config.cache import SharedClientRedisCache

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def shared_client_cache():
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis answers on 127.0.0.1:6379 (the cache test needs one)")
    cache = SharedClientRedisCache(REDIS, {"KEY_PREFIX": "saima-test-shared-client"})
    yield cache
    cache.delete_many(["a", "b", "c", "counter"])


def test_it_reads_and_writes_like_djangos_redis_cache(shared_client_cache):
    cache = shared_client_cache
    cache.set("a", {"x": 1})
    cache.set_many({"b": b"bytes", "c": None})
    assert cache.get("a") == {"x": 1}
    assert cache.get_many(["a", "b", "missing"]) == {"a": {"x": 1}, "b": b"bytes"}
    assert not cache.add("a", "other")
    cache.set("counter", 1)
    assert cache.incr("counter") == 2
    cache.delete("a")
    assert cache.get("a", "gone") == "gone"


def test_every_call_uses_the_same_client(shared_client_cache):
    cache = shared_client_cache
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is first
