"""Nobody sees or changes what is not theirs: another resident, a provider's staff member
and an anonymous visitor against my bookings, waiting-list places, children and claim links;
and staff trainings stay with the staff."""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.programs.models import Booking, Offer, Participant, WaitlistEntry
from rathaus.programs.services import booking as bookings
from rathaus.programs.services import waitlist
from tests.factories import StaffFactory, UserFactory
from tests.support import mails

from .conftest import make_offer


@pytest.fixture
def mine(parent, offer):
    mia = parent.program_participants.get(name="Mia Beispiel")
    return bookings.book(
        bookings.Request(
            offer=offer,
            people=[bookings.Person.of(mia)],
            contact_name=parent.full_name,
            email=parent.email,
            account=parent,
        )
    )


@pytest.fixture
def stranger_client(db):
    other = UserFactory(email="nachbarin@beispiel.de", email_confirmed_at=timezone.now())
    other.program_participants.create(name="Kim Nachbar", birth_year=2019)
    client = Client()
    client.force_login(other)
    return client


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_another_resident_cannot_see_or_cancel_my_booking(stranger_client, mine):
    for code in (mine.code, mine.code.lower(), mine.code.replace("-", "")):
        assert stranger_client.get(f"/konto/buchungen/{code}/").status_code == 404
        assert stranger_client.get(f"/konto/buchungen/{code}/stornieren/").status_code == 404
        answer = stranger_client.post(f"/konto/buchungen/{code}/stornieren/", {"bestaetigt": "ja"})
        assert answer.status_code == 404
    assert Booking.objects.get(pk=mine.pk).status == Booking.Status.BOOKED
    assert mine.code not in stranger_client.get("/konto/buchungen/").content.decode()


def test_i_find_my_booking_however_i_type_its_code(parent_client, mine):
    assert parent_client.get(f"/konto/buchungen/{mine.code.lower()}/").status_code == 200


def test_provider_staff_do_not_see_residents_bookings_here(provider_staff, mine):
    client = signed_in(provider_staff)
    assert client.get(f"/konto/buchungen/{mine.code}/").status_code == 404
    assert (
        client.post(f"/konto/buchungen/{mine.code}/stornieren/", {"bestaetigt": "ja"}).status_code
        == 404
    )
    assert Booking.objects.get(pk=mine.pk).status == Booking.Status.BOOKED


def test_another_resident_cannot_change_or_remove_my_children(stranger_client, parent):
    mia = parent.program_participants.get(name="Mia Beispiel")
    assert stranger_client.get(f"/konto/teilnehmende/?bearbeiten={mia.pk}").status_code == 404
    answer = stranger_client.post(
        "/konto/teilnehmende/",
        {"person": mia.pk, "aendern-name": "Umbenannt", "aendern-birth_year": "2010"},
    )
    assert answer.status_code == 404
    assert (
        stranger_client.post(
            "/konto/teilnehmende/", {"person": mia.pk, "entfernen": "1"}
        ).status_code
        == 404
    )
    mia.refresh_from_db()
    assert (mia.name, mia.birth_year) == ("Mia Beispiel", 2020)
    html = stranger_client.get("/konto/teilnehmende/").content.decode()
    assert "Mia Beispiel" not in html and "Kim Nachbar" in html


def test_another_resident_cannot_book_my_child(stranger_client, parent, offer):
    mia = parent.program_participants.get(name="Mia Beispiel")
    answer = stranger_client.post(f"/angebote/{offer.slug}/buchen/", {"people": [str(mia.pk)]})
    assert answer.status_code == 400
    assert not Booking.objects.filter(offer=offer).exists()


@pytest.fixture
def waiting(parent, provider, mail_dir, django_capture_on_commit_callbacks):
    """Mia waits for the one place of a full course; then the place is offered to her."""
    offer = make_offer(provider, "test-schutz", capacity=1, age_min=5, age_max=8)
    other = UserFactory()
    first = bookings.book(
        bookings.Request(
            offer=offer,
            people=[bookings.Person("Tom", 2019)],
            contact_name="Tom",
            account=other,
        )
    )
    mia = parent.program_participants.get(name="Mia Beispiel")
    entry = waitlist.join(
        bookings.Request(
            offer=offer,
            people=[bookings.Person.of(mia)],
            contact_name=parent.full_name,
            email=parent.email,
            account=parent,
        )
    )
    return entry, first


