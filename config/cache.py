"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django 5.2's RedisCacheClient builds a new ``redis.Redis`` for every cache call; redis-py 8
fills a table of some 170 response callbacks in each, which cost 0.2 ms a call, more than
the round trip to Redis itself (a kept leaderboard makes four calls). A ``redis.Redis`` is
safe to share between threads: it takes a connection from its pool for each command.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _SharedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:  # as RedisCacheClient._get_connection_pool does
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients.setdefault(
                index, self._client(connection_pool=self._pools[index])
            )
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClients
