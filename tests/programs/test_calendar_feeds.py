"""Calendar files (.ics) of an offer and of a search, parsed with icalendar: one event per
session, a UID that stays the same, cancelled sessions marked, and only visible offers."""

from datetime import timedelta

import icalendar
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rathaus.programs.models import Offer, Session
from rathaus.programs.views import public
from tests.factories import StaffFactory

from .conftest import make_offer

WORD = "Pelikanfeder"


def events(response) -> list[icalendar.Event]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def offer_ics(client: Client, offer: Offer):
    return client.get(reverse("programs:offer_ics", args=[offer.slug]))


def search_ics(client: Client, **params):
    return client.get(reverse("programs:search_ics"), {"q": WORD, **params})


def test_one_event_per_session_with_time_place_and_link(provider, venue):
    offer = make_offer(provider, "test-kurs", venue=venue, sessions=4, title=f"{WORD} Kurs")
    response = offer_ics(Client(), offer)
    assert response["Content-Disposition"] == 'attachment; filename="test-kurs.ics"'
    found = events(response)
    sessions = list(offer.sessions.order_by("starts_at"))
    assert len(found) == 4
    assert [e.decoded("dtstart") for e in found] == [s.starts_at for s in sessions]
    assert [e.decoded("dtend") for e in found] == [s.ends_at for s in sessions]
    assert {str(e["summary"]) for e in found} == {offer.title}
    assert all(venue.name in str(e["location"]) for e in found)
    assert all(str(e["url"]).endswith(f"/angebote/{offer.slug}/") for e in found)
    assert {str(e["status"]) for e in found} == {"CONFIRMED"}
    assert len({str(e["uid"]) for e in found}) == 4


def test_uids_stay_the_same_when_a_session_moves(offer):
    before = {str(e["uid"]) for e in events(offer_ics(Client(), offer))}
    session = offer.sessions.get()
    Session.objects.filter(pk=session.pk).update(
        starts_at=session.starts_at + timedelta(hours=1),
        ends_at=session.ends_at + timedelta(hours=1),
    )
    after = events(offer_ics(Client(), offer))
    assert {str(e["uid"]) for e in after} == before
    assert after[0].decoded("dtstart") == session.starts_at + timedelta(hours=1)


def test_a_cancelled_session_is_cancelled_in_the_calendar(provider):
    offer = make_offer(provider, "test-reihe", sessions=3)
    second = offer.sessions.order_by("starts_at")[1]
    Session.objects.filter(pk=second.pk).update(cancelled_at=timezone.now())
    found = events(offer_ics(Client(), offer))
    assert [str(e["status"]) for e in found] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]


def test_a_cancelled_offer_cancels_every_session(provider):
    offer = make_offer(provider, "test-abgesagt", sessions=2, status=Offer.Status.CANCELLED)
    assert {str(e["status"]) for e in events(offer_ics(Client(), offer))} == {"CANCELLED"}


def test_the_calendar_of_an_invisible_offer_is_not_found(provider, parent_client):
    draft = make_offer(provider, "test-entwurf", status=Offer.Status.DRAFT)
    training = make_offer(provider, "test-fortbildung", internal=True)
    for client in (Client(), parent_client):
        assert offer_ics(client, draft).status_code == 404
        assert offer_ics(client, training).status_code == 404
    staff = Client()
    staff.force_login(StaffFactory(roles=[]))
    assert len(events(offer_ics(staff, training))) == 1


def test_the_search_feed_holds_the_sessions_of_the_found_offers(provider, parent_client):
    make_offer(provider, "test-a", sessions=2, title=f"{WORD} Malen", age_min=5, age_max=8)
    make_offer(provider, "test-b", sessions=3, title=f"{WORD} Theater", age_min=12)
    make_offer(provider, "test-intern", title=f"{WORD} Fortbildung", internal=True)
    make_offer(provider, "test-entwurf", title=f"{WORD} Entwurf", status=Offer.Status.DRAFT)
    response = search_ics(Client())
    assert response["Content-Disposition"] == 'attachment; filename="angebote.ics"'
    found = events(response)
    assert (
        sorted(str(e["summary"]) for e in found) == [f"{WORD} Malen"] * 2 + [f"{WORD} Theater"] * 3
    )
    assert {str(e["summary"]) for e in events(search_ics(Client(), alter="6"))} == {f"{WORD} Malen"}
    assert len(events(search_ics(parent_client))) == 5
    staff = Client()
    staff.force_login(StaffFactory(roles=[]))
    assert len(events(search_ics(staff))) == 6


def test_the_search_feed_is_limited(provider, monkeypatch):
    assert public.ICS_LIMIT == 500
    for n in range(3):
        make_offer(provider, f"test-{n}", title=f"{WORD} {n}")
    monkeypatch.setattr(public, "ICS_LIMIT", 2)
    assert len(events(search_ics(Client()))) == 2


def test_bad_filters_in_the_feed_are_left_out_not_an_error(provider):
    make_offer(provider, "test-a", title=f"{WORD} Malen")
    response = search_ics(Client(), alter="zehn", von="gestern", bezirk="<script>")
    assert len(events(response)) == 1
