"""Free times: the earliest across offices, and the calendar of one office.

Both read only the cached free units of counter days (one short row per counter and
date), never the appointments: the earliest search across 200 offices is two small
queries and bit arithmetic. What they offer is checked again under the lock when booked.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache as memoise

from django.core.cache import cache
from django.db.models import Count, Min, Sum
from django.utils import timezone

from rathaus.catalog.models import Service
from rathaus.offices.models import Office

from ..models import UNIT_MINUTES, UNITS_PER_DAY, BookingRules, CounterDay, OfficeService
from . import calendar, days

__all__ = ["FreeTime", "Offer", "earliest", "offers", "office_calendar", "office_offer"]


# Read with the offer in one query.
RULE_FIELDS = (
    "online_booking",
    "step_minutes",
    "buffer_minutes",
    "horizon_days",
    "lead_hours",
    "release_time",
)


@dataclass(frozen=True)
class Offer:
    """An office that books all the chosen services: what one appointment needs there, and
    the office's booking rules (plain values: offers are cached and copied a lot)."""

    office_id: int
    minutes: int  # for all persons and services, without buffer
    units: int  # the counter is busy this long, buffer included
    step_units: int
    lead_hours: int
    horizon_days: int
    release_time: time
    online_booking: bool

    @classmethod
    def of(cls, office_id: int, rules: BookingRules, minutes: int) -> "Offer":
        return cls(
            office_id=office_id,
            minutes=minutes,
            units=-(-minutes // UNIT_MINUTES) + rules.buffer_units,
            step_units=rules.step_units,
            lead_hours=rules.lead_hours,
            horizon_days=rules.horizon_days,
            release_time=rules.release_time,
            online_booking=rules.online_booking,
        )

    def window(self, now: datetime) -> tuple[datetime, date]:
        """The earliest moment and the last date that may be booked now."""
        earliest = calendar.utc(now) + timedelta(hours=self.lead_hours)
        return earliest, days.last_bookable_day(self, now)


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
    rule_fields = [f"office__booking_rules__{name}" for name in RULE_FIELDS]
    found = (
        rows.values("office_id", *rule_fields)
        .annotate(n=Count("pk"), minutes=Sum("minutes_per_person"))
        .filter(n=len({s.pk for s in services}))
        .values_list("office_id", "minutes", *rule_fields)
    )
    result = {}
    for office_id, minutes, *values in found:
        # An office without rules of its own (only staff book there) has the defaults.
        own = values[0] is not None
        rules = (
            BookingRules(**dict(zip(RULE_FIELDS, values, strict=True))) if own else BookingRules()
        )
        result[office_id] = Offer.of(office_id, rules, minutes * persons)
    return result


def office_offer(office: Office, services: list[Service], persons: int) -> Offer | None:
    return offers(services, persons, office_ids=[office.pk], online_only=False).get(office.pk)


@memoise
def _grid(step: int) -> int:
    """The units at which appointments may begin: every ``step`` units from midnight."""
    return sum(1 << unit for unit in range(0, UNITS_PER_DAY, step))


@dataclass(frozen=True)
class Window:
    """What may be booked now at an office: from ``first_day`` at ``first_unit`` (the lead
    time) to ``last_day`` (the release)."""

    first_day: date
    first_unit: int
    last_day: date


def _window(offer: Offer, now: datetime, memo: dict | None = None) -> Window:
    key = (offer.lead_hours, offer.horizon_days, offer.release_time)
    if memo is not None and key in memo:
        return memo[key]
    earliest_moment, last_day = offer.window(now)
    local = timezone.localtime(earliest_moment)
    window = Window(local.date(), calendar.unit_ceil(local.time()), last_day)
    if memo is not None:
        memo[key] = window
    return window


def _starts(masks: list[int], offer: Offer, day: date, window: Window) -> int:
    """Bit mask of start units on ``day`` at which some counter is free long enough."""
    if day < window.first_day or day > window.last_day:
        return 0
    starts = 0
    for mask in masks:
        starts |= calendar.starts_fitting(mask, offer.units)
    starts &= _grid(offer.step_units)
    if day == window.first_day:
        starts &= ~calendar.span(0, window.first_unit)
    return starts


FIRST_WEEK = 7  # most offices have something free within a week: look there first


def _first_days(
    found: dict[int, Offer], after: dict[int, date], windows: dict[int, Window]
) -> dict[int, date]:
    """Per office, the first date from ``after[office]`` on with a long enough free stretch
    at some counter (a lower bound: lead time and the start grid are checked later)."""
    groups: dict[tuple[int, date], list[int]] = defaultdict(list)
    for office_id, day in after.items():
        groups[(found[office_id].units, day)].append(office_id)
    bounds: dict[int, date] = {}
    for (units, day), office_ids in groups.items():
        last = max(windows[o].last_day for o in office_ids)
        week = min(last, day + timedelta(days=FIRST_WEEK - 1))
        for first, until in ((day, week), (week + timedelta(days=1), last)):
            pending = [o for o in office_ids if o not in bounds]
            if not pending or until < first:
                break
            rows = (
                CounterDay.objects.filter(
                    office_id__any=pending, day__range=(first, until), longest_run__gte=units
                )
                .values("office_id")
                .annotate(first=Min("day"))
                .values_list("office_id", "first")
            )
            bounds.update((o, d) for o, d in rows if d <= windows[o].last_day)
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
    choice = repr([sorted(s.pk for s in services), persons, district_id, office_ids])
    key = "appointments:offers:" + hashlib.sha256(choice.encode()).hexdigest()[:32]
    found = cache.get(key)
    if found is None:
        # Master data: a change in the back office shows in the search within a minute.
        found = offers(services, persons, district_id=district_id, office_ids=office_ids)
        cache.set(key, found, 60)
    if not found:
        return []
    days.ensure_released(found, now, horizon_days=max(o.horizon_days for o in found.values()))
    memo: dict = {}
    windows = {office_id: _window(offer, now, memo) for office_id, offer in found.items()}
    result: dict[int, FreeTime] = {}
    after = {office_id: window.first_day for office_id, window in windows.items()}
    while after:
        bounds = _first_days(found, after, windows)
        after = {o: after[o] for o in bounds}
        # Offices whose first possible date is later than the first ``limit`` dates known
        # so far need no closer look (yet).
        known = sorted([t.day for t in result.values()] + list(bounds.values()))
        cutoff = known[limit - 1] if len(known) >= limit else None
        look = {o: d for o, d in bounds.items() if cutoff is None or d <= cutoff}
        if not look:
            break
        # The masks of the first possible date and the one after it: when the lead time
        # rules out the first, the second usually has it (no further round trip).
        wanted = {(o, d + timedelta(days=n)) for o, d in look.items() for n in (0, 1)}
        masks: dict[tuple[int, date], list[int]] = defaultdict(list)
        for office_id, day, free in CounterDay.objects.filter(
            office_id__any=list(look),
            day__in={day for _, day in wanted},
            longest_run__gte=min(found[o].units for o in look),
        ).values_list("office_id", "day", "free"):
            if (office_id, day) in wanted:
                masks[(office_id, day)].append(int(free, 16))
        for office_id, day in look.items():
            offer, window = found[office_id], windows[office_id]
            for candidate in (day, day + timedelta(days=1)):
                if starts := _starts(masks[(office_id, candidate)], offer, candidate, window):
                    unit = (starts & -starts).bit_length() - 1
                    result[office_id] = FreeTime(office_id, candidate, unit)
                    del after[office_id]
                    break
            else:
                after[office_id] = day + timedelta(days=2)
    # Local date and unit order is time order (offices are closed in the repeated hour).
    return sorted(result.values(), key=lambda t: (t.day, t.unit, t.office_id))[:limit]


def office_calendar(
    offer: Offer, first: date, last: date, *, now: datetime | None = None, staff: bool = False
) -> dict[date, list[int]]:
    """Free start units per date of one office (staff may book inside the lead time and
    beyond the release, but never in the past)."""
    now = calendar.utc(now)
    window = _window(offer, now)
    if staff:
        local = timezone.localtime(now)
        window = Window(
            local.date(),
            calendar.unit_ceil(local.time()),
            max(window.last_day, local.date() + timedelta(offer.horizon_days)),
        )
    last = min(last, window.last_day)
    if last < first:
        return {}
    days.ensure_released([offer.office_id], now)
    masks: dict[date, list[int]] = defaultdict(list)
    for day, free in CounterDay.objects.filter(
        office_id=offer.office_id,
        day__range=(first, last),
        longest_run__gte=offer.units,
    ).values_list("day", "free"):
        masks[day].append(int(free, 16))
    result = {}
    for day in sorted(masks):
        starts = _starts(masks[day], offer, day, window)
        units = []
        while starts:
            low = starts & -starts
            units.append(low.bit_length() - 1)
            starts ^= low
        if units:
            result[day] = units
    return result
