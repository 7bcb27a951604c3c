"""Staff: who may see an office's day, booking for callers, arrivals and no-shows, blocked
times, closing a day with notices, the waiting room and its public display."""

import io
from datetime import time, timedelta

import pytest
from django.utils import timezone
from mutagen.mp3 import MP3

from rathaus.accounts.models import AccessLogEntry, Role
from rathaus.appointments.models import Appointment, Block, OpeningException, QueueTicket
from rathaus.appointments.services import booking, calendar, queue, slots
from rathaus.core.channels import Channel
from tests.factories import StaffFactory, UserFactory
from tests.support import mails

from . import conftest
from .conftest import make_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(office):
    return StaffFactory(roles=[Role.CASEWORKER], roles__offices=[office])


@pytest.fixture
def lead(office):
    return StaffFactory(roles=[Role.TEAM_LEAD], roles__offices=[office])


def free(office, services, days_ahead=14):
    offer = slots.office_offer(office, services, 1)
    today = timezone.localdate()
    window = slots.office_calendar(offer, today, today + timedelta(days=days_ahead))
    return [(d, u) for d, units in window.items() for u in units]


def book(office, services, when, **who):
    who.setdefault("name", "Bürgerin Beispiel")
    who.setdefault("email", f"{when[0]}-{when[1]}@beispiel.de")
    return conftest.book(office, services, *when, **who)


def test_only_staff_of_the_office_see_its_day(client, office, passport, clerk):
    appointment = book(office, [passport], free(office, [passport])[0], name="Vertraulich Name")
    url = f"/verwaltung/termine/{office.slug}/?tag={appointment.day.isoformat()}"
    assert client.get(url).status_code == 302  # not signed in: to the staff sign-in
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302
    other_office = make_office("anderesbuero")
    client.force_login(StaffFactory(roles=[Role.CASEWORKER], roles__offices=[other_office]))
    response = client.get(url)
    assert response.status_code == 403 and b"Vertraulich" not in response.content
    client.force_login(StaffFactory(roles=[Role.CATALOGUE_EDITOR], roles__offices=[office]))
    assert client.get(url).status_code == 403
    client.force_login(clerk)
    html = client.get(url).content.decode()
    assert "Vertraulich Name" in html and appointment.code in html
    # Actions on another office's appointment are refused too.
    client.force_login(StaffFactory(roles=[Role.CASEWORKER], roles__offices=[other_office]))
    response = client.post(f"/verwaltung/termine/{office.slug}/termin/{appointment.code}/absagen/")
    assert response.status_code == 403
    response = client.post(
        f"/verwaltung/termine/{other_office.slug}/termin/{appointment.code}/absagen/"
    )
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


def test_viewing_an_account_holders_appointment_is_logged(client, office, passport, clerk):
    resident = UserFactory()
    appointment = book(office, [passport], free(office, [passport])[0], account=resident)
    client.force_login(clerk)
    client.get(f"/verwaltung/termine/{office.slug}/?tag={appointment.day.isoformat()}")
    entry = AccessLogEntry.objects.get(subject_id=resident.public_id)
    assert entry.record_id == appointment.code and entry.staff == clerk


def test_staff_book_for_a_caller_inside_the_lead_time(
    client, office, passport, clerk, mail_dir, django_capture_on_commit_callbacks
):
    office.booking_rules.lead_hours = 72
    office.booking_rules.save()
    tomorrow = timezone.localdate() + timedelta(days=1)
    nine = calendar.unit_floor(time(9))
    with pytest.raises(booking.Unavailable, match="frühestens 72 Stunden"):
        book(office, [passport], (tomorrow, nine))
    client.force_login(clerk)
    base = f"/verwaltung/termine/{office.slug}/buchen/"
    assert passport.title in client.get(base).content.decode()
    week = client.get(base, {"leistung": passport.slug, "personen": 1}).content.decode()
    assert f"tag={tomorrow.isoformat()}&amp;zeit=09%3A00" in week  # staff see inside the lead time
    url = f"{base}?leistung={passport.slug}&personen=1&tag={tomorrow.isoformat()}&zeit=09:00"
    response = client.post(url, {"name": "Anrufer Beispiel", "phone": "", "email": ""})
    assert "Bitte geben Sie eine E-Mail-Adresse oder Telefonnummer an." in response.content.decode()
    assert 'value="Anrufer Beispiel"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"name": "Anrufer Beispiel", "phone": "0211 123456", "email": "", "channel": "phone"},
        )
    assert response.status_code == 302
    appointment = Appointment.objects.get(name="Anrufer Beispiel")
    assert appointment.channel == Channel.PHONE and appointment.booked_by == clerk
    assert appointment.status == Appointment.Status.BOOKED
    assert mails(mail_dir) == []  # no address, no e-mail


