"""Two staff members answer the same comment at the same moment (two servers, two
connections): the comment gets one answer; the second is told it is already answered. One
account sends two ballots at the same moment: one counts.

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
from rathaus.participation.models import Ballot, Response, Vote
from rathaus.participation.services import NotAllowed, budgets, comments, responses
from tests.concurrency import in_thread
from tests.factories import StaffFactory

from .conftest import make_budget

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


# --- one vote per person ----------------------------------------------------------------
# The guard is the database's unique constraint on (budget, account): no check in Python
# that a second request could pass between its look and its write.

ONE_VOTE = next(c for c in Vote._meta.constraints if c.name == "participation_one_vote_per_account")


def vote_twice_at_once(budget, resident) -> list:
    """Two requests of the same account: the first holds its transaction open while the
    second starts, then commits."""
    first, second = ({p.pk: 1 for p in budget.projects.filter(number=n)} for n in (1, 2))
    with transaction.atomic():
        budgets.cast(budget, first, user=resident)
        thread, outcome = in_thread(lambda: budgets.cast(budget, second, user=resident))
        thread.join(timeout=1.0)
    thread.join(timeout=60)
    assert not thread.is_alive()
    return outcome


def test_two_ballots_of_one_account_at_the_same_moment_count_once(voting, resident):
    budget = make_budget(voting, [1000, 2000])
    (outcome,) = vote_twice_at_once(budget, resident)
    assert isinstance(outcome, NotAllowed) and "schon abgestimmt" in outcome.message
    assert Vote.objects.filter(budget=budget).count() == 1
    assert Ballot.objects.filter(budget=budget).count() == 1


def test_without_the_constraint_the_second_ballot_is_counted_too(voting, resident):
    """The control run: the constraint dropped, both ballots are stored."""
    budget = make_budget(voting, [1000, 2000])
    with connection.schema_editor() as editor:
        editor.remove_constraint(Vote, ONE_VOTE)
    try:
        (outcome,) = vote_twice_at_once(budget, resident)
    finally:
        Vote.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(Vote, ONE_VOTE)
    assert isinstance(outcome, Vote), outcome
    assert Ballot.objects.filter(budget=budget).count() == 2
