"""Fixed-window rate limits in the cache (Redis in production: all app servers share them).

When Redis is unreachable the cache answers from each process's memory
(``rathaus.core.cache``): limits then hold per process, never a 500, never unlimited.
"""

import hashlib
import ipaddress
import time
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

__all__ = ["client_ip", "hit"]


def client_ip(request: HttpRequest) -> str:
    """The caller's address, as the nearest proxy we do not trust saw it.

    ``X-Forwarded-For`` is read from the right: each hop that is one of
    ``settings.TRUSTED_PROXIES`` vouches for the address before it; the first address that
    is not a trusted proxy is the client. A header sent by anyone else changes nothing, so
    rate limits cannot be dodged by inventing addresses.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if not trusted or not _within(remote, trusted):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    address = remote
    for hop in reversed([hop for hop in hops if hop]):
        if not _parse(hop):
            break  # garbage from beyond our proxies: the last trusted hop saw this address
        address = hop
        if not _within(hop, trusted):
            break
    return address


@lru_cache(maxsize=4)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[ipaddress._BaseNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(address: str) -> ipaddress._BaseAddress | None:
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def _within(address: str, networks: tuple[ipaddress._BaseNetwork, ...]) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in networks)


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; ``False`` once ``limit`` attempts were made in this ``window`` (seconds).

    Keys are hashed so no address or e-mail is kept in the cache in clear text.
    """
    bucket = int(time.time() // window)
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}:{bucket}"
    return _count(cache_key, window) <= limit


def _count(cache_key: str, window: int) -> int:
    """The attempts in this window, this one included."""
    if cache.add(cache_key, 1, timeout=window + 1):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 1)
        return 1