def test_arrival_call_and_finish(client, office, passport, clerk):
    first, second = free(office, [passport])[:2]
    appointment = book(office, [passport], first)
    client.force_login(clerk)
    action = f"/verwaltung/termine/{office.slug}/termin/{appointment.code}/"
    client.post(action + "angekommen/")
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ARRIVED
    ticket = QueueTicket.objects.get(appointment=appointment)
    assert ticket.label == "A-001"
    calls = f"/verwaltung/termine/{office.slug}/aufruf/"
    response = client.post(calls, {"aktion": "naechste"}, follow=True)
    assert "Bitte wählen Sie zuerst Ihren Schalter." in response.content.decode()
    counter = office.counters.get(number=2)
    client.post(calls, {"aktion": "schalter", "schalter": counter.pk})
    client.post(calls, {"aktion": "naechste"})
    ticket.refresh_from_db()
    assert ticket.status == QueueTicket.Status.CALLED and ticket.counter == counter
    display = client.get(f"/termine/anzeige/{office.slug}/aufrufe.json").json()
    assert display["calls"][0]["ticket"] == "A-001"
    assert display["calls"][0]["counter"] == "Schalter 2"
    assert display["calls"][0]["announcement"] == "Nummer A 1, bitte zu Schalter 2."
    assert appointment.name not in str(display)
    client.post(calls, {"aktion": "erneut", "nummer": ticket.pk})
    assert (
        client.get(f"/termine/anzeige/{office.slug}/aufrufe.json").json()["calls"][0]["id"]
        == f"{ticket.pk}-2"
    )
    client.post(calls, {"aktion": "erledigt", "nummer": ticket.pk})
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.DONE

    no_show = book(office, [passport], second)
    client.post(f"/verwaltung/termine/{office.slug}/termin/{no_show.code}/nicht-erschienen/")
    no_show.refresh_from_db()
    assert no_show.status == Appointment.Status.NO_SHOW


def test_walk_ins_wait_behind_due_appointments(office, passport, clerk):
    walk_in = queue.walk_in(office, note="Frage", by=clerk)
    assert walk_in.label == "W-001"
    day, unit = free(office, [passport])[0]
    appointment = book(office, [passport], (day, unit))
    ticket = queue.arrive(appointment, by=clerk)
    # Both came on the day of the appointment (which may be tomorrow when the test runs late).
    QueueTicket.objects.filter(pk__in=[ticket.pk, walk_in.pk]).update(day=appointment.day)
    order = [t.label for t in queue.waiting(office, now=appointment.starts_at)]
    assert order == [ticket.label, walk_in.label]  # due appointment first
    early = appointment.starts_at - timedelta(hours=2)
    assert [t.label for t in queue.waiting(office, now=early)] == [walk_in.label, ticket.label]


def test_two_counters_never_call_the_same_person(office, clerk):
    for n in range(3):
        queue.walk_in(office, note=str(n), by=clerk)
    one, two = office.counters.all()[:2]
    first = queue.call_next(office, one, by=clerk)
    second = queue.call_next(office, two, by=clerk)
    third = queue.call_next(office, one, by=clerk)
    assert len({first.pk, second.pk, third.pk}) == 3
    assert queue.call_next(office, two, by=clerk) is None


def test_blocking_time_removes_it_from_the_pool(client, office, passport, clerk):
    day, unit = free(office, [passport])[0]
    client.force_login(clerk)
    url = f"/verwaltung/termine/{office.slug}/sperren/"
    response = client.post(
        url,
        {
            "counters": [c.pk for c in office.counters.all()],
            "day": day.strftime("%d.%m.%Y"),
            "start": calendar.unit_label(unit),
            "end": "17:00",
            "reason": "Teamsitzung",
        },
    )
    assert response.status_code == 302
    assert Block.objects.filter(counter__office=office, kind=Block.Kind.STAFF).count() == 2
    remaining = [u for d, u in free(office, [passport]) if d == day]
    assert all(u < unit for u in remaining)
    response = client.post(
        url, {"counters": [], "day": "30.02.2027", "start": "10:00", "end": "09:00"}
    )
    html = response.content.decode()
    assert "Bitte wählen Sie mindestens einen Schalter." in html
    assert "Bitte geben Sie das Datum als TT.MM.JJJJ an." in html
    block = Block.objects.filter(counter__office=office).first()
    client.post(f"{url}{block.pk}/aufheben/")
    assert not Block.objects.filter(pk=block.pk).exists()


