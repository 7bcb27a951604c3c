"""Counter days: created ahead for the booking horizon, locked by every booking, and their
cached free units kept true.

The truth is the appointments and blocks of a counter and date; ``CounterDay.free`` is a
cache of it that is only written under the row lock (``locked``) or by ``refresh_due``
when a hold has expired or a cancelled slot's waiting period has ended.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rathaus.core.locking import for_update

from ..models import Appointment, Block, BookingRules, Counter, CounterDay
from . import calendar

__all__ = [
    "ensure",
    "ensure_released",
    "last_bookable_day",
    "locked",
    "occupied",
    "refresh_due",
    "refresh_office",
    "take",
]

# The guard of "no time is given twice": every write to a counter's day holds its row lock.
GUARD = "appointments.counter_day"

DEFAULT_RULES = BookingRules()


def last_bookable_day(rules: BookingRules | Any, now: datetime) -> date:
    """The published release: every day at ``release_time`` one more day opens, so from then
    on appointments can be booked up to ``horizon_days`` ahead."""
    local = timezone.localtime(now)
    ahead = rules.horizon_days if local.time() >= rules.release_time else rules.horizon_days - 1
    return local.date() + timedelta(days=ahead)


def _occupying(now: datetime) -> tuple[Q, Q]:
    appointments = Q(status__in=Appointment.OCCUPYING) & ~Q(
        status=Appointment.Status.HELD, hold_expires_at__lte=now
    )
    blocks = Q(until__isnull=True) | Q(until__gt=now)
    return appointments, blocks


def occupied(
    pairs: Iterable[tuple[int, date]], now: datetime, *, exclude: int | None = None
) -> dict[tuple[int, date], tuple[int, datetime | None]]:
    """Taken units and the next moment they free up by themselves, per (counter, date)."""
    pairs = set(pairs)
    counters = {counter for counter, _ in pairs}
    days = {day for _, day in pairs}
    taken: dict[tuple[int, date], int] = defaultdict(int)
    changes: dict[tuple[int, date], datetime] = {}
    appointments_q, blocks_q = _occupying(now)

    def note(key: tuple[int, date], start: int, end: int, expires: datetime | None) -> None:
        if key not in pairs:
            return
        taken[key] |= calendar.span(start, end)
        if expires is not None and (key not in changes or expires < changes[key]):
            changes[key] = expires

    rows = Appointment.objects.filter(appointments_q, counter_id__in=counters, day__in=days)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    for counter_id, day, start, end, status, expires in rows.values_list(
        "counter_id", "day", "start_unit", "end_unit", "status", "hold_expires_at"
    ):
        note((counter_id, day), start, end, expires if status == Appointment.Status.HELD else None)
    for counter_id, day, start, end, until in Block.objects.filter(
        blocks_q, counter_id__in=counters, day__in=days
    ).values_list("counter_id", "day", "start_unit", "end_unit", "until"):
        note((counter_id, day), start, end, until)
    return {key: (taken[key], changes.get(key)) for key in pairs}


def take(
    row: CounterDay, free: int, start: int, end: int, *, until: datetime | None = None
) -> None:
    """Save a locked, just recomputed row minus the units a new booking took (``until``:
    when they free up by themselves, for a hold). Saves reading the day again."""
    changes_at = row.changes_at
    if until is not None and (changes_at is None or until < changes_at):
        changes_at = until
    _set_free(row, free & ~calendar.span(start, end), 0, changes_at)
    row.save(update_fields=["free", "longest_run", "changes_at", "refreshed_at"])


def _set_free(row: CounterDay, open_mask: int, taken: int, changes_at: datetime | None) -> None:
    free = open_mask & ~taken
    row.free = format(free, "x")
    row.longest_run = calendar.longest_run(free)
    row.changes_at = changes_at


def _counters(counter_ids: Iterable[int]) -> dict[int, tuple[int, bool]]:
    """Counter → (its office, in service)."""
    rows = Counter.objects.filter(pk__in=list(counter_ids)).values_list(
        "pk", "office_id", "is_active"
    )
    return {pk: (office_id, active) for pk, office_id, active in rows}


def ensure(counter_ids: Iterable[int], first: date, last: date) -> int:
    """Create the missing counter days from ``first`` to ``last``; returns how many."""
    counters = _counters(counter_ids)
    if not counters or last < first:
        return 0
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    existing = set(
        CounterDay.objects.filter(counter_id__in=counters, day__range=(first, last)).values_list(
            "counter_id", "day"
        )
    )
    missing = [(c, d) for c in counters for d in days if (c, d) not in existing]
    if not missing:
        return 0
    hours = calendar.load_hours({office for office, _ in counters.values()}, first, last)
    taken = occupied(missing, timezone.now())
    rows = []
    for counter_id, day in missing:
        office_id, active = counters[counter_id]
        row = CounterDay(counter_id=counter_id, office_id=office_id, day=day)
        open_mask = hours[office_id].open_mask(day) if active else 0
        _set_free(row, open_mask, *taken[(counter_id, day)])
        rows.append(row)
    CounterDay.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def ensure_released(
    office_ids: Iterable[int], now: datetime, *, horizon_days: int | None = None
) -> None:
    """Make sure every counter of these offices has its days up to the end of the horizon.

    Normally the daily job has done it; this one query keeps a fresh database (or a missed
    job) from hiding bookable days.
    """
    office_ids = sorted(office_ids)
    today = timezone.localtime(now).date()
    digest = hashlib.sha256(",".join(map(str, office_ids)).encode()).hexdigest()[:32]
    key = f"appointments:released:{today}:{digest}"
    if cache.get(key):
        return
    if horizon_days is None:
        horizons = BookingRules.objects.filter(office_id__any=office_ids).values_list(
            "horizon_days", flat=True
        )
        horizon_days = max(horizons, default=DEFAULT_RULES.horizon_days)
    last = today + timedelta(days=horizon_days)
    counters = Counter.objects.filter(office_id__any=office_ids)
    if counters.count() != CounterDay.objects.filter(office_id__any=office_ids, day=last).count():
        lacking = counters.exclude(days__day=last).values_list("pk", flat=True)
        ensure(list(lacking), today, last)
    # Days, once there, stay; a new counter gets its days when it is saved.
    cache.set(key, True, 3600)


def locked(counter: Counter, day: date) -> CounterDay:
    """The row of ``counter`` on ``day``, locked until the transaction ends (created if new)."""
    rows = for_update(CounterDay.objects.filter(counter=counter, day=day), guard=GUARD)
    if (row := rows.first()) is None:
        ensure([counter.pk], day, day)
        row = rows.get()
    return row


def recompute(
    row: CounterDay,
    office_hours: calendar.OfficeHours,
    now: datetime,
    *,
    exclude: int | None = None,
    active: bool = True,
) -> int:
    """Rewrite the cache of a locked row from the truth; returns the free units (``exclude``:
    an appointment that should not count, e.g. the one being confirmed; ``active``: whether
    the counter is in service)."""
    taken, changes_at = occupied([(row.counter_id, row.day)], now, exclude=exclude)[
        (row.counter_id, row.day)
    ]
    open_mask = office_hours.open_mask(row.day) if active else 0
    _set_free(row, open_mask, taken, changes_at)
    return open_mask & ~taken


def _refresh(rows: list[CounterDay], now: datetime) -> int:
    """Recompute locked ``rows`` and save them."""
    if not rows:
        return 0
    counters = _counters({r.counter_id for r in rows})
    first, last = min(r.day for r in rows), max(r.day for r in rows)
    hours = calendar.load_hours({office for office, _ in counters.values()}, first, last)
    taken = occupied([(r.counter_id, r.day) for r in rows], now)
    for row in rows:
        office_id, active = counters[row.counter_id]
        open_mask = hours[office_id].open_mask(row.day) if active else 0
        _set_free(row, open_mask, *taken[(row.counter_id, row.day)])
    CounterDay.objects.bulk_update(rows, ["free", "longest_run", "changes_at", "refreshed_at"])
    return len(rows)


def refresh_due(now: datetime | None = None) -> int:
    """Free what freed itself: expired holds, cancelled slots past their waiting period."""
    now = calendar.utc(now)
    with transaction.atomic():
        rows = list(
            for_update(
                CounterDay.objects.filter(changes_at__lte=now), guard=GUARD, skip_locked=True
            )[:500]
        )
        return _refresh(rows, now)


def refresh_office(office_id: int, first: date) -> int:
    """After the hours, exceptions or counters of an office changed: recompute its days."""
    with transaction.atomic():
        rows = list(
            for_update(
                CounterDay.objects.filter(office_id=office_id, day__gte=first).order_by(
                    "counter_id", "day"
                ),
                guard=GUARD,
            )
        )
        return _refresh(rows, timezone.now())
