"""A freed place is never lost and never given twice, whatever races for it: cancellations,
a claim of an offered place, a decline, the expiry job and new bookings, all at the same
moment, each in a thread of its own with its own database connection (as separate
requests and the worker would be).

After every race the places add up: ``Offer.taken`` is exactly the places of active
bookings plus the places offered to the waiting list, never more than the capacity, and
the rest is really free – as many new bookings as free places go through, and no
one-place entry still waits while a place is free. The control run switches the capacity
guard off and watches the places stop adding up on PostgreSQL.
"""

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from rathaus.core import secrets
from rathaus.programs.models import Booking, BookingParticipant, Offer, WaitlistEntry
from rathaus.programs.services import booking, participants, waitlist
from tests.factories import UserFactory

from .conftest import make_offer, make_provider, make_venue

GUARD = "programs.places"
SEED = 20261126
# What a racing call may answer instead of doing its work: the place went to someone else.
REFUSALS = (booking.BookingError, waitlist.WaitlistError)


def course(slug: str, capacity: int, **fields) -> Offer:
    """A free course without an age range (adults book for themselves, parents for
    children of any age)."""
    provider = make_provider(f"{slug}-anbieter")
    return make_offer(provider, slug, venue=make_venue(provider), capacity=capacity, **fields)


class People:
    """Residents of one race, numbered; each books for themself or for ``children``."""

    def __init__(self, slug: str):
        self.slug = slug
        self.count = 0

    def request(self, offer: Offer, children: int = 0) -> booking.Request:
        self.count += 1
        user = UserFactory(
            email=f"{self.slug}-{self.count}@beispiel.de", full_name=f"Person {self.count}"
        )
        if children:
            people = [
                booking.Person.of(
                    user.program_participants.create(name=f"Kind {k} von {user}", birth_year=2016)
                )
                for k in range(children)
            ]
        else:
            people = [booking.Person.of(participants.self_participant(user))]
        return booking.Request(
            offer=offer,
            people=people,
            contact_name=user.full_name,
            email=user.email,
            account=user,
        )


def at_once(jobs: list[Callable[[], object]]) -> list[object]:
    """Run the jobs in threads released together; each job's result or the exception it
    raised, in the order of ``jobs``."""
    start = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index: int, job: Callable[[], object]) -> None:
        try:
            connection.ensure_connection()  # connected before the start line
            start.wait(timeout=60)
            results[index] = job()
        except BaseException as error:  # reported by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a racing call never returned"
    return results


def unexpected(results: list[object]) -> list[BaseException]:
    """Exceptions other than a clear refusal (a deadlock, "database is locked", a broken
    constraint would be here)."""
    return [r for r in results if isinstance(r, BaseException) and not isinstance(r, REFUSALS)]


def places(offer: Offer) -> tuple[int, int]:
    """Places of active bookings, places offered to the waiting list."""
    booked = Booking.objects.filter(offer=offer, status=Booking.Status.BOOKED)
    offered = WaitlistEntry.objects.filter(offer=offer, status=WaitlistEntry.Status.OFFERED)
    return (
        booked.aggregate(n=Sum("places"))["n"] or 0,
        offered.aggregate(n=Sum("places"))["n"] or 0,
    )


def add_up(offer: Offer) -> bool:
    offer.refresh_from_db()
    booked, offered = places(offer)
    return offer.taken == booked + offered


def assert_places_add_up(offer: Offer, people: People) -> None:
    """Taken = booked + offered ≤ capacity; what is left is really free."""
    offer.refresh_from_db()
    booked, offered = places(offer)
    assert offer.taken == booked + offered, (offer.taken, booked, offered)
    assert offer.taken <= offer.capacity
    assert BookingParticipant.objects.filter(offer=offer, active=True).count() == booked
    claimed = WaitlistEntry.objects.filter(offer=offer, status=WaitlistEntry.Status.CLAIMED)
    assert not claimed.filter(booking=None).exists()
    assert not claimed.exclude(booking__status=Booking.Status.BOOKED).exists()
    free = offer.capacity - offer.taken
    if free:  # a freed place goes to the waiting list first
        waiting = WaitlistEntry.objects.filter(offer=offer, status=WaitlistEntry.Status.WAITING)
        assert not waiting.filter(places=1).exists(), "a place is free while someone waits"
        offer.waitlist_enabled = False  # the free places go to new bookings, not the list
        offer.save(update_fields=["waitlist_enabled"])
    for _ in range(free):
        booking.book(people.request(offer))
    with pytest.raises(booking.Full):
        booking.book(people.request(offer))
    offer.refresh_from_db()
    assert offer.taken == offer.capacity == sum(places(offer))


def known_token(entry: WaitlistEntry) -> str:
    """The claim link's token (the real one is only in the e-mail)."""
    token = secrets.new_token()
    WaitlistEntry.objects.filter(pk=entry.pk).update(claim_digest=secrets.digest(token))
    entry.refresh_from_db()
    return token


