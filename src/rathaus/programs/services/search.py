"""Finding offers: the resident's search with its filters, and the offer a page shows.

Everything filters on the one ``Offer`` table (its derived fields are kept by
``offers.refresh``), so a search is two queries – the matching keys in order, then one
page of offers with the provider, venue and district joined – fast with 20,000 offers
(``bench/programs_search.py``).
Only published, upcoming offers are listed; internal offers (staff training) only for
signed-in staff, as ``booking.visible_to`` says.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    F,
    Func,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.catalog.search.analysis import MAX_TERMS, stem, words
from rathaus.catalog.search.stopwords import GERMAN_STOP_WORDS
from rathaus.offices.models import District

from ..models import Offer, Provider, Session
from . import booking
from .offers import AFTERNOON, EVENING, MORNING, terms

__all__ = [
    "COUNT_LIMIT",
    "TIMES_OF_DAY",
    "WEEKDAYS",
    "Filters",
    "State",
    "calendar_offers",
    "is_staff",
    "live",
    "offer_for",
    "search",
    "sessions",
    "state",
    "weekday_text",
]

# Bit 0 = Monday … bit 6 = Sunday (``Offer.weekdays``); the keys are what the address says.
WEEKDAYS = {"mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6}
TIMES_OF_DAY = {"vormittags": MORNING, "nachmittags": AFTERNOON, "abends": EVENING}
# Beyond this many hits nobody pages on: the count stops here.
COUNT_LIMIT = 1000
_DAY_ADVERBS = (
    gettext_lazy("montags"),
    gettext_lazy("dienstags"),
    gettext_lazy("mittwochs"),
    gettext_lazy("donnerstags"),
    gettext_lazy("freitags"),
    gettext_lazy("samstags"),
    gettext_lazy("sonntags"),
)


@dataclass
class Filters:
    """What a resident narrowed the search to; empty values do not filter.

    ``district`` is a ``District`` or a Stadtbezirk number (1–10, as in the address);
    ``weekdays`` are 0 (Monday) to 6, ``times_of_day`` the bits of ``Offer.times_of_day``.
    """

    q: str = ""
    category: str = ""
    age: int | None = None
    district: District | int | None = None
    date_from: date | None = None
    date_to: date | None = None
    weekdays: list[int] = field(default_factory=list)
    times_of_day: list[int] = field(default_factory=list)
    free_only: bool = False
    step_free: bool = False
    free_of_charge: bool = False
    provider: Provider | int | None = None

    @classmethod
    def of(cls, values: "Filters | Mapping | None") -> "Filters":
        if isinstance(values, Filters):
            return values
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (values or {}).items() if k in known and v is not None})


def is_staff(user) -> bool:
    """Signed-in staff, who also see the internal offers (``booking.visible_to``)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _shortest(key: str) -> str:
    """A search key stemmed again until it stops changing: "Schwimmkurse" gives
    "schwimmkurs" and then "schwimmkur", which the text's "Schwimmkurs" holds."""
    while len(key) > 3 and (shorter := stem(key)) != key:
        key = shorter
    return key


def search_terms(text: str) -> list[str]:
    """The search keys of ``text`` without stop words ("Kurse für Kinder" → kur, kind)."""
    kept = " ".join(w for w in words(text) if w not in GERMAN_STOP_WORDS)
    return list(dict.fromkeys(_shortest(key) for key in terms(kept)))[:MAX_TERMS]


class Unindexed(Func):
    """A column as it is, but on SQLite written ``+column`` so that the planner does not
    use an index on it.

    SQLite's statistics know no value distribution: they take ``status = 'published'``
    for a selective condition, while nine in ten offers are published, and then read the
    table row by row through that index and sort the result – several times slower than
    reading it straight through. PostgreSQL chooses well by itself and gets the column.
    """

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra)


def listed(user, now: datetime | None = None) -> QuerySet[Offer]:
    """Published offers that have not ended (or have no date) and ``user`` may see."""
    now = now or timezone.now()
    offers = (
        Offer.objects.alias(
            listed_status=Unindexed(F("status"), output_field=CharField()),
            listed_internal=Unindexed(F("internal"), output_field=BooleanField()),
        )
        .filter(listed_status=Offer.Status.PUBLISHED)
        .filter(Q(ends_at__gte=now) | Q(ends_at__isnull=True))
    )
    if not is_staff(user):
        offers = offers.filter(listed_internal=False)
    return offers


