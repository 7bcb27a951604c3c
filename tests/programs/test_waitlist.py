"""The waiting list through the resident's pages: join a full offer, get a freed place by
mail with a claim link, claim it in time (or not), let it pass on by declining or by the
expiry job, and see one's position."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.programs.models import Booking, Offer, WaitlistEntry
from rathaus.programs.services import booking as bookings
from rathaus.programs.services import waitlist
from tests.factories import UserFactory
from tests.support import mails

from .conftest import make_offer

CLAIM = re.compile(r"https?://\S+(/angebote/platz/[0-9a-f-]+/[\w-]+/)")


def resident(email: str, child: str, year: int = 2019):
    user = UserFactory(
        email=email, full_name=f"Eltern von {child}", email_confirmed_at=timezone.now()
    )
    user.program_participants.create(name=child, birth_year=year)
    client = Client()
    client.force_login(user)
    return user, client


def request_for(offer, user):
    return bookings.Request(
        offer=offer,
        people=[bookings.Person.of(p) for p in user.program_participants.filter(is_self=False)],
        contact_name=user.full_name,
        email=user.email,
        account=user,
    )


def claim_link(mail_dir, to: str) -> str:
    for message in reversed(mails(mail_dir)):
        if message["To"] == to:
            found = CLAIM.search(message.get_body(("plain",)).get_content())
            assert found, "Kein Link zum Annehmen in der Mail"
            return found.group(1)
    raise AssertionError(f"Keine E-Mail an {to}")


@pytest.fixture
def small(provider, venue):
    """One place, ages 5–8, already booked by somebody else."""
    offer = make_offer(provider, "test-ein-platz", venue=venue, capacity=1, age_min=5, age_max=8)
    first, _client = resident("zuerst@beispiel.de", "Tom")
    return offer, bookings.book(request_for(offer, first))


def join(client, user, offer, capture):
    pk = user.program_participants.get(is_self=False).pk
    with capture(execute=True):
        return client.post(f"/angebote/{offer.slug}/warteliste/", {"people": [str(pk)]})


def offered(small, capture):
    """Emil waits for the one place, whose booking is then cancelled: it is offered to him."""
    offer, first = small
    user, client = resident("konto@beispiel.de", "Emil")
    join(client, user, offer, capture)
    with capture(execute=True):
        bookings.cancel(first)
    return offer, user, client, WaitlistEntry.objects.get(account=user)


def test_a_parent_joins_the_waiting_list_of_a_full_offer(
    small, parent, parent_client, mail_dir, django_capture_on_commit_callbacks
):
    offer, _first = small
    mia = parent.program_participants.get(name="Mia Beispiel")
    page = parent_client.get(f"/angebote/{offer.slug}/warteliste/")
    assert page.status_code == 200 and "Auf die Warteliste setzen" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = parent_client.post(
            f"/angebote/{offer.slug}/warteliste/", {"people": [str(mia.pk)]}
        )
    assert answer.status_code == 303 and answer["Location"] == "/konto/buchungen/"
    entry = WaitlistEntry.objects.get(offer=offer, account=parent)
    assert entry.status == WaitlistEntry.Status.WAITING and entry.places == 1
    assert entry.people == [{"participant": mia.pk, "name": "Mia Beispiel", "birth_year": 2020}]
    assert Offer.objects.get(pk=offer.pk).taken == 1  # waiting takes no place
    assert mails(mail_dir)[-1]["Subject"].strip() == f"Warteliste: {offer.title}"
    html = parent_client.get("/konto/buchungen/").content.decode()
    assert "Sie stehen auf der Warteliste." in html
    assert "Sie sind an 1. Stelle der Warteliste." in html
    # Twice is refused with a German message, nothing more is stored.
    again = parent_client.post(f"/angebote/{offer.slug}/warteliste/", {"people": [str(mia.pk)]})
    assert again.status_code == 409
    assert "Sie stehen für dieses Angebot schon auf der Warteliste." in again.content.decode()
    assert WaitlistEntry.objects.filter(offer=offer).count() == 1


def test_positions_follow_the_order_of_joining(small, django_capture_on_commit_callbacks):
    offer, _first = small
    people = [resident(f"warte{n}@beispiel.de", f"Kind {n}") for n in range(3)]
    for user, client in people:
        assert join(client, user, offer, django_capture_on_commit_callbacks).status_code == 303
    for number, (_user, client) in enumerate(people, start=1):
        html = client.get("/konto/buchungen/").content.decode()
        assert f"Sie sind an {number}. Stelle der Warteliste." in html
    # The first leaves: everyone moves up.
    leaving = WaitlistEntry.objects.get(account=people[0][0])
    answer = people[0][1].post(f"/konto/warteliste/{leaving.public_id}/verlassen/")
    assert answer.status_code == 303
    assert WaitlistEntry.objects.get(pk=leaving.pk).status == WaitlistEntry.Status.WITHDRAWN
    html = people[2][1].get("/konto/buchungen/").content.decode()
    assert "Sie sind an 2. Stelle der Warteliste." in html


def test_a_cancellation_offers_the_place_by_mail_and_it_is_claimed_in_time(
    small, mail_dir, django_capture_on_commit_callbacks
):
    offer, first = small
    waiting_user, client = resident("wartend@beispiel.de", "Lia")
    join(client, waiting_user, offer, django_capture_on_commit_callbacks)
    first_client = Client()
    first_client.force_login(first.account)
    with django_capture_on_commit_callbacks(execute=True):
        first_client.post(f"/konto/buchungen/{first.code}/stornieren/", {"bestaetigt": "ja"})
    entry = WaitlistEntry.objects.get(account=waiting_user)
    assert entry.status == WaitlistEntry.Status.OFFERED
    assert Offer.objects.get(pk=offer.pk).taken == 1  # held for Lia, not free for anybody

    link = claim_link(mail_dir, "wartend@beispiel.de")
    assert link.startswith(f"/angebote/platz/{entry.public_id}/")
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    until = timezone.localtime(entry.offered_until)
    assert f"{until:%d.%m.%Y, %H:%M} Uhr für Sie frei" in html
    assert "Platz verbindlich annehmen" in html and "Lia" in html

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(link, {"entscheidung": "annehmen"})
    assert answer.status_code == 303
    made = Booking.objects.get(offer=offer, account=waiting_user, status=Booking.Status.BOOKED)
    assert answer["Location"] == f"/konto/buchungen/{made.code}/"
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.CLAIMED
    assert Offer.objects.get(pk=offer.pk).taken == 1
    assert mails(mail_dir)[-1]["Subject"].strip() == f"Buchungsbestätigung: {offer.title}"
    # The link is used up: opening it again leads to the booking, not to a second one.
    again = client.get(link)
    assert again.status_code == 303 and again["Location"] == f"/konto/buchungen/{made.code}/"
    assert Booking.objects.filter(offer=offer, account=waiting_user).count() == 1


def test_a_claim_after_the_deadline_is_refused(small, mail_dir, django_capture_on_commit_callbacks):
    offer, first = small
    waiting_user, client = resident("spaet@beispiel.de", "Noah")
    join(client, waiting_user, offer, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(first)
    link = claim_link(mail_dir, "spaet@beispiel.de")
    WaitlistEntry.objects.filter(account=waiting_user).update(
        offered_until=timezone.now() - timedelta(minutes=1)
    )
    page = client.get(link)
    assert page.status_code == 410
    assert "Die Frist ist abgelaufen" in page.content.decode()
    answer = client.post(link, {"entscheidung": "annehmen"})
    assert answer.status_code == 410
    assert not Booking.objects.filter(offer=offer, account=waiting_user).exists()


def test_the_expiry_job_passes_the_place_on_to_the_next_person(
    small, mail_dir, django_capture_on_commit_callbacks
):
    offer, first = small
    late_user, late_client = resident("verpasst@beispiel.de", "Ella")
    next_user, next_client = resident("naechste@beispiel.de", "Finn")
    join(late_client, late_user, offer, django_capture_on_commit_callbacks)
    join(next_client, next_user, offer, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(first)
    late = WaitlistEntry.objects.get(account=late_user)
    assert late.status == WaitlistEntry.Status.OFFERED
    late_link = claim_link(mail_dir, "verpasst@beispiel.de")

    with django_capture_on_commit_callbacks(execute=True):
        # (The demo programme may have places of its own on offer; they expire too.)
        assert waitlist.expire_offers(now=late.offered_until + timedelta(seconds=1)) >= 1
    assert WaitlistEntry.objects.get(pk=late.pk).status == WaitlistEntry.Status.EXPIRED
    following = WaitlistEntry.objects.get(account=next_user)
    assert following.status == WaitlistEntry.Status.OFFERED
    assert Offer.objects.get(pk=offer.pk).taken == 1
    assert late_client.get(late_link).status_code == 410
    next_link = claim_link(mail_dir, "naechste@beispiel.de")
    answer = next_client.post(next_link, {"entscheidung": "annehmen"})
    assert answer.status_code == 303
    assert Booking.objects.filter(offer=offer, account=next_user, status="booked").exists()


def test_declining_passes_the_place_on_at_once(small, mail_dir, django_capture_on_commit_callbacks):
    offer, first = small
    no_user, no_client = resident("nein@beispiel.de", "Ida")
    next_user, next_client = resident("gern@beispiel.de", "Jan")
    join(no_client, no_user, offer, django_capture_on_commit_callbacks)
    join(next_client, next_user, offer, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(first)
    with django_capture_on_commit_callbacks(execute=True):
        answer = no_client.post(
            claim_link(mail_dir, "nein@beispiel.de"), {"entscheidung": "ablehnen"}
        )
    assert answer.status_code == 200
    assert "Platz abgelehnt" in answer.content.decode()
    assert WaitlistEntry.objects.get(account=no_user).status == WaitlistEntry.Status.WITHDRAWN
    assert WaitlistEntry.objects.get(account=next_user).status == WaitlistEntry.Status.OFFERED
    assert claim_link(mail_dir, "gern@beispiel.de")
    assert Offer.objects.get(pk=offer.pk).taken == 1


def test_an_offered_place_can_be_declined_from_my_bookings(
    small, mail_dir, django_capture_on_commit_callbacks
):
    offer, _user, client, entry = offered(small, django_capture_on_commit_callbacks)
    html = client.get("/konto/buchungen/").content.decode()
    assert "Ein Platz ist für Sie reserviert" in html and "Platz ablehnen" in html
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/konto/warteliste/{entry.public_id}/verlassen/")
    assert answer.status_code == 303
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.WITHDRAWN
    # Nobody else waits: the place is free again.
    assert Offer.objects.get(pk=offer.pk).taken == 0
    assert (
        "Sie haben den angebotenen Platz abgelehnt."
        in client.get("/konto/buchungen/").content.decode()
    )


def test_an_offered_place_is_accepted_from_my_bookings_and_only_by_its_owner(
    small, mail_dir, django_capture_on_commit_callbacks
):
    offer, user, client, entry = offered(small, django_capture_on_commit_callbacks)
    accept = f"/konto/warteliste/{entry.public_id}/annehmen/"
    html = client.get("/konto/buchungen/").content.decode()
    assert f'action="{accept}"' in html and "Platz annehmen" in html

    # Nobody else takes it: another resident gets 404, a stranger the sign-in, a GET 405.
    _other, stranger_client = resident("fremd@beispiel.de", "Ole")
    assert stranger_client.post(accept).status_code == 404
    answer = Client().post(accept)
    assert answer.status_code == 302 and answer["Location"].startswith("/konto/anmelden/")
    assert client.get(accept).status_code == 405
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.OFFERED

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(accept)
    assert answer.status_code == 303
    made = Booking.objects.get(offer=offer, account=user)
    assert answer["Location"] == f"/konto/buchungen/{made.code}/"
    assert [p.name for p in made.participants.all()] == ["Emil"]
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.CLAIMED
    assert Offer.objects.get(pk=offer.pk).taken == 1
    assert any(m["Subject"].strip().startswith("Buchungsbestätigung") for m in mails(mail_dir))
    # Pressed again (a second tab): said clearly, nothing booked twice.
    again = client.post(accept, follow=True)
    assert "Das Platzangebot ist abgelaufen oder wurde schon angenommen." in (
        again.content.decode()
    )
    assert Booking.objects.filter(offer=offer, account=user).count() == 1


def test_an_offered_place_cannot_be_accepted_from_my_bookings_after_the_deadline(
    small, django_capture_on_commit_callbacks
):
    offer, user, client, entry = offered(small, django_capture_on_commit_callbacks)
    WaitlistEntry.objects.filter(pk=entry.pk).update(
        offered_until=timezone.now() - timedelta(minutes=1)
    )
    answer = client.post(f"/konto/warteliste/{entry.public_id}/annehmen/", follow=True)
    assert "Das Platzangebot ist abgelaufen oder wurde schon angenommen." in (
        answer.content.decode()
    )
    assert not Booking.objects.filter(offer=offer, account=user).exists()


def test_the_claim_link_in_the_mail_points_to_this_server(
    small, mail_dir, django_capture_on_commit_callbacks
):
    offer, first = small
    user, client = resident("link@beispiel.de", "Ole")
    join(client, user, offer, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(first)
    (message,) = [
        m for m in mails(mail_dir) if m["To"] == "link@beispiel.de" and "frei" in m["Subject"]
    ]
    text = message.get_body(("plain",)).get_content()
    url = CLAIM.search(text).group(0)
    assert urlsplit(url).path == claim_link(mail_dir, "link@beispiel.de")
    assert "Bitte nehmen Sie ihn bis" in text and "Ole" in text


def test_a_caller_without_an_account_claims_with_the_link_alone(
    small, mail_dir, django_capture_on_commit_callbacks
):
    """Put on the list by phone (no account): the mail's link is all it takes."""
    offer, first = small
    entry = waitlist.join(
        bookings.Request(
            offer=offer,
            people=[bookings.Person("Paul Anrufer", 2019)],
            contact_name="Petra Anrufer",
            email="anruf@beispiel.de",
            channel="phone",
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(first)
    link = claim_link(mail_dir, "anruf@beispiel.de")
    anonymous = Client()
    assert anonymous.get(link).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answer = anonymous.post(link, {"entscheidung": "annehmen"})
    assert answer.status_code == 200
    made = Booking.objects.get(offer=offer, status=Booking.Status.BOOKED)
    assert made.account is None and made.participants.get().name == "Paul Anrufer"
    assert made.code in answer.content.decode()
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.CLAIMED
    assert mails(mail_dir)[-1]["To"] == "anruf@beispiel.de"
    assert anonymous.get(link).status_code == 410  # used up