def full_course_with_waiting_list(slug: str, people: People):
    """8 places, all booked (one booking of a parent with two children); six on the waiting
    list (one a family of two); two places already offered from it after cancellations.
    Returns the offer, three active bookings (the second of two places) and the entries."""
    offer = course(slug, capacity=8)
    made = [booking.book(people.request(offer)) for _ in range(5)]
    made.append(booking.book(people.request(offer, children=2)))
    made.append(booking.book(people.request(offer)))
    entries = [waitlist.join(people.request(offer)) for _ in range(3)]
    entries.insert(2, waitlist.join(people.request(offer, children=2)))
    entries += [waitlist.join(people.request(offer)) for _ in range(2)]
    for cancelled in made[:2]:
        assert booking.cancel(cancelled)
    for entry in entries:
        entry.refresh_from_db()
    assert [e.status for e in entries[:3]] == ["offered", "offered", "waiting"]
    offer.refresh_from_db()
    assert offer.taken == 8 and sum(places(offer)) == 8
    return offer, [made[2], made[5], made[6]], entries


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_cancellations_claim_decline_expiry_and_bookings_racing_never_lose_or_duplicate_a_place(
    round_, mail_dir
):
    """Three cancellations (one of two places), the claim of an offered place, the decline
    of another, a waiting entry leaving, the expiry job (an hour after every claim time ran
    out, so it races the claim and the decline for the same entries) and six residents
    pressing "book" again and again for a second, all at once."""
    people = People(f"wettlauf{round_}")
    offer, active, entries = full_course_with_waiting_list(f"test-wettlauf-{round_}", people)
    first, second, *_rest, last = entries
    token = known_token(first)
    later = timezone.now() + timedelta(hours=25)
    newcomers = [people.request(offer) for _ in range(6)]

    def claim() -> Booking:
        return waitlist.claim(first, token)

    jobs: list[Callable[[], object]] = [
        *(lambda b=b: booking.cancel(b) for b in active),
        claim,
        lambda: waitlist.decline(second),
        lambda: waitlist.decline(last),
        lambda: waitlist.expire_offers(now=later),
        *(lambda r=r: keeps_trying(r) for r in newcomers),
    ]
    random.Random(SEED + round_).shuffle(jobs)
    results = at_once(jobs)
    assert unexpected(results) == [], f"seed {SEED + round_}"
    first.refresh_from_db()
    second.refresh_from_db()
    # The claim and the expiry raced for the same entry: exactly one of them won, and the
    # claim's answer says which.
    assert first.status in {WaitlistEntry.Status.CLAIMED, WaitlistEntry.Status.EXPIRED}
    claimed = first.status == WaitlistEntry.Status.CLAIMED
    answer = results[jobs.index(claim)]
    if claimed:
        assert isinstance(answer, Booking) and first.booking_id == answer.pk
    else:
        assert isinstance(answer, waitlist.WaitlistError) and first.booking_id is None
    assert second.status in {WaitlistEntry.Status.WITHDRAWN, WaitlistEntry.Status.EXPIRED}
    outcome = dict(Counter(type(r).__name__ for r in results))
    print(f"round {round_} on {connection.vendor}: {outcome}, {first.status}, {places(offer)}")
    assert_places_add_up(offer, people)


def keeps_trying(request: booking.Request, seconds: float = 1.0) -> Booking:
    """A resident who presses "book" again and again while the offer is full, so new
    bookings race for every place that goes back to the free pool during the race."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return booking.book(request)
        except booking.Full:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.002)


def cancellations_and_bookings(slug: str, people: People) -> tuple[Offer, list[object]]:
    """Ten places, five booked; the five cancel while twenty new bookings race for the
    places (no waiting list: freed places go straight back to the pool)."""
    offer = course(slug, capacity=10, waitlist_enabled=False)
    made = [booking.book(people.request(offer)) for _ in range(5)]
    requests = [people.request(offer) for _ in range(20)]
    jobs: list[Callable[[], object]] = [
        *(lambda b=b: booking.cancel(b) for b in made),
        *(lambda r=r: booking.book(r) for r in requests),
    ]
    random.Random(SEED).shuffle(jobs)
    return offer, at_once(jobs)


@pytest.mark.django_db(transaction=True)
def test_cancellations_and_bookings_racing_for_the_same_places_keep_the_count(mail_dir):
    people = People("zaehlung")
    offer, results = cancellations_and_bookings("test-zaehlung", people)
    assert unexpected(results) == []
    assert sum(isinstance(r, Booking) for r in results) <= 10
    assert_places_add_up(offer, people)


@pytest.mark.django_db(transaction=True)
def test_without_the_capacity_guard_racing_cancellations_and_bookings_lose_the_count(
    monkeypatch, mail_dir
):
    """The control run: the same race with the conditional ``UPDATE`` switched off.

    A booking then reads ``taken`` and writes back what it read plus one; on PostgreSQL a
    cancellation or another booking committing in between is overwritten, and the count
    no longer matches the bookings (a place lost, or given twice). The collision needs a
    read in the same few milliseconds as another commit, so the race gets up to three
    offers to show it.

    On SQLite every write transaction holds the database's one write lock from its
    ``BEGIN`` (``transaction_mode = IMMEDIATE``), so the read and the write-back of one
    booking cannot be split by another: the count stays right even without the guard, and
    the test asserts that instead of pretending.
    """
    monkeypatch.setenv("RATHAUS_TEST_GUARDS_OFF", GUARD)
    people = People("ohneschutz")
    counts = []
    for attempt in range(3):
        offer, results = cancellations_and_bookings(f"test-ohne-schutz-{attempt}", people)
        assert unexpected(results) == []
        offer.refresh_from_db()
        counts.append((offer.taken, sum(places(offer))))
        if connection.vendor != "postgresql":
            assert add_up(offer)
            break
        if not add_up(offer):
            break
    print(f"control run on {connection.vendor}: (taken, booked + offered) = {counts}")
    if connection.vendor == "postgresql":
        assert any(taken != held for taken, held in counts), "the count should have been lost"
