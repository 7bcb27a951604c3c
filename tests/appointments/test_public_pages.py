"""Residents on the web: search, week view, booking with proof of work, confirmation link,
personal link (view, move, cancel, calendar file), bad input, limits and rate limits."""

import base64
import json
import re
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import altcha
import icalendar
import pytest
from django.utils import timezone

from rathaus.appointments.models import Appointment
from rathaus.appointments.services import booking, calendar, privacy, slots
from tests.support import mails, metric

from .conftest import book

pytestmark = pytest.mark.django_db


def solve(client) -> str:
    """What the booking page's script does: fetch a challenge and find the number."""
    challenge = client.get("/termine/pruefaufgabe/").json()
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxNumber"]
    )
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    payload["number"] = solution.number
    return base64.b64encode(json.dumps(payload).encode()).decode()


def first_free(office, services, persons=1):
    offer = slots.office_offer(office, services, persons)
    today = timezone.localdate()
    for day, units in slots.office_calendar(offer, today, today + timedelta(days=14)).items():
        return day, units[0]
    raise AssertionError("nothing free")


def booking_url(office, services, day, unit, persons=1) -> str:
    query = [("leistung", s.slug) for s in services] + [("personen", persons)]
    query += [("tag", day.isoformat()), ("zeit", calendar.unit_label(unit))]
    return f"/termine/{office.slug}/buchen/?{urlencode(query)}"


def post_booking(client, url, *, pow=True, **fields):
    data = {"name": "Erika Beispiel", "email": "erika@beispiel.de", "phone": "", **fields}
    if pow:
        data["altcha"] = solve(client)
    return client.post(url, data)


@pytest.fixture(autouse=True)
def _easy_pow(settings):
    settings.APPOINTMENT_POW_MAX_NUMBER = 2000


def test_search_shows_the_earliest_times_with_links(client, office, passport):
    response = client.get("/termine/", {"leistung": passport.slug, "personen": 1})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Früheste freie Termine" in html
    assert office.name in html
    assert f"/termine/{office.slug}/buchen/?leistung={passport.slug}" in html
    assert "Diesen Termin buchen" in html


def test_search_explains_bad_choices_in_german(client, office, passport):
    html = client.get(
        "/termine/", {"leistung": "<script>alert(1)</script>", "personen": "99"}
    ).content.decode()
    assert "Diese Leistung kann nicht online gebucht werden." in html
    assert "Bitte wählen Sie 1 bis 5 Personen." in html
    assert "<script>alert(1)</script>" not in html
    html = client.get("/termine/", {"leistung": "", "bezirk": "x"}).content.decode()
    assert "Bitte wählen Sie, für wie viele Personen der Termin ist." in html
    assert "Diesen Stadtbezirk gibt es nicht." in html
    html = client.get("/termine/", {"personen": "2", "leistung": []}).content.decode()
    assert "Früheste freie Termine" not in html


def test_week_view_links_every_free_time(client, office, passport):
    response = client.get(f"/termine/{office.slug}/", {"leistung": passport.slug, "personen": 1})
    html = response.content.decode()
    day, unit = first_free(office, [passport])
    assert booking_url(office, [passport], day, unit).replace("&", "&amp;") in html
    assert "Spätere Tage" in html
    # Without a choice the resident is sent back to the search, with a message.
    response = client.get(f"/termine/{office.slug}/")
    assert response.status_code == 302 and response.url.startswith("/termine/")


