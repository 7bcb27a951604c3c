"""Rate limits for passkey ceremonies and for the codes people type (recovery, letters).

A crowd behind one address – a Bürgerbüro, a school, a carrier NAT – must keep
working, while guessing stays expensive. So page views and ceremony starts count
loosely per address; failed verifications count tightly per address and per account
(passkey, e-mail address); attempts per account count tightly too. Counting goes
through ``rathaus.core.ratelimit.hit`` (Redis in production, shared by all servers);
once a failure limit is reached, the address or account is blocked for the rest of the
window, successes included, so a guess that happens to be right does not get through.

Knobs (``settings.ACCOUNTS_<NAME>`` overrides the default below, read at call time).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from rathaus.core import ratelimit

__all__ = ["DEFAULTS", "attempt", "blocked", "failed", "knob", "started"]

DEFAULTS = {
    # Passkey ceremonies (sign-up, sign-in, step-up, adding): per 10 minutes.
    "PASSKEY_WINDOW": 600,
    "CEREMONY_STARTS_PER_IP": 3000,  # every sign-in page view starts one (passkey autofill)
    "PASSKEY_FAILURES_PER_IP": 30,
    "PASSKEY_FAILURES_PER_ACCOUNT": 10,
    "PASSKEY_ATTEMPTS_PER_ACCOUNT": 20,
    # Typed codes (recovery codes, access-code letters): per hour.
    "CODE_WINDOW": 3600,
    "CODE_FAILURES_PER_IP": 20,
    "CODE_FAILURES_PER_ACCOUNT": 5,
}

# scope → (window knob, failures per address, failures per account)
_SCOPES = {
    "passkey": ("PASSKEY_WINDOW", "PASSKEY_FAILURES_PER_IP", "PASSKEY_FAILURES_PER_ACCOUNT"),
    "recovery": ("CODE_WINDOW", "CODE_FAILURES_PER_IP", "CODE_FAILURES_PER_ACCOUNT"),
    "access-code": ("CODE_WINDOW", "CODE_FAILURES_PER_IP", "CODE_FAILURES_PER_ACCOUNT"),
}


def knob(name: str) -> int:
    return int(getattr(settings, f"ACCOUNTS_{name}", DEFAULTS[name]))


def started(request: HttpRequest) -> bool:
    """A ceremony start (one per sign-in page view); ``False`` only for a flood."""
    return ratelimit.hit(
        "passkey-start",
        ratelimit.client_ip(request),
        limit=knob("CEREMONY_STARTS_PER_IP"),
        window=knob("PASSKEY_WINDOW"),
    )


def attempt(account_key: str) -> bool:
    """An answer for one passkey or account, from wherever it comes; ``False`` when too many."""
    return ratelimit.hit(
        "passkey-account",
        account_key,
        limit=knob("PASSKEY_ATTEMPTS_PER_ACCOUNT"),
        window=knob("PASSKEY_WINDOW"),
    )


def _keys(request: HttpRequest, scope: str, accounts: tuple[str, ...]) -> list[tuple[str, str]]:
    keys = [(f"{scope}-ip", ratelimit.client_ip(request))]
    return keys + [(f"{scope}-account", a.strip().lower()) for a in accounts if a]


def _block_key(kind: str, key: str) -> str:
    return "accounts-blocked:" + hashlib.sha256(f"{kind}:{key}".encode()).hexdigest()[:32]


def blocked(request: HttpRequest, scope: str, *accounts: str) -> bool:
    """Too many failures lately from this address or for one of these accounts."""
    return any(cache.get(_block_key(k, v)) for k, v in _keys(request, scope, accounts))


def failed(request: HttpRequest, scope: str, *accounts: str) -> None:
    """Count a failed verification; the limit-th one blocks for the rest of the window."""
    window_knob, per_ip, per_account = _SCOPES[scope]
    window = knob(window_knob)
    for kind, key in _keys(request, scope, accounts):
        limit = knob(per_ip if kind.endswith("-ip") else per_account)
        if not ratelimit.hit(f"{kind}-failures", key, limit=limit - 1, window=window):
            cache.set(_block_key(kind, key), True, timeout=window)
