"""The Django admin as the providers' back office for master data: editing an offer and its
sessions recomputes the search fields and never writes ``taken``; the form refuses what
would break the offer; administrators create providers and decide who works for them."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from rathaus.accounts.models import Role
from rathaus.core.models import AuditEntry
from rathaus.programs.models import Offer, Provider, ProviderMembership, Session
from rathaus.programs.services import booking as bookings
from tests.factories import StaffFactory

from .conftest import make_provider, make_venue


def local(moment) -> tuple[str, str]:
    moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M:%S")


def offer_form(offer: Offer, *, new_session=None, **changes) -> dict:
    """The change form of ``offer`` as the browser sends it back."""
    data = {
        "title": offer.title,
        "slug": offer.slug,
        "provider": offer.provider_id,
        "category": offer.category,
        "status": offer.status,
        "summary": offer.summary,
        "description": offer.description,
        "easy_text": offer.easy_text,
        "venue": offer.venue_id or "",
        "age_min": "" if offer.age_min is None else offer.age_min,
        "age_max": "" if offer.age_max is None else offer.age_max,
        "capacity": offer.capacity,
        "max_places_per_booking": offer.max_places_per_booking,
        "waitlist_enabled": "on" if offer.waitlist_enabled else "",
        "allocation": offer.allocation,
        "lottery_priorities": json.dumps(offer.lottery_priorities),
        "price": str(offer.price),
        "price_reduced": str(offer.price_reduced),
        "sibling_discount_percent": offer.sibling_discount_percent,
        "payment_methods": json.dumps(offer.payment_methods),
        "cancel_until_hours": offer.cancel_until_hours,
        "cancellation_note": offer.cancellation_note,
        "booking_opens_at_0": "",
        "booking_opens_at_1": "",
        "booking_closes_at_0": "",
        "booking_closes_at_1": "",
        "_save": "Sichern",
    }
    sessions = list(offer.sessions.all())
    rows = len(sessions) + (1 if new_session else 0)
    data.update(
        {
            "sessions-TOTAL_FORMS": rows,
            "sessions-INITIAL_FORMS": len(sessions),
            "sessions-MIN_NUM_FORMS": 0,
            "sessions-MAX_NUM_FORMS": 1000,
        }
    )
    for i, session in enumerate(sessions):
        starts, ends = local(session.starts_at), local(session.ends_at)
        data.update(
            {
                f"sessions-{i}-id": session.pk,
                f"sessions-{i}-offer": offer.pk,
                f"sessions-{i}-starts_at_0": starts[0],
                f"sessions-{i}-starts_at_1": starts[1],
                f"sessions-{i}-ends_at_0": ends[0],
                f"sessions-{i}-ends_at_1": ends[1],
                f"sessions-{i}-note": session.note,
            }
        )
    if new_session:
        i = len(sessions)
        starts, ends = local(new_session[0]), local(new_session[1])
        data.update(
            {
                f"sessions-{i}-offer": offer.pk,
                f"sessions-{i}-starts_at_0": starts[0],
                f"sessions-{i}-starts_at_1": starts[1],
                f"sessions-{i}-ends_at_0": ends[0],
                f"sessions-{i}-ends_at_1": ends[1],
                f"sessions-{i}-note": "",
            }
        )
    data.update(changes)
    return data


@pytest.fixture
def staff_client(client, provider_staff):
    client.force_login(provider_staff)
    return client


def change_url(offer) -> str:
    return f"/verwaltung/programs/offer/{offer.pk}/change/"


def test_editing_an_offer_refreshes_search_fields_and_keeps_the_places(
    staff_client, provider_staff, offer
):
    form = offer_form(offer)  # opened before the booking below was made
    bookings.book(
        bookings.Request(offer=offer, people=[bookings.Person("Mia", 2019)], contact_name="Eltern")
    )
    earlier = offer.starts_at - timedelta(days=7)
    form = offer_form(
        offer, new_session=(earlier, earlier + timedelta(hours=1)), title="Wassergewöhnung Bilk"
    )
    answer = staff_client.post(change_url(offer), form)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    stored = Offer.objects.get(pk=offer.pk)
    assert stored.title == "Wassergewöhnung Bilk"
    assert stored.taken == 1  # the booking made while the form was open is kept
    assert stored.starts_at == earlier and Session.objects.filter(offer=offer).count() == 2
    assert "wassergewoehn" in stored.search_text or "wassergewohn" in stored.search_text
    entry = AuditEntry.objects.get(
        action="rathaus.admin.programs.offer.changed", object_id=str(offer.pk)
    )
    assert entry.actor == provider_staff
    assert entry.changes["title"] == ["Testschwimmkurs für Kinder", "Wassergewöhnung Bilk"]
    assert "taken" not in entry.changes


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capacity": 0}, "Es sind schon 1 Plätze vergeben; weniger Plätze sind nicht möglich."),
        ({"status": "cancelled"}, "Bitte sagen Sie ein Angebot in der Angebotsverwaltung ab"),
        ({"payment_methods": '["bitcoin"]'}, "Bitte geben Sie eine Liste von Zahlungsarten an"),
        ({"payment_methods": '{"a": 1}'}, "Bitte geben Sie eine Liste von Zahlungsarten an"),
        ({"lottery_priorities": '["reiche"]'}, "Bitte geben Sie eine Liste aus"),
    ],
)
def test_the_offer_form_refuses_what_would_break_the_offer(staff_client, offer, changes, message):
    bookings.book(
        bookings.Request(offer=offer, people=[bookings.Person("Mia", 2019)], contact_name="Eltern")
    )
    answer = staff_client.post(change_url(offer), offer_form(offer, **changes))
    assert answer.status_code == 200
    assert message in answer.content.decode()
    stored = Offer.objects.get(pk=offer.pk)
    assert stored.capacity == 10 and stored.status == Offer.Status.PUBLISHED


def test_another_providers_venue_or_provider_cannot_be_chosen(staff_client, offer):
    other = make_provider("test-fremd")
    foreign_venue = make_venue(other, name="Fremde Halle")
    for changes in ({"venue": foreign_venue.pk}, {"provider": other.pk}):
        answer = staff_client.post(change_url(offer), offer_form(offer, **changes))
        assert answer.status_code == 200
        assert "gültige Auswahl" in answer.content.decode()
    stored = Offer.objects.get(pk=offer.pk)
    assert stored.provider_id == offer.provider_id and stored.venue_id == offer.venue_id


def test_a_venue_of_another_provider_is_refused_for_administrators_too(client, offer):
    client.force_login(StaffFactory(roles=[Role.ADMINISTRATOR]))
    other = make_provider("test-fremd")
    answer = client.post(
        change_url(offer), offer_form(offer, venue=make_venue(other, name="Fremde Halle").pk)
    )
    assert "Dieser Ort gehört zu einem anderen Anbieter." in answer.content.decode()


def test_changing_a_venue_refreshes_its_offers(staff_client, offer):
    venue = offer.venue
    assert Offer.objects.get(pk=offer.pk).step_free is True
    answer = staff_client.post(
        f"/verwaltung/programs/venue/{venue.pk}/change/",
        {
            "provider": venue.provider_id,
            "name": venue.name,
            "street": venue.street,
            "postcode": venue.postcode,
            "city": venue.city,
            "quarter": venue.quarter_id or "",
            "district": venue.district_id or "",
            "induction_loop": "",
            "step_free": "",
            "accessibility_note": "Der Aufzug ist außer Betrieb.",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert Offer.objects.get(pk=offer.pk).step_free is False


def test_providers_are_created_by_administrators_who_assign_staff(client, provider_staff):
    client.force_login(provider_staff)
    assert client.get("/verwaltung/programs/provider/add/").status_code == 403
    page = client.get(
        f"/verwaltung/programs/provider/{provider_staff.provider_memberships.get().provider_id}/change/"
    )
    assert page.status_code == 200 and "Mitarbeitende des Anbieters" not in page.content.decode()

    administrator = StaffFactory(roles=[Role.ADMINISTRATOR])
    client.force_login(administrator)
    manager = StaffFactory(roles=[Role.PROGRAM_MANAGER])
    answer = client.post(
        "/verwaltung/programs/provider/add/",
        {
            "name": "Stadtbüchereien Testheim",
            "slug": "test-buecherei",
            "kind": "bibliothek",
            "description": "",
            "email": "buecherei@beispiel.de",
            "phone": "",
            "website": "",
            "account_holder": "",
            "iban": "",
            "bic": "",
            "members-TOTAL_FORMS": 1,
            "members-INITIAL_FORMS": 0,
            "members-MIN_NUM_FORMS": 0,
            "members-MAX_NUM_FORMS": 1000,
            "members-0-user": manager.pk,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    created = Provider.objects.get(slug="test-buecherei")
    assert ProviderMembership.objects.filter(user=manager, provider=created).exists()
