"""What the public and the staff pages share: the address parameters of a choice, and a
week of free times turned into links."""

from collections.abc import Callable
from datetime import date, timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import urlencode

from rathaus.offices.models import Office

from ..forms import parse_day
from ..services import calendar, slots


def choice_query(services, persons: int) -> list[tuple[str, object]]:
    return [("leistung", s.slug) for s in services] + [("personen", persons)]


def time_query(query: list[tuple[str, object]], day: date, unit: int) -> str:
    return urlencode([*query, ("tag", day.isoformat()), ("zeit", calendar.unit_label(unit))])


DAYS_SHOWN = 7


def free_days(
    request: HttpRequest,
    offer: slots.Offer,
    *,
    link: Callable[[date, int], str],
    staff: bool = False,
) -> dict:
    """A week of free times as links, from the day in ``?ab=`` (today at the earliest), and
    the dates of the weeks before and after."""
    today = timezone.localdate()
    first = max(parse_day(request.GET.get("ab"), today), today)
    last = first + timedelta(days=DAYS_SHOWN - 1)
    free = slots.office_calendar(offer, first, last, staff=staff)
    week = [
        {
            "day": day,
            "times": [
                {"label": calendar.unit_label(unit), "url": link(day, unit)}
                for unit in free.get(day, [])
            ],
        }
        for day in (first + timedelta(days=n) for n in range(DAYS_SHOWN))
    ]
    return {
        "week": week,
        "first": first,
        "previous": max(first - timedelta(days=DAYS_SHOWN), today) if first > today else None,
        "next": last + timedelta(days=1),
    }


def offered_offices(services, persons: int, *, exclude: Office) -> list[Office]:
    """Other offices that book the same, for the "elsewhere" links."""
    ids = [o for o in slots.offers(services, persons) if o != exclude.pk]
    return list(Office.objects.filter(pk__in=ids).order_by("name"))