def test_book_confirm_and_manage_without_account(
    client, office, passport, mail_dir, django_capture_on_commit_callbacks
):
    day, unit = first_free(office, [passport])
    url = booking_url(office, [passport], day, unit)
    page = client.get(url).content.decode()
    assert 'data-challenge-url="/termine/pruefaufgabe/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = post_booking(client, url)
    assert response.status_code == 302 and response.url == "/termine/reserviert/"
    appointment = Appointment.objects.get(email="erika@beispiel.de", office=office)
    assert appointment.status == Appointment.Status.HELD
    assert (
        "Bitte öffnen Sie den Link darin bis" in client.get("/termine/reserviert/").content.decode()
    )

    (request_mail,) = mails(mail_dir)
    link = re.search(
        r"https?://\S+/termine/bestaetigen/\S+/", request_mail.get_body(("plain",)).get_content()
    ).group(0)
    confirm_path = urlsplit(link).path
    assert "Termin verbindlich buchen" in client.get(confirm_path).content.decode()
    assert (
        Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.HELD
    )  # GET only shows
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_path)
    manage_path = response.url
    assert manage_path == f"/termine/link/{booking.access_token(appointment)}/"
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.BOOKED
    booked_mail = mails(mail_dir)[-1]
    assert manage_path in booked_mail.get_body(("plain",)).get_content()
    assert client.get(confirm_path).status_code == 404  # used up

    page = client.get(manage_path).content.decode()
    assert appointment.code in page and "Termin verschieben" in page

    calendar_file = client.get(manage_path + "termin.ics")
    assert calendar_file["Content-Type"].startswith("text/calendar")
    event = next(iter(icalendar.Calendar.from_ical(calendar_file.content).walk("VEVENT")))
    assert event.decoded("DTSTART") == appointment.starts_at

    # Move it to the next free time, then cancel.
    week = client.get(manage_path + "verschieben/").content.decode()
    moves = re.findall(r'href="(/termine/link/[^"]+/verschieben/\?tag=[^"]+)"', week)
    target = moves[1].replace("&amp;", "&")
    assert "Neue Uhrzeit bestätigen" in client.get(target).content.decode()
    query = dict(pair.split("=") for pair in urlsplit(target).query.split("&"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            manage_path + "verschieben/",
            {"tag": query["tag"], "zeit": query["zeit"].replace("%3A", ":")},
        )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert calendar.unit_label(appointment.start_unit) == query["zeit"].replace("%3A", ":")
    assert "Ihr Termin ist verschoben" in mails(mail_dir)[-1]["Subject"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage_path + "absagen/")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert "abgesagt" in mails(mail_dir)[-1]["Subject"]
    assert "Termin verschieben" not in client.get(manage_path).content.decode()


def test_bad_booking_input_keeps_what_was_typed(client, office, passport):
    day, unit = first_free(office, [passport])
    url = booking_url(office, [passport], day, unit)
    response = post_booking(client, url, name="", email="kein-at-zeichen")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte geben Sie Ihren Namen an." in html
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an" in html
    assert 'value="kein-at-zeichen"' in html
    response = post_booking(client, url, name="<b>Mallory</b>", email="m@beispiel.de")
    assert "Der Name darf keine Sonderzeichen" in response.content.decode()
    response = post_booking(client, url, name="A" * 500, email="m@beispiel.de", phone="12ab")
    html = response.content.decode()
    assert "höchstens 150 Zeichen" in html
    assert "Bitte geben Sie eine Telefonnummer mit Vorwahl an" in html
    assert not Appointment.objects.filter(office=office).exists()


def test_nonsense_times_are_refused_with_a_message(client, office, passport):
    base = f"/termine/{office.slug}/buchen/?leistung={passport.slug}&personen=1"
    for query in (
        "&tag=gestern&zeit=09:00",
        "&tag=2027-02-30&zeit=09:00",
        "&tag=2027-03-23&zeit=25:99",
        "",
    ):
        response = client.get(base + query, follow=True)
        assert response.redirect_chain[0][1] == 302
        assert "Bitte wählen Sie einen Termin aus dem Kalender." in response.content.decode()
    assert client.get(base + "&tag=2027-03-23&zeit=09:00").status_code == 200
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = post_booking(client, base + f"&tag={past}&zeit=09:00")
    assert response.status_code == 409
    assert "Dieser Termin liegt in der Vergangenheit." in response.content.decode()


def test_a_taken_time_offers_alternatives_and_keeps_the_input(client, office, passport):
    office.counters.filter(number=2).delete()
    day, unit = first_free(office, [passport])
    url = booking_url(office, [passport], day, unit)
    assert post_booking(client, url, email="erste@beispiel.de").status_code == 302
    conflicts = metric("rathaus_booking_conflicts_total")
    response = post_booking(client, url, name="Zweite Person", email="zweite@beispiel.de")
    html = response.content.decode()
    assert response.status_code == 409
    assert metric("rathaus_booking_conflicts_total") == conflicts + 1
    assert "Dieser Termin ist gerade vergeben worden." in html
    assert "Diese Zeiten sind hier noch frei" in html
    assert 'value="Zweite Person"' in html
    alternative = re.search(r'name="neu" value="([^"]+)"', html).group(1)
    response = post_booking(
        client, url, name="Zweite Person", email="zweite@beispiel.de", neu=alternative
    )
    assert response.status_code == 302
    second = Appointment.objects.get(email="zweite@beispiel.de")
    assert f"{second.day.isoformat()}T{calendar.unit_label(second.start_unit)}" == alternative


def test_without_proof_of_work_fewer_bookings_per_hour(client, office, passport, settings):
    settings.APPOINTMENT_BOOKINGS_NO_POW_PER_IP_HOUR = 2
    office.counters.update(is_active=True)
    offer = slots.office_offer(office, [passport], 1)
    today = timezone.localdate()
    free = [
        (d, u)
        for d, units in slots.office_calendar(offer, today, today + timedelta(days=7)).items()
        for u in units
    ]
    statuses = [
        post_booking(
            client, booking_url(office, [passport], *free[n]), pow=False, email=f"p{n}@beispiel.de"
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    response = post_booking(
        client, booking_url(office, [passport], *free[3]), email="p3@beispiel.de"
    )
    assert response.status_code == 302  # with the proof of work the normal limit applies


def test_a_solved_challenge_counts_once(client, office, passport):
    day, unit = first_free(office, [passport])
    url = booking_url(office, [passport], day, unit)
    solution = solve(client)
    assert (
        post_booking(client, url, pow=False, altcha=solution, email="a@beispiel.de").status_code
        == 302
    )
    day2, unit2 = first_free(office, [passport])
    response = post_booking(
        client,
        booking_url(office, [passport], day2, unit2),
        pow=False,
        altcha=solution,
        email="b@beispiel.de",
    )
    assert response.status_code == 400
    assert "Sicherheitsprüfung ist abgelaufen" in response.content.decode()


def test_limits_are_explained(client, office, passport, registration):
    day, unit = first_free(office, [passport])
    assert post_booking(client, booking_url(office, [passport], day, unit)).status_code == 302
    day, unit = first_free(office, [passport])
    response = post_booking(
        client, booking_url(office, [passport], day, unit), email="Erika@Beispiel.de"
    )
    assert response.status_code == 409
    assert "bereits einen Termin" in response.content.decode()


def test_links_of_others_and_forged_links_show_nothing(client, office, passport):
    day, unit = first_free(office, [passport])
    appointment = book(office, [passport], day, unit, name="Geheim Person", email="g@beispiel.de")
    forged = appointment.public_id.hex + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    for path in (
        f"/termine/link/{forged}/",
        f"/termine/link/{forged}/absagen/",
        f"/termine/link/{appointment.public_id.hex}/termin.ics",
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert b"Geheim Person" not in response.content
    response = client.post(f"/termine/link/{forged}/absagen/")
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


def test_signed_in_residents_with_a_passkey_book_at_once_and_see_it(
    client, office, passport, registration, resident_with_passkey
):
    day, unit = first_free(office, [passport])
    client.force_login(resident_with_passkey)
    url = booking_url(office, [passport], day, unit)
    page = client.get(url).content.decode()
    assert f'value="{resident_with_passkey.email}"' in page
    response = post_booking(client, url, email=resident_with_passkey.email)
    appointment = Appointment.objects.get(account=resident_with_passkey)
    assert appointment.status == Appointment.Status.BOOKED
    assert response.url == f"/termine/link/{booking.access_token(appointment)}/"
    # Another address than the account's own needs the e-mail confirmation as usual.
    day, unit = first_free(office, [registration])
    other = post_booking(
        client, booking_url(office, [registration], day, unit), email="x@beispiel.de"
    )
    assert other.url == "/termine/reserviert/"
    mine = client.get("/termine/meine/").content.decode()
    assert appointment.office.name in mine and "Meine Termine" in mine
    exported = privacy.export(resident_with_passkey)
    held = Appointment.objects.get(email="x@beispiel.de")
    assert held.status == Appointment.Status.HELD and held.account == resident_with_passkey
    assert sorted(row["code"] for row in exported) == sorted([appointment.code, held.code])
    kept = privacy.on_delete(resident_with_passkey)
    appointment.refresh_from_db()
    assert not Appointment.objects.filter(account=resident_with_passkey).exists()
    assert appointment.account is None and appointment.status == Appointment.Status.BOOKED
    assert "Termin" in kept[0].what


def test_policy_page_publishes_the_rules(client, office):
    html = client.get("/termine/regeln/").content.decode()
    assert "Jeden Tag um 07:00 Uhr wird ein weiterer Tag freigeschaltet" in html
    assert "Sperrfrist von 120 Minuten" in html
    assert "ALTCHA" in html
    assert office.name in html


def test_api_lists_the_earliest_times(client, office, passport):
    response = client.get(
        "/api/v1/termine/freie-zeiten", {"leistung": passport.slug, "personen": 2}
    )
    data = response.json()
    assert response.status_code == 200
    assert data["count"] == 1 and data["results"][0]["office"] == office.slug
    assert "/buchen/?leistung=" in data["results"][0]["book_url"]
    assert client.get("/api/v1/termine/freie-zeiten", {"leistung": "gibt-es-nicht"}).json() == {
        "detail": "Unknown service: gibt-es-nicht."
    }
    assert (
        client.get(
            "/api/v1/termine/freie-zeiten", {"leistung": passport.slug, "personen": 0}
        ).status_code
        == 422
    )
