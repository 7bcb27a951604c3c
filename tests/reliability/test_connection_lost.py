"""The database connection cut in the middle of a booking and of a submission: the person
reads a clear German 503, nothing is half-stored, and the next identical request works.

Real servers (``rathaus serve``, one process, so the retry meets the very process whose
connection broke), real HTTP with CSRF and proof of work. The request is made to wait
inside its transaction for a row lock the test holds; on PostgreSQL the test then ends
its server connection (``pg_terminate_backend``), as a database restart or failover does.
SQLite has no server connection to cut: there the request waits for the write lock longer
than the busy timeout and gets "Gerade sehr viel los", with the same guarantees.
"""

import os
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from rathaus.applications.models import Application, ReferenceCounter
from rathaus.applications.services import numbering
from rathaus.appointments.models import Appointment, OfficeService
from rathaus.appointments.services import days
from rathaus.core.locking import for_update
from tests.applications.test_concurrency import SERVERS as FORM_SERVERS
from tests.applications.test_concurrency import draft_with_files, service_with_form, submitting
from tests.appointments.conftest import make_office
from tests.appointments.test_concurrency import SERVERS as BOOKING_SERVERS
from tests.appointments.test_concurrency import person
from tests.appointments.test_public_pages import booking_url, first_free
from tests.concurrency import Answer
from tests.factories import ServiceFactory
from tests.support import app_servers

ROOT = Path(__file__).resolve().parents[2]
SERVER = {
    "DJANGO_SETTINGS_MODULE": "tests.reliability.fault_settings",
    "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    # Only the cut ends the wait on PostgreSQL, never the lock timeout.
    "LOCK_TIMEOUT_MS": "60000",
    "RATHAUS_TEST_SQLITE_TIMEOUT": "1",
}
WAIT_FOR_THE_LOCK = 55  # seconds; the client gives up after 60 (tests.concurrency.TIMEOUT)
CUT = "Technische Störung – bitte gleich noch einmal."
BUSY = "Gerade sehr viel los – bitte gleich noch einmal."


def waiting_backend() -> int | None:
    """The server connection that waits for a lock this test holds (the request's), if
    there is one: asked by who blocks it, so another connection waiting for something else
    in the same database is never taken for it.

    PostgreSQL keeps what ``pg_stat_activity`` showed first for the rest of a transaction,
    and this runs inside the test's: without dropping that snapshot, a connection the server
    opens after the first look would never be seen (it failed so whenever the request came
    on a new connection)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
        )
        pids = [row[0] for row in cursor.fetchall()]
    assert len(pids) <= 1, f"more than one connection waits for the test's lock: {pids}"
    return pids[0] if pids else None


def cut_while_waiting(fire, hold) -> Answer:
    """Send a request while this test holds a lock it needs (``hold``); on PostgreSQL end
    the request's connection as soon as it waits. Returns what the server answered."""
    answers: list[Answer] = []
    request = threading.Thread(target=lambda: answers.append(fire()))
    with transaction.atomic():
        hold()
        request.start()
        if connection.vendor == "postgresql":
            # Generous: what is checked is that it waits there, not how soon.
            deadline = time.monotonic() + WAIT_FOR_THE_LOCK
            while (pid := waiting_backend()) is None:
                assert request.is_alive(), "the request ended without waiting for the lock"
                assert time.monotonic() < deadline, "it never waited"
                time.sleep(0.05)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        request.join(timeout=60)  # SQLite: the request gives up after its busy timeout
    assert answers, "the request never came back"
    return answers[0]


def expected_message() -> str:
    return CUT if connection.vendor == "postgresql" else BUSY


@pytest.mark.django_db(transaction=True)
def test_a_booking_whose_connection_is_cut_stores_nothing_and_the_next_one_works():
    office = make_office("stoerung", counters=1)
    service = ServiceFactory(slug="stoerungsleistung", title="Störungsleistung")
    OfficeService.objects.create(office=office, service=service, minutes_per_person=15)
    day, unit = first_free(office, [service])
    counter = office.counters.get()
    days.ensure([counter.pk], day, day)
    page = booking_url(office, [service], day, unit)
    with app_servers(1, workers=1, env={**BOOKING_SERVERS, **SERVER}) as [base]:
        answer = cut_while_waiting(person(base, page, 1)(), lambda: days.locked(counter, day))
        assert answer.status == 503, answer.body[-2000:]
        assert expected_message() in answer.body
        assert not Appointment.objects.filter(email="person1@beispiel.de").exists()

        again = person(base, page, 1)()()
    assert again.status == 302, again.body[-2000:]
    booked = Appointment.objects.get(email="person1@beispiel.de")
    assert (booked.day, booked.start_unit) == (day, unit)


@pytest.mark.django_db(transaction=True)
def test_a_submission_whose_connection_is_cut_stays_a_draft_and_the_next_one_works():
    application, client = draft_with_files(service_with_form(), 1)
    answers = dict(application.answers)
    files = {f.pk: Path(settings.MEDIA_ROOT) / f.file.name for f in application.files.all()}
    year = timezone.localdate().year
    ReferenceCounter.objects.get_or_create(year=year)

    def hold_the_year() -> None:
        for_update(ReferenceCounter.objects.filter(year=year), guard=numbering.GUARD).get()

    with app_servers(1, workers=1, env={**FORM_SERVERS, **SERVER}) as [base]:
        answer = cut_while_waiting(submitting(base, application, client)(), hold_the_year)
        assert answer.status == 503, answer.body[-2000:]
        assert expected_message() in answer.body
        application.refresh_from_db()
        assert application.status == Application.Status.DRAFT and not application.reference
        assert application.answers == answers
        assert set(application.files.values_list("pk", flat=True)) == set(files)
        assert all(path.exists() for path in files.values())

        again = submitting(base, application, client)()()
    assert again.status == 302, again.body[-2000:]
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED and application.reference
    assert set(application.files.values_list("pk", flat=True)) == set(files)
