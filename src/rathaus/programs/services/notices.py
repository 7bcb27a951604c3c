"""What residents receive about their bookings: e-mails, the booking with its calendar file.

Every mail goes through ``core.mail.send_after_commit``: queued when the booking's
transaction commits, never for one that rolled back.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from rathaus.core import mail
from rathaus.core.http import public_url

from ..models import Booking, LotteryEntry, WaitlistEntry
from . import calendar

__all__ = [
    "booked",
    "cancelled",
    "entry_closed",
    "message",
    "offer_cancelled",
    "payment_reminder",
    "place_offered",
    "session_cancelled",
    "waitlisted",
]


def _send(
    to: str, template: str, subject: str, context: dict, *, ics: str = "", key: str = ""
) -> None:
    if not to:
        return
    body = render_to_string(
        f"programs/mail/{template}.txt",
        {**context, "city": settings.RATHAUS["CITY_NAME"]},
    )
    attachments = (
        [{"filename": "angebot.ics", "content": ics, "mimetype": "text/calendar"}] if ics else None
    )
    mail.send_after_commit(subject=subject, body=body, to=[to], attachments=attachments, key=key)


def _booking_context(booking: Booking) -> dict:
    from . import payments

    method = payments.provider(booking.payment_method)
    return {
        "booking": booking,
        "offer": booking.offer,
        "people": list(booking.participants.all()),
        "payment": method.instructions(booking, for_mail=True)
        if method and booking.total
        else None,
        "link": public_url(reverse("programs:booking", args=[booking.code])),
    }


def booked(booking: Booking) -> None:
    """Queued when the booking commits; the worker renders the mail and its calendar file
    (``tasks.send_booking_confirmation``), so the rush pays for one row, not for rendering."""
    if not booking.email:
        return
    from .. import tasks

    transaction.on_commit(lambda: tasks.send_booking_confirmation.enqueue(booking.pk))


def send_booked(booking: Booking) -> None:
    offer = booking.offer
    _send(
        booking.email,
        "booked",
        _("Buchungsbestätigung: %(title)s") % {"title": offer.title},
        _booking_context(booking),
        ics=calendar.feed([offer], name=offer.title),
        key=f"programme-booking-{booking.public_id}",  # sent once, however often the job runs
    )


def payment_reminder(booking: Booking) -> None:
    """The payment is still open after the time the method gives (``payments``)."""
    _send(
        booking.email,
        "payment_reminder",
        _("Zahlungserinnerung: %(title)s") % {"title": booking.offer.title},
        _booking_context(booking),
    )


def cancelled(booking: Booking) -> None:
    if not booking.email:
        return  # nothing to render for a booking without an address
    offer = booking.offer
    _send(
        booking.email,
        "cancelled",
        _("Stornierung: %(title)s") % {"title": offer.title},
        _booking_context(booking),
        ics=calendar.feed([offer], name=offer.title, cancelled=True),
    )


def offer_cancelled(booking: Booking, reason: str) -> None:
    if not booking.email:
        return  # nothing to render for a booking without an address
    offer = booking.offer
    _send(
        booking.email,
        "offer_cancelled",
        _("Abgesagt: %(title)s") % {"title": offer.title},
        {**_booking_context(booking), "reason": reason},
        ics=calendar.feed([offer], name=offer.title, cancelled=True),
    )


def session_cancelled(booking: Booking, session, reason: str) -> None:
    if not booking.email:
        return  # nothing to render for a booking without an address
    _send(
        booking.email,
        "session_cancelled",
        _("Termin fällt aus: %(title)s") % {"title": booking.offer.title},
        {**_booking_context(booking), "session": session, "reason": reason},
    )


def message(booking: Booking, subject: str, text: str) -> None:
    """A message of the provider to one booking's contact."""
    if not booking.email:
        return  # nothing to render for a booking without an address
    _send(
        booking.email,
        "message",
        subject,
        {**_booking_context(booking), "text": text},
    )


def waitlisted(entry: WaitlistEntry) -> None:
    _send(
        entry.email,
        "waitlisted",
        _("Warteliste: %(title)s") % {"title": entry.offer.title},
        {"entry": entry, "offer": entry.offer, "link": public_url(reverse("programs:mine"))},
    )


def entry_closed(entry: WaitlistEntry | LotteryEntry, reason: str) -> None:
    """The offer someone waits for, or entered the lottery of, was cancelled."""
    _send(
        entry.email,
        "entry_closed",
        _("Abgesagt: %(title)s") % {"title": entry.offer.title},
        {
            "entry": entry,
            "offer": entry.offer,
            "reason": reason,
            "lottery": isinstance(entry, LotteryEntry),
        },
    )


def place_offered(entry: WaitlistEntry, token: str) -> None:
    _send(
        entry.email,
        "place_offered",
        _("Ein Platz ist frei: %(title)s") % {"title": entry.offer.title},
        {
            "entry": entry,
            "offer": entry.offer,
            "link": public_url(reverse("programs:claim", args=[entry.public_id, token])),
        },
    )
