"""What residents receive about their appointment: e-mails, each with its calendar file.

The .ics file (``icalendar``) keeps one UID per appointment; moving it raises SEQUENCE
and a cancellation sends METHOD:CANCEL, so calendar programs update the entry instead
of adding a second one.
"""

import icalendar
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rathaus.core import mail
from rathaus.core.http import public_url

from ..models import Appointment
from .links import access_token

__all__ = [
    "ics",
    "manage_link",
    "rebook_link",
    "send_booked",
    "send_cancelled",
    "send_confirm_request",
    "send_reminder",
    "send_rescheduled",
]


def manage_link(appointment: Appointment) -> str:
    return public_url(reverse("appointments:manage", args=[access_token(appointment)]))


def ics(appointment: Appointment, *, cancelled: bool = False) -> str:
    """The calendar entry of ``appointment`` (RFC 5545)."""
    office = appointment.office
    services = ", ".join(item.service.title for item in appointment.items.all())
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Rathaus//Termine//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = icalendar.Event()
    host = settings.RATHAUS["PUBLIC_URL"].split("//", 1)[-1].split("/", 1)[0].split(":")[0]
    event.add("uid", f"{appointment.public_id}@{host}")
    event.add("sequence", appointment.sequence + (1 if cancelled else 0))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", _("Termin: %(services)s") % {"services": services})
    event.add("location", f"{office.name}, {office.street}, {office.postcode} {office.city}")
    event.add(
        "description",
        _("Buchungscode %(code)s. Bitte bringen Sie die nötigen Unterlagen mit.")
        % {"code": appointment.code},
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if not cancelled:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event["summary"])
        alarm.add("trigger", icalendar.vDuration.from_ical("-PT1H"))
        event.add_component(alarm)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _send(
    appointment: Appointment, template: str, subject: str, *, context=None, calendar=None
) -> None:
    if not appointment.email:
        return
    body = render_to_string(
        f"appointments/mail/{template}.txt",
        {
            "appointment": appointment,
            "office": appointment.office,
            "services": [item.service.title for item in appointment.items.all()],
            "manage_link": manage_link(appointment),
            **(context or {}),
        },
    )
    attachments = None
    if calendar is not None:
        attachments = [{"filename": "termin.ics", "content": calendar, "mimetype": "text/calendar"}]
    mail.send_after_commit(
        subject=subject, body=body, to=[appointment.email], attachments=attachments
    )


def _when(appointment: Appointment) -> str:
    return timezone.localtime(appointment.starts_at).strftime("%d.%m.%Y, %H:%M")


def send_confirm_request(appointment: Appointment, confirm_token: str) -> None:
    _send(
        appointment,
        "confirm",
        _("Bitte bestätigen Sie Ihren Termin am %(when)s Uhr") % {"when": _when(appointment)},
        context={
            "link": public_url(reverse("appointments:confirm", args=[confirm_token])),
            "expires": appointment.hold_expires_at,
        },
    )


def send_booked(appointment: Appointment) -> None:
    _send(
        appointment,
        "booked",
        _("Ihr Termin am %(when)s Uhr ist gebucht") % {"when": _when(appointment)},
        calendar=ics(appointment),
    )


def send_rescheduled(appointment: Appointment) -> None:
    _send(
        appointment,
        "rescheduled",
        _("Ihr Termin ist verschoben: %(when)s Uhr") % {"when": _when(appointment)},
        calendar=ics(appointment),
    )


def rebook_link(appointment: Appointment) -> str:
    """The search for the same services and persons, for a new appointment."""
    items = list(appointment.items.all())
    query = [("leistung", item.service.slug) for item in items]
    query.append(("personen", max((i.persons for i in items), default=1)))
    return public_url(f"{reverse('appointments:search')}?{urlencode(query)}")


def send_cancelled(appointment: Appointment, *, offer_rebooking: bool = False) -> None:
    """``offer_rebooking``: the city cancelled, so the mail links to the search for a new time."""
    _send(
        appointment,
        "cancelled",
        _("Ihr Termin am %(when)s Uhr ist abgesagt") % {"when": _when(appointment)},
        context={"rebook_link": rebook_link(appointment) if offer_rebooking else ""},
        calendar=ics(appointment, cancelled=True),
    )


def send_reminder(appointment: Appointment) -> None:
    _send(
        appointment,
        "reminder",
        _("Erinnerung: Ihr Termin am %(when)s Uhr") % {"when": _when(appointment)},
    )
