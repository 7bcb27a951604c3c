"""Every form of the resident side answers nonsense, missing, oversize and hostile input with
a clear German message, keeps what was entered and stores nothing half: the booking form,
"my participants", the claim of a waiting-list place and the cancellation."""

import re

import pytest
from django.utils import timezone

from rathaus.programs.models import Booking, Offer, Participant, WaitlistEntry
from rathaus.programs.services import booking as bookings
from rathaus.programs.services import waitlist
from rathaus.programs.services.participants import MAX_PER_ACCOUNT
from tests.factories import UserFactory
from tests.support import mails

from .conftest import make_offer

HOSTILE = '"><script>alert(1)</script>'
YEAR = timezone.localdate().year


def ticked(html: str, name: str, value: str) -> bool:
    return bool(
        re.search(rf'<input[^>]*name="{name}"[^>]*value="{re.escape(value)}"[^>]*checked', html)
    )


def nothing_booked(offer) -> bool:
    return (
        not Booking.objects.filter(offer=offer).exists()
        and Offer.objects.get(pk=offer.pk).taken == 0
    )


# --- The booking form ------------------------------------------------------------------------


@pytest.fixture
def mia(parent):
    return parent.program_participants.get(name="Mia Beispiel")


@pytest.fixture
def ben(parent):
    return parent.program_participants.get(name="Ben Beispiel")


def test_booking_without_anybody_chosen_asks_for_a_person(parent_client, offer):
    answer = parent_client.post(f"/angebote/{offer.slug}/buchen/", {})
    assert answer.status_code == 400
    assert "Bitte wählen Sie mindestens eine Person aus." in answer.content.decode()
    assert nothing_booked(offer)


@pytest.mark.parametrize("value", ["abc", "-1", "0", "9" * 5000, HOSTILE, "ich"])
def test_booking_for_somebody_not_in_my_list_is_refused(parent_client, offer, value):
    """ "ich" is no choice on a children's course (ages 5–8): nobody books themself into it."""
    answer = parent_client.post(f"/angebote/{offer.slug}/buchen/", {"people": [value]})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Bitte wählen Sie nur Personen aus der Liste." in html
    assert "<script>alert(1)" not in html
    assert nothing_booked(offer)


def test_booking_another_parents_child_is_refused(parent_client, offer):
    stranger = UserFactory().program_participants.create(name="Fremdes Kind", birth_year=2020)
    answer = parent_client.post(f"/angebote/{offer.slug}/buchen/", {"people": [str(stranger.pk)]})
    assert answer.status_code == 400
    assert "Fremdes Kind" not in answer.content.decode()
    assert nothing_booked(offer)


