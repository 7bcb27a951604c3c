"""Row locks with a time limit, and the one way a busy database reaches the user.

Every guard that protects a hard limit (a counter's day, a reference-number year, a
person's booking contact, a case being decided) takes its lock through :func:`for_update`.
On PostgreSQL the lock waits at most ``settings.LOCK_TIMEOUT_MS`` (``SET LOCAL
lock_timeout``); a request that waits longer raises :class:`Busy`, which
:class:`BusyMiddleware` answers with HTTP 503, ``Retry-After`` and "Gerade sehr viel los
– bitte gleich noch einmal" – never a 500 and never a request that hangs. On SQLite a
write transaction is exclusive anyway; its ``timeout`` option bounds the wait.

The same middleware answers a database connection lost in the middle of a request (the
server restarted, a failover, a network cut): the transaction is gone with it, so nothing
was stored; the broken connection is closed so the next request connects afresh, and the
user reads "Technische Störung – bitte gleich noch einmal" (503), not a 500.

Tests prove that a guard matters by switching it off (:func:`guard_enabled`): the
environment variable ``RATHAUS_TEST_GUARDS_OFF`` names guards to skip and is honoured
only while ``RATHAUS_TESTING`` is set (pytest and the servers it starts).
``rathaus check`` fails when either is set in a deployment.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _

__all__ = [
    "Busy",
    "BusyMiddleware",
    "ConnectionLost",
    "for_update",
    "guard_enabled",
    "is_connection_lost",
    "is_lock_timeout",
]

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=Model)

# PostgreSQL's SQLSTATE for lock_not_available (raised when lock_timeout expires).
_LOCK_NOT_AVAILABLE = "55P03"
# SQLSTATEs of a connection that is gone: class 08 (connection exception), and the server
# shutting down or ending this session (admin_shutdown, crash_shutdown, cannot_connect_now).
_CONNECTION_GONE = ("08", "57P01", "57P02", "57P03")


class Busy(Exception):
    """The database is too busy to take a lock in time; the user should try again soon."""

    retry_after = 5

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Gerade sehr viel los – bitte gleich noch einmal."))


class ConnectionLost(Busy):
    """The database connection broke during the request; its transaction is gone."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Technische Störung – bitte gleich noch einmal."))


def guard_enabled(name: str) -> bool:
    """Whether the concurrency guard ``name`` is on; only tests can switch one off."""
    if not os.environ.get("RATHAUS_TESTING"):
        return True
    return name not in {g.strip() for g in os.environ.get("RATHAUS_TEST_GUARDS_OFF", "").split(",")}


def for_update(queryset: QuerySet[M], *, guard: str, **options) -> QuerySet[M]:
    """``queryset.select_for_update(**options)`` with the lock timeout set.

    Must run inside ``transaction.atomic()``. ``guard`` names the guard for control runs.
    """
    assert connection.in_atomic_block, "row locks only inside a transaction"
    if not guard_enabled(guard):
        return queryset
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [_timeout()])
    return queryset.select_for_update(**options)


def _timeout() -> str:
    return f"{int(settings.LOCK_TIMEOUT_MS)}ms"


def is_lock_timeout(error: BaseException) -> bool:
    """Whether ``error`` is a lock that was not granted in time (PostgreSQL or SQLite)."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
        return True
    return "database is locked" in str(error)


def is_connection_lost(error: BaseException) -> bool:
    """Whether ``error`` means that the database connection broke (the server ended it, a
    restart, a failover, the network); the connection is then closed here, so that the next
    query of this process connects again."""
    if not isinstance(error, OperationalError | InterfaceError) or is_lock_timeout(error):
        return False
    sqlstate = getattr(error.__cause__, "sqlstate", None) or ""
    lost = (
        sqlstate.startswith(_CONNECTION_GONE)
        or isinstance(error, InterfaceError)
        or connection.connection is None
        or not connection.is_usable()
    )
    if lost:
        connection.close()
    return lost


class BusyMiddleware:
    """Turn :class:`Busy`, lock timeouts and a lost database connection anywhere in a
    request into a calm 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Busy):
            busy = exception
        elif is_lock_timeout(exception):
            busy = Busy()
        elif is_connection_lost(exception):
            logger.error("database connection lost during the request", exc_info=exception)
            busy = ConnectionLost()
        else:
            return None
        lost = isinstance(busy, ConnectionLost)
        if request.path.startswith("/api/"):
            detail = (
                "The database connection was interrupted; nothing was stored. "
                "Please try again in a few seconds."
                if lost
                else "The service is busy; please try again in a few seconds."
            )
            response: HttpResponse = JsonResponse({"detail": detail}, status=503)
        else:
            template = "core/outage.html" if lost else "core/busy.html"
            response = _page(request, template, str(busy))
        response["Retry-After"] = str(busy.retry_after)
        return response


def _page(request: HttpRequest, template: str, message: str) -> HttpResponse:
    """The German page; if the layout cannot be drawn either (it reads the session and the
    account from a database that is gone), the message on its own."""
    try:
        return render(request, template, {"message": message}, status=503)
    except DatabaseError:
        connection.close()
        return HttpResponse(
            f'<!doctype html><html lang="de"><title>{escape(message)}</title>'
            f"<h1>{escape(message)}</h1></html>",
            status=503,
        )
