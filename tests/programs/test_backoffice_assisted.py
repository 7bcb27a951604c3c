"""The assisted channel: staff with ``programs.assist`` find an offer for a caller and book
it with name, e-mail or phone and the participants' names and birth years; the person gets
the confirmation mail when an e-mail address was given; a full offer takes them onto the
waiting list. Bad input gets a German message and keeps what was typed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from rathaus.accounts.models import Role
from rathaus.core.channels import Channel
from rathaus.core.models import AuditEntry
from rathaus.programs.models import Booking, LotteryEntry, Offer, WaitlistEntry
from rathaus.programs.services import lottery
from tests.factories import StaffFactory
from tests.support import mails

from .conftest import make_offer

SEARCH = "/verwaltung/angebote/buchen/"


@pytest.fixture
def caseworker(db):
    return StaffFactory(roles=[Role.CASEWORKER], full_name="Kübra Yılmaz")


@pytest.fixture
def desk(client, caseworker):
    client.force_login(caseworker)
    return client


@pytest.fixture
def pottery(provider, venue):
    return make_offer(
        provider,
        "test-toepfern",
        venue=venue,
        title="Töpfern für Kinder",
        capacity=3,
        age_min=6,
        age_max=10,
        price=Decimal("24.00"),
        sibling_discount_percent=50,
        payment_methods=["transfer", "on_site"],
    )


def book_url(offer) -> str:
    return f"/verwaltung/angebote/{offer.slug}/buchen/"


def form(**fields) -> dict:
    data = {
        "kontakt_name": "Erika Anruferin",
        "email": "erika@beispiel.de",
        "telefon": "",
        "person_1_name": "Mia Anruferin",
        "person_1_jahr": "2018",
        "zahlungsart": "transfer",
        "weg": "phone",
    }
    data.update(fields)
    return data


def test_search_finds_bookable_public_offers_only(desk, provider, pottery):
    make_offer(provider, "test-toepfern-intern", title="Töpfern Fortbildung", internal=True)
    make_offer(provider, "test-toepfern-entwurf", title="Töpfern Entwurf", status="draft")
    past = make_offer(provider, "test-toepfern-alt", title="Töpfern alt")
    Offer.objects.filter(pk=past.pk).update(ends_at=timezone.now() - timedelta(days=1))
    full = make_offer(provider, "test-toepfern-voll", title="Töpfern voll", capacity=1)
    Offer.objects.filter(pk=full.pk).update(taken=1)

    html = desk.get(SEARCH, {"q": "töpfern"}).content.decode()
    assert book_url(pottery) in html and book_url(full) in html and "ausgebucht" in html
    for hidden in ("intern", "entwurf", "alt"):
        assert f"test-toepfern-{hidden}/" not in html
    html = desk.get(SEARCH, {"q": "Toepfern", "frei": "on"}).content.decode()
    assert book_url(pottery) in html and book_url(full) not in html
    answer = desk.get(SEARCH, {"q": "x" * 101})
    assert "Bitte kürzen Sie Ihre Eingabe auf höchstens 100 Zeichen" in answer.content.decode()


def test_a_caller_is_booked_by_phone_and_gets_the_mail(
    desk, caseworker, pottery, mail_dir, django_capture_on_commit_callbacks
):
    page = desk.get(book_url(pottery))
    assert page.status_code == 200 and "Person 4: Vorname und Name" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = desk.post(
            book_url(pottery),
            form(person_2_name="Ben Anruferin", person_2_jahr="2019", telefon="0211 / 89-12345"),
        )
    assert answer.status_code == 302 and answer["Location"] == SEARCH
    made = Booking.objects.get(offer=pottery)
    assert made.account is None and made.booked_by == caseworker
    assert made.channel == Channel.PHONE and made.contact_name == "Erika Anruferin"
    assert (made.email, made.phone) == ("erika@beispiel.de", "0211 / 89-12345")
    assert [(p.name, p.birth_year) for p in made.participants.order_by("pk")] == [
        ("Mia Anruferin", 2018),
        ("Ben Anruferin", 2019),
    ]
    assert made.total == Decimal("36.00") and made.payment_status == Booking.Payment.OPEN
    assert Offer.objects.get(pk=pottery.pk).taken == 2

    (mail,) = [m for m in mails(mail_dir) if m["To"] == "erika@beispiel.de"]
    assert mail["Subject"].strip() == "Buchungsbestätigung: Töpfern für Kinder"
    assert made.code in mail.get_body(("plain",)).get_content()
    notice = desk.get(SEARCH).content.decode()
    assert f"Buchungscode {made.code}" in notice and "36,00\xa0€" in notice
    assert f"Verwendungszweck: Buchung {made.code}" in notice
    assert "Die Bestätigung geht per E-Mail an erika@beispiel.de." in notice
    entry = AuditEntry.objects.get(action="programs.booking.assisted", object_id=str(made.pk))
    assert entry.actor == caseworker and entry.data["channel"] == "phone"


def test_at_the_counter_without_email_the_code_is_read_out(desk, pottery, mail_dir):
    answer = desk.post(
        book_url(pottery), form(email="", telefon="0211 4711", zahlungsart="on_site", weg="counter")
    )
    assert answer.status_code == 302
    made = Booking.objects.get(offer=pottery)
    assert made.channel == Channel.COUNTER and made.email == "" and made.payment_method == "on_site"
    assert mails(mail_dir) == []
    notice = desk.get(SEARCH).content.decode()
    assert "Bitte nennen Sie der Person den Buchungscode; es gibt keine E-Mail." in notice


def test_staff_book_before_the_booking_window_opens(desk, provider):
    later = make_offer(
        provider,
        "test-spaeter",
        age_min=6,
        age_max=10,
        booking_opens_at=timezone.now() + timedelta(days=3),
    )
    assert desk.post(book_url(later), form(zahlungsart="")).status_code == 302
    assert Booking.objects.filter(offer=later).count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"kontakt_name": "", "person_1_name": "", "person_1_jahr": ""},
            "kontakt_name",
            "Bitte geben Sie den Namen der Person an.",
        ),
        ({"person_1_name": ""}, "person_1_name", "Bitte geben Sie an, wer teilnimmt."),
        ({"email": "", "telefon": ""}, "email", "eine E-Mail-Adresse oder eine Telefonnummer"),
        ({"email": "erika(at)beispiel"}, "email", "Bitte geben Sie eine gültige E-Mail-Adresse"),
        ({"telefon": "ruf mich an"}, "telefon", "nur mit Ziffern"),
        ({"person_1_jahr": "zwanzig"}, "person_1_jahr", "als vierstellige Zahl"),
        ({"person_1_jahr": ""}, "person_1_jahr", "Das Angebot hat eine Altersgrenze."),
        ({"person_1_jahr": "1800"}, "person_1_jahr", "Bitte geben Sie ein Geburtsjahr zwischen"),
        ({"person_1_name": "12345"}, "person_1_name", "Bitte geben Sie einen Namen mit Buchstaben"),
        ({"person_1_name": "Mia\u202eAnruferin"}, "person_1_name", "unsichtbare Steuerzeichen"),
        ({"kontakt_name": "E" * 101}, "kontakt_name", "höchstens 100 Zeichen"),
        ({"person_2_jahr": "2018"}, "person_2_name", "Bitte geben Sie auch den Namen an."),
        ({"zahlungsart": "bitcoin"}, "zahlungsart", "eine der angebotenen Zahlungsarten"),
        ({"weg": "brieftaube"}, "weg", "Bitte wählen Sie Telefon oder Schalter."),
    ],
)
def test_bad_input_is_refused_in_german_and_kept(desk, pottery, changes, field, message):
    answer = desk.post(book_url(pottery), form(**changes))
    assert answer.status_code == 400
    html = answer.content.decode()
    assert message in html
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    if changes.get("kontakt_name", "x"):
        assert "Erika Anruferin" in html or "E" * 101 in html
    assert not Booking.objects.filter(offer=pottery).exists()


def test_the_offers_rules_still_apply(desk, pottery):
    answer = desk.post(book_url(pottery), form(person_1_jahr="2010"))
    assert answer.status_code == 409
    assert "Mia Anruferin passt nicht in die Altersgruppe dieses Angebots." in (
        answer.content.decode()
    )
    assert not Booking.objects.filter(offer=pottery).exists()


def test_a_full_offer_puts_the_caller_on_the_waiting_list(desk, pottery):
    Offer.objects.filter(pk=pottery.pk).update(taken=3)
    page = desk.get(book_url(pottery)).content.decode()
    assert "Ausgebucht. Sie können die Person auf die Warteliste setzen." in page
    assert "Verbindlich buchen" not in page
    answer = desk.post(book_url(pottery), form())
    assert answer.status_code == 409 and "Leider ausgebucht." in answer.content.decode()
    answer = desk.post(book_url(pottery), form(warteliste="1"))
    assert answer.status_code == 302
    entry = WaitlistEntry.objects.get(offer=pottery)
    assert entry.account is None and entry.channel == Channel.PHONE
    assert entry.email == "erika@beispiel.de" and entry.people[0]["name"] == "Mia Anruferin"
    assert not Booking.objects.filter(offer=pottery).exists()


def test_internal_and_unpublished_offers_cannot_be_booked_for_callers(desk, provider):
    internal = make_offer(provider, "test-intern", internal=True, category="fortbildung")
    draft = make_offer(provider, "test-entwurf", status="draft")
    assert desk.get(book_url(internal)).status_code == 404
    assert desk.post(book_url(draft), form()).status_code == 404
    assert not Booking.objects.filter(offer__in=[internal, draft]).exists()


def test_a_caller_is_entered_into_a_lottery_with_the_priorities_and_is_drawn(
    desk, caseworker, provider, venue, mail_dir, django_capture_on_commit_callbacks
):
    """Without internet, a caller still takes part in the draw: staff enter them, with what
    the priority groups ask; the draw treats the entry like every other."""
    now = timezone.now()
    camp = make_offer(
        provider,
        "test-ferien-verlosung",
        venue=venue,
        title="Ferienfreizeit am Rhein",
        capacity=2,
        age_min=6,
        age_max=12,
        price=Decimal("80.00"),
        payment_methods=["transfer"],
        allocation=Offer.Allocation.LOTTERY,
        lottery_priorities=["duesselpass", "district"],
        booking_opens_at=now - timedelta(days=1),
        booking_closes_at=now + timedelta(days=1),
    )
    html = desk.get(book_url(camp)).content.decode()
    assert "Zur Verlosung anmelden" in html and "Verbindlich buchen" not in html
    assert "Vorrang bei der Verlosung" in html and 'name="zahlungsart"' not in html
    assert f"wohnt im {camp.district}" in html

    with django_capture_on_commit_callbacks(execute=True):
        answer = desk.post(
            book_url(camp),
            form(zahlungsart="", duesselpass="on", im_bezirk="on", weg="counter"),
        )
    assert answer.status_code == 302 and answer["Location"] == SEARCH
    entry = LotteryEntry.objects.get(offer=camp)
    assert entry.account is None and entry.channel == Channel.COUNTER
    assert entry.duesselpass and entry.lives_in_district
    assert [(p["name"], p["birth_year"]) for p in entry.people] == [("Mia Anruferin", 2018)]
    assert not Booking.objects.filter(offer=camp).exists()
    assert Offer.objects.get(pk=camp.pk).taken == 0
    notice = desk.get(SEARCH).content.decode()
    assert f"Losnummer {entry.pseudonym}" in notice
    assert "Das Ergebnis geht per E-Mail an die Person." in notice
    (mail,) = [m for m in mails(mail_dir) if m["To"] == "erika@beispiel.de"]
    assert "Verlosung" in mail["Subject"]
    audit = AuditEntry.objects.get(action="programs.lottery.entered_for")
    assert audit.actor == caseworker

    # Entered twice for the same caller by mistake: the rules of the lottery still apply.
    again = desk.post(book_url(camp), form(zahlungsart="", person_1_jahr="2000"))
    assert again.status_code == 409
    assert "passt nicht in die Altersgruppe" in again.content.decode()

    results = lottery.draw(camp, camp.booking_closes_at + timedelta(minutes=1))
    assert results is not None
    entry.refresh_from_db()
    assert entry.status == LotteryEntry.Status.WON
    won = Booking.objects.get(offer=camp)
    assert won.contact_name == "Erika Anruferin" and won.account is None
