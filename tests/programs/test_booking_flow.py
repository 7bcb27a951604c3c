"""A parent books through the pages a browser uses: for one child, for two (sibling
discount), gets the confirmation mail with the calendar file, pays by transfer with the
GiroCode, cancels within the provider's rules (and cannot after the deadline), and finds
everything under "Meine Buchungen"."""

import re
from datetime import timedelta
from decimal import Decimal

import icalendar
import pytest
from django.utils import timezone

from rathaus.programs.models import Booking, LotteryEntry, Offer, WaitlistEntry
from rathaus.programs.services import booking as bookings
from rathaus.programs.services.payments.transfer import Transfer
from rathaus.programs.tasks import send_booking_confirmation
from tests.factories import UserFactory
from tests.support import mails

from .conftest import make_offer

BOOKED = re.compile(r"^/konto/buchungen/([A-Z0-9-]+)/$")


def child(parent, name: str):
    return parent.program_participants.get(name=name)


def book(client, offer, *people, capture, **fields):
    with capture(execute=True):
        return client.post(
            f"/angebote/{offer.slug}/buchen/",
            {"people": [str(p.pk) for p in people], **fields},
        )


def booked_code(answer) -> str:
    assert answer.status_code == 303, answer.content.decode()[:2000]
    found = BOOKED.match(answer["Location"])
    assert found, answer["Location"]
    return found.group(1)


def attachment(message, filename: str) -> str:
    for part in message.iter_attachments():
        if part.get_filename() == filename:
            return part.get_content()
    raise AssertionError(f"Kein Anhang {filename}")


@pytest.fixture
def paid(provider, venue):
    """40 € per child, half price for siblings, 10 € with DüsselPass, paid by transfer."""
    return make_offer(
        provider,
        "test-ferienfreizeit",
        venue=venue,
        title="Testferienfreizeit",
        age_min=3,
        age_max=10,
        price=Decimal("40.00"),
        price_reduced=Decimal("10.00"),
        sibling_discount_percent=50,
        payment_methods=["transfer", "on_site"],
        sessions=5,
    )


