"""The proof of work in front of the booking step (ALTCHA, version 1 protocol).

The browser finds a number whose SHA-256 with the salt matches the challenge: a fraction
of a second for a person, a real cost for a bot booking thousands of times. No third
party sees anything, no cookie is set. Each solved challenge is accepted once, across all
app servers (a unique row in the database).
"""

from datetime import datetime, timedelta

import altcha
from altcha import v1 as altcha_v1
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ..models import UsedChallenge

__all__ = ["forget_expired", "issue", "verify"]

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
    # Single use on every server: the database remembers it for its lifetime.
    challenge = altcha_v1.Payload.from_base64(payload).challenge
    try:
        with transaction.atomic():
            UsedChallenge.objects.create(
                challenge=challenge[:128], expires_at=timezone.now() + LIFETIME
            )
    except IntegrityError:
        return False
    return True


def forget_expired() -> int:
    """Expired challenges cannot be replayed anyway (the signature says so): drop them."""
    return UsedChallenge.objects.filter(expires_at__lt=timezone.now()).delete()[0]
