"""Two staff members answer the same comment at the same moment (two servers, two
connections): the comment gets one answer; the second is told it is already answered.

The first side holds its transaction open while the second starts, then commits. The control
run switches the lock off (guard ``participation.response``) and watches a second answer
overwrite the first – on PostgreSQL, where a read does not wait for a writer. On SQLite
every write transaction holds the one write lock from its start, so the second side waits
anyway, and the control asserts that instead of pretending.
"""

import pytest
from django.db import connection, transaction

from rathaus.accounts.models import Role
from rathaus.offices.models import Office
from rathaus.participation.models import Response
from rathaus.participation.services import NotAllowed, comments, responses
from tests.concurrency import in_thread
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def office():
    """An office of our own: a transactional test may run after another emptied the tables."""
    return Office.objects.create(
        slug="amt-fuer-tests",
        name="Amt für Tests",
        kind="amt",
        street="Teststraße 1",
        postcode="40213",
    )


@pytest.fixture
def moderator(office):
    return StaffFactory(roles=[Role.PARTICIPATION_OFFICE], roles__offices=[office])


def answer_twice(process, section, resident, moderator) -> list:
    comment = comments.write(section, user=resident, text="Wann kommt WLAN?", public_name="A")
    with transaction.atomic():
        responses.publish(process, [comment], text="Erste Antwort", by=moderator)
        thread, outcome = in_thread(
            lambda: responses.publish(process, [comment], text="Zweite Antwort", by=moderator)
        )
        thread.join(timeout=1.0)  # the second waits for the first – or does not
    thread.join(timeout=60)
    assert not thread.is_alive()
    return outcome


def test_the_second_answer_at_the_same_moment_is_refused(
    process, section, resident, moderator, mail_dir
):
    (outcome,) = answer_twice(process, section, resident, moderator)
    assert isinstance(outcome, NotAllowed) and "schon beantwortet" in outcome.message
    assert list(process.responses.values_list("text", flat=True)) == ["Erste Antwort"]


def test_without_the_lock_a_second_answer_slips_in(
    monkeypatch, process, section, resident, moderator, mail_dir
):
    """The control run."""
    monkeypatch.setenv("RATHAUS_TEST_GUARDS_OFF", responses.GUARD)
    (outcome,) = answer_twice(process, section, resident, moderator)
    if connection.vendor == "postgresql":
        assert isinstance(outcome, Response), outcome
        assert process.responses.count() == 2, "the second answer should have slipped in"
    else:
        assert isinstance(outcome, NotAllowed)
        assert process.responses.count() == 1
