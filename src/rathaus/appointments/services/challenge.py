"""The proof of work in front of the booking step (ALTCHA, version 1 protocol).

The browser finds a number whose SHA-256 with the salt matches the challenge: a fraction
of a second for a person, a real cost for a bot booking thousands of times. No third
party sees anything, no cookie is set. Each solved challenge is accepted once.
"""

from datetime import datetime, timedelta

import altcha
from altcha import v1 as altcha_v1
from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

__all__ = ["issue", "verify"]

LIFETIME = timedelta(minutes=20)


def _key() -> str:
    return salted_hmac("rathaus.appointments.challenge", "altcha").hexdigest()


def issue() -> dict:
    """A new signed challenge, as the JSON the browser solves."""
    challenge = altcha.create_challenge_v1(
        hmac_key=_key(),
        max_number=settings.APPOINTMENT_POW_MAX_NUMBER,
        expires=datetime.now() + LIFETIME,
    )
    return challenge.to_dict()


def verify(payload: str) -> bool:
    """``True`` for a correct, unexpired solution not used before."""
    if not payload or len(payload) > 2000:
        return False
    try:
        ok, _error = altcha.verify_solution_v1(payload, _key(), check_expires=True)
    except (ValueError, TypeError, KeyError):
        return False
    if not ok:
        return False
    # Single use: the challenge is remembered for its lifetime (however the payload is spelt).
    challenge = altcha_v1.Payload.from_base64(payload).challenge
    return cache.add(f"altcha:{challenge}", 1, timeout=int(LIFETIME.total_seconds()) + 60)
