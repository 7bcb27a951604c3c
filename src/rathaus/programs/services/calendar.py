"""Calendar files (RFC 5545, ``icalendar``): one offer with all its sessions, a whole
search as a feed, and the booking attached to the confirmation mail.

Each session keeps one UID, so a calendar that subscribed to a feed updates a moved or
cancelled session instead of adding a second entry.
"""

from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ..models import Offer, Session

__all__ = ["feed", "host"]


def host() -> str:
    return settings.RATHAUS["PUBLIC_URL"].split("//", 1)[-1].split("/", 1)[0].split(":")[0]


def _event(session: Session, offer: Offer, *, cancelled: bool) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"session-{session.pk}-{offer.public_id}@{host()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", offer.title)
    event.add("description", offer.summary)
    if offer.venue_id:
        venue = offer.venue
        event.add("location", f"{venue.name}, {venue.street}, {venue.postcode} {venue.city}")
    event.add(
        "url",
        settings.RATHAUS["PUBLIC_URL"] + reverse("programs:offer", args=[offer.slug]),
    )
    gone = cancelled or session.cancelled_at is not None or offer.status == Offer.Status.CANCELLED
    event.add("status", "CANCELLED" if gone else "CONFIRMED")
    return event


def feed(offers: Iterable[Offer], *, name: str, cancelled: bool = False) -> str:
    """A calendar with every session of ``offers`` (sessions and venues prefetched)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Rathaus//Angebote//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    calendar.add("x-wr-calname", name)
    for offer in offers:
        for session in offer.sessions.all():
            calendar.add_component(_event(session, offer, cancelled=cancelled))
    return calendar.to_ical().decode()
