"""View decorators: sign-in, step-up with a passkey, and the passkey host.

``strong_auth_required`` is what official requests use. Without a passkey
verification in the last 15 minutes the resident is sent to confirm with the
passkey; a form they had sent is kept in the session and offered again,
already filled in, when they come back, so nothing is lost.
"""

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from .services import ceremonies, sessions

PENDING = "accounts.pending_posts"
RESUME = "fortsetzen"
MAX_PENDING = 5

View = Callable[..., HttpResponse]


def on_passkey_host(view: View) -> View:
    """Passkeys only work on the relying party's host: send 127.0.0.1 to localhost (same path)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "GET" and not ceremonies.host_is_relying_party(request):
            port = request.get_port()
            default = {"http": "80", "https": "443"}[request.scheme]
            netloc = ceremonies.rp_id() + ("" if port == default else f":{port}")
            return redirect(f"{request.scheme}://{netloc}{request.get_full_path()}")
        return view(request, *args, **kwargs)

    return wrapped


def signin_url(next_path: str) -> str:
    return f"{reverse('accounts:signin')}?{urlencode({'next': next_path})}"


def resident_required(view: View) -> View:
    """A signed-in account; others are asked to sign in and come back."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(signin_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return on_passkey_host(wrapped)


def strong_auth_required(view: View) -> View:
    """Signed in and confirmed with a passkey (user verification) within STEP_UP_SECONDS."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(signin_url(request.get_full_path()))
        if not sessions.recently_verified(request):
            return redirect(_step_up_url(request))
        key = request.GET.get(RESUME) if request.method == "GET" else None
        pending = request.session.get(PENDING, {}).pop(key, None) if key else None
        if pending:
            request.session.modified = True
            if pending["path"] == request.path:
                return render(request, "accounts/resume.html", {"pending": pending})
        return view(request, *args, **kwargs)

    return resident_required(wrapped)


def _step_up_url(request: HttpRequest) -> str:
    next_path = request.get_full_path()
    if request.method == "POST":
        # Keep what was sent; it comes back as a filled-in form after the confirmation.
        key = secrets.token_urlsafe(8)
        pending = request.session.get(PENDING, {})
        while len(pending) >= MAX_PENDING:
            pending.pop(next(iter(pending)))
        pending[key] = {
            "path": request.path,
            "fields": [
                (name, value)
                for name, values in request.POST.lists()
                if name != "csrfmiddlewaretoken"
                for value in values
            ],
        }
        request.session[PENDING] = pending
        next_path = f"{request.path}?{urlencode({RESUME: key})}"
    return f"{reverse('accounts:step_up')}?{urlencode({'next': next_path})}"
