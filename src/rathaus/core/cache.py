"""The shared cache (Redis), and while it is unreachable each process's own memory.

Everything Rathaus keeps in the cache can be rebuilt (offers of free times, released
days) or may, for a while, be counted per process (rate limits: with N processes a
caller gets at most N times the limit, never unlimited). So a Redis outage must not
become an outage of the site: every cache call that fails falls back to a local-memory
cache, Redis is left alone for ``RETRY_SECONDS`` (an unreachable host costs one
connection timeout per process and pause, not one per request), and a warning is
logged at most once a minute. ``rathaus check`` asks :meth:`ResilientRedisCache.ping`,
which does not fall back, and so still reports the outage.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

__all__ = ["ResilientRedisCache"]

logger = logging.getLogger(__name__)

RETRY_SECONDS = 15
WARNING_INTERVAL_SECONDS = 60

# Shared by every thread's cache object in this process (Django makes one per thread).
_state = {"down_until": 0.0, "last_warning": float("-inf")}
_state_lock = threading.Lock()


class _OneClientPerPool(RedisCacheClient):
    """Django makes a new Redis client object for every cache call (0.2 ms of setting up
    its reply handlers, twice for a stored page); one per connection pool serves every
    thread (redis-py's clients are thread-safe, connections come from the pool)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        if (client := self._clients.get(index)) is None:
            pool = self._get_connection_pool(index)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that answers from process memory while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]):
        super().__init__(server, params)
        self._class = _OneClientPerPool
        # Local-memory caches of one name share their storage across threads.
        self._fallback = LocMemCache(
            "rathaus-cache-fallback", {"TIMEOUT": params.get("TIMEOUT", 300)}
        )

    def ping(self) -> None:
        """Raise unless Redis itself answers (for the self-check; no fallback)."""
        self._cache.get_client(write=False).ping()

    def _run(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= _state["down_until"]:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except RedisError as error:
                _failed(error)
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._run("add", *args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._run("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._run("set", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._run("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._run("delete", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._run("get_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._run("has_key", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> Any:
        return self._run("incr", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._run("set_many", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._run("delete_many", *args, **kwargs)

    def clear(self) -> Any:
        self._fallback.clear()
        return self._run("clear")


def _failed(error: Exception) -> None:
    """Pause Redis for a while and say so in the log, at most once a minute."""
    now = time.monotonic()
    with _state_lock:
        _state["down_until"] = now + RETRY_SECONDS
        warn = now - _state["last_warning"] >= WARNING_INTERVAL_SECONDS
        if warn:
            _state["last_warning"] = now
    if warn:
        logger.warning(
            "Shared cache (Redis) unreachable (%s): answering from process memory, "
            "trying Redis again every %s s",
            error,
            RETRY_SECONDS,
        )
