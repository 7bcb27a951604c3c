"""When an office is open, in five-minute units of local wall-clock time, and how a unit
becomes a point in time (zoneinfo does the summer-time arithmetic).

A day's units form a bit mask: bit ``n`` stands for the five minutes from ``n * 5`` minutes
after local midnight. The day of the change to summer time has no 02:00–03:00; the day of
the change back has it twice; Bürgerbüros are closed at that hour, and every appointment
is stored with its absolute start and end (UTC) besides its date and units.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

import holidays
from django.utils import timezone

from rathaus.offices.models import OpeningHours

from ..models import UNIT_MINUTES, UNITS_PER_DAY, OpeningException, unit_label

__all__ = [
    "FULL_DAY",
    "OfficeHours",
    "holiday_name",
    "load_hours",
    "local_moment",
    "longest_run",
    "span",
    "starts_fitting",
    "unit_ceil",
    "unit_floor",
    "unit_label",
    "utc",
]

FULL_DAY = (1 << UNITS_PER_DAY) - 1


def span(start: int, end: int) -> int:
    """The mask of units ``start`` … ``end - 1``."""
    if end <= start:
        return 0
    return ((1 << (end - start)) - 1) << start


def unit_floor(moment: time) -> int:
    return (moment.hour * 60 + moment.minute) // UNIT_MINUTES


def unit_ceil(moment: time) -> int:
    minutes = moment.hour * 60 + moment.minute + (1 if moment.second or moment.microsecond else 0)
    return -(-minutes // UNIT_MINUTES)


def local_moment(day: date, unit: int) -> datetime:
    """The aware moment at which ``unit`` of ``day`` begins (``UNITS_PER_DAY`` = next midnight)."""
    days, minutes = divmod(unit * UNIT_MINUTES, 24 * 60)
    wall = datetime.combine(day + timedelta(days=days), time(minutes // 60, minutes % 60))
    return timezone.make_aware(wall, timezone.get_default_timezone())


def utc(moment: datetime | None = None) -> datetime:
    """``moment`` (default: now) in UTC. Arithmetic on aware datetimes with a zoneinfo zone
    is wall-clock arithmetic (23:00 + 4 h is 03:00 even when the clock skips an hour), so
    every service function computes in UTC."""
    return (moment or timezone.now()).astimezone(UTC)


def longest_run(mask: int) -> int:
    """The longest stretch of consecutive set bits."""
    length = 0
    while mask:
        mask &= mask >> 1
        length += 1
    return length


def starts_fitting(mask: int, units: int) -> int:
    """Bit ``n`` set where units ``n`` … ``n + units - 1`` are all set in ``mask``."""
    result, have = mask, 1
    # Doubling: after each step ``result`` marks starts of ``have`` free units.
    while have < units:
        step = min(have, units - have)
        result &= result >> step
        have += step
    return result


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv="NW", years=year, language="de")


def holiday_name(day: date) -> str | None:
    """The NRW public holiday on ``day``, if any."""
    return _holidays(day.year).get(day)


class OfficeHours:
    """Weekly hours and exceptions of one office, turned into open-unit masks per date."""

    def __init__(self, weekly: Iterable[tuple[int, time, time]], exceptions: Iterable) -> None:
        self.weekly: dict[int, int] = defaultdict(int)
        for weekday, opens, closes in weekly:
            self.weekly[weekday] |= span(unit_ceil(opens), unit_floor(closes))
        self.exceptions: dict[date, list] = defaultdict(list)
        for exception in exceptions:
            self.exceptions[exception.day].append(exception)

    def open_mask(self, day: date) -> int:
        mask = 0 if holiday_name(day) else self.weekly.get(day.weekday(), 0)
        for exception in self.exceptions.get(day, ()):
            if exception.opens is None:
                mask = 0
                continue
            hours = span(unit_ceil(exception.opens), unit_floor(exception.closes))
            mask = mask | hours if exception.is_open else mask & ~hours
        return mask

    def closure_reason(self, day: date) -> str | None:
        """Why the office is closed all day, when it is (holiday or a whole-day exception)."""
        for exception in self.exceptions.get(day, ()):
            if exception.opens is None:
                return exception.reason
        if not self.open_mask(day):
            return holiday_name(day)
        return None


def load_hours(office_ids: Iterable[int], first: date, last: date) -> dict[int, OfficeHours]:
    """The hours of several offices at once (two queries)."""
    office_ids = list(office_ids)
    weekly = defaultdict(list)
    for office_id, weekday, opens, closes in OpeningHours.objects.filter(
        office_id__in=office_ids
    ).values_list("office_id", "weekday", "opens", "closes"):
        weekly[office_id].append((weekday, opens, closes))
    exceptions = defaultdict(list)
    for exception in OpeningException.objects.filter(
        office_id__in=office_ids, day__range=(first, last)
    ):
        exceptions[exception.office_id].append(exception)
    return {oid: OfficeHours(weekly[oid], exceptions[oid]) for oid in office_ids}
