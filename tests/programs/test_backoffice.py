"""A provider's staff run their offer: attendance per session, a message to everyone
booked, calling off one session or the whole offer (with the notices and refunds owed),
payments marked by hand, a booking cancelled, and the participant list as CSV and on paper."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from rathaus.core.models import AuditEntry
from rathaus.programs.models import (
    Attendance,
    Booking,
    BookingParticipant,
    Offer,
    PaymentEvent,
    Session,
    WaitlistEntry,
)
from rathaus.programs.services import backoffice, payments, waitlist
from rathaus.programs.services import booking as bookings
from tests.support import mails

from .conftest import make_offer


def book(offer, *people, email="", phone="", **fields) -> Booking:
    """A booking as a resident or a caller would make it (people: (name, birth year))."""
    return bookings.book(
        bookings.Request(
            offer=offer,
            people=[bookings.Person(name, year) for name, year in people],
            contact_name=fields.pop("contact_name", f"Kontakt {people[0][0]}"),
            email=email,
            phone=phone,
            **fields,
        )
    )


@pytest.fixture
def staff_client(client, provider_staff):
    client.force_login(provider_staff)
    return client


@pytest.fixture
def course(provider, venue):
    """Three weekly sessions, 30 € per child (transfer or on site), four places."""
    return make_offer(
        provider,
        "test-toepferkurs",
        venue=venue,
        title="Testtöpferkurs",
        sessions=3,
        capacity=4,
        age_min=5,
        age_max=12,
        price=Decimal("30.00"),
        price_reduced=Decimal("10.00"),
        payment_methods=["transfer", "on_site"],
    )


def url(offer, rest: str = "") -> str:
    return f"/verwaltung/angebote/{offer.slug}/{rest}"


def bodies(mail_dir) -> dict[str, str]:
    return {m["To"]: m.get_body(("plain",)).get_content() for m in mails(mail_dir)}


# --- attendance -----------------------------------------------------------------------


def test_attendance_is_saved_per_session_and_can_be_corrected(staff_client, provider_staff, offer):
    offer = make_offer(offer.provider, "test-dreimal", sessions=3, age_min=5, age_max=8)
    mia = book(offer, ("Mia Muster", 2019), email="mia@beispiel.de")
    ben = book(offer, ("Ben Muster", 2019), ("Ida Muster", 2020), email="ben@beispiel.de")
    gone = book(offer, ("Weg Gegangen", 2019), email="weg@beispiel.de")
    bookings.cancel(gone, by=provider_staff)
    first, second, _third = offer.sessions.all()
    people = {p.name: p for p in BookingParticipant.objects.filter(offer=offer, active=True)}

    page = staff_client.get(url(offer, f"anwesenheit/{first.pk}/"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mia Muster (Jahrgang 2019)" in html and "Ida Muster (Jahrgang 2020)" in html
    assert "Weg Gegangen" not in html

    came = [people["Mia Muster"].pk, people["Ida Muster"].pk]
    answer = staff_client.post(
        url(offer, f"anwesenheit/{first.pk}/"), {"anwesend": [str(pk) for pk in came]}
    )
    assert answer.status_code == 302 and answer["Location"].endswith("#termine")
    recorded = dict(Attendance.objects.filter(session=first).values_list("participant", "present"))
    assert recorded == {
        people["Mia Muster"].pk: True,
        people["Ben Muster"].pk: False,
        people["Ida Muster"].pk: True,
    }
    assert not Attendance.objects.filter(session=second).exists()
    assert Attendance.objects.filter(session=first, recorded_by=provider_staff).count() == 3

    # A correction overwrites: Ben came after all, Mia did not.
    staff_client.post(
        url(offer, f"anwesenheit/{first.pk}/"), {"anwesend": [str(people["Ben Muster"].pk)]}
    )
    recorded = dict(Attendance.objects.filter(session=first).values_list("participant", "present"))
    assert recorded[people["Ben Muster"].pk] is True and recorded[people["Mia Muster"].pk] is False
    assert Attendance.objects.filter(session=first).count() == 3
    # The form shows what was recorded; the offer page counts it.
    assert "checked" in staff_client.get(url(offer, f"anwesenheit/{first.pk}/")).content.decode()
    assert "1 von 3" in staff_client.get(url(offer)).content.decode()
    entry = AuditEntry.objects.filter(action="programs.attendance.recorded").latest("pk")
    assert entry.data == {"offer": offer.slug, "present": 1, "absent": 2}
    assert mia.pk and ben.pk


def test_attendance_refuses_people_who_are_not_on_the_offer(staff_client, offer, provider):
    book(offer, ("Mia Muster", 2019))
    other = make_offer(provider, "test-andere", age_min=5, age_max=8)
    stranger = book(other, ("Fremd Kind", 2019)).participants.get()
    session = offer.sessions.get()
    answer = staff_client.post(
        url(offer, f"anwesenheit/{session.pk}/"), {"anwesend": [str(stranger.pk), "x<script>"]}
    )
    assert answer.status_code == 400
    assert "Bitte wählen Sie nur Personen aus der Liste." in answer.content.decode()
    assert not Attendance.objects.exists()


def test_no_attendance_for_a_cancelled_session(staff_client, provider_staff, offer):
    book(offer, ("Mia Muster", 2019))
    session = offer.sessions.get()
    backoffice.cancel_session(session, "Hallenbad geschlossen", by=provider_staff)
    answer = staff_client.post(url(offer, f"anwesenheit/{session.pk}/"), {"anwesend": []})
    assert answer.status_code == 400
    assert "Dieser Termin ist abgesagt" in answer.content.decode()
    assert not Attendance.objects.exists()


# --- messages -------------------------------------------------------------------------------


def test_a_message_reaches_every_active_booking(
    staff_client, provider_staff, offer, mail_dir, django_capture_on_commit_callbacks
):
    book(offer, ("Mia Muster", 2019), email="mia@beispiel.de")
    book(offer, ("Ben Muster", 2019), ("Ida Muster", 2020), email="ben@beispiel.de")
    book(offer, ("Ohne Mail", 2019), phone="0211 123456")
    gone = book(offer, ("Weg Gegangen", 2019), email="weg@beispiel.de")
    bookings.cancel(gone, by=provider_staff)

    page = staff_client.get(url(offer, "nachricht/"))
    assert "Die Nachricht geht per E-Mail an 2 Buchungen." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_client.post(
            url(offer, "nachricht/"),
            {"betreff": "Bitte Badekappe mitbringen", "text": "Liebe Eltern,\nab Montag …"},
        )
    assert answer.status_code == 302
    sent = mails(mail_dir)
    assert sorted(m["To"] for m in sent) == ["ben@beispiel.de", "mia@beispiel.de"]
    assert {m["Subject"] for m in sent} == {"Bitte Badekappe mitbringen"}
    text = bodies(mail_dir)["ben@beispiel.de"]
    assert "Liebe Eltern,\nab Montag …" in text and "Ben Muster, Ida Muster" in text
    assert offer.provider.name in text
    notice = staff_client.get(answer["Location"]).content.decode()
    assert "Die Nachricht geht an 2 Buchungen." in notice
    assert "1 Buchungen haben keine E-Mail-Adresse" in notice
    entry = AuditEntry.objects.get(action="programs.offer.message")
    assert entry.actor == provider_staff
    assert entry.data["mailed"] == 2 and entry.data["without_email"] == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Bitte geben Sie einen Betreff an."),
        ({"betreff": "Hallo", "text": "  "}, "Bitte schreiben Sie eine Nachricht."),
        (
            {"betreff": "Hallo\r\nBcc: alle@beispiel.de", "text": "Text"},
            "Bitte schreiben Sie den Betreff in eine Zeile.",
        ),
        ({"betreff": "Hallo", "text": "x" * 5001}, "Bitte kürzen Sie Ihre Eingabe auf höchstens"),
        ({"betreff": "H\x00allo", "text": "Text"}, "unsichtbare Steuerzeichen"),
        ({"betreff": "Hallo", "text": "!!! ???"}, "Bitte schreiben Sie eine Nachricht mit Worten."),
    ],
)
def test_a_bad_message_is_refused_and_kept(staff_client, offer, mail_dir, data, message):
    book(offer, ("Mia Muster", 2019), email="mia@beispiel.de")
    answer = staff_client.post(url(offer, "nachricht/"), data)
    assert answer.status_code == 400
    html = answer.content.decode()
    assert message in html
    if data.get("betreff") == "Hallo":
        assert 'value="Hallo"' in html
    assert not AuditEntry.objects.filter(action="programs.offer.message").exists()


def test_messages_are_limited_per_offer_and_hour(staff_client, offer, mail_dir):
    cache.clear()
    book(offer, ("Mia Muster", 2019), email="mia@beispiel.de")
    for n in range(backoffice.MESSAGES_PER_OFFER_PER_HOUR):
        answer = staff_client.post(url(offer, "nachricht/"), {"betreff": f"Nr. {n}", "text": "Hi"})
        assert answer.status_code == 302
    answer = staff_client.post(url(offer, "nachricht/"), {"betreff": "Noch eine", "text": "Hi"})
    assert answer.status_code == 429
    html = answer.content.decode()
    assert "in der letzten Stunde schon 3 Nachrichten" in html and 'value="Noch eine"' in html
    assert AuditEntry.objects.filter(action="programs.offer.message").count() == 3


# --- cancelling -------------------------------------------------------------------------------


def test_cancelling_a_session_tells_everyone_and_moves_the_start(
    staff_client, provider_staff, course, mail_dir, django_capture_on_commit_callbacks
):
    booked = book(course, ("Mia Muster", 2019), email="mia@beispiel.de", payment_method="on_site")
    first, second, _third = course.sessions.all()
    assert Offer.objects.get(pk=course.pk).starts_at == first.starts_at

    assert staff_client.post(url(course, f"termin/{first.pk}/absagen/"), {}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_client.post(
            url(course, f"termin/{first.pk}/absagen/"), {"grund": "Der Brennofen ist defekt"}
        )
    assert answer.status_code == 302
    first.refresh_from_db()
    assert first.cancelled_at is not None and first.note == "Der Brennofen ist defekt"
    stored = Offer.objects.get(pk=course.pk)
    assert stored.starts_at == second.starts_at and stored.status == Offer.Status.PUBLISHED
    booked.refresh_from_db()
    assert booked.status == Booking.Status.BOOKED
    notice = [m for m in mails(mail_dir) if m["Subject"].startswith("Termin fällt aus")]
    assert [m["To"] for m in notice] == ["mia@beispiel.de"]
    text = notice[0].get_body(("plain",)).get_content()
    assert "Der Brennofen ist defekt" in text and f"{first.starts_at.astimezone():%d.%m.%Y}" in text
    assert AuditEntry.objects.filter(action="programs.session.cancelled").count() == 1

    html = staff_client.get(url(course)).content.decode()
    assert "fällt aus" in html and "Der Brennofen ist defekt" in html
    # Twice is once.
    again = staff_client.post(url(course, f"termin/{first.pk}/absagen/"), {"grund": "Nochmal"})
    assert again.status_code == 302
    assert Session.objects.get(pk=first.pk).note == "Der Brennofen ist defekt"


def test_cancelling_the_offer_frees_everything_and_marks_refunds(
    staff_client, provider_staff, course, parent, mail_dir, django_capture_on_commit_callbacks
):
    paid = book(course, ("Mia Muster", 2019), email="mia@beispiel.de", payment_method="transfer")
    backoffice.mark_paid(paid, by=provider_staff)
    open_ = book(
        course,
        ("Ben Muster", 2019),
        ("Ida Muster", 2020),
        email="ben@beispiel.de",
        payment_method="on_site",
    )
    book(course, ("Tom Muster", 2018), email="tom@beispiel.de", payment_method="on_site")
    waiting = waitlist.join(
        bookings.Request(
            offer=Offer.objects.get(pk=course.pk),
            people=[bookings.Person("Lea Wartend", 2019)],
            contact_name="Lea Eltern",
            email="lea@beispiel.de",
        )
    )
    assert Offer.objects.get(pk=course.pk).taken == 4

    answer = staff_client.post(url(course, "absagen/"), {"grund": "Kursleitung erkrankt"})
    assert answer.status_code == 400
    assert "Bitte bestätigen Sie, dass das ganze Angebot abgesagt werden soll." in (
        answer.content.decode()
    )
    assert "Kursleitung erkrankt" in answer.content.decode()
    assert Offer.objects.get(pk=course.pk).status == Offer.Status.PUBLISHED

    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_client.post(
            url(course, "absagen/"), {"grund": "Kursleitung erkrankt", "bestaetigt": "on"}
        )
    assert answer.status_code == 302
    stored = Offer.objects.get(pk=course.pk)
    assert stored.status == Offer.Status.CANCELLED and stored.taken == 0
    states = {b.code: (b.status, b.payment_status) for b in Booking.objects.filter(offer=course)}
    assert states[paid.code] == (Booking.Status.OFFER_CANCELLED, Booking.Payment.REFUND_DUE)
    assert states[open_.code] == (Booking.Status.OFFER_CANCELLED, Booking.Payment.VOID)
    assert not BookingParticipant.objects.filter(offer=course, active=True).exists()
    assert WaitlistEntry.objects.get(pk=waiting.pk).status == WaitlistEntry.Status.CLOSED
    event = PaymentEvent.objects.get(booking=paid, kind=PaymentEvent.Kind.REFUND_DUE)
    assert event.amount == Decimal("30.00") and event.recorded_by == provider_staff

    cancelled = {m["To"]: m for m in mails(mail_dir) if m["Subject"].startswith("Abgesagt")}
    # Everyone booked, and the person on the waiting list too.
    assert set(cancelled) == {
        "mia@beispiel.de",
        "ben@beispiel.de",
        "tom@beispiel.de",
        "lea@beispiel.de",
    }
    lea = cancelled["lea@beispiel.de"].get_body(("plain",)).get_content()
    assert "Warteliste" in lea and "Kursleitung erkrankt" in lea
    mia = cancelled["mia@beispiel.de"].get_body(("plain",)).get_content()
    assert "Kursleitung erkrankt" in mia and "erstattet Ihnen den Betrag" in mia
    ben = cancelled["ben@beispiel.de"].get_body(("plain",)).get_content()
    assert "erstattet" not in ben
    notice = staff_client.get(answer["Location"]).content.decode()
    assert "3 Buchungen wurden benachrichtigt" in notice and "Erstattung offen" in notice
    assert AuditEntry.objects.get(
        action="programs.offer.cancelled", object_id=str(course.pk)
    ).data == {
        "reason": "Kursleitung erkrankt",
        "bookings": 3,
    }

    # The refund is paid out and marked; nothing can be booked any more.
    answer = staff_client.post(url(course, f"buchung/{paid.code}/"), {"aktion": "erstattet"})
    assert answer.status_code == 302
    assert Booking.objects.get(pk=paid.pk).payment_status == Booking.Payment.REFUNDED
    assert PaymentEvent.objects.filter(booking=paid, kind=PaymentEvent.Kind.REFUNDED).count() == 1
    with pytest.raises(bookings.Closed):
        book(stored, ("Neu Kind", 2019))
    # Cancelling again changes nothing.
    again = staff_client.post(url(course, "absagen/"), {"grund": "x", "bestaetigt": "on"})
    assert again.status_code == 302
    assert (
        AuditEntry.objects.filter(
            action="programs.offer.cancelled", object_id=str(course.pk)
        ).count()
        == 1
    )


# --- payments and bookings ------------------------------------------------------------------


def test_marking_paid_and_refunded_by_hand(staff_client, provider_staff, course):
    booked = book(course, ("Mia Muster", 2019), email="mia@beispiel.de", payment_method="transfer")
    assert booked.payment_status == Booking.Payment.OPEN
    html = staff_client.get(url(course)).content.decode()
    assert booked.code in html and "Zahlung offen" in html

    # A refund that is not owed is refused.
    staff_client.post(url(course, f"buchung/{booked.code}/"), {"aktion": "erstattet"})
    assert Booking.objects.get(pk=booked.pk).payment_status == Booking.Payment.OPEN

    answer = staff_client.post(url(course, f"buchung/{booked.code}/"), {"aktion": "bezahlt"})
    assert answer.status_code == 302
    stored = Booking.objects.get(pk=booked.pk)
    assert stored.payment_status == Booking.Payment.PAID and stored.paid_at is not None
    (event,) = PaymentEvent.objects.filter(booking=booked)
    assert (event.kind, event.source, event.amount, event.recorded_by) == (
        PaymentEvent.Kind.PAID,
        PaymentEvent.Source.STAFF,
        Decimal("30.00"),
        provider_staff,
    )
    # Twice is once.
    staff_client.post(url(course, f"buchung/{booked.code}/"), {"aktion": "bezahlt"})
    assert PaymentEvent.objects.filter(booking=booked).count() == 1

    detail = staff_client.get(url(course, f"buchung/{booked.code}/")).content.decode()
    assert "Zahlung eingegangen" in detail and "30,00\xa0€" in detail


def test_staff_cancel_a_booking_after_a_confirmation(
    staff_client, provider_staff, course, mail_dir, django_capture_on_commit_callbacks
):
    booked = book(course, ("Mia Muster", 2019), email="mia@beispiel.de", payment_method="transfer")
    backoffice.mark_paid(booked, by=provider_staff)
    answer = staff_client.post(url(course, f"buchung/{booked.code}/"), {"aktion": "stornieren"})
    assert answer.status_code == 200
    assert "Buchung wirklich stornieren?" in answer.content.decode()
    assert Booking.objects.get(pk=booked.pk).status == Booking.Status.BOOKED

    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_client.post(
            url(course, f"buchung/{booked.code}/"), {"aktion": "stornieren", "bestaetigt": "on"}
        )
    assert answer.status_code == 302
    stored = Booking.objects.get(pk=booked.pk)
    assert stored.status == Booking.Status.CANCELLED
    assert stored.payment_status == Booking.Payment.REFUND_DUE
    assert PaymentEvent.objects.filter(booking=booked, kind=PaymentEvent.Kind.REFUND_DUE).exists()
    assert Offer.objects.get(pk=course.pk).taken == 0
    assert [m["To"] for m in mails(mail_dir) if m["Subject"].startswith("Stornierung")] == [
        "mia@beispiel.de"
    ]


@pytest.mark.parametrize("action", ["", "loeschen", "<b>x</b>"])
def test_an_unknown_booking_action_changes_nothing(staff_client, course, action):
    booked = book(course, ("Mia Muster", 2019), payment_method="on_site")
    answer = staff_client.post(url(course, f"buchung/{booked.code}/"), {"aktion": action})
    assert answer.status_code == 400
    assert "Bitte wählen Sie eine Aktion." in answer.content.decode() or (
        "Diese Aktion gibt es nicht." in answer.content.decode()
    )
    assert Booking.objects.get(pk=booked.pk).payment_status == Booking.Payment.OPEN


# --- lists ----------------------------------------------------------------------------------


def test_the_csv_opens_in_german_excel_and_runs_no_formulas(staff_client, provider_staff, offer):
    book(
        offer,
        ('=HYPERLINK("http://böse.example")', 2019),
        contact_name="@SUMME(A1:A9)",
        email="eltern@beispiel.de",
        phone="+49 211 123456",
    )
    book(offer, ('Jörg Ärger; "Spitzname"', 2020), contact_name="-2+3", phone="0211 99")
    gone = book(offer, ("Weg Gegangen", 2019))
    bookings.cancel(gone, by=provider_staff)

    answer = staff_client.get(url(offer, "teilnehmende.csv"))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"].startswith(
        f'attachment; filename="teilnehmende-{offer.slug}-'
    )
    assert "no-store" in answer["Cache-Control"]
    raw = answer.content
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Buchungscode",
        "Name",
        "Geburtsjahr",
        "Kontaktperson",
        "E-Mail-Adresse",
        "Telefon",
        "Zahlung",
    ]
    people = {row[1]: row for row in rows[1:]}
    assert set(people) == {'\'=HYPERLINK("http://böse.example")', 'Jörg Ärger; "Spitzname"'}
    first = people['\'=HYPERLINK("http://böse.example")']
    assert first[2:] == [
        "2019",
        "'@SUMME(A1:A9)",
        "eltern@beispiel.de",
        "'+49 211 123456",
        "Kostenlos",
    ]
    assert people['Jörg Ärger; "Spitzname"'][3] == "'-2+3"
    assert "Weg Gegangen" not in raw.decode("utf-8-sig")


def test_the_print_page_has_a_list_per_session_with_signature_boxes(staff_client, provider):
    offer = make_offer(provider, "test-viermal", sessions=4, age_min=5, age_max=8)
    book(offer, ("Mia Muster", 2019), phone="0211 1")
    book(offer, ("Ben Muster", 2020))
    session = offer.sessions.last()
    Session.objects.filter(pk=session.pk).update(cancelled_at=session.starts_at)
    answer = staff_client.get(url(offer, "teilnehmende/drucken/"))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.count('class="attendance-sheet"') == 3  # the cancelled one is left out
    assert html.count('scope="row">Mia Muster</th>') == 3
    assert html.count('scope="row">Ben Muster</th>') == 3
    assert html.count('class="kern-table__cell signature"') == 3 * (2 + 3)  # + three blank rows
    assert "programs/provider-print.css" in html
    assert "no-store" in answer["Cache-Control"]


def test_the_offer_page_shows_figures_waiting_list_and_payments(
    staff_client, provider_staff, course
):
    book(course, ("Mia Muster", 2019), email="mia@beispiel.de", payment_method="transfer")
    paid = book(course, ("Ben Muster", 2019), ("Ida Muster", 2020), payment_method="on_site")
    backoffice.mark_paid(paid, by=provider_staff)
    book(course, ("Tom Muster", 2018), payment_method="on_site")
    waitlist.join(
        bookings.Request(
            offer=Offer.objects.get(pk=course.pk),
            people=[bookings.Person("Lea Wartend", 2019)],
            contact_name="Lea Eltern",
            phone="0211 555",
        )
    )
    html = staff_client.get(url(course)).content.decode()
    assert "4 Plätze in 3 Buchungen" in html
    assert "1 Eintrag (1 Plätze)" in html and "Lea Eltern" in html
    # Open: Mia (30 €) and Tom (30 €); paid: Ben and Ida (30 + 30 €).
    assert "2 · 60,00\xa0€" in html
    assert "Ida Muster" in html and "Tom Muster" in html
    assert html.count('name="aktion" value="bezahlt"') == 2


def test_an_unpaid_transfer_is_reminded_once_after_its_fourteen_days(
    staff_client, provider_staff, course, mail_dir, django_capture_on_commit_callbacks
):
    unpaid = book(course, ("Mia Muster", 2019), email="mia@beispiel.de", payment_method="transfer")
    paid = book(course, ("Ben Muster", 2019), email="ben@beispiel.de", payment_method="transfer")
    backoffice.mark_paid(paid, by=provider_staff)
    book(course, ("Ida Muster", 2019), email="ida@beispiel.de", payment_method="on_site")
    gone = book(course, ("Tom Muster", 2019), email="tom@beispiel.de", payment_method="transfer")
    bookings.cancel(gone, by=provider_staff)
    booked_at = unpaid.created_at

    def reminded() -> set[str]:
        return set(
            Booking.objects.filter(offer=course, payment_reminded_at__isnull=False).values_list(
                "email", flat=True
            )
        )

    with django_capture_on_commit_callbacks(execute=True):
        payments.remind_overdue(booked_at + timedelta(days=13))
        assert reminded() == set()
        payments.remind_overdue(booked_at + timedelta(days=14, minutes=1))
        assert reminded() == {"mia@beispiel.de"}
        assert payments.remind_overdue(booked_at + timedelta(days=20)) == 0  # once only
    reminders = [m for m in mails(mail_dir) if m["Subject"].strip().startswith("Zahlungserinn")]
    assert [m["To"] for m in reminders if m["To"].endswith("@beispiel.de")] == ["mia@beispiel.de"]
    text = reminders[0].get_body(("plain",)).get_content()
    assert f"für Ihre Buchung {unpaid.code} haben wir noch keine Zahlung erhalten" in text
    assert "Bitte überweisen Sie 30,00\xa0€ innerhalb von 14 Tagen." in text
    assert f"Verwendungszweck: Buchung {unpaid.code}" in text and "IBAN: " in text
    assert f"/konto/buchungen/{unpaid.code}/" in text

    # Staff see that the person was reminded.
    html = staff_client.get(url(course, "")).content.decode()
    day = timezone.localtime(Booking.objects.get(pk=unpaid.pk).payment_reminded_at)
    assert f"erinnert am {day:%d.%m.%Y}" in html
