"""Places on an offer: taken by bookings, never more than the capacity, passed on to the
waiting list when freed."""

import pytest

from rathaus.programs.models import Booking, Offer, WaitlistEntry
from rathaus.programs.services import booking, waitlist

from .conftest import make_offer


def request_for(offer, user, *people):
    chosen = list(user.program_participants.filter(name__in=people))
    return booking.Request(
        offer=offer,
        people=[booking.Person.of(p) for p in chosen],
        contact_name=user.full_name,
        email=user.email,
        account=user,
    )


def test_a_booking_takes_its_places(offer, parent):
    made = booking.book(request_for(offer, parent, "Mia Beispiel"))
    offer.refresh_from_db()
    assert made.places == 1 and offer.taken == 1
    assert made.participants.get().name == "Mia Beispiel"


def test_the_last_place_goes_once(provider, parent):
    from tests.factories import UserFactory

    small = make_offer(provider, "test-klein", capacity=1)
    other = UserFactory(full_name="Ali Beispiel")
    other.program_participants.create(name="Kim", birth_year=2019)
    booking.book(request_for(small, parent, "Mia Beispiel"))
    with pytest.raises(booking.Full):
        booking.book(request_for(small, other, "Kim"))
    assert Offer.objects.get(pk=small.pk).taken == 1


def test_a_child_cannot_hold_two_places(offer, parent):
    booking.book(request_for(offer, parent, "Mia Beispiel"))
    with pytest.raises(booking.AlreadyBooked):
        booking.book(request_for(offer, parent, "Mia Beispiel"))
    assert Offer.objects.get(pk=offer.pk).taken == 1


def test_a_cancelled_place_is_offered_to_the_waiting_list(provider, parent, mail_dir):
    from tests.factories import UserFactory

    small = make_offer(provider, "test-warteliste", capacity=1)
    other = UserFactory(full_name="Ali Beispiel", email="ali@beispiel.de")
    other.program_participants.create(name="Kim", birth_year=2019)
    first = booking.book(request_for(small, parent, "Mia Beispiel"))
    entry = waitlist.join(request_for(small, other, "Kim"))
    assert booking.cancel(first)
    entry.refresh_from_db()
    small.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED
    assert small.taken == 1  # held for the waiting list, not free for anyone else
    assert Booking.objects.get(pk=first.pk).status == Booking.Status.CANCELLED
