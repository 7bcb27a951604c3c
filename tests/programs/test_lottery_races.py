"""An entry and the draw at the same moment (the window closing while someone's entry is
being saved, on another server): the entry is either drawn or refused, never left behind
as "angemeldet" after the draw.

Each side runs on its own database connection; the first side holds its transaction open
while the other starts, then commits. The control runs switch the entry's lock on the offer
off (guard ``programs.lottery_entry``) and watch an entry slip past the draw.
"""

import dataclasses
from datetime import timedelta

import pytest
from django.db import connection, transaction

from rathaus.programs.models import LotteryEntry, Offer
from rathaus.programs.services import booking, lottery
from tests.concurrency import in_thread
from tests.factories import UserFactory

from .conftest import make_provider
from .test_lottery import after_close, entrant, lottery_offer

GUARD = lottery.ENTRY_GUARD


def late_request(offer: Offer) -> booking.Request:
    user = UserFactory(email=f"spaet@{offer.slug}.beispiel.de", full_name="Spät Angemeldet")
    kid = user.program_participants.create(name="Kind Spät", birth_year=2018)
    return booking.Request(
        offer=offer,
        people=[booking.Person.of(kid)],
        contact_name=user.full_name,
        email=user.email,
        account=user,
    )


def offer_with_entries(slug: str) -> Offer:
    offer = lottery_offer(make_provider(f"{slug}-anbieter"), slug, capacity=3)
    for n in range(4):
        entrant(offer, n)
    offer.refresh_from_db()
    return offer


def entry_then_draw(slug: str) -> LotteryEntry:
    """The entry's transaction is open when the draw starts; it commits a second later."""
    offer = offer_with_entries(slug)
    request = late_request(offer)
    with transaction.atomic():
        entry = lottery.enter(request, offer.booking_closes_at - timedelta(seconds=1))
        thread, outcome = in_thread(lambda: lottery.draw(offer, after_close(offer)))
        thread.join(timeout=1.0)  # the draw waits for the entry – or does not
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert isinstance(outcome[0], list), outcome
    return LotteryEntry.objects.get(pk=entry.pk)


def draw_then_entry(slug: str) -> list:
    """The draw's transaction is open when the entry is made; it commits a second later."""
    offer = offer_with_entries(slug)
    request = late_request(offer)
    stale = Offer.objects.get(pk=offer.pk)  # as the entering server read it
    with transaction.atomic():
        assert lottery.draw(offer, after_close(offer)) is not None
        thread, outcome = in_thread(
            lambda: lottery.enter(
                dataclasses.replace(request, offer=stale),
                stale.booking_closes_at - timedelta(seconds=1),
            )
        )
        thread.join(timeout=1.0)
    thread.join(timeout=60)
    assert not thread.is_alive()
    return outcome


@pytest.mark.django_db(transaction=True)
def test_an_entry_saved_while_the_draw_starts_is_drawn(mail_dir):
    entry = entry_then_draw("test-los-zuerst")
    assert entry.status in (LotteryEntry.Status.WON, LotteryEntry.Status.LOST)
    assert entry.rank is not None
    assert not entry.offer.lottery_entries.filter(status=LotteryEntry.Status.ENTERED).exists()


@pytest.mark.django_db(transaction=True)
def test_an_entry_made_while_the_draw_runs_is_refused(mail_dir):
    (outcome,) = draw_then_entry("test-ziehung-zuerst")
    assert isinstance(outcome, lottery.LotteryError), outcome
    assert outcome.message == "Die Anmeldung zur Verlosung ist geschlossen."
    offer = Offer.objects.get(slug="test-ziehung-zuerst")
    assert not offer.lottery_entries.filter(status=LotteryEntry.Status.ENTERED).exists()
    assert offer.lottery_entries.count() == 4


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_an_entry_slips_past_the_draw(monkeypatch, mail_dir):
    """The control run. A draw that has started and an entry saved in that moment: without
    the entry's lock on the offer, the entry is stored after the draw read the list, and
    stays "angemeldet" – never drawn.

    The other order (entry first) needs PostgreSQL to show it: there, inserting an entry
    only takes a key-share lock on its offer, which the draw's update does not wait for.
    On SQLite every write transaction holds the one write lock from its ``BEGIN``, so the
    draw waits for the entry anyway, and the test asserts that instead of pretending.
    """
    monkeypatch.setenv("RATHAUS_TEST_GUARDS_OFF", GUARD)
    (outcome,) = draw_then_entry("test-ohne-sperre-1")
    assert isinstance(outcome, LotteryEntry), outcome
    assert LotteryEntry.objects.get(pk=outcome.pk).status == LotteryEntry.Status.ENTERED

    entry = entry_then_draw("test-ohne-sperre-2")
    if connection.vendor == "postgresql":
        assert entry.status == LotteryEntry.Status.ENTERED, "the draw should have missed it"
    else:
        assert entry.status in (LotteryEntry.Status.WON, LotteryEntry.Status.LOST)
