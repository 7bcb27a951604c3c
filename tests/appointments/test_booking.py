"""Holds, confirmation and its expiry, limits per person, moving and cancelling with the
waiting period, the e-mails with their calendar files, reminders and erasure."""

from datetime import date, datetime, time, timedelta

import icalendar
import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from rathaus.appointments.models import Appointment, Block, OfficeService
from rathaus.appointments.services import booking, calendar, days, privacy, slots
from rathaus.appointments.tasks import send_reminders
from tests.factories import ServiceFactory, UserFactory
from tests.support import mails

from .conftest import BERLIN, NOW

pytestmark = pytest.mark.django_db
DAY = date(2027, 3, 23)


def request(office, services, clock=time(9), *, day=DAY, persons=1, **who):
    who.setdefault("name", "Erika Beispiel")
    if "phone" not in who:
        who.setdefault("email", "erika@beispiel.de")
    return booking.Request(
        office=office,
        services=services,
        persons=persons,
        day=day,
        unit=calendar.unit_floor(clock),
        **who,
    )


def free_times(office, services, day=DAY, now=NOW):
    offer = slots.office_offer(office, services, 1)
    return [
        calendar.unit_label(u) for u in slots.office_calendar(offer, day, day, now=now).get(day, [])
    ]


def test_a_hold_waits_for_the_confirmation_link_and_then_counts(office, passport):
    appointment, token = booking.reserve(request(office, [passport]), confirmed=False, now=NOW)
    assert appointment.status == Appointment.Status.HELD
    assert appointment.hold_expires_at == NOW + timedelta(minutes=10)
    assert token and appointment.confirm_digest != token  # only the digest is stored
    assert booking.by_confirm_token(token) == appointment
    assert booking.by_confirm_token("falsch") is None
    booking.confirm(appointment, now=NOW + timedelta(minutes=9))
    assert appointment.status == Appointment.Status.BOOKED
    assert appointment.confirm_digest == ""
    assert booking.by_confirm_token(token) is None  # the link works once
    with pytest.raises(booking.BookingError, match="bereits bestätigt"):
        booking.confirm(appointment, now=NOW + timedelta(minutes=9))


def test_an_expired_hold_frees_the_time_and_can_be_confirmed_only_if_still_free(office, passport):
    office.counters.filter(number=2).delete()
    held, _token = booking.reserve(request(office, [passport]), confirmed=False, now=NOW)
    later = NOW + timedelta(minutes=11)
    assert "09:00" not in free_times(office, [passport], now=later)
    days.refresh_due(later)
    assert "09:00" in free_times(office, [passport], now=later)
    other, _ = booking.reserve(
        request(office, [passport], email="schneller@beispiel.de"), confirmed=True, now=later
    )
    assert other.counter_id == held.counter_id
    with pytest.raises(booking.SlotTaken, match="gerade vergeben"):
        booking.confirm(held, now=later)
    held.refresh_from_db()
    assert held.status == Appointment.Status.EXPIRED

    second, _ = booking.reserve(
        request(office, [passport], time(10), email="spät@beispiel.de"), confirmed=False, now=NOW
    )
    booking.confirm(second, now=NOW + timedelta(minutes=30))  # expired, but nobody took it
    assert second.status == Appointment.Status.BOOKED


def test_one_open_appointment_per_service_and_a_total_limit(
    office, passport, registration, settings
):
    settings.APPOINTMENT_MAX_OPEN = 2
    booking.reserve(request(office, [passport]), confirmed=True, now=NOW)
    with pytest.raises(booking.LimitReached, match="bereits einen Termin"):
        booking.reserve(
            request(office, [passport], time(11), email="ERIKA@beispiel.de "),
            confirmed=True,
            now=NOW,
        )
    booking.reserve(request(office, [registration], time(11)), confirmed=True, now=NOW)
    third = ServiceFactory()
    OfficeService.objects.create(office=office, service=third, minutes_per_person=10)
    with pytest.raises(booking.LimitReached, match="2 offene Termine"):
        booking.reserve(request(office, [third], time(14)), confirmed=True, now=NOW)
    # Someone else may, and the same person may again once one is cancelled.
    booking.reserve(
        request(office, [third], time(14), email="anna@beispiel.de"), confirmed=True, now=NOW
    )
    first = Appointment.objects.get(email="erika@beispiel.de", items__service=passport)
    assert booking.cancel(first, now=NOW)
    booking.reserve(request(office, [third], time(15)), confirmed=True, now=NOW)


