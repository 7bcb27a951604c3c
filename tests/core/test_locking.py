"""A busy database reaches the user as a calm 503 with Retry-After, never as a 500 or a
request that hangs: a lock not granted in time (PostgreSQL ``lock_timeout``, SQLite
"database is locked") and ``Busy`` from a service both end in "Gerade sehr viel los"."""

import json
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from rathaus.appointments.models import Appointment, OfficeService
from rathaus.appointments.services import days
from rathaus.core.locking import Busy, BusyMiddleware, guard_enabled
from tests.appointments.conftest import make_office
from tests.factories import ServiceFactory

BUSY = "Gerade sehr viel los – bitte gleich noch einmal."


def middleware_answer(path: str, error: Exception):
    request = RequestFactory().post(path)
    request.user = AnonymousUser()
    middleware = BusyMiddleware(lambda request: None)
    return middleware.process_exception(request, error)


def test_busy_on_an_api_path_is_a_json_503_with_retry_after():
    response = middleware_answer("/api/v1/termine/freie-zeiten", Busy())
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(Busy.retry_after)
    assert "busy" in json.loads(response.content)["detail"]


@pytest.mark.django_db
def test_busy_on_a_page_is_a_german_503_page_with_retry_after():
    response = middleware_answer("/termine/testbuero/buchen/", Busy())
    assert response.status_code == 503
    assert response["Retry-After"] == str(Busy.retry_after)
    html = response.content.decode()
    assert BUSY in html and "Es wurde nichts gespeichert" in html


@pytest.mark.django_db
def test_a_locked_sqlite_database_counts_as_busy_and_other_errors_pass_through():
    assert middleware_answer("/", OperationalError("database is locked")).status_code == 503
    assert middleware_answer("/", OperationalError("no such table: x")) is None
    assert middleware_answer("/", ValueError("anything else")) is None


def test_guards_can_be_switched_off_only_while_testing(monkeypatch):
    monkeypatch.setenv("RATHAUS_TEST_GUARDS_OFF", "eins, zwei")
    assert not guard_enabled("zwei") and guard_enabled("drei")
    monkeypatch.delenv("RATHAUS_TESTING")
    assert guard_enabled("zwei")


@pytest.fixture
def short_waits(settings):
    """Locks wait 300 ms: PostgreSQL's lock_timeout, SQLite's busy timeout (this thread's
    connection is opened again with it)."""
    settings.LOCK_TIMEOUT_MS = 300
    if connection.vendor != "sqlite":
        yield 0.3
        return
    options = connection.settings_dict["OPTIONS"]
    before = options.get("timeout")
    connection.close()
    options["timeout"] = 0.3
    yield 0.3
    connection.close()
    options["timeout"] = before


@pytest.mark.django_db(transaction=True)
def test_a_booking_that_waits_too_long_for_its_lock_gets_503_not_a_hang(client, short_waits):
    office = make_office("gesperrt", counters=1)
    service = ServiceFactory(slug="gesperrt-leistung")
    OfficeService.objects.create(office=office, service=service, minutes_per_person=15)
    day = timezone.localdate() + timedelta(days=3)
    counter = office.counters.get()
    days.ensure([counter.pk], day, day)
    held, release = threading.Event(), threading.Event()

    def hold_the_day() -> None:
        """Another request holds the counter's day (on SQLite: the write lock)."""
        try:
            with transaction.atomic():
                days.locked(counter, day)
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_day)
    holder.start()
    try:
        assert held.wait(timeout=10)
        started = time.monotonic()
        response = client.post(
            f"/termine/{office.slug}/buchen/?leistung={service.slug}&personen=1"
            f"&tag={day.isoformat()}&zeit=09:00",
            {"name": "Erika Beispiel", "email": "erika@beispiel.de", "phone": ""},
        )
        waited = time.monotonic() - started
    finally:
        release.set()
        holder.join(timeout=30)
    assert response.status_code == 503
    assert response["Retry-After"] == str(Busy.retry_after)
    assert BUSY in response.content.decode()
    assert short_waits <= waited < short_waits + 5
    assert not Appointment.objects.filter(office=office).exists()


CUT = "Technische Störung – bitte gleich noch einmal."


@pytest.mark.django_db(transaction=True)
def test_a_lost_database_connection_is_a_german_503_and_the_next_query_connects_again():
    response = middleware_answer("/antraege/", InterfaceError("connection already closed"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(Busy.retry_after)
    html = response.content.decode()
    assert CUT in html and "Technische Störung" in html and BUSY not in html
    assert connection.connection is None  # closed, not handed to the next request
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db(transaction=True)
def test_a_lost_database_connection_on_the_api_is_a_json_503():
    response = middleware_answer("/api/v1/leistungen", InterfaceError("connection already closed"))
    assert response.status_code == 503
    assert "nothing was stored" in json.loads(response.content)["detail"]
