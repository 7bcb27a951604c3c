"""Fixed-window rate limits in the cache (Redis in production: all app servers share them)."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

__all__ = ["client_ip", "hit"]


def client_ip(request: HttpRequest) -> str:
    """The caller's address; behind our own proxy the first forwarded address."""
    if settings.SECURE_PROXY_SSL_HEADER and (forwarded := request.META.get("HTTP_X_FORWARDED_FOR")):
        return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; ``False`` once ``limit`` attempts were made in this ``window`` (seconds).

    Keys are hashed so no address or e-mail is kept in the cache in clear text.
    """
    bucket = int(time.time() // window)
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 1)
        return True
    return count <= limit