def test_limits_follow_the_account_and_the_phone_number(office, passport):
    account = UserFactory()
    booking.reserve(
        request(office, [passport], email="eins@beispiel.de", account=account),
        confirmed=True,
        now=NOW,
    )
    with pytest.raises(booking.LimitReached):
        booking.reserve(
            request(office, [passport], time(10), email="zwei@beispiel.de", account=account),
            confirmed=True,
            now=NOW,
        )
    booking.reserve(
        request(office, [passport], time(11), phone="0211 1234567"), confirmed=True, now=NOW
    )
    with pytest.raises(booking.LimitReached):
        booking.reserve(
            request(office, [passport], time(14), phone="+49 211 1234567"), confirmed=True, now=NOW
        )


def test_cancelled_time_returns_only_after_the_waiting_period(office, passport):
    office.counters.filter(number=2).delete()
    appointment, _ = booking.reserve(request(office, [passport]), confirmed=True, now=NOW)
    assert booking.cancel(appointment, now=NOW)
    assert appointment.status == Appointment.Status.CANCELLED
    block = Block.objects.get(counter=appointment.counter, kind=Block.Kind.RETURNING)
    assert block.until == NOW + timedelta(minutes=120)
    soon = NOW + timedelta(minutes=60)
    assert "09:00" not in free_times(office, [passport], now=soon)
    with pytest.raises(booking.SlotTaken):
        booking.reserve(
            request(office, [passport], email="trader@beispiel.de"), confirmed=True, now=soon
        )
    later = NOW + timedelta(minutes=121)
    days.refresh_due(later)
    assert "09:00" in free_times(office, [passport], now=later)
    assert not booking.cancel(appointment, now=later)  # not twice


def test_rescheduling_keeps_name_code_and_link_and_frees_the_old_time_later(office, passport):
    office.counters.filter(number=2).delete()
    appointment, _ = booking.reserve(request(office, [passport]), confirmed=True, now=NOW)
    token = booking.access_token(appointment)
    code, name = appointment.code, appointment.name
    booking.reschedule(appointment, DAY, calendar.unit_floor(time(14)), now=NOW)
    # The old time is not offered during its waiting period (same counter and day).
    assert "09:00" not in free_times(office, [passport])
    assert (appointment.code, appointment.name) == (code, name)
    assert appointment.starts_at == datetime(2027, 3, 23, 14, tzinfo=BERLIN)
    assert appointment.sequence == 1
    assert booking.by_access_token(token) == appointment
    assert Block.objects.filter(
        kind=Block.Kind.RETURNING, start_unit=calendar.unit_floor(time(9))
    ).exists()
    with pytest.raises(booking.Unavailable):
        booking.reschedule(appointment, DAY, calendar.unit_floor(time(12, 30)), now=NOW)  # lunch


def test_access_tokens_cannot_be_forged_or_moved(office, passport):
    appointment, _ = booking.reserve(request(office, [passport]), confirmed=True, now=NOW)
    token = booking.access_token(appointment)
    other, _ = booking.reserve(
        request(office, [passport], email="b@beispiel.de"), confirmed=True, now=NOW
    )
    forged = other.public_id.hex + "." + token.split(".", 1)[1]
    assert booking.by_access_token(forged) is None
    assert booking.by_access_token(token[:-2] + "xx") is None
    assert booking.by_access_token("<script>") is None


def test_the_database_refuses_an_appointment_without_contact(office, passport):
    appointment, _ = booking.reserve(request(office, [passport]), confirmed=True, now=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=appointment.pk).update(email="", phone="")


