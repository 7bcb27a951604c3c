"""Free times: the earliest across offices, and the calendar of one office.

Both read only the cached free units of counter days (one short row per counter and
date), never the appointments: the earliest search across 200 offices is two small
queries and bit arithmetic. What they offer is checked again under the lock when booked.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from django.db.models import Count, Min, Sum
from django.utils import timezone

from rathaus.catalog.models import Service
from rathaus.offices.models import Office

from ..models import UNIT_MINUTES, UNITS_PER_DAY, BookingRules, CounterDay, OfficeService
from . import calendar, days

__all__ = ["FreeTime", "Offer", "earliest", "offers", "office_calendar", "office_offer"]

RULE_FIELDS = [f.name for f in BookingRules._meta.fields if f.name not in {"id", "office"}]


@dataclass(frozen=True)
class Offer:
    """An office that books all the chosen services, with what one appointment needs there."""

    office_id: int
    rules: BookingRules
    minutes: int  # for all persons and services, without buffer

    @property
    def units(self) -> int:
        return -(-self.minutes // UNIT_MINUTES) + self.rules.buffer_units

    def window(self, now: datetime) -> tuple[datetime, date]:
        """The earliest moment and the last date that may be booked now."""
        return calendar.utc(now) + timedelta(hours=self.rules.lead_hours), days.last_bookable_day(
            self.rules, now
        )


@dataclass(frozen=True)
class FreeTime:
    office_id: int
    day: date
    unit: int

    @property
    def starts_at(self) -> datetime:
        return calendar.local_moment(self.day, self.unit)


def offers(
    services: list[Service],
    persons: int,
    *,
    district_id: int | None = None,
    office_ids: list[int] | None = None,
    online_only: bool = True,
) -> dict[int, Offer]:
    """The offices that book every one of ``services`` for ``persons`` persons."""
    rows = OfficeService.objects.filter(
        service__in=services, is_active=True, max_persons__gte=persons
    )
    if online_only:
        rows = rows.filter(office__booking_rules__online_booking=True)
    if district_id is not None:
        rows = rows.filter(office__district_id=district_id)
    if office_ids is not None:
        rows = rows.filter(office_id__in=office_ids)
    found = (
        rows.values("office_id")
        .annotate(n=Count("pk"), minutes=Sum("minutes_per_person"))
        .filter(n=len({s.pk for s in services}))
        .values_list("office_id", "minutes")
    )
    minutes = dict(found)
    rules = {r.office_id: r for r in BookingRules.objects.filter(office_id__in=minutes)}
    return {
        office_id: Offer(office_id, rules.get(office_id) or BookingRules(), total * persons)
        for office_id, total in minutes.items()
    }


def office_offer(office: Office, services: list[Service], persons: int) -> Offer | None:
    return offers(services, persons, office_ids=[office.pk], online_only=False).get(office.pk)


@cache
def _grid(step: int) -> int:
    """The units at which appointments may begin: every ``step`` units from midnight."""
    return sum(1 << unit for unit in range(0, UNITS_PER_DAY, step))


def _starts(
    masks: list[int], offer: Offer, day: date, earliest: datetime, *, lead: bool = True
) -> int:
    """Bit mask of start units on ``day`` at which some counter is free long enough."""
    starts = 0
    for mask in masks:
        starts |= calendar.starts_fitting(mask, offer.units)
    if not starts:
        return 0
    starts &= _grid(offer.rules.step_units)
    local = timezone.localtime(earliest)
    if lead and day <= local.date():
        if day < local.date():
            return 0
        starts &= ~calendar.span(0, calendar.unit_ceil(local.time()))
    return starts


def _first_days(found: dict[int, Offer], after: dict[int, date], now: datetime) -> dict[int, date]:
    """Per office, the first date from ``after[office]`` on with a long enough free stretch
    at some counter (a lower bound: lead time and the start grid are checked later)."""
    groups: dict[tuple[int, date], list[int]] = defaultdict(list)
    for office_id, day in after.items():
        groups[(found[office_id].units, day)].append(office_id)
    bounds = {}
    for (units, day), office_ids in groups.items():
        last = max(found[o].window(now)[1] for o in office_ids)
        rows = (
            CounterDay.objects.filter(
                counter__office_id__in=office_ids,
                counter__is_active=True,
                day__range=(day, last),
                longest_run__gte=units,
            )
            .values("counter__office_id")
            .annotate(first=Min("day"))
            .values_list("counter__office_id", "first")
        )
        bounds.update((o, d) for o, d in rows if d <= found[o].window(now)[1])
    return bounds


def earliest(
    services: list[Service],
    persons: int,
    *,
    district_id: int | None = None,
    office_ids: list[int] | None = None,
    limit: int = 10,
    now: datetime | None = None,
) -> list[FreeTime]:
    """The earliest free time of each office, earliest first, at most ``limit`` offices."""
    now = calendar.utc(now)
    found = offers(services, persons, district_id=district_id, office_ids=office_ids)
    if not found:
        return []
    days.ensure_released(found, now)
    result: dict[int, FreeTime] = {}
    after = dict.fromkeys(found, timezone.localtime(now).date())  # offices still searched
    while after:
        bounds = _first_days(found, after, now)
        after = {o: after[o] for o in bounds}
        # Offices whose first possible date is later than the first ``limit`` dates known
        # so far need no closer look (yet).
        known = sorted([t.day for t in result.values()] + list(bounds.values()))
        cutoff = known[limit - 1] if len(known) >= limit else None
        look = {o: d for o, d in bounds.items() if cutoff is None or d <= cutoff}
        if not look:
            break
        masks: dict[tuple[int, date], list[int]] = defaultdict(list)
        for office_id, day, free in CounterDay.objects.filter(
            counter__office_id__in=look,
            counter__is_active=True,
            day__in=set(look.values()),
            longest_run__gte=min(found[o].units for o in look),
        ).values_list("counter__office_id", "day", "free"):
            if look.get(office_id) == day:
                masks[(office_id, day)].append(int(free, 16))
        for office_id, day in look.items():
            offer = found[office_id]
            if starts := _starts(masks[(office_id, day)], offer, day, offer.window(now)[0]):
                result[office_id] = FreeTime(office_id, day, (starts & -starts).bit_length() - 1)
                del after[office_id]
            else:
                after[office_id] = day + timedelta(days=1)
    return sorted(result.values(), key=lambda t: (t.starts_at, t.office_id))[:limit]


def office_calendar(
    offer: Offer, first: date, last: date, *, now: datetime | None = None, staff: bool = False
) -> dict[date, list[int]]:
    """Free start units per date of one office (staff may book inside the lead time and
    beyond the release, but never in the past)."""
    now = calendar.utc(now)
    earliest_moment, last_day = offer.window(now)
    if staff:
        earliest_moment = now
        last_day = max(
            last_day, timezone.localtime(now).date() + timedelta(offer.rules.horizon_days)
        )
    last = min(last, last_day)
    if last < first:
        return {}
    days.ensure_released([offer.office_id], now)
    masks: dict[date, list[int]] = defaultdict(list)
    for day, free in CounterDay.objects.filter(
        counter__office_id=offer.office_id,
        counter__is_active=True,
        day__range=(first, last),
        longest_run__gte=offer.units,
    ).values_list("day", "free"):
        masks[day].append(int(free, 16))
    result = {}
    for day in sorted(masks):
        starts = _starts(masks[day], offer, day, earliest_moment)
        units = []
        while starts:
            low = starts & -starts
            units.append(low.bit_length() - 1)
            starts ^= low
        if units:
            result[day] = units
    return result
