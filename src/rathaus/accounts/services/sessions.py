"""Signed-in state: who, since when, and when a passkey last verified the person (step-up)."""

import time

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest

from rathaus.core import audit

from ..models import User

VERIFIED_AT = "accounts.verified_at"
SIGNED_IN_AT = "accounts.signed_in_at"


def sign_in(request: HttpRequest, user: User, *, method: str, user_verified: bool) -> None:
    """Start a fresh session for ``user`` (new session key: no fixation)."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    if user_verified:
        request.session[VERIFIED_AT] = now
    audit.record(f"rathaus.accounts.signed_in.{method}", actor=user, target=user)


def sign_out(request: HttpRequest) -> None:
    logout(request)


def mark_verified(request: HttpRequest) -> None:
    request.session[VERIFIED_AT] = time.time()


def recently_verified(request: HttpRequest) -> bool:
    """A passkey with user verification confirmed this session within STEP_UP_SECONDS."""
    verified_at = request.session.get(VERIFIED_AT)
    return bool(verified_at) and time.time() - float(verified_at) < settings.STEP_UP_SECONDS


def recently_signed_in(request: HttpRequest) -> bool:
    """Signed in (by passkey or recovery code) within STEP_UP_SECONDS: may add a passkey."""
    signed_in_at = request.session.get(SIGNED_IN_AT)
    return bool(signed_in_at) and time.time() - float(signed_in_at) < settings.STEP_UP_SECONDS
