"""The meetings as a calendar feed (RFC 5545, ``icalendar``); each meeting keeps one UID, so
a subscribed calendar moves or cancels the entry instead of adding a second one."""

from collections.abc import Iterable

import icalendar
from django.urls import reverse
from django.utils import timezone

from rathaus.core.http import public_url

from .models import Meeting

__all__ = ["feed"]


def _event(meeting: Meeting) -> icalendar.Event:
    page = public_url(reverse("council:meeting", args=[meeting.pk]))
    event = icalendar.Event()
    event.add("uid", f"ratsinfo-sitzung-{meeting.pk}@{page.split('//', 1)[-1].split('/', 1)[0]}")
    event.add("dtstamp", timezone.now())
    event.add("last-modified", meeting.modified_at)
    event.add("dtstart", meeting.start)
    if meeting.end:
        event.add("dtend", meeting.end)
    event.add("summary", meeting.name)
    if meeting.location_id:
        event.add("location", ", ".join(_place(meeting)))
    event.add("url", page)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    return event


def _place(meeting: Meeting) -> list[str]:
    where = meeting.location
    parts = [where.description, where.room, where.street_address]
    return [part for part in parts if part] + (
        [f"{where.postal_code} {where.locality}".strip()] if where.locality else []
    )


def feed(meetings: Iterable[Meeting], *, name: str) -> str:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Rathaus//Ratsinformation//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    return calendar.to_ical().decode()