def filtered(filters: Filters, user, now: datetime | None = None) -> QuerySet[Offer]:
    """The offers matching ``filters`` (not ordered, nothing joined)."""
    offers = listed(user, now)
    for term in search_terms(filters.q):
        offers = offers.filter(search_text__contains=term)
    if filters.category:
        offers = offers.filter(category=filters.category)
    if filters.age is not None:
        offers = offers.filter(
            Q(age_min__isnull=True) | Q(age_min__lte=filters.age),
            Q(age_max__isnull=True) | Q(age_max__gte=filters.age),
        )
    if isinstance(filters.district, District):
        offers = offers.filter(district_id=filters.district.pk)
    elif filters.district is not None:
        offers = offers.filter(district__number=filters.district)
    if filters.date_from:
        offers = offers.filter(ends_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        offers = offers.filter(starts_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    if mask := sum(1 << day for day in set(filters.weekdays)):
        offers = offers.alias(on_days=F("weekdays").bitand(mask)).filter(on_days__gt=0)
    if mask := sum(set(filters.times_of_day)):
        offers = offers.alias(at_times=F("times_of_day").bitand(mask)).filter(at_times__gt=0)
    if filters.free_only:
        offers = offers.filter(taken__lt=F("capacity"))
    if filters.step_free:
        offers = offers.filter(step_free=True)
    if filters.free_of_charge:
        offers = offers.filter(price=0)
    if filters.provider is not None:
        offers = offers.filter(provider=filters.provider)
    return offers


# What a result card does not show: not read, not turned into Python objects.
_NOT_ON_CARDS = (
    "description",
    "easy_text",
    "search_text",
    "cancellation_note",
    "lottery_priorities",
    "lottery_seed",
    "payment_methods",
    "created_at",
    "updated_at",
    "provider__description",
    "provider__account_holder",
    "provider__iban",
    "provider__bic",
    "venue__accessibility_note",
)


def _order(scan: bool = False) -> tuple:
    """Offers without a date (running all year) come last on every database.

    ``scan``: the filters leave few offers, so SQLite had better read the table straight
    through and sort what is left than walk the whole ``starts_at`` index row by row.
    """
    starts = Unindexed(F("starts_at"), output_field=DateTimeField()) if scan else F("starts_at")
    return (starts.asc(nulls_last=True), "title", "pk")


def _ordered(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    return offers.select_related("provider", "venue", "district").order_by(*_order())


def search(
    filters: Filters | Mapping | None,
    user,
    *,
    limit: int = 20,
    offset: int = 0,
    now: datetime | None = None,
) -> tuple[list[Offer], int]:
    """One page of the offers matching ``filters`` for ``user``, and how many match – up to
    ``COUNT_LIMIT``; more are counted as ``COUNT_LIMIT + 1`` ("mehr als 1.000").

    Two queries: the keys of the matching offers in order (at most ``COUNT_LIMIT + 1``:
    the count and the page's keys from one pass over the table, which a text search reads
    in full), then the page's offers with their provider, venue and district joined.
    Each offer comes with ``weekday_text`` ("dienstags und donnerstags") for its card.
    """
    wanted = Filters.of(filters)
    offers = filtered(wanted, user, now)
    order = _order(scan=wanted != Filters())
    keys = list(offers.order_by(*order).values_list("pk", flat=True)[: COUNT_LIMIT + 1])
    chosen = keys[offset : offset + limit]
    if not chosen:
        return [], len(keys)
    page = list(_ordered(Offer.objects.filter(pk__in=chosen)).defer(*_NOT_ON_CARDS))
    for offer in page:
        offer.weekday_text = weekday_text(offer.weekdays)
    return page, len(keys)


def calendar_offers(
    filters: Filters | Mapping | None, user, *, limit: int = 500, now: datetime | None = None
) -> list[Offer]:
    """The first ``limit`` offers of a search with their sessions, for a calendar feed."""
    offers = _ordered(filtered(Filters.of(filters), user, now)).prefetch_related(
        Prefetch("sessions", queryset=Session.objects.order_by("starts_at"))
    )
    return list(offers[:limit])


def offer_for(slug: str, user) -> Offer | None:
    """The offer behind ``slug`` if ``user`` may see it (drafts never; internal offers
    only for staff), with what its page shows joined."""
    joined = ("provider", "venue", "venue__quarter", "venue__district", "district")
    offer = Offer.objects.select_related(*joined).filter(slug=slug).order_by().first()
    if offer is None or not booking.visible_to(offer, user):
        return None
    offer.weekday_text = weekday_text(offer.weekdays)
    return offer


# What ``state`` and ``visible_to`` read: the live places of an offer cost one small query.
_LIVE_FIELDS = (
    "status",
    "internal",
    "capacity",
    "taken",
    "allocation",
    "lottery_drawn_at",
    "booking_opens_at",
    "booking_closes_at",
    "ends_at",
    "waitlist_enabled",
)


def live(slug: str, user) -> Offer | None:
    """The places and booking state of the offer behind ``slug``, if ``user`` may see it."""
    offer = Offer.objects.only(*_LIVE_FIELDS).filter(slug=slug).order_by().first()
    if offer is None or not booking.visible_to(offer, user):
        return None
    return offer


def sessions(offer: Offer) -> list[Session]:
    return list(offer.sessions.order_by("starts_at"))


def weekday_text(mask: int) -> str:
    """The days of ``Offer.weekdays`` in words: "dienstags und donnerstags"."""
    names = [str(_DAY_ADVERBS[day]) for day in range(7) if mask & (1 << day)]
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s und %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


class State:
    """Where an offer stands for a resident who wants a place."""

    OPEN = "open"  # bookable now, places free
    FULL = "full"  # bookable, no place free: the waiting list
    NOT_YET = "not_yet"  # the booking window opens later
    CLOSED = "closed"  # the booking window has closed
    LOTTERY = "lottery"  # registration for the lottery is open
    LOTTERY_SOON = "lottery_soon"  # the lottery's registration opens later
    LOTTERY_CLOSED = "lottery_closed"  # registration over, not yet drawn
    PAST = "past"
    CANCELLED = "cancelled"


def state(offer: Offer, now: datetime | None = None) -> str:
    """The ``State`` of ``offer`` at ``now`` (the same rules as ``booking.check``)."""
    now = now or timezone.now()
    if offer.status == Offer.Status.CANCELLED:
        return State.CANCELLED
    if offer.ends_at and now >= offer.ends_at:
        return State.PAST
    opens, closes = offer.booking_opens_at, offer.booking_closes_at
    if offer.allocation == Offer.Allocation.LOTTERY and not offer.lottery_drawn_at:
        if opens and now < opens:
            return State.LOTTERY_SOON
        if closes and now >= closes:
            return State.LOTTERY_CLOSED
        return State.LOTTERY
    if opens and now < opens:
        return State.NOT_YET
    if closes and now >= closes:
        return State.CLOSED
    return State.OPEN if offer.free > 0 else State.FULL