def test_a_hostile_payment_method_is_refused_and_the_choices_are_kept(parent_client, provider, mia):
    paid = make_offer(
        provider, "test-bezahlt", age_min=5, age_max=8, price=20, price_reduced=5,
        payment_methods=["transfer", "on_site"],
    )  # fmt: skip
    answer = parent_client.post(
        f"/angebote/{paid.slug}/buchen/",
        {"people": [str(mia.pk)], "duesselpass": "on", "payment_method": HOSTILE},
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Bitte wählen Sie eine der angebotenen Zahlungsarten." in html
    assert "<script>alert(1)" not in html
    assert ticked(html, "people", str(mia.pk))
    assert re.search(r'<input[^>]*name="duesselpass"[^>]*checked', html)
    assert "Ihre Auswahl: 1 Person, zusammen 5,00\xa0€." in html
    assert nothing_booked(paid)
    missing = parent_client.post(
        f"/angebote/{paid.slug}/buchen/", {"people": [str(mia.pk)], "payment_method": ""}
    )
    assert missing.status_code == 400
    assert "Bitte wählen Sie, wie Sie bezahlen möchten." in missing.content.decode()


def test_a_child_outside_the_age_range_is_refused_by_name(parent_client, offer, mia, ben):
    answer = parent_client.post(
        f"/angebote/{offer.slug}/buchen/", {"people": [str(mia.pk), str(ben.pk)]}
    )
    assert answer.status_code == 409
    html = answer.content.decode()
    assert "Ben Beispiel passt nicht in die Altersgruppe dieses Angebots." in html
    assert ticked(html, "people", str(mia.pk)) and ticked(html, "people", str(ben.pk))
    assert "Ben Beispiel (Jahrgang 2022) – passt nicht in die Altersgruppe" in html
    assert nothing_booked(offer)


def test_more_people_than_one_booking_allows_are_refused(parent_client, parent, provider):
    offer = make_offer(provider, "test-zwei", max_places_per_booking=1)
    chosen = [str(p.pk) for p in parent.program_participants.all()]
    answer = parent_client.post(f"/angebote/{offer.slug}/buchen/", {"people": chosen})
    assert answer.status_code == 409
    assert "Pro Buchung ist höchstens 1 Person möglich." in answer.content.decode()
    assert nothing_booked(offer)


@pytest.fixture
def adults(provider):
    return make_offer(provider, "test-erwachsene", title="Testkurs ab 18", age_min=18)


@pytest.mark.parametrize(
    ("year", "message"),
    [
        (
            "",
            "Bitte geben Sie Ihr Geburtsjahr an: Dieses Angebot hat eine Altersgrenze "
            "(ab 18 Jahren).",
        ),
        ("abc", "Bitte geben Sie das Geburtsjahr als vierstellige Zahl an, z. B. 2019."),
        ("²", "Bitte geben Sie das Geburtsjahr als vierstellige Zahl an, z. B. 2019."),
        ("9" * 5000, "Bitte geben Sie das Geburtsjahr als vierstellige Zahl an, z. B. 2019."),
        ("1850", f"Bitte geben Sie ein Geburtsjahr zwischen {YEAR - 110} und {YEAR} an."),
    ],
)
def test_booking_myself_asks_for_my_birth_year_when_the_offer_has_ages(
    parent_client, parent, adults, year, message
):
    page = parent_client.get(f"/angebote/{adults.slug}/buchen/").content.decode()
    assert "Ihr Geburtsjahr" in page
    answer = parent_client.post(
        f"/angebote/{adults.slug}/buchen/", {"people": ["ich"], "birth_year": year}
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert message in html
    assert ticked(html, "people", "ich")
    assert nothing_booked(adults)
    assert not Participant.objects.filter(account=parent, is_self=True).exists()


def test_my_birth_year_is_checked_and_kept_for_the_next_booking(parent_client, parent, adults):
    too_young = parent_client.post(
        f"/angebote/{adults.slug}/buchen/", {"people": ["ich"], "birth_year": str(YEAR - 10)}
    )
    assert too_young.status_code == 409
    assert "passt nicht in die Altersgruppe" in too_young.content.decode()
    assert nothing_booked(adults)
    answer = parent_client.post(
        f"/angebote/{adults.slug}/buchen/", {"people": ["ich"], "birth_year": "1985"}
    )
    assert answer.status_code == 303
    me = Participant.objects.get(account=parent, is_self=True)
    assert me.birth_year == 1985 and me.name == "Erika Beispiel"
    assert Booking.objects.get(offer=adults).participants.get().birth_year == 1985
    other = make_offer(adults.provider, "test-erwachsene-2", age_min=18)
    page = parent_client.get(f"/angebote/{other.slug}/buchen/").content.decode()
    assert "Ihr Geburtsjahr" not in page and "Ich selbst (Jahrgang 1985)" in page


def test_booking_myself_on_a_place_just_gone_leaves_nothing_and_the_waiting_list_names_me(
    parent_client, parent, adults
):
    """The holder becomes a participant in the booking's own transaction: a booking that
    gets no place leaves no trace; the waiting list makes the participant it names."""
    read_while_free = Offer.objects.get(pk=adults.pk)
    Offer.objects.filter(pk=adults.pk).update(taken=adults.capacity)  # the last one went
    me = bookings.Person("Erika Beispiel", 1985, account_holder=True)
    attempt = bookings.Request(
        offer=read_while_free, people=[me], contact_name="Erika Beispiel", account=parent
    )
    with pytest.raises(bookings.Full):
        bookings.book(attempt)
    assert not Booking.objects.filter(offer=adults).exists()
    assert not Participant.objects.filter(account=parent, is_self=True).exists()

    answer = parent_client.post(
        f"/angebote/{adults.slug}/warteliste/", {"people": ["ich"], "birth_year": "1985"}
    )
    assert answer.status_code == 303
    me = Participant.objects.get(account=parent, is_self=True)
    assert me.birth_year == 1985
    assert WaitlistEntry.objects.get(offer=adults).people[0]["participant"] == me.pk


# --- My participants ----------------------------------------------------------------------


def add(client, next_url: str = "", **fields):
    url = "/konto/teilnehmende/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {f"neu-{k}": v for k, v in fields.items()})


@pytest.mark.parametrize(
    ("name", "year", "message"),
    [
        ("", "", "Bitte geben Sie den Namen an."),
        ("", "", "Bitte geben Sie das Geburtsjahr an."),
        (
            "x" * 101,
            "2019",
            "Bitte kürzen Sie Ihre Eingabe auf höchstens 100 Zeichen (derzeit 101).",
        ),
        ("Lea\x00Beispiel", "2019", "Der Text enthält unsichtbare Steuerzeichen."),
        ("Lea\u202eBeispiel", "2019", "Der Text enthält unsichtbare Steuerzeichen."),
        ("12345", "2019", "Bitte geben Sie einen Namen mit Buchstaben an."),
        ("Lea Beispiel", "zwanzig", "Bitte geben Sie das Geburtsjahr als vierstellige Zahl an"),
        ("Lea Beispiel", "²⁰¹⁹", "Bitte geben Sie das Geburtsjahr als vierstellige Zahl an"),
        ("Lea Beispiel", str(YEAR + 1), f"zwischen {YEAR - 110} und {YEAR}"),
        ("Lea Beispiel", "-2019", f"zwischen {YEAR - 110} und {YEAR}"),
        ("Mia Beispiel", "2020", "Diese Person haben Sie schon angelegt."),
    ],
)
def test_adding_a_participant_refuses_bad_input_and_keeps_it(
    parent_client, parent, name, year, message
):
    before = Participant.objects.filter(account=parent).count()
    answer = add(parent_client, name=name, birth_year=year)
    assert answer.status_code == 400
    html = answer.content.decode()
    assert message in html
    if "\x00" not in name and "\u202e" not in name and name:
        assert f'value="{name}"' in html
    assert Participant.objects.filter(account=parent).count() == before


def test_a_hostile_name_is_stored_as_text_and_shown_escaped(parent_client, parent):
    answer = add(parent_client, name=f"{HOSTILE} Kim", birth_year="2018")
    assert answer.status_code == 303
    html = parent_client.get("/konto/teilnehmende/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Kim" in html


def test_nobody_manages_more_than_the_limit(parent_client, parent):
    for number in range(MAX_PER_ACCOUNT - 2):
        Participant.objects.create(account=parent, name=f"Kind {number}", birth_year=2015)
    answer = add(parent_client, name="Eins zu viel", birth_year="2016")
    assert answer.status_code == 400
    assert f"Sie können höchstens {MAX_PER_ACCOUNT} Personen verwalten." in answer.content.decode()
    assert not Participant.objects.filter(name="Eins zu viel").exists()


def test_correcting_a_child_keeps_the_input_on_errors_and_saves_when_valid(
    parent_client, parent, mia
):
    page = parent_client.get(f"/konto/teilnehmende/?bearbeiten={mia.pk}")
    assert page.status_code == 200 and 'value="Mia Beispiel"' in page.content.decode()
    bad = parent_client.post(
        "/konto/teilnehmende/",
        {"person": mia.pk, "aendern-name": "Mia Maria Beispiel", "aendern-birth_year": "20x0"},
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "vierstellige Zahl" in html and 'value="Mia Maria Beispiel"' in html
    assert Participant.objects.get(pk=mia.pk).name == "Mia Beispiel"
    good = parent_client.post(
        "/konto/teilnehmende/",
        {"person": mia.pk, "aendern-name": "  Mia   Maria Beispiel ", "aendern-birth_year": "2019"},
    )
    assert good.status_code == 303
    mia.refresh_from_db()
    assert (mia.name, mia.birth_year) == ("Mia Maria Beispiel", 2019)


def test_a_child_with_an_active_booking_cannot_be_removed(parent_client, parent, offer, mia, ben):
    made = bookings.book(
        bookings.Request(
            offer=offer, people=[bookings.Person.of(mia)], contact_name="E", account=parent
        )
    )
    html = parent_client.get("/konto/teilnehmende/").content.decode()
    assert "gebucht – Entfernen nach Stornierung möglich" in html
    answer = parent_client.post("/konto/teilnehmende/", {"person": mia.pk, "entfernen": "1"})
    assert answer.status_code == 303
    follow = parent_client.get(answer["Location"]).content.decode()
    assert "Mia Beispiel ist noch für ein Angebot gebucht." in follow
    assert Participant.objects.filter(pk=mia.pk).exists()
    # Ben has no booking; after the cancellation Mia can go too. The booking keeps her name.
    assert (
        parent_client.post("/konto/teilnehmende/", {"person": ben.pk, "entfernen": "1"}).status_code
        == 303
    )
    assert not Participant.objects.filter(pk=ben.pk).exists()
    bookings.cancel(made)
    parent_client.post("/konto/teilnehmende/", {"person": mia.pk, "entfernen": "1"})
    assert not Participant.objects.filter(pk=mia.pk).exists()
    assert made.participants.get().name == "Mia Beispiel"


@pytest.mark.parametrize("value", ["abc", "", "-3", "9" * 40, HOSTILE])
def test_a_nonsense_person_reference_answers_not_found(parent_client, parent, value):
    before = Participant.objects.filter(account=parent).count()
    assert (
        parent_client.post("/konto/teilnehmende/", {"person": value, "entfernen": "1"}).status_code
        == 404
    )
    assert parent_client.get("/konto/teilnehmende/", {"bearbeiten": value}).status_code == 404
    assert Participant.objects.filter(account=parent).count() == before


@pytest.mark.parametrize(
    "target",
    [
        "https://boese.example/",
        "//boese.example/x",
        "javascript:alert(1)",
        "/\\boese.example",
        HOSTILE,
    ],
)
def test_the_way_back_goes_only_to_a_page_of_ours(parent_client, parent, target):
    from urllib.parse import quote

    answer = add(parent_client, quote(target, safe=""), name="Lea Beispiel", birth_year="2019")
    assert answer.status_code == 303
    assert answer["Location"] == "/konto/teilnehmende/"
    page = parent_client.get(f"/konto/teilnehmende/?next={quote(target, safe='')}")
    assert "Zurück zur Buchung" not in page.content.decode()


# --- Claim and cancel ---------------------------------------------------------------------


@pytest.fixture
def offered(provider, parent, mail_dir, django_capture_on_commit_callbacks):
    """Mia waits for the one place of a course; Tom's booking is cancelled and it is hers."""
    offer = make_offer(provider, "test-nachruecken", capacity=1, age_min=5, age_max=8)
    other = UserFactory(email="tom@beispiel.de")
    tom = other.program_participants.create(name="Tom", birth_year=2019)
    first = bookings.book(
        bookings.Request(
            offer=offer, people=[bookings.Person.of(tom)], contact_name="T", account=other
        )
    )
    mia = parent.program_participants.get(name="Mia Beispiel")
    entry = waitlist.join(
        bookings.Request(
            offer=offer, people=[bookings.Person.of(mia)], contact_name="E",
            email=parent.email, account=parent,
        )
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel(first)
    (message,) = [m for m in mails(mail_dir) if m["To"] == parent.email]
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"/angebote/platz/[0-9a-f-]+/[\w-]+/", text).group(0)
    return entry, link


@pytest.mark.parametrize("decision", [None, "", "vielleicht", HOSTILE, "annehmen" * 1000])
def test_the_claim_form_wants_one_of_its_two_buttons(parent_client, offered, decision):
    entry, link = offered
    answer = parent_client.post(link, {} if decision is None else {"entscheidung": decision})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Bitte wählen Sie: Platz annehmen oder Platz ablehnen." in html
    assert "<script>alert(1)" not in html
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.OFFERED
    assert not Booking.objects.filter(offer=entry.offer, account=entry.account).exists()


@pytest.mark.parametrize("token", ["x", "a" * 5000, "%3Cscript%3E"])
def test_a_broken_claim_link_is_explained(parent_client, offered, token):
    entry, _link = offered
    answer = parent_client.get(f"/angebote/platz/{entry.public_id}/{token}/")
    assert answer.status_code == 404
    assert "Dieser Link gilt nicht" in answer.content.decode()
    assert (
        parent_client.post(
            f"/angebote/platz/{entry.public_id}/{token}/", {"entscheidung": "annehmen"}
        ).status_code
        == 404
    )
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.OFFERED


@pytest.mark.parametrize("confirmation", [None, "nein", HOSTILE])
def test_cancelling_needs_the_confirmation_button(parent_client, parent, offer, mia, confirmation):
    made = bookings.book(
        bookings.Request(
            offer=offer, people=[bookings.Person.of(mia)], contact_name="E", account=parent
        )
    )
    data = {} if confirmation is None else {"bestaetigt": confirmation}
    answer = parent_client.post(f"/konto/buchungen/{made.code}/stornieren/", data)
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Bitte bestätigen Sie die Stornierung mit „Ja, verbindlich stornieren“." in html
    assert "<script>alert(1)" not in html
    assert Booking.objects.get(pk=made.pk).status == Booking.Status.BOOKED
    assert Offer.objects.get(pk=offer.pk).taken == 1
