"""The green-IT meter: CPU and database time per request type, written as increments so
that processes and servers add up."""

from functools import partial

import pytest
from django.db import connection
from django.utils import timezone

from rathaus.monitor import metering
from rathaus.monitor.models import ResourceUse
from tests.concurrency import Browser, at_once, guards_off
from tests.support import app_servers

ROUTE = "core:healthz"
REQUESTS = 40


def _requests(route: str) -> int:
    row = ResourceUse.objects.filter(day=timezone.localdate(), route=route).first()
    return row.requests if row else 0


@pytest.mark.django_db
def test_a_request_is_measured_by_its_route_and_written_when_due(client, settings):
    metering.flush()
    client.get("/digitalmonitor/")
    assert metering.pending()[(timezone.localdate(), "monitor:index")][0] == 1
    assert _requests("monitor:index") == 0  # nothing written while the interval runs

    settings.RATHAUS = {**settings.RATHAUS, "RESOURCE_FLUSH_SECONDS": 0}
    client.get("/digitalmonitor/")

    row = ResourceUse.objects.get(day=timezone.localdate(), route="monitor:index")
    assert row.requests == 2
    assert row.cpu_seconds > 0
    assert row.db_seconds > 0  # the page reads the figures from the database
    assert (timezone.localdate(), "monitor:index") not in metering.pending()


@pytest.mark.django_db
def test_flushes_add_to_what_is_stored():
    metering.flush()
    metering.add("test:route", 0.5, 0.25)
    metering.add("test:route", 0.5, 0.25)
    assert metering.flush() == 1
    metering.add("test:route", 1.0, 0.5)
    metering.flush()
    row = ResourceUse.objects.get(route="test:route")
    assert (row.requests, row.cpu_seconds, row.db_seconds) == (3, 2.0, 1.0)


def _rush(env: dict[str, str]) -> int:
    """REQUESTS parallel requests through two servers that write after every request."""
    with app_servers(2, env={"RESOURCE_FLUSH_SECONDS": "0", **env}) as bases:
        before = _requests(ROUTE)  # the servers' readiness probes are counted too

        def ask(n: int):
            browser = Browser(bases[n % 2])
            return lambda: browser.get("/healthz")

        answers = at_once([partial(ask, n) for n in range(REQUESTS)])
    assert all(answer.status == 200 for answer in answers)
    return _requests(ROUTE) - before


@pytest.mark.django_db(transaction=True)
def test_servers_writing_at_the_same_moment_lose_no_request_and_without_the_guard_they_do():
    """Four processes write after every request: each adds to the row in the database, so
    all requests are counted. The control run reads, adds in Python and writes back; on
    PostgreSQL writes then overwrite each other. SQLite writes one at a time, so there it
    can only count at most what was asked (it says so instead of pretending)."""
    assert _rush({}) == REQUESTS

    counted = _rush(guards_off("resource-use-increment"))

    print(f"control run on {connection.vendor}: {counted} of {REQUESTS} requests counted")
    if connection.vendor == "postgresql":
        assert counted < REQUESTS
    else:
        assert counted <= REQUESTS
