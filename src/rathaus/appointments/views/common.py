"""What the public and the staff pages share: the address parameters of a choice, and a
week of free times turned into links."""

from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone
from django.utils.http import urlencode

from rathaus.offices.models import Office

from ..services import calendar, slots


def choice_query(services, persons: int) -> list[tuple[str, object]]:
    return [("leistung", s.slug) for s in services] + [("personen", persons)]


def time_query(query: list[tuple[str, object]], day: date, unit: int) -> str:
    return urlencode([*query, ("tag", day.isoformat()), ("zeit", calendar.unit_label(unit))])


def free_days(
    offer: slots.Offer,
    first: date,
    count: int,
    *,
    link: Callable[[date, int], str],
    staff: bool = False,
) -> dict:
    """``count`` days from ``first`` with their free times as links, and paging dates."""
    today = timezone.localdate()
    last = first + timedelta(days=count - 1)
    free = slots.office_calendar(offer, first, last, staff=staff)
    week = [
        {
            "day": day,
            "times": [
                {"label": calendar.unit_label(unit), "url": link(day, unit)}
                for unit in free.get(day, [])
            ],
        }
        for day in (first + timedelta(days=n) for n in range(count))
    ]
    return {
        "week": week,
        "previous": max(first - timedelta(days=count), today) if first > today else None,
        "next": last + timedelta(days=1),
    }


def offered_offices(services, persons: int, *, exclude: Office) -> list[Office]:
    """Other offices that book the same, for the "elsewhere" links."""
    ids = [o for o in slots.offers(services, persons) if o != exclude.pk]
    return list(Office.objects.filter(pk__in=ids).order_by("name"))
