"""The bank-statement import: real CSV exports as German banks write them (Sparkasse in
ISO-8859-1, ING with its preamble, DKB in UTF-8 with BOM, Soll/Haben columns), the preview
(matched, amount differs, unknown code, already paid, twice in the file), applying only
after confirming, another provider's bookings never touched, and hostile files refused with
a German message."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rathaus.accounts.models import Role
from rathaus.core.models import AuditEntry
from rathaus.programs.models import Booking, PaymentEvent, ProviderMembership
from rathaus.programs.services import backoffice, statement
from rathaus.programs.services import booking as bookings
from tests.factories import StaffFactory

from .conftest import make_offer, make_provider

URL = "/verwaltung/angebote/kontoauszug/"


def book(offer, name: str, *, method: str = "transfer", people: int = 1) -> Booking:
    return bookings.book(
        bookings.Request(
            offer=offer,
            people=[bookings.Person(f"{name} {n}", 2016) for n in range(people)],
            contact_name=name,
            email=f"{name.lower()}@beispiel.de",
            payment_method=method,
        )
    )


@pytest.fixture
def course(provider, venue):
    return make_offer(
        provider,
        "test-malkurs",
        venue=venue,
        title="Testmalkurs",
        capacity=20,
        max_places_per_booking=4,
        price=Decimal("30.00"),
        payment_methods=["transfer", "on_site"],
    )


@pytest.fixture
def foreign(db):
    """An offer of another provider, with a booking whose code appears in our statement."""
    other = make_provider(
        "test-fremder-verein", account_holder="Fremd e. V.", iban="DE02120300000000202051"
    )
    offer = make_offer(
        other,
        "test-fremdkurs",
        title="Testfremdkurs",
        price=Decimal("30.00"),
        payment_methods=["transfer"],
    )
    return book(offer, "Fremd")


@pytest.fixture
def staff_client(client, provider_staff):
    client.force_login(provider_staff)
    return client


def upload(client, data: bytes, name: str = "umsaetze.csv"):
    return client.post(URL, {"datei": SimpleUploadedFile(name, data, "text/csv")})


def confirmation(html: str) -> str:
    start = html.index('name="zahlungen" value="') + len('name="zahlungen" value="')
    return html[start : html.index('"', start)].replace("&#x27;", "'")


# --- reading real exports -------------------------------------------------------------------


def sparkasse(rows: list[tuple[str, str, str, str]]) -> bytes:
    """Sparkasse "CSV-CAMT" export: every cell quoted, ISO-8859-1, 2-digit years."""
    header = (
        '"Auftragskonto";"Buchungstag";"Valutadatum";"Buchungstext";"Verwendungszweck";'
        '"Glaeubiger ID";"Mandatsreferenz";"Kundenreferenz (End-to-End)";"Sammlerreferenz";'
        '"Lastschrift Ursprungsbetrag";"Auslagenersatz Ruecklastschrift";'
        '"Beguenstigter/Zahlungspflichtiger";"Kontonummer/IBAN";"BIC (SWIFT-Code)";"Betrag";'
        '"Waehrung";"Info"'
    )
    lines = [header] + [
        f'"DE02120300000000202051";"{day}";"{day}";"GUTSCHR. UEBERWEISUNG";"{text}";"";"";'
        f'"NOTPROVIDED";"";"";"";"{payer}";"DE89370400440532013000";"COBADEFFXXX";"{amount}";'
        '"EUR";"Umsatz gebucht"'
        for day, text, payer, amount in rows
    ]
    return ("\r\n".join(lines) + "\r\n").encode("iso-8859-1")


def ing(rows: list[tuple[str, str, str, str]]) -> bytes:
    """ING: account details before the header, ISO-8859-1, "Betrag" after "Saldo"."""
    preamble = [
        "Umsatzanzeige;Datei erstellt am: 26.11.2026 10:00",
        ";Letztes Update: aktuell",
        "",
        "IBAN;DE02 1203 0000 0000 2020 51",
        "Kontoname;Girokonto",
        "Bank;ING",
        "Kunde;Testschwimmverein e. V.",
        "Zeitraum;01.11.2026 - 26.11.2026",
        "Saldo;1.234,56;EUR",
        "",
        "Sortierung;Datum absteigend",
        "",
        "In der CSV-Datei finden Sie alle bereits gebuchten Umsätze.",
        "",
        "Buchung;Valuta;Auftraggeber/Empfänger;Buchungstext;Verwendungszweck;Saldo;Währung;"
        "Betrag;Währung",
    ]
    lines = preamble + [
        f"{day};{day};{payer};Gutschrift;{text};1.264,56;EUR;{amount};EUR"
        for day, text, payer, amount in rows
    ]
    return ("\n".join(lines) + "\n").encode("iso-8859-1")


def dkb(rows: list[tuple[str, str, str, str]]) -> bytes:
    """DKB (since 2023): UTF-8 with BOM, quoted, "Betrag (€)" with the euro sign."""
    lines = [
        '"Girokonto";"DE02120300000000202051"',
        '""',
        '"Kontostand vom 26.11.2026:";"1.234,56 €"',
        '""',
        '"Buchungsdatum";"Wertstellung";"Status";"Zahlungspflichtige*r";"Zahlungsempfänger*in";'
        '"Verwendungszweck";"Umsatztyp";"IBAN";"Betrag (€)";"Gläubiger-ID";"Mandatsreferenz";'
        '"Kundenreferenz"',
    ] + [
        f'"{day}";"{day}";"Gebucht";"{payer}";"Testschwimmverein e. V.";"{text}";"Eingang";'
        f'"DE89370400440532013000";"{amount}";"";"";""'
        for day, text, payer, amount in rows
    ]
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def soll_haben(rows: list[tuple[str, str, str, str]]) -> bytes:
    """Deutsche Bank style: separate Soll and Haben columns, Windows-1252."""
    lines = [
        "Umsätze Girokonto;Zeitraum: 01.11.2026 - 26.11.2026;",
        "Buchungstag;Wert;Umsatzart;Begünstigter / Auftraggeber;Verwendungszweck;IBAN;BIC;"
        "Kundenreferenz;Mandatsreferenz ;Gläubiger ID;Fremde Gebühren;Betrag;"
        "Abweichender Empfänger;Anzahl der Aufträge;Anzahl der Schecks;Soll;Haben;Währung",
    ]
    for day, text, payer, amount in rows:
        debit, credit = (amount.lstrip("-"), "") if amount.startswith("-") else ("", amount)
        cells = [day, day, "SEPA-Überweisung", payer, text, "DE89", "COBA", *[""] * 8]
        lines.append(";".join([*cells, debit, credit, "EUR"]))
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


@pytest.mark.parametrize(
    ("export", "day"),
    [(sparkasse, "03.11.26"), (ing, "03.11.2026"), (dkb, "03.11.26"), (soll_haben, "03.11.2026")],
)
def test_exports_of_german_banks_are_read(export, day):
    data = export(
        [
            (day, "Buchung K7Q4-M2XP Malkurs", "Jörg Müller", "30,00"),
            (day, "Miete November", "Hausverwaltung Düssel", "-1.250,00"),
            (day, "Spende ohne Code", "Ärztin Weiß", "1.000,00"),
        ]
    )
    read = statement.read(data)
    (line,) = read.lines
    assert line.codes == ["K7Q4-M2XP"] and line.amount == Decimal("30.00")
    assert line.day == date(2026, 11, 3) and line.payer == "Jörg Müller"
    assert "Buchung K7Q4-M2XP Malkurs" in line.reference
    assert read.without_code == 1 and read.outgoing == 1 and read.unreadable == []


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("30,00", Decimal("30.00")),
        ("1.234,5", Decimal("1234.50")),
        ("-40,00 €", Decimal("-40.00")),
        ("40,00-", Decimal("-40.00")),
        ("+12", Decimal("12.00")),
        ("30.00", Decimal("30.00")),
        ("1,234.56", Decimal("1234.56")),
        ("EUR 7,5", Decimal("7.50")),
        ("\u221230,00", Decimal("-30.00")),
        ("drei Euro", None),
        ("1,2,3", None),
        ("30,001", None),
        ("", None),
    ],
)
def test_amounts_as_banks_write_them(text, amount):
    assert statement.parse_amount(text) == amount


def test_codes_are_found_however_they_were_typed():
    assert statement.codes_in("buchung k7q4-m2xp, danke") == (["K7Q4-M2XP"], [])
    assert statement.codes_in("K7Q4M2XP und K7Q4 M2XQ") == ([], ["K7Q4-M2XP", "K7Q4-M2XQ"])
    # Not the middle of an appointment code, not a word with O or 0.
    assert statement.codes_in("ABCD-EFGH-JKMN") == ([], [])
    assert statement.codes_in("BOOK-0000") == ([], [])


# --- preview, confirmation, scope -------------------------------------------------------------


def test_preview_then_confirm_marks_only_what_fits(staff_client, provider_staff, course, foreign):
    matched = book(course, "Anna")
    family = book(course, "Berta", people=2)  # 60 €
    differs = book(course, "Cem")
    paid = book(course, "Dora")
    backoffice.mark_paid(paid, by=provider_staff)
    twice = book(course, "Emil")
    lapsed = book(course, "Fritz")
    bookings.cancel(lapsed, by=provider_staff)
    on_site = book(course, "Gabi", method="on_site")
    data = sparkasse(
        [
            ("03.11.26", f"Buchung {matched.code}", "Anna Muster", "30,00"),
            ("03.11.26", f"Malkurs {family.code.replace('-', '').lower()}", "Berta B", "60,00"),
            ("04.11.26", f"Buchung {differs.code}", "Cem C", "25,00"),
            ("04.11.26", "Buchung ZZZZ-ZZZ2", "Niemand", "30,00"),
            ("05.11.26", f"Buchung {paid.code}", "Dora D", "30,00"),
            ("05.11.26", f"Buchung {foreign.code}", "Fremd F", "30,00"),
            ("06.11.26", f"Buchung {twice.code}", "Emil E", "30,00"),
            ("06.11.26", f"Nochmal {twice.code}", "Emil E", "30,00"),
            ("07.11.26", f"Buchung {lapsed.code}", "Fritz F", "30,00"),
            (
                "07.11.26",
                f"<script>alert(1)</script> {on_site.code}",
                "=cmd|' /C calc'!A0",
                "30,00",
            ),
        ]
    )
    answer = upload(staff_client, data)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Vorschau" in html
    for label in [
        "Passt: wird als bezahlt vermerkt",
        "Betrag weicht ab",
        "Buchungscode unbekannt",
        "Schon bezahlt",
        "Doppelt im Kontoauszug",
        "Buchung storniert: wird als zu erstatten vermerkt",
    ]:
        assert label in html, label
    assert "erwartet: 30,00\xa0€" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    # The other provider's booking is reported like an unknown code, never shown.
    assert foreign.code in html and "Testfremdkurs" not in html
    # Nothing has changed yet.
    assert Booking.objects.get(pk=matched.pk).payment_status == Booking.Payment.OPEN
    assert not PaymentEvent.objects.filter(source=PaymentEvent.Source.STATEMENT).exists()

    answer = staff_client.post(URL, {"zahlungen": confirmation(html)})
    assert answer.status_code == 302
    state = {b.code: b.payment_status for b in Booking.objects.filter(offer=course)}
    assert state[matched.code] == state[family.code] == state[twice.code] == "paid"
    # Money is money: a transfer for a booking meant to be paid on site counts too.
    assert state[differs.code] == "open" and state[on_site.code] == "paid"
    assert state[paid.code] == "paid" and state[lapsed.code] == "refund_due"
    assert Booking.objects.get(pk=foreign.pk).payment_status == Booking.Payment.OPEN
    events = PaymentEvent.objects.filter(source=PaymentEvent.Source.STATEMENT)
    assert sorted(e.booking.code for e in events if e.kind == "paid") == sorted(
        [matched.code, family.code, twice.code, lapsed.code, on_site.code]
    )
    assert events.get(booking=matched).note == "Kontoauszug, Buchungstag 03.11.2026"
    assert events.get(booking=matched).recorded_by == provider_staff
    assert events.get(booking=lapsed, kind="refund_due").amount == Decimal("30.00")
    assert "5 Buchungen sind als bezahlt vermerkt." in staff_client.get(URL).content.decode()
    assert AuditEntry.objects.get(action="programs.statement.imported").data["marked"] == 5

    # The same file again finds everything paid and offers nothing to apply.
    again = upload(staff_client, data).content.decode()
    assert 'name="zahlungen"' not in again and "Es gibt nichts zu übernehmen." in again


def test_a_tampered_confirmation_cannot_reach_other_bookings(staff_client, course, foreign):
    mine = book(course, "Anna")
    answer = staff_client.post(
        URL, {"zahlungen": f"{foreign.code};30.00;2026-11-03\n{mine.code};30.00;"}
    )
    assert answer.status_code == 302
    assert Booking.objects.get(pk=foreign.pk).payment_status == Booking.Payment.OPEN
    assert Booking.objects.get(pk=mine.pk).payment_status == Booking.Payment.PAID
    # A wrong amount is checked again too.
    other = book(course, "Berta")
    staff_client.post(URL, {"zahlungen": f"{other.code};1.00;"})
    assert Booking.objects.get(pk=other.pk).payment_status == Booking.Payment.OPEN


@pytest.mark.parametrize(
    "value",
    ["ABCD-EFGH;30;x", "' OR 1=1 --", "ABCD-EFGH;30.00;2026-13-45", "x" * 300, ""],
)
def test_a_broken_confirmation_is_refused_in_german(staff_client, course, value):
    booked = book(course, "Anna")
    answer = staff_client.post(URL, {"zahlungen": value})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert (
        "Die Vorschau ist nicht mehr gültig" in html
        or "Es gibt keine Zahlungen zum Übernehmen." in html
    )
    assert Booking.objects.get(pk=booked.pk).payment_status == Booking.Payment.OPEN


def test_staff_of_two_providers_match_both(client, provider, course, foreign):
    both = StaffFactory(roles=[Role.PROGRAM_MANAGER])
    ProviderMembership.objects.create(user=both, provider=provider)
    ProviderMembership.objects.create(user=both, provider=foreign.offer.provider)
    client.force_login(both)
    html = upload(
        client, dkb([("03.11.26", f"Kurs {foreign.code}", "Fremd F", "30,00")])
    ).content.decode()
    assert "Passt: wird als bezahlt vermerkt" in html and "Testfremdkurs" in html


# --- hostile and broken files -------------------------------------------------------------------


def rows(count: int) -> bytes:
    header = "Buchungstag;Verwendungszweck;Betrag\n"
    return (header + "03.11.2026;Buchung K7Q4-M2XP;30,00\n" * count).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Die Datei ist leer."),
        (b"   \n\n", "Die Datei ist leer."),
        (b"%PDF-1.7\n%\xe2\xe3", "Das ist eine PDF-Datei."),
        (b"PK\x03\x04\x14\x00\x06\x00", "Das ist eine Excel-Datei."),
        (b"\x00\x01\x02\x03binary\x00\x00", "keine lesbaren Textzeilen"),
        (b"Name;Adresse\nAnna;Weg 1\n", "fehlt die Kopfzeile"),
        (
            b'Buchungstag;Verwendungszweck;Betrag\n03.11.2026;"' + b"A" * 200_000 + b'";30,00\n',
            "lässt sich nicht als CSV lesen",
        ),
        (
            b"Buchungstag;Verwendungszweck;Betrag\n03.11.2026;Buch\x00ung;30,00\n",
            "keine lesbaren Textzeilen",
        ),
        (rows(statement.MAX_ROWS + 1), "mehr als 10.000 Umsätze"),
        (b"x" * (statement.MAX_BYTES + 1), "Die Datei ist zu groß (höchstens 2 MB)"),
    ],
)
def test_hostile_and_broken_files_get_a_german_message(staff_client, course, data, message):
    booked = book(course, "Anna")
    answer = upload(staff_client, data)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert Booking.objects.get(pk=booked.pk).payment_status == Booking.Payment.OPEN


def test_unreadable_amounts_and_formula_cells_are_shown_not_run(staff_client, course):
    booked = book(course, "Anna")
    data = (
        "Buchungstag;Verwendungszweck;Betrag;Name\n"
        f'03.11.2026;Buchung {booked.code};dreißig;=HYPERLINK("http://x")\n'
        f'04.11.2026;"Buchung {booked.code}\r\nZeile 2";30,00;@SUM(1+1)\n'
    ).encode()
    html = upload(staff_client, data).content.decode()
    assert "In diesen Zeilen war der Betrag nicht lesbar: 2." in html
    assert "Passt: wird als bezahlt vermerkt" in html
    assert "@SUM(1+1)" in html  # shown as text; the preview is HTML, not a spreadsheet
