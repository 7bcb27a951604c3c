"""Who may open which page of the provider back office: the provider's own staff may;
another provider's staff get 404 on every address (incl. CSV and print) and change nothing;
residents and anonymous visitors are sent to the staff sign-in; a caseworker books for
callers but sees no participant list; the Django admin is scoped the same way."""

from decimal import Decimal

import pytest
from django.test import Client

from rathaus.accounts.models import Role
from rathaus.programs.models import (
    Attendance,
    Booking,
    Offer,
    PaymentEvent,
    ProviderMembership,
    Session,
)
from rathaus.programs.services import booking as bookings
from tests.factories import StaffFactory, UserFactory

from .conftest import make_offer, make_provider

SECRET = "Vertraulich Kind"


@pytest.fixture
def course(provider, venue):
    offer = make_offer(
        provider,
        "test-geheimkurs",
        venue=venue,
        title="Testgeheimkurs",
        sessions=2,
        price=Decimal("25.00"),
        payment_methods=["on_site"],
    )
    return offer


@pytest.fixture
def booked(course):
    return bookings.book(
        bookings.Request(
            offer=course,
            people=[bookings.Person(SECRET, 2015)],
            contact_name="Vertraulich Eltern",
            email="vertraulich@beispiel.de",
            payment_method="on_site",
        )
    )


@pytest.fixture
def other_staff(db):
    """A programme manager of another provider."""
    user = StaffFactory(roles=[Role.PROGRAM_MANAGER])
    ProviderMembership.objects.create(user=user, provider=make_provider("test-anderer-verein"))
    return user


@pytest.fixture
def caseworker(db):
    return StaffFactory(roles=[Role.CASEWORKER])


def reads(offer: Offer, booking: Booking) -> list[str]:
    base = f"/verwaltung/angebote/{offer.slug}/"
    session = offer.sessions.first()
    return [
        base,
        base + "teilnehmende.csv",
        base + "teilnehmende/drucken/",
        base + f"anwesenheit/{session.pk}/",
        base + "nachricht/",
        base + "absagen/",
        base + f"termin/{session.pk}/absagen/",
        base + f"buchung/{booking.code}/",
    ]


def writes(offer: Offer, booking: Booking, participant_id: int) -> list[tuple[str, dict]]:
    base = f"/verwaltung/angebote/{offer.slug}/"
    session = offer.sessions.first()
    return [
        (base + f"anwesenheit/{session.pk}/", {"anwesend": [str(participant_id)]}),
        (base + "nachricht/", {"betreff": "Gehackt", "text": "Gehackt"}),
        (base + "absagen/", {"grund": "Gehackt", "bestaetigt": "on"}),
        (base + f"termin/{session.pk}/absagen/", {"grund": "Gehackt"}),
        (base + f"buchung/{booking.code}/", {"aktion": "bezahlt"}),
        (base + f"buchung/{booking.code}/", {"aktion": "stornieren", "bestaetigt": "on"}),
    ]


def assert_untouched(offer: Offer, booking: Booking) -> None:
    stored = Offer.objects.get(pk=offer.pk)
    assert stored.status == Offer.Status.PUBLISHED and stored.taken == 1
    fresh = Booking.objects.get(pk=booking.pk)
    assert fresh.status == Booking.Status.BOOKED
    assert fresh.payment_status == Booking.Payment.OPEN
    assert not PaymentEvent.objects.filter(booking=booking).exists()
    assert not Attendance.objects.filter(session__offer=offer).exists()
    assert not Session.objects.filter(offer=offer, cancelled_at__isnull=False).exists()


def test_the_providers_own_staff_open_every_page(client, provider_staff, course, booked):
    client.force_login(provider_staff)
    for address in reads(course, booked):
        answer = client.get(address)
        assert answer.status_code == 200, address
    html = client.get(f"/verwaltung/angebote/{course.slug}/").content.decode()
    assert SECRET in html
    assert course.title in client.get("/verwaltung/angebote/").content.decode()


def test_another_providers_staff_get_404_everywhere_and_change_nothing(
    client, other_staff, course, booked
):
    client.force_login(other_staff)
    for address in reads(course, booked):
        answer = client.get(address)
        assert answer.status_code == 404, address
        assert SECRET.encode() not in answer.content
    for address, data in writes(course, booked, booked.participants.get().pk):
        assert client.post(address, data).status_code == 404, address
    assert_untouched(course, booked)
    # Their own home lists nothing of the other provider.
    home = client.get("/verwaltung/angebote/")
    assert home.status_code == 200 and course.title.encode() not in home.content


