"""Prometheus metrics: what the request middleware, the modules and a scrape report.

Under ``rathaus serve`` every gunicorn worker process writes its counters into files in
``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's multiprocess mode, set up by the serve
command), and one scrape of ``/metrics`` adds them up over all workers. Without that
variable (dev server, tests, a single process) the values live in this process.

Labels are bounded: a route is the URL pattern's name, never the requested path.
Modules report domain events through the small functions below
(``booking_conflict()``, ``passkey_failure(ceremony)``).
"""

import hmac
import ipaddress
import os
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, Min
from django.http import HttpRequest
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from .ratelimit import client_ip

__all__ = [
    "CONTENT_TYPE",
    "booking_conflict",
    "exposition",
    "may_scrape",
    "observe_exception",
    "observe_request",
    "passkey_failure",
    "server_process_started",
]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
PASSKEY_CEREMONIES = ("registration", "authentication")
# A worker counts as alive when its heartbeat is this recent (as for `rathaus check`).
WORKER_SILENCE = timedelta(seconds=60)

# Metrics of this process; in multiprocess mode their values go to files instead.
_registry = CollectorRegistry(auto_describe=True)

REQUEST_DURATION = Histogram(
    "rathaus_http_request_duration_seconds",
    "Time from the request reaching Django until its response is ready (a streamed file's "
    "transfer not included), per route (URL pattern name), method and status class.",
    ["route", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=_registry,
)
EXCEPTIONS = Counter(
    "rathaus_http_exceptions",
    "Exceptions a view raised that no middleware turned into an answer (each became a 500).",
    ["route", "exception"],
    registry=_registry,
)
BOOKING_CONFLICTS = Counter(
    "rathaus_booking_conflicts",
    "Appointment bookings that lost a race: the time was taken in the meantime.",
    registry=_registry,
)
PASSKEY_FAILURES = Counter(
    "rathaus_passkey_failures",
    "Passkey ceremonies whose answer was not accepted, by ceremony.",
    ["ceremony"],
    registry=_registry,
)
SERVER_PROCESSES = Gauge(
    "rathaus_app_processes",
    "App server processes of this server that have served since it started and are alive.",
    multiprocess_mode="livesum",
    registry=_registry,
)


def server_process_started() -> None:
    """Called once per serving process (by the request middleware, at its first request)."""
    SERVER_PROCESSES.set(1)


def observe_request(*, route: str, method: str, status: int, seconds: float) -> None:
    REQUEST_DURATION.labels(route, method, f"{status // 100}xx").observe(seconds)


def observe_exception(*, route: str, exception: BaseException) -> None:
    EXCEPTIONS.labels(route, type(exception).__name__).inc()


def booking_conflict() -> None:
    """A booking found its time or its last place taken by someone else."""
    BOOKING_CONFLICTS.inc()


def passkey_failure(ceremony: str) -> None:
    """A passkey answer was refused; ``ceremony`` is "registration" or "authentication"."""
    PASSKEY_FAILURES.labels(ceremony if ceremony in PASSKEY_CEREMONIES else "other").inc()


class StateCollector:
    """Read at scrape time from the database: task queue, workers, database connections.

    Cheap queries only (an index on the task status, a handful of heartbeat rows). If the
    database cannot answer, ``rathaus_metrics_database_up`` says 0 and the rest is left out.
    """

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily(
            "rathaus_metrics_database_up",
            "1 if the database answered the queries of this scrape, else 0.",
        )
        try:
            families = [*self._tasks(), *self._workers(), *self._connections()]
        except Exception:  # the database is down, whatever the driver calls it
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _tasks(self) -> list[GaugeMetricFamily]:
        from django_tasks_db.models import DBTaskResult

        now = timezone.now()
        waiting = GaugeMetricFamily(
            "rathaus_tasks_waiting",
            "Background tasks ready to run and not yet taken by a worker, per queue.",
            labels=["queue"],
        )
        oldest = GaugeMetricFamily(
            "rathaus_tasks_oldest_waiting_seconds",
            "Age (since it was queued) of the oldest task ready to run, per queue; 0 if none.",
            labels=["queue"],
        )
        rows = {
            row["queue_name"]: row
            for row in DBTaskResult.objects.ready()
            .order_by()
            .values("queue_name")
            .annotate(count=Count("id"), oldest=Min("enqueued_at"))
        }
        configured = settings.TASKS.get("default", {}).get("QUEUES", [])
        for queue in sorted(set(configured) | set(rows)):
            row = rows.get(queue, {"count": 0, "oldest": None})
            waiting.add_metric([queue], row["count"])
            age = (now - row["oldest"]).total_seconds() if row["oldest"] else 0
            oldest.add_metric([queue], max(age, 0))
        running = GaugeMetricFamily(
            "rathaus_tasks_running", "Background tasks a worker has taken and not finished."
        )
        running.add_metric([], DBTaskResult.objects.running().count())
        return [waiting, oldest, running]

    def _workers(self) -> list[GaugeMetricFamily]:
        from .models import WorkerHeartbeat

        now = timezone.now()
        newest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True)
        alive = GaugeMetricFamily(
            "rathaus_workers_alive",
            f"Task workers whose heartbeat is at most {WORKER_SILENCE.seconds} s old.",
        )
        alive.add_metric([], newest.filter(seen_at__gte=now - WORKER_SILENCE).count())
        age = GaugeMetricFamily(
            "rathaus_worker_heartbeat_age_seconds",
            "Seconds since the newest heartbeat of any task worker (absent: no worker ever).",
        )
        if seen := newest.first():
            age.add_metric([], max((now - seen).total_seconds(), 0))
        return [alive, age] if seen else [alive]

    def _connections(self) -> list[GaugeMetricFamily]:
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "postgresql":
            return []  # SQLite is a file: there is no server whose connections could run out
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() GROUP BY 1"
            )
            by_state = cursor.fetchall()
            cursor.execute("SELECT current_setting('max_connections')::int")
            (limit,) = cursor.fetchone()
        used = GaugeMetricFamily(
            "rathaus_db_connections",
            "Connections to this PostgreSQL database by state, from pg_stat_activity: all "
            "clients (every app server, worker and other tool), not only this server; "
            "'unknown' for other roles' sessions when not allowed to see their state.",
            labels=["state"],
        )
        for state, count in by_state:
            used.add_metric([state], count)
        maximum = GaugeMetricFamily(
            "rathaus_db_connections_max",
            "PostgreSQL's max_connections (for the whole server, all databases).",
        )
        maximum.add_metric([], limit)
        return [used, maximum]


def may_scrape(request: HttpRequest) -> bool:
    """A scraper shows ``METRICS_TOKEN`` as a bearer token or comes from an allowed network.

    A request relayed by a proxy we do not trust (it carries ``X-Forwarded-For`` but did not
    come from one of ``TRUSTED_PROXIES``) never passes by address: behind a local proxy
    every visitor would otherwise seem to come from 127.0.0.1.
    """
    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    address = client_ip(request)
    if address == request.META.get("REMOTE_ADDR") and "X-Forwarded-For" in request.headers:
        return False
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        parsed in ipaddress.ip_network(network, strict=False)
        for network in settings.METRICS_ALLOWED_NETWORKS
    )


def exposition() -> bytes:
    """The Prometheus text for one scrape: all worker processes plus the database state."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_registry)
    registry.register(StateCollector())
    return generate_latest(registry)