def test_closing_a_day_cancels_and_tells_everyone(
    client, office, passport, clerk, lead, mail_dir, django_capture_on_commit_callbacks
):
    day, unit = free(office, [passport])[0]
    by_mail = book(office, [passport], (day, unit), email="mail@beispiel.de")
    by_phone = book(
        office, [passport], (day, unit), email="", phone="0211 99999", name="Telefon Person"
    )
    url = f"/verwaltung/termine/{office.slug}/schliessen/"
    client.force_login(clerk)
    assert client.get(url).status_code == 403  # team leads only
    client.force_login(lead)
    response = client.post(url, {"day": day.strftime("%d.%m.%Y"), "reason": "Stromausfall"})
    assert "sind 2 Termine gebucht" in response.content.decode()
    assert Appointment.objects.get(pk=by_mail.pk).status == Appointment.Status.BOOKED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"day": day.strftime("%d.%m.%Y"), "reason": "Stromausfall", "bestaetigt": "ja"}
        )
    html = response.content.decode()
    assert "Telefon Person" in html and "0211 99999" in html  # to be called
    assert OpeningException.objects.filter(office=office, day=day, reason="Stromausfall").exists()
    for appointment in (by_mail, by_phone):
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.CANCELLED
    (notice,) = [m for m in mails(mail_dir) if m["To"] == "mail@beispiel.de"]
    text = notice.get_body(("plain",)).get_content()
    assert "Stromausfall" in text
    assert f"/termine/?leistung={passport.slug}&personen=1" in text
    assert all(d != day for d, _ in free(office, [passport]))
    response = client.post(url, {"day": "01.01.2020", "reason": "zu spät"})
    assert "Vergangene Tage können nicht geschlossen werden." in response.content.decode()


def test_display_page_works_without_javascript(client, office, clerk):
    queue.walk_in(office, note="", by=clerk)
    queue.call_next(office, office.counters.first(), by=clerk)
    html = client.get(f"/termine/anzeige/{office.slug}/").content.decode()
    assert "W-001" in html and "Schalter 1" in html
    assert '<meta http-equiv="refresh"' in html
    assert client.get("/termine/anzeige/gibt-es-nicht/").status_code == 404


def test_the_display_announces_calls_with_server_made_audio(
    client, office, clerk, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    queue.walk_in(office, note="", by=clerk)
    queue.call_next(office, office.counters.first(), by=clerk)
    (call,) = client.get(f"/termine/anzeige/{office.slug}/aufrufe.json").json()["calls"]
    assert call["audio"] == f"/termine/anzeige/{office.slug}/aufruf/{call['id']}.mp3"
    response = client.get(call["audio"])
    assert response.status_code == 302
    audio = client.get(response["Location"])
    info = MP3(io.BytesIO(b"".join(audio.streaming_content))).info
    assert audio["Content-Type"] == "audio/mpeg" and 1 < info.length < 10
    assert client.get(f"/termine/anzeige/{office.slug}/aufruf/999999-1.mp3").status_code == 404


def test_check_in_with_the_booking_code(client, office, passport, clerk):
    today = timezone.localdate()
    appointment = book(office, [passport], free(office, [passport])[0])
    Appointment.objects.filter(pk=appointment.pk).update(day=today)  # it is today
    client.force_login(clerk)
    url = f"/verwaltung/termine/{office.slug}/aufruf/"
    response = client.post(url, {"aktion": "ankunft", "code": "XXXXXX"}, follow=True)
    assert "keinen gebuchten Termin mit dem Buchungscode „XXXXXX“" in response.content.decode()
    code = f" {appointment.code.lower()[:3]} {appointment.code.lower()[3:]} "
    response = client.post(url, {"aktion": "ankunft", "code": code}, follow=True)
    assert "ist angekommen: Wartenummer A-001" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ARRIVED