def test_a_program_manager_without_a_provider_sees_no_offer(client, course, booked):
    client.force_login(StaffFactory(roles=[Role.PROGRAM_MANAGER]))
    for address in reads(course, booked):
        assert client.get(address).status_code == 404, address
    assert client.get("/verwaltung/angebote/kontoauszug/").status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_residents_and_visitors_are_sent_to_the_staff_sign_in(client, course, booked, who):
    if who == "resident":
        # Even a resident who booked this very offer.
        client.force_login(UserFactory(email="vertraulich@beispiel.de"))
    addresses = [
        *reads(course, booked),
        "/verwaltung/angebote/",
        "/verwaltung/angebote/kontoauszug/",
        "/verwaltung/angebote/buchen/",
        f"/verwaltung/angebote/{course.slug}/buchen/",
    ]
    for address in addresses:
        answer = client.get(address)
        assert answer.status_code == 302, address
        assert answer["Location"].startswith("/verwaltung/anmelden/?next="), address
    for address, data in writes(course, booked, booked.participants.get().pk):
        assert client.post(address, data).status_code == 302, address
    assert_untouched(course, booked)


def test_a_caseworker_books_for_callers_but_sees_no_participants(
    client, caseworker, course, booked
):
    client.force_login(caseworker)
    for address in reads(course, booked):
        answer = client.get(address)
        assert answer.status_code == 403, address
        assert SECRET.encode() not in answer.content
    for address, data in writes(course, booked, booked.participants.get().pk):
        assert client.post(address, data).status_code == 403, address
    assert client.get("/verwaltung/angebote/kontoauszug/").status_code == 403
    assert_untouched(course, booked)

    home = client.get("/verwaltung/angebote/")
    assert home.status_code == 200
    assert "/verwaltung/angebote/buchen/" in home.content.decode()
    assert "/verwaltung/angebote/kontoauszug/" not in home.content.decode()
    assert course.title.encode() not in home.content
    search = client.get("/verwaltung/angebote/buchen/").content.decode()
    assert "/verwaltung/angebote/kontoauszug/" not in search
    assert client.get("/verwaltung/angebote/buchen/?q=Testgeheimkurs").status_code == 200
    answer = client.post(
        f"/verwaltung/angebote/{course.slug}/buchen/",
        {
            "kontakt_name": "Anrufende Person",
            "telefon": "0211 4711",
            "person_1_name": "Kind am Telefon",
            "person_1_jahr": "2016",
            "zahlungsart": "on_site",
            "weg": "phone",
        },
    )
    assert answer.status_code == 302
    made = Booking.objects.get(offer=course, contact_name="Anrufende Person")
    assert made.booked_by == caseworker and made.account is None


def test_staff_without_a_programme_role_are_refused(client, course, booked):
    client.force_login(StaffFactory(roles=[Role.CATALOGUE_EDITOR]))
    for address in [
        *reads(course, booked),
        "/verwaltung/angebote/",
        "/verwaltung/angebote/buchen/",
        "/verwaltung/angebote/kontoauszug/",
        f"/verwaltung/angebote/{course.slug}/buchen/",
    ]:
        assert client.get(address).status_code == 403, address


def test_a_booking_of_another_offer_is_not_reached_through_my_offer(
    client, provider_staff, provider, course, booked
):
    mine = make_offer(provider, "test-meins")
    client.force_login(provider_staff)
    answer = client.get(f"/verwaltung/angebote/{mine.slug}/buchung/{booked.code}/")
    assert answer.status_code == 404
    other_session = course.sessions.first()
    answer = client.get(f"/verwaltung/angebote/{mine.slug}/anwesenheit/{other_session.pk}/")
    assert answer.status_code == 404


# --- the Django admin (/verwaltung/programs/…) --------------------------------------------


def test_the_admin_shows_program_managers_only_their_providers_rows(
    client, provider_staff, other_staff, course, provider
):
    client.force_login(other_staff)
    listing = client.get("/verwaltung/programs/offer/")
    assert listing.status_code == 200 and course.title.encode() not in listing.content
    answer = client.get(f"/verwaltung/programs/offer/{course.pk}/change/")
    assert answer.status_code in (302, 403, 404)
    assert course.title.encode() not in client.get(answer.get("Location", "/")).content
    answer = client.post(
        f"/verwaltung/programs/offer/{course.pk}/change/", {"title": "Gehackt", "capacity": 1}
    )
    assert answer.status_code in (302, 403, 404)
    assert Offer.objects.get(pk=course.pk).title == "Testgeheimkurs"
    assert client.get(f"/verwaltung/programs/provider/{provider.pk}/change/").status_code in (
        302,
        403,
        404,
    )
    assert client.get(f"/verwaltung/programs/venue/{course.venue_id}/change/").status_code in (
        302,
        403,
        404,
    )
    # The form offers only their own provider.
    add = client.get("/verwaltung/programs/offer/add/").content.decode()
    assert "Testanbieter test-anderer-verein" in add and provider.name not in add

    client.force_login(provider_staff)
    listing = client.get("/verwaltung/programs/offer/")
    assert course.title.encode() in listing.content
    assert client.get(f"/verwaltung/programs/offer/{course.pk}/change/").status_code == 200


@pytest.mark.parametrize("who", ["resident", "caseworker"])
def test_the_programmes_admin_is_closed_to_others(client, course, who):
    user = UserFactory() if who == "resident" else StaffFactory(roles=[Role.CASEWORKER])
    client.force_login(user)
    answer = client.get("/verwaltung/programs/offer/")
    assert answer.status_code in (302, 403)
    assert course.title.encode() not in Client().get("/verwaltung/programs/offer/").content