def test_the_booking_page_explains_price_ages_and_cancellation(parent_client, paid):
    page = parent_client.get(f"/angebote/{paid.slug}/buchen/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Testferienfreizeit" in html and paid.provider.name in html
    assert "40,00\xa0€ pro Person" in html
    assert "Mit DüsselPass: 10,00\xa0€ pro Person" in html
    assert "Geschwisterrabatt: 50 %" in html
    assert "3 bis 10 Jahre" in html
    # The table of totals: two children pay 40 + 20 €, with DüsselPass 10 + 10 €.
    assert re.search(r"<th[^>]*>2</th><td[^>]*>60,00\xa0€</td><td[^>]*>20,00\xa0€</td>", html)
    deadline = timezone.localtime(paid.starts_at - timedelta(hours=48))
    assert f"Kostenlos bis {deadline:%d.%m.%Y, %H:%M} Uhr (48 Stunden vor Beginn)" in html
    assert 'value="transfer"' in html and "Überweisung" in html and "Zahlung vor Ort" in html
    assert "Mia Beispiel (Jahrgang 2020)" in html


def test_a_parent_books_one_child_and_gets_the_mail_with_the_calendar(
    parent_client, parent, offer, mail_dir, django_capture_on_commit_callbacks
):
    answer = book(
        parent_client,
        offer,
        child(parent, "Mia Beispiel"),
        capture=django_capture_on_commit_callbacks,
    )
    code = booked_code(answer)
    made = Booking.objects.get(code=code)
    assert made.account == parent and made.places == 1 and made.status == Booking.Status.BOOKED
    assert made.total == 0 and made.payment_status == Booking.Payment.NOT_REQUIRED
    assert [p.name for p in made.participants.all()] == ["Mia Beispiel"]
    assert Offer.objects.get(pk=offer.pk).taken == 1

    (message,) = [m for m in mails(mail_dir) if m["To"] == parent.email]
    assert message["Subject"].strip() == "Buchungsbestätigung: Testschwimmkurs für Kinder"
    text = message.get_body(("plain",)).get_content()
    assert code in text and "Mia Beispiel" in text and "Testhalle Bilk" in text
    assert f"/konto/buchungen/{code}/" in text
    calendar = icalendar.Calendar.from_ical(attachment(message, "angebot.ics"))
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Testschwimmkurs für Kinder"
    assert event.decoded("DTSTART") == offer.starts_at

    page = parent_client.get(answer["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert code in html and "Mia Beispiel" in html and "Kostenlos" in html
    assert f"/angebote/{offer.slug}/kalender.ics" in html
    assert f"/konto/buchungen/{code}/stornieren/" in html

    # The worker died after queueing the mail and another one runs the job again: the
    # mail has the booking's own Message-ID and goes out once.
    with django_capture_on_commit_callbacks(execute=True):
        send_booking_confirmation.call(made.pk)
    assert len([m for m in mails(mail_dir) if m["To"] == parent.email]) == 1
    assert message["Message-ID"].strip().startswith(f"<programme-booking-{made.public_id}@")


def test_two_children_get_the_sibling_discount_and_the_giro_code(
    parent_client, parent, paid, mail_dir, django_capture_on_commit_callbacks
):
    answer = book(
        parent_client,
        paid,
        child(parent, "Mia Beispiel"),
        child(parent, "Ben Beispiel"),
        payment_method="transfer",
        capture=django_capture_on_commit_callbacks,
    )
    made = Booking.objects.get(code=booked_code(answer))
    assert made.places == 2 and made.total == Decimal("60.00")
    assert made.payment_method == "transfer" and made.payment_status == Booking.Payment.OPEN
    charged = sorted((p.price, p.reduction) for p in made.participants.all())
    assert charged == [(Decimal("20.00"), "sibling"), (Decimal("40.00"), "")]
    assert Offer.objects.get(pk=paid.pk).taken == 2

    html = parent_client.get(answer["Location"]).content.decode()
    assert "60,00\xa0€" in html and "Geschwisterrabatt" in html
    assert "DE02120300000000202051" in html and f"Buchung {made.code}" in html
    # The GiroCode is segno's SVG as it is, not escaped text.
    assert Transfer().girocode_svg(made) in html
    assert "&lt;svg" not in html
    text = mails(mail_dir)[-1].get_body(("plain",)).get_content()
    assert "IBAN: DE02120300000000202051" in text and "60,00\xa0€" in text


def test_paying_on_site_shows_the_text_and_no_giro_code(
    parent_client, parent, paid, django_capture_on_commit_callbacks
):
    answer = book(
        parent_client,
        paid,
        child(parent, "Mia Beispiel"),
        payment_method="on_site",
        capture=django_capture_on_commit_callbacks,
    )
    html = parent_client.get(answer["Location"]).content.decode()
    assert "Bitte bezahlen Sie 40,00\xa0€ beim ersten Termin vor Ort" in html
    assert "<svg" not in html.split("<main", 1)[1]


def test_the_booking_post_reads_only_what_it_needs(
    parent_client, parent, offer, django_assert_max_num_queries
):
    """The rush endpoint: the offer (read once, before the session), session and user,
    participants, the booking rows, the conditional update – and no session write (the
    mail is queued on commit, rendered by the worker)."""
    mia = child(parent, "Mia Beispiel")
    with django_assert_max_num_queries(9):  # 7 statements and the savepoint around them
        answer = parent_client.post(f"/angebote/{offer.slug}/buchen/", {"people": [str(mia.pk)]})
    assert answer.status_code == 303


def test_a_full_offer_sends_the_parent_to_its_waiting_list(parent_client, parent, provider):
    full = make_offer(provider, "test-voll", capacity=1, age_min=5, age_max=8)
    Offer.objects.filter(pk=full.pk).update(taken=1)
    answer = parent_client.post(
        f"/angebote/{full.slug}/buchen/", {"people": [str(child(parent, "Mia Beispiel").pk)]}
    )
    assert answer.status_code == 303
    assert answer["Location"] == f"/angebote/{full.slug}/?ausgebucht=1#warteliste"
    assert not Booking.objects.filter(offer=full).exists()
    # The booking page of a full offer offers the waiting list (same form, other address).
    html = parent_client.get(f"/angebote/{full.slug}/buchen/").content.decode()
    assert f'action="/angebote/{full.slug}/warteliste/"' in html
    assert "Auf die Warteliste setzen" in html


def test_a_sold_out_offer_is_answered_from_memory_for_a_second(
    parent_client, parent, provider, monkeypatch, django_assert_num_queries
):
    """In the rush after the last place an attempt costs no query; a place that comes back
    in this process is bookable at once, one freed by another server a second later."""
    full = make_offer(provider, "test-gerade-voll", capacity=1, age_min=3, age_max=8)
    Offer.objects.filter(pk=full.pk).update(taken=1)
    now = bookings._clock()
    monkeypatch.setattr(bookings, "_clock", lambda: now)  # the clock stands still …
    page = f"/angebote/{full.slug}/buchen/"
    mia = {"people": [str(child(parent, "Mia Beispiel").pk)]}
    sold_out = f"/angebote/{full.slug}/?ausgebucht=1#warteliste"
    with django_assert_num_queries(1):
        assert parent_client.post(page, mia)["Location"] == sold_out
    with django_assert_num_queries(0):
        assert parent_client.post(page, mia)["Location"] == sold_out

    bookings.give_back(full.pk, 1)  # a cancellation here: asked again at once
    assert BOOKED.match(parent_client.post(page, mia)["Location"])

    ben = {"people": [str(child(parent, "Ben Beispiel").pk)]}
    assert parent_client.post(page, ben)["Location"] == sold_out
    Offer.objects.filter(pk=full.pk).update(capacity=2)  # one more place, set on another server
    assert parent_client.post(page, ben)["Location"] == sold_out  # still remembered here
    later = now + bookings.SOLD_OUT_MEMO_SECONDS + 0.1
    monkeypatch.setattr(bookings, "_clock", lambda: later)  # … until a second has passed
    assert BOOKED.match(parent_client.post(page, ben)["Location"])


def test_adding_a_child_comes_back_to_the_booking_with_the_choices_kept(
    parent_client, parent, paid
):
    mia = child(parent, "Mia Beispiel")
    answer = parent_client.post(
        f"/angebote/{paid.slug}/buchen/",
        {
            "people": [str(mia.pk)],
            "duesselpass": "on",
            "payment_method": "on_site",
            "kind_hinzufuegen": "1",
        },
    )
    assert answer.status_code == 303
    assert answer["Location"].startswith("/konto/teilnehmende/?next=")
    assert not Booking.objects.filter(offer=paid).exists()
    form_page = parent_client.get(answer["Location"])
    assert "Hinzufügen und zurück zur Buchung" in form_page.content.decode()
    added = parent_client.post(
        answer["Location"], {"neu-name": "Lea Beispiel", "neu-birth_year": "2019"}
    )
    assert added.status_code == 303
    lea = parent.program_participants.get(name="Lea Beispiel")
    assert added["Location"].startswith(f"/angebote/{paid.slug}/buchen/?")
    html = parent_client.get(added["Location"]).content.decode()
    for pk in (mia.pk, lea.pk):
        assert re.search(rf'<input[^>]*value="{pk}"[^>]*checked', html), pk
    assert re.search(r'<input[^>]*name="duesselpass"[^>]*checked', html)
    assert re.search(r'<input[^>]*value="on_site"[^>]*checked', html)
    assert "Ihre Auswahl: 2 Personen, zusammen 20,00\xa0€." in html


def test_a_parent_cancels_within_the_rules(
    parent_client, parent, offer, mail_dir, django_capture_on_commit_callbacks
):
    code = booked_code(
        book(
            parent_client,
            offer,
            child(parent, "Mia Beispiel"),
            capture=django_capture_on_commit_callbacks,
        )
    )
    confirm = parent_client.get(f"/konto/buchungen/{code}/stornieren/")
    assert confirm.status_code == 200
    assert "Ja, verbindlich stornieren" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = parent_client.post(f"/konto/buchungen/{code}/stornieren/", {"bestaetigt": "ja"})
    assert answer.status_code == 303 and answer["Location"] == f"/konto/buchungen/{code}/"
    made = Booking.objects.get(code=code)
    assert made.status == Booking.Status.CANCELLED
    assert Offer.objects.get(pk=offer.pk).taken == 0
    html = parent_client.get(answer["Location"]).content.decode()
    assert "Ihre Buchung ist storniert." in html and "Storniert" in html
    assert "/stornieren/" not in html
    message = mails(mail_dir)[-1]
    assert message["Subject"].strip() == "Stornierung: Testschwimmkurs für Kinder"
    calendar = icalendar.Calendar.from_ical(attachment(message, "angebot.ics"))
    assert str(calendar["METHOD"]) == "CANCEL"


def test_cancelling_after_the_providers_deadline_is_refused(parent_client, parent, provider):
    soon = make_offer(
        provider,
        "test-bald",
        first=timezone.now() + timedelta(hours=20),
        cancel_until_hours=48,
        cancellation_note="Bei Krankheit erstatten wir gegen Attest.",
    )
    made = bookings.book(
        bookings.Request(
            offer=soon,
            people=[bookings.Person.of(child(parent, "Mia Beispiel"))],
            contact_name=parent.full_name,
            email=parent.email,
            account=parent,
        )
    )
    html = parent_client.get(f"/konto/buchungen/{made.code}/").content.decode()
    assert "Eine kostenlose Stornierung war bis 48 Stunden vor Beginn möglich." in html
    assert "Bei Krankheit erstatten wir gegen Attest." in html
    assert f"/konto/buchungen/{made.code}/stornieren/" not in html
    for method, data in (("get", {}), ("post", {"bestaetigt": "ja"})):
        answer = getattr(parent_client, method)(f"/konto/buchungen/{made.code}/stornieren/", data)
        assert answer.status_code == 303
        follow = parent_client.get(answer["Location"]).content.decode()
        assert "Die Frist für eine kostenlose Stornierung ist abgelaufen." in follow
    assert Booking.objects.get(pk=made.pk).status == Booking.Status.BOOKED


def test_my_bookings_show_current_past_waiting_and_lottery(parent_client, parent, provider):
    current = make_offer(provider, "test-aktuell", title="Testkurs aktuell")
    over = make_offer(
        provider,
        "test-vorbei",
        title="Testkurs vorbei",
        first=timezone.now() - timedelta(days=3),
        booking_opens_at=timezone.now() - timedelta(days=10),
    )
    full = make_offer(provider, "test-ausgebucht", title="Testkurs ausgebucht", capacity=1)
    lottery = make_offer(
        provider, "test-verlosung", title="Testkurs Verlosung", allocation="lottery"
    )
    mia = child(parent, "Mia Beispiel")

    def request(offer, user=parent, person=mia):
        return bookings.Request(
            offer=offer,
            people=[bookings.Person.of(person)],
            contact_name=user.full_name,
            email=user.email,
            account=user,
        )

    kept = bookings.book(request(current))
    bookings.book(request(over), now=over.starts_at - timedelta(days=1))
    gone = bookings.book(request(current, person=child(parent, "Ben Beispiel")))
    bookings.cancel(gone)
    other = UserFactory(full_name="Ali Beispiel")
    bookings.book(request(full, other, other.program_participants.create(name="Kim")))
    WaitlistEntry.objects.create(
        offer=full, account=UserFactory(), contact_name="Erste", people=[], places=1
    )
    WaitlistEntry.objects.create(
        offer=full,
        account=parent,
        contact_name=parent.full_name,
        email=parent.email,
        people=[{"participant": mia.pk, "name": "Mia Beispiel", "birth_year": 2020}],
        places=1,
    )
    LotteryEntry.objects.create(
        offer=lottery, account=parent, contact_name=parent.full_name, people=[], places=1
    )

    page = parent_client.get("/konto/buchungen/")
    assert page.status_code == 200
    html = page.content.decode()
    current_part, _, past_part = html.partition("Frühere und stornierte Buchungen")
    assert "Testkurs aktuell" in current_part and kept.code in current_part
    assert "Testkurs vorbei" in past_part and "Testkurs vorbei" not in current_part
    assert gone.code not in current_part and "Storniert" in past_part
    assert "Testkurs ausgebucht" in current_part
    assert "Sie sind an 2. Stelle der Warteliste." in html
    assert "Testkurs Verlosung" in html and "Angemeldet" in html


def test_the_booking_page_says_when_and_how_an_offer_can_be_booked(parent_client, parent, provider):
    mia = str(child(parent, "Mia Beispiel").pk)
    later = make_offer(
        provider, "test-spaeter", booking_opens_at=timezone.now() + timedelta(days=2)
    )
    page = parent_client.get(f"/angebote/{later.slug}/buchen/").content.decode()
    opens = timezone.localtime(later.booking_opens_at)
    assert f"Die Buchung beginnt am {opens:%d.%m.%Y, %H:%M} Uhr." in page
    assert 'name="csrfmiddlewaretoken"' in page and "Verbindlich buchen" in page
    answer = parent_client.post(f"/angebote/{later.slug}/buchen/", {"people": [mia]})
    assert answer.status_code == 409 and "Die Buchung beginnt am" in answer.content.decode()

    drawn_later = make_offer(provider, "test-los", allocation="lottery")
    page = parent_client.get(f"/angebote/{drawn_later.slug}/buchen/").content.decode()
    assert "Die Plätze werden verlost." in page
    assert f"/angebote/{drawn_later.slug}/verlosung/anmelden/" in page
    assert "Verbindlich buchen" not in page
    answer = parent_client.post(f"/angebote/{drawn_later.slug}/buchen/", {"people": [mia]})
    assert answer.status_code == 409
    assert not Booking.objects.filter(offer__in=[later, drawn_later]).exists()
