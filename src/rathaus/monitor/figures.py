"""The registry of what the monitor counts: tallies and shares the modules declare.

A ``Tally`` counts transactions of one kind (applications, appointments, bookings) per
month, per service and per channel, from the module's own tables; the monitor turns it
into "share done digitally" and the green-IT account into paper and postage saved. A
``Share`` is a ratio that holds right now (catalogue services that can be done fully
online); the monitor keeps one reading of it per month so it, too, gets a trend.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from rathaus.core.channels import Channel

__all__ = [
    "Share",
    "Tally",
    "TallyRow",
    "all_shares",
    "all_tallies",
    "monthly",
    "register_share",
    "register_tally",
    "start_of",
]

# One row of a tally: the month (its first day), the service (a key the module chooses,
# e.g. the catalogue slug; "" when the module has one kind only), the channel, how many.
TallyRow = tuple[date, str, str, int]


@dataclass(frozen=True)
class Tally:
    key: str  # the figure's key in addresses and open data, e.g. "antraege"
    title: str  # "Anträge online gestellt"
    description: str  # what is counted, in one or two sentences
    counts: Callable[[datetime], Iterable[TallyRow]]  # rows from that moment on
    open_data: str = ""  # the open data set with the details, if any
    # Channels that count as digital; the rest (paper, phone, counter) as analogue.
    digital: frozenset[str] = frozenset({Channel.ONLINE.value})
    # Optional: (month, median days to a decision, cases) for processing times.
    durations: Callable[[datetime], Iterable[tuple[date, float, int]]] | None = None
    # Whether a digital case saves paper and postage (the green-IT account counts it).
    saves_paper: bool = True
    position: int = 100


@dataclass(frozen=True)
class Share:
    key: str
    title: str
    description: str
    value: Callable[[], tuple[int, int]]  # (part, whole) right now
    open_data: str = ""
    position: int = 100


_tallies: dict[str, Tally] = {}
_shares: dict[str, Share] = {}


def _register(registry: dict, item):
    known = registry.get(item.key)
    if known is not None and known is not item:
        raise ValueError(f"Monitor figure {item.key!r} is registered twice")
    registry[item.key] = item
    return item


def register_tally(tally: Tally) -> Tally:
    return _register(_tallies, tally)


def register_share(share: Share) -> Share:
    return _register(_shares, share)


def all_tallies() -> list[Tally]:
    return sorted(_tallies.values(), key=lambda tally: (tally.position, tally.key))


def all_shares() -> list[Share]:
    return sorted(_shares.values(), key=lambda share: (share.position, share.key))


def monthly(queryset: QuerySet, moment: str, *, service: str = "", channel: str) -> list[TallyRow]:
    """Count ``queryset`` per local month of the field ``moment``, per service and channel.

    ``service`` and ``channel`` name fields (lookups allowed, e.g. ``"service__slug"``); an
    empty ``service`` puts every row under "". One grouped query, whatever the size."""
    fields = {"month": TruncMonth(moment, tzinfo=timezone.get_current_timezone())}
    groups = ["month", channel] + ([service] if service else [])
    rows = queryset.annotate(**fields).values(*groups).annotate(n=Count("pk")).order_by()
    return [
        (_as_date(row["month"]), row[service] if service else "", row[channel], row["n"])
        for row in rows
    ]


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day``, local time: what a tally's ``counts`` is given."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