def test_another_resident_cannot_take_me_off_the_waiting_list(stranger_client, waiting):
    entry, _first = waiting
    answer = stranger_client.post(f"/konto/warteliste/{entry.public_id}/verlassen/")
    assert answer.status_code == 404
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.WAITING
    assert "test-schutz" not in stranger_client.get("/konto/buchungen/").content.decode()


def test_leaving_the_waiting_list_is_a_post(parent_client, waiting):
    entry, _first = waiting
    assert parent_client.get(f"/konto/warteliste/{entry.public_id}/verlassen/").status_code == 405
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.WAITING


def test_a_claim_link_works_only_with_its_token_and_its_account(
    parent_client, stranger_client, waiting, mail_dir, django_capture_on_commit_callbacks
):
    entry, first = waiting
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(first)
    (message,) = [m for m in mails(mail_dir) if "frei" in m["Subject"]]
    link = re.search(
        r"/angebote/platz/[0-9a-f-]+/[\w-]+/", message.get_body(("plain",)).get_content()
    ).group(0)
    wrong = link.rsplit("/", 2)[0] + "/" + "A" * 43 + "/"
    assert parent_client.get(wrong).status_code == 404
    assert parent_client.post(wrong, {"entscheidung": "annehmen"}).status_code == 404
    # The right link, but another account: as if it did not exist.
    assert stranger_client.get(link).status_code == 404
    assert stranger_client.post(link, {"entscheidung": "annehmen"}).status_code == 404
    assert stranger_client.post(link, {"entscheidung": "ablehnen"}).status_code == 404
    # Anonymous: asked to sign in, and brought back.
    anonymous = Client().get(link)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"/konto/anmelden/?next={quote(link, safe='')}"
    assert Client().get(wrong).status_code == 404
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.OFFERED
    assert Booking.objects.filter(offer=entry.offer, status="booked").count() == 0
    # The owner can.
    assert parent_client.post(link, {"entscheidung": "annehmen"}).status_code == 303


@pytest.mark.parametrize(
    "path",
    [
        "/konto/buchungen/",
        "/konto/buchungen/ABCD-EFGH/",
        "/konto/buchungen/ABCD-EFGH/stornieren/",
        "/konto/teilnehmende/",
        "/angebote/test-schwimmkurs/buchen/",
        "/angebote/test-schwimmkurs/warteliste/",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(offer, path):
    answer = Client().get(path)
    assert answer.status_code == 302
    assert answer["Location"] == f"/konto/anmelden/?next={quote(path, safe='')}"
    posted = Client().post(path, {"people": ["ich"]})
    assert posted.status_code in {302, 403}  # sign in, or the CSRF check (no token)
    assert not Booking.objects.filter(offer=offer).exists()


def test_a_staff_training_cannot_be_booked_by_residents(parent_client, parent, provider):
    training = make_offer(
        provider,
        "test-fortbildung",
        title="Testfortbildung Datenschutz",
        category="fortbildung",
        internal=True,
    )
    assert parent_client.get(f"/angebote/{training.slug}/buchen/").status_code == 404
    answer = parent_client.post(f"/angebote/{training.slug}/buchen/", {"people": ["ich"]})
    assert answer.status_code == 404
    assert (
        parent_client.post(
            f"/angebote/{training.slug}/warteliste/", {"people": ["ich"]}
        ).status_code
        == 404
    )
    assert not Booking.objects.filter(offer=training).exists()
    assert not Participant.objects.filter(account=parent, is_self=True).exists()
    # Staff of the city may.
    colleague = signed_in(StaffFactory(roles=[]))
    assert colleague.get(f"/angebote/{training.slug}/buchen/").status_code == 200
    answer = colleague.post(f"/angebote/{training.slug}/buchen/", {"people": ["ich"]})
    assert answer.status_code == 303
    assert Offer.objects.get(pk=training.pk).taken == 1


def test_a_draft_offer_cannot_be_booked(parent_client, parent, provider):
    draft = make_offer(provider, "test-entwurf", status=Offer.Status.DRAFT)
    mia = parent.program_participants.get(name="Mia Beispiel")
    assert parent_client.get(f"/angebote/{draft.slug}/buchen/").status_code == 404
    assert (
        parent_client.post(f"/angebote/{draft.slug}/buchen/", {"people": [str(mia.pk)]}).status_code
        == 404
    )
