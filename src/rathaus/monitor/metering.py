"""The platform's own resource use: CPU and database time per request type.

``ResourceMeterMiddleware`` measures each request: the CPU time of the thread that served
it (``time.thread_time``) and the time its database queries took (a wrapper around every
query on the default connection). Sums are kept per process and written as increments
(``ResourceUse``, one upsert per request type) at most every ``RESOURCE_FLUSH_SECONDS``, so
a request costs no write of its own and several processes and hosts add up in the database.
What a process had not written when it ended is lost (at most that interval); background
jobs are not counted.
"""

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from rathaus.core.locking import guard_enabled
from rathaus.core.middleware import route_name

from .models import ResourceUse

__all__ = ["ResourceMeterMiddleware", "flush", "pending"]

logger = logging.getLogger(__name__)

# (day, route) → [requests, cpu seconds, db seconds] not yet written, for this process.
_pending: dict[tuple, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
_lock = threading.Lock()
_last_flush = time.monotonic()


class _QueryTimer:
    """``connection.execute_wrapper`` hook: adds up the time the queries took."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


class ResourceMeterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cpu_started = time.thread_time()
        timer = _QueryTimer()
        with connection.execute_wrapper(timer):
            response = self.get_response(request)
        add(route_name(request), time.thread_time() - cpu_started, timer.seconds)
        interval = settings.RATHAUS["RESOURCE_FLUSH_SECONDS"]
        if interval is not None and time.monotonic() - _last_flush >= interval:
            flush()
        return response


def add(route: str, cpu_seconds: float, db_seconds: float) -> None:
    key = (timezone.localdate(), route)
    with _lock:
        sums = _pending[key]
        sums[0] += 1
        sums[1] += cpu_seconds
        sums[2] += db_seconds


def pending() -> dict[tuple, list[float]]:
    """What this process measured and has not written yet (a copy)."""
    with _lock:
        return {key: list(sums) for key, sums in _pending.items()}


def flush() -> int:
    """Write this process's sums as increments; returns the rows touched. On a database
    error the sums are kept for the next try and the request goes on unharmed."""
    global _last_flush
    with _lock:
        taken = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    if not taken:
        return 0
    rows = [(day, route, int(sums[0]), sums[1], sums[2]) for (day, route), sums in taken.items()]
    try:
        _write(rows)
    except DatabaseError:
        logger.warning("resource use not written, kept for the next try", exc_info=True)
        with _lock:
            for key, sums in taken.items():
                mine = _pending[key]
                for index, value in enumerate(sums):
                    mine[index] += value
        return 0
    return len(rows)


# One statement per row, all sent at once: a new row is inserted, a known one gets the
# numbers added by the database itself, so processes writing at the same moment never
# overwrite each other's sums (PostgreSQL and SQLite both know ON CONFLICT … DO UPDATE).
UPSERT = (
    "INSERT INTO {table} (day, route, requests, cpu_seconds, db_seconds) "
    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (day, route) DO UPDATE SET "
    "requests = {table}.requests + excluded.requests, "
    "cpu_seconds = {table}.cpu_seconds + excluded.cpu_seconds, "
    "db_seconds = {table}.db_seconds + excluded.db_seconds"
)


def _write(rows: list[tuple]) -> None:
    if not guard_enabled("resource-use-increment"):
        for row in rows:
            _read_add_write(*row)
        return
    table = connection.ops.quote_name(ResourceUse._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(UPSERT.format(table=table), rows)


def _read_add_write(day, route: str, requests: int, cpu: float, db: float) -> None:
    """Control runs only: read the row, add in Python, write it back – what loses sums."""
    known = ResourceUse.objects.filter(day=day, route=route).first()
    if known is None:
        try:
            with transaction.atomic():
                ResourceUse.objects.create(
                    day=day, route=route, requests=requests, cpu_seconds=cpu, db_seconds=db
                )
        except IntegrityError:  # another process created it: this request's sums are lost
            pass
        return
    known.requests += requests
    known.cpu_seconds += cpu
    known.db_seconds += db
    known.save(update_fields=["requests", "cpu_seconds", "db_seconds"])