def test_booked_mail_is_a_real_file_with_a_calendar_invitation(
    office, passport, mail_dir, settings, django_capture_on_commit_callbacks
):
    """The booking service itself sends it, once committed: every channel gets the same mail."""
    settings.RATHAUS = {**settings.RATHAUS, "PUBLIC_URL": "https://termine.example"}
    with django_capture_on_commit_callbacks(execute=True):
        appointment, _ = booking.reserve(
            request(office, [passport], persons=2), confirmed=True, now=NOW
        )
    (message,) = mails(mail_dir)
    assert message["To"] == "erika@beispiel.de"
    assert "23.03.2027, 09:00" in message["Subject"]
    text = (
        next(p for p in message.walk() if p.get_content_type() == "text/plain")
        .get_payload(decode=True)
        .decode()
    )
    assert "Dienstag, 23.03.2027, 09:00 Uhr" in text
    assert appointment.code in text and "2 Personen" in text
    assert f"https://termine.example/termine/link/{booking.access_token(appointment)}/" in text
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    calendar_file = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    event = next(iter(calendar_file.walk("VEVENT")))
    assert str(calendar_file["METHOD"]) == "PUBLISH"
    assert event["UID"] == f"{appointment.public_id}@termine.example"
    assert event.decoded("DTSTART") == datetime(2027, 3, 23, 9, tzinfo=BERLIN)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)
    assert "Testbuero" in str(event["LOCATION"])
    assert str(event["SUMMARY"]) == "Termin: Testausweis beantragen"


def test_moved_and_cancelled_invitations_replace_the_calendar_entry(
    office, passport, mail_dir, django_capture_on_commit_callbacks
):
    appointment, _ = booking.reserve(request(office, [passport]), confirmed=True, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        booking.reschedule(appointment, DAY, calendar.unit_floor(time(15)), now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        booking.cancel(appointment, now=NOW)
    events = []
    for message in mails(mail_dir):
        part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        events.append((str(cal["METHOD"]), next(iter(cal.walk("VEVENT")))))
    (method1, moved), (method2, cancelled) = events
    assert moved["UID"] == cancelled["UID"]
    assert (method1, int(moved["SEQUENCE"])) == ("PUBLISH", 1)
    assert (method2, str(cancelled["STATUS"])) == ("CANCEL", "CANCELLED")
    assert int(cancelled["SEQUENCE"]) > int(moved["SEQUENCE"])
    assert moved.decoded("DTSTART").astimezone(BERLIN).hour == 15


def test_reminders_go_out_once_the_day_before(office, passport, django_capture_on_commit_callbacks):
    appointment, _ = booking.reserve(request(office, [passport]), confirmed=True, now=NOW)
    assert send_reminders(now=NOW) == 0  # more than a day ahead
    day_before = datetime(2027, 3, 22, 10, tzinfo=BERLIN)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(now=day_before) == 1
    assert send_reminders(now=day_before + timedelta(hours=1)) == 0
    assert mail.outbox[0].subject.startswith("Erinnerung: Ihr Termin am 23.03.2027")
    assert booking.access_token(appointment) in mail.outbox[0].body


def test_names_and_contacts_are_erased_after_the_retention_period(office, passport, settings):
    appointment, _ = booking.reserve(
        request(office, [passport], phone="0211 555"), confirmed=True, now=NOW
    )
    privacy.anonymise_past(now=NOW)
    appointment.refresh_from_db()
    assert appointment.name == "Erika Beispiel"
    after = datetime(2027, 3, 23, 12, tzinfo=BERLIN) + timedelta(
        days=settings.APPOINTMENT_RETENTION_DAYS + 1
    )
    privacy.anonymise_past(now=after)
    appointment.refresh_from_db()
    assert (appointment.name, appointment.email, appointment.phone, appointment.contact_key) == (
        "",
        "",
        "",
        "",
    )
    assert appointment.items.count() == 1  # the statistics keep the service
