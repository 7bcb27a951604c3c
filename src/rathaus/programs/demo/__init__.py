"""The demo programme of Düsseldorf: providers, venues in real Stadtteile, 352 offers in all
nine categories and all ten Stadtbezirke, and the stories a visitor should see (full offers
with waiting lists, a place offered to the waiting list, a lottery in its registration
window, staff trainings, a cancelled concert, programme managers for some providers).

Runs after offices, accounts, applications and appointments. Offers are made from
templates (``offers_*.json``) × venues × start dates; every date is relative to the day of
loading (Europe/Berlin), so the demo looks current whenever it is loaded. Organisations
other than the city are invented; every provider is ``is_demo`` (addresses, e-mail
addresses @demo.duesseldorf.invalid and IBANs are made up, the IBANs with a valid check
sum). Residents are invented too. The stories (full offers, waiting lists, the offered
place, the lottery, the demo resident's bookings, the cancelled concert) go through
``services.booking``, ``waitlist``, ``lottery`` and ``backoffice``; the many ordinary
bookings are written in bulk the way ``services.booking`` writes them (its prices, the
payment methods, the initial payment state), and each offer's ``taken`` grows by exactly
their places. Either way ``taken`` = active booked places + places offered to the
waiting list.

Loading twice changes nothing: providers and venues are matched on slug and name, offers on
their slug (only their texts and prices are brought up to date; dates, capacity, status and
bookings stay as they are), and the stories are played only onto a programme that nobody
has booked yet. ``--scale N`` adds N-1 copies of every offer (``seepferdchen-bilk-2``,
"… 2") with their sessions in bulk, for the search benchmark.
"""

import contextlib
import functools
import math
import random
import time as clock
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from rathaus.accounts.demo import demo_staff
from rathaus.accounts.models import Role, User
from rathaus.core.channels import Channel
from rathaus.core.demo import copy_suffix, read_json
from rathaus.offices.models import Quarter

from ..models import (
    Booking,
    BookingParticipant,
    LotteryEntry,
    Offer,
    Participant,
    Provider,
    ProviderMembership,
    Session,
    Venue,
    WaitlistEntry,
)
from ..services import backoffice, booking, lottery, offers, payments, waitlist

__all__ = ["OFFER_FILES", "load", "plan"]

DATA = Path(__file__).resolve().parent
OFFER_FILES = [
    "offers_culture_sport.json",
    "offers_family_youth.json",
    "offers_seniors_education.json",
    "offers_social_holiday_staff.json",
]
BERLIN = ZoneInfo("Europe/Berlin")
OPENS_AT = time(10, 0)  # booking windows open at 10:00, as the rush in the issue
BATCH = 1000
# A copy is a new offer: its own keys, nobody booked, no lottery seed of its own yet.
NOT_COPIED = {"id", "public_id", "slug", "title", "taken", "lottery_seed", "lottery_drawn_at"}
# What the loader brings up to date on offers that exist (texts, prices, rules); dates,
# capacity, status and the booking window stay as the first load (or staff) left them.
UPDATABLE = [
    "title",
    "summary",
    "description",
    "easy_text",
    "category",
    "internal",
    "age_min",
    "age_max",
    "sign_language",
    "easy_language",
    "price",
    "price_reduced",
    "sibling_discount_percent",
    "payment_methods",
    "cancel_until_hours",
    "cancellation_note",
    "max_places_per_booking",
]
UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def _slug(text: str) -> str:
    return slugify(text.translate(UMLAUTS))


def _at(day: date, clock_time: time) -> datetime:
    return datetime.combine(day, clock_time, tzinfo=BERLIN)


@dataclass
class Planned:
    """One offer of the demo: a template at a venue from a start date."""

    template: dict
    venue_key: str | None
    round: int
    index: int  # the instance's number within its template (for the mix of windows)
    slug: str
    places: dict = field(default_factory=dict)  # {stadtteil, ort} for the texts


# Loading -------------------------------------------------------------------------------


def load_providers() -> tuple[dict[str, Provider], dict[str, Venue]]:
    """Providers by slug and their venues by key (upserted on slug and on provider + name)."""
    data = read_json(DATA, "providers.json")
    fields = ["name", "kind", "description", "email", "phone", "website"]
    fields += ["account_holder", "iban", "bic"]
    existing = Provider.objects.in_bulk([p["slug"] for p in data], field_name="slug")
    providers, changed = {}, []
    for row in data:
        values = {name: row.get(name, "") for name in fields} | {"is_demo": True}
        provider = existing.get(row["slug"])
        if provider is None:
            provider = Provider.objects.create(slug=row["slug"], **values)
        elif _differs(provider, values):
            changed.append(provider)
        providers[row["slug"]] = provider
    if changed:
        Provider.objects.bulk_update(changed, [*fields, "is_demo"])
    quarters = {q.name: q for q in Quarter.objects.select_related("district")}
    known = {
        (v.provider_id, v.name): v for v in Venue.objects.filter(provider__in=providers.values())
    }
    venues, fresh, changed = {}, [], []
    venue_fields = ["street", "postcode", "quarter", "district"]
    venue_fields += ["step_free", "induction_loop", "accessibility_note"]
    for row in data:
        provider = providers[row["slug"]]
        for v in row["venues"]:
            quarter = quarters.get(v["quarter"])
            values = {
                "street": v["street"],
                "postcode": v["postcode"],
                "quarter": quarter,
                "district": quarter.district if quarter else None,
                "step_free": v["step_free"],
                "induction_loop": v["induction_loop"],
                "accessibility_note": v["accessibility_note"],
            }
            venue = known.get((provider.pk, v["name"]))
            if venue is None:
                venue = Venue(provider=provider, name=v["name"], **values)
                fresh.append(venue)
            elif _differs(venue, values):
                changed.append(venue)
            venues[v["key"]] = venue
    Venue.objects.bulk_create(fresh)
    if changed:
        Venue.objects.bulk_update(changed, venue_fields)
    return providers, venues


def _differs(obj: Any, values: dict) -> bool:
    """Set ``values`` on ``obj``; whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def templates() -> list[dict]:
    return [t for name in OFFER_FILES for t in read_json(DATA, name)]


def plan(venues: dict[str, Venue]) -> list[Planned]:
    """Every offer of the demo, in a stable order (template × venue × start)."""
    planned = []
    for template in templates():
        keys = template["venues"]
        quarters = [
            venues[k].quarter.name if k in venues and venues[k].quarter else k for k in keys
        ]
        by_quarter = len(set(quarters)) == len(quarters)
        index = 0
        for key, quarter in zip(keys, quarters, strict=True):
            place = _slug(quarter) if by_quarter else key
            for round_ in range(len(template["schedule"]["starts"])):
                slug = f"{template['key']}-{place}" + (f"-r{round_ + 1}" if round_ else "")
                venue = venues.get(key)
                planned.append(
                    Planned(
                        template,
                        None if key == "online" else key,
                        round_,
                        index,
                        slug,
                        {
                            "stadtteil": quarter if venue else "online",
                            "ort": venue.name if venue else "Online-Seminar",
                        },
                    )
                )
                index += 1
    return planned


def _days(item: Planned, today: date) -> list[tuple[datetime, datetime]]:
    """The sessions of ``item``: weekly, or on consecutive working days (holiday camps)."""
    schedule = item.template["schedule"]
    weekdays, times = schedule["weekdays"], schedule["times"]
    venue_number = item.template["venues"].index(item.venue_key or "online")
    weekday = weekdays[venue_number % len(weekdays)]
    hour, minute = map(int, times[(venue_number + item.round) % len(times)].split(":"))
    day = today + timedelta(days=schedule["starts"][item.round])
    day += timedelta(days=(weekday - day.weekday()) % 7)
    days = []
    while len(days) < schedule["sessions"]:
        if schedule.get("every") != "day" or day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1 if schedule.get("every") == "day" else 7)
    length = timedelta(minutes=schedule["minutes"])
    return [(start, start + length) for start in (_at(d, time(hour, minute)) for d in days)]


def _window(item: Planned, first: datetime, today: date, forced_open: bool) -> tuple:
    """``(booking_opens_at, booking_closes_at)``: open now, opening in the coming days at
    10:00, closed (deadline passed), running (started, closed) or a lottery window."""
    mode = "open" if forced_open else item.template.get("booking", "open")
    if mode == "mixed":
        mode = "soon" if item.index % 6 == 2 else "closed" if item.index % 7 == 5 else "open"
    several = item.template["schedule"]["sessions"] > 1
    closes = first - (timedelta(days=1) if several else timedelta(hours=1))
    if first.date() <= today:  # a course that is already running
        return _at(today - timedelta(days=42), OPENS_AT), first - timedelta(days=1)
    if mode == "lottery":
        return _at(today - timedelta(days=3), OPENS_AT), _at(today + timedelta(days=7), time(18))
    if mode == "soon":
        return _at(today + timedelta(days=1 + item.index % 4), OPENS_AT), closes
    if mode == "closed":
        return _at(today - timedelta(days=30), OPENS_AT), _at(today - timedelta(days=1), time(18))
    return _at(today - timedelta(days=14), OPENS_AT), closes


def _hours(hours: int) -> str:
    if hours % 24 == 0 and hours >= 48:
        return f"{hours // 24} Tage"
    return "einer Stunde" if hours == 1 else f"{hours} Stunden"


def _cancellation_note(template: dict) -> str:
    hours = template.get("cancel_hours", 48)
    if Decimal(template.get("price", "0")) == 0:
        return (
            f"Sie können bis {_hours(hours)} vor Beginn unter „Meine Buchungen“ absagen. "
            "Bitte sagen Sie ab, wenn Sie nicht kommen können: Dann bekommt jemand von der "
            "Warteliste Ihren Platz."
        )
    return (
        f"Kostenlose Stornierung bis {_hours(hours)} vor dem ersten Termin unter „Meine "
        "Buchungen“. Danach wenden Sie sich bitte an den Anbieter; der Betrag wird erstattet, "
        "wenn Ihr Platz an jemanden von der Warteliste weitergegeben werden kann."
    )


def _texts(template: dict, item: Planned) -> dict:
    sessions = template["schedule"]["sessions"]
    values = {
        **item.places,
        "termine": str(sessions),
        "minuten": str(template["schedule"]["minutes"]),
    }
    return {
        name: template[name].format_map(values)
        for name in ("title", "summary", "description", "easy_text")
    }


def _values(item: Planned) -> dict:
    """The updatable fields of ``item``'s offer (see ``UPDATABLE``)."""
    t = item.template
    ages = t.get("ages") or [None, None]
    price = Decimal(t.get("price", "0"))
    return {
        **_texts(t, item),
        "category": t["category"],
        "internal": bool(t.get("internal")),
        "age_min": ages[0],
        "age_max": ages[1],
        "sign_language": bool(t.get("sign_language")),
        "easy_language": bool(t.get("easy_language")),
        "price": price,
        "price_reduced": Decimal(t.get("reduced", t.get("price", "0"))),
        "sibling_discount_percent": t.get("siblings", 0),
        "payment_methods": list(t.get("pay", [])) if price else [],
        "cancel_until_hours": t.get("cancel_hours", 48),
        "cancellation_note": _cancellation_note(t),
        "max_places_per_booking": t.get("max_per_booking", 4),
    }


def _provider(item: Planned, providers, venues) -> Provider:
    if item.venue_key:
        return venues[item.venue_key].provider
    return providers[item.template["provider"]]


def load_offers(
    planned: list[Planned],
    providers: dict[str, Provider],
    venues: dict[str, Venue],
    story: dict,
    today: date,
) -> dict[str, Offer]:
    """Create the missing offers with their sessions and derived fields; bring the texts
    and prices of existing ones up to date. Returns every original offer by slug."""
    existing = Offer.objects.select_related("provider", "venue__quarter", "venue__district")
    existing = existing.in_bulk([p.slug for p in planned], field_name="slug")
    forced_open = {story["free_places"], *story["full"], story["cancelled"]["slug"]}
    lottery_slug = story["lottery"]["slug"]
    fresh, sessions, changed = [], {}, []
    for item in planned:
        values = _values(item)
        venue = venues.get(item.venue_key) if item.venue_key else None
        offer = existing.get(item.slug)
        if offer is not None:
            if _differs(offer, values) or offer.venue_id != (venue.pk if venue else None):
                offer.venue = venue
                changed.append(offer)
            continue
        dates = _days(item, today)
        opens, closes = _window(item, dates[0][0], today, item.slug in forced_open)
        offer = Offer(
            provider=_provider(item, providers, venues),
            slug=item.slug,
            venue=venue,
            status=Offer.Status.PUBLISHED,
            capacity=item.template["capacity"],
            booking_opens_at=opens,
            booking_closes_at=closes,
            allocation=(
                Offer.Allocation.LOTTERY
                if item.slug == lottery_slug
                else Offer.Allocation.FIRST_COME
            ),
            lottery_priorities=story["lottery"]["priorities"] if item.slug == lottery_slug else [],
            **values,
        )
        rows = [Session(starts_at=start, ends_at=end) for start, end in dates]
        _derive(offer, rows)
        fresh.append(offer)
        sessions[item.slug] = rows
    _insert(fresh, sessions)
    for offer in changed:  # texts changed: the search keys follow (rare, and few)
        offer.save(update_fields=[*UPDATABLE, "venue", "updated_at"])
        offers.refresh(offer)
    return Offer.objects.select_related("provider", "venue").in_bulk(
        [p.slug for p in planned], field_name="slug"
    )


def _derive(offer: Offer, rows: list[Session]) -> None:
    """The derived fields (``services.offers.derived``) set before the offer is inserted."""
    for name, value in offers.derived(offer, rows).items():
        setattr(offer, name, value)


def _insert(fresh: list[Offer], sessions: dict[str, list[Session]]) -> None:
    """Offers and their sessions in bulk (the offers' keys come back from the insert)."""
    for start in range(0, len(fresh), BATCH):
        batch = fresh[start : start + BATCH]
        Offer.objects.bulk_create(batch)
        if any(o.pk is None for o in batch):  # a database that returns no keys
            ids = dict(
                Offer.objects.filter(slug__in=[o.slug for o in batch]).values_list("slug", "pk")
            )
            for offer in batch:
                offer.pk = ids[offer.slug]
        rows = []
        for offer in batch:
            for row in sessions[offer.slug]:
                row.offer_id = offer.pk
                rows.append(row)
        Session.objects.bulk_create(rows, batch_size=BATCH)


# Copies for benchmarks (--scale) ------------------------------------------------------


@dataclass
class Original:
    """What every copy of an offer shares, worked out once (stemming is the slow part)."""

    offer: Offer
    fields: dict
    title_keys: list[str]  # the search keys of the title: they come first
    other_keys: list[str]
    sessions: list[tuple[datetime, datetime]]

    @classmethod
    def of(cls, offer: Offer, sessions: list[Session]) -> "Original":
        keys = offer.search_text.split()
        title = len(dict.fromkeys(offers.terms(offer.title)))
        return cls(
            offer,
            {
                f.attname: getattr(offer, f.attname)
                for f in Offer._meta.concrete_fields
                if f.attname not in NOT_COPIED
            },
            keys[:title],
            keys[title:],
            [(s.starts_at, s.ends_at) for s in sessions],
        )

    def copy(self, copy: int) -> tuple[Offer, list[Session]]:
        """The n-th copy ("Titel 2"); its search keys are what ``offers.derived`` gives for
        its texts: the title's keys, the copy's number, then the original's other keys."""
        slug_suffix, title_suffix = copy_suffix(copy)
        offer = Offer(
            **self.fields,
            slug=self.offer.slug + slug_suffix,
            title=self.offer.title + title_suffix,
        )
        offer.status = Offer.Status.PUBLISHED
        keys = self.title_keys + _number_keys(title_suffix) + self.other_keys
        offer.search_text = " ".join(dict.fromkeys(keys))
        return offer, [Session(starts_at=start, ends_at=end) for start, end in self.sessions]


@functools.cache
def _number_keys(suffix: str) -> list[str]:
    return offers.terms(suffix)


def load_copies(originals: list[Offer], scale: int, log: Callable[[str], Any]) -> int:
    """N-1 copies of every original offer with the same sessions, in batches; returns how
    many were new (copies that exist are left as they are)."""
    sessions: dict[int, list[Session]] = {o.pk: [] for o in originals}
    for row in Session.objects.filter(offer__in=originals).order_by("starts_at"):
        sessions[row.offer_id].append(row)
    prepared = [Original.of(o, sessions[o.pk]) for o in originals]
    total, made = len(originals) * (scale - 1), 0
    wanted = [(copy, o) for copy in range(2, scale + 1) for o in prepared]
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        slugs = [o.offer.slug + copy_suffix(copy)[0] for copy, o in batch]
        known = set(Offer.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        fresh, rows = [], {}
        for (copy, original), slug in zip(batch, slugs, strict=True):
            if slug not in known:
                offer, rows[slug] = original.copy(copy)
                fresh.append(offer)
        _insert(fresh, rows)
        made += len(fresh)
        done = min(start + BATCH, total)
        if done % 5000 < BATCH or done == total:
            log(f"Angebote: {done:,} von {total:,} Kopien".replace(",", "."))
    return made


# People ---------------------------------------------------------------------------------


@dataclass
class Resident:
    user: User
    me: Participant
    people: list[Participant]
    duesselpass: bool
    district: int


def load_managers(
    data: dict, providers: dict[str, Provider], log: Callable[[str], Any]
) -> dict[str, User]:
    """Programme managers of some providers; like the accounts demo, a one-time passkey
    enrolment link is printed for each until a passkey is registered."""
    managers = {}
    for row in data["managers"]:
        names = ", ".join(providers[slug].name for slug in row["providers"])
        user = demo_staff(
            row["email"],
            row["name"],
            row["number"],
            [Role.PROGRAM_MANAGER],
            [],
            log=log,
            area=f"Angebote ({names})",
        )
        ProviderMembership.objects.bulk_create(
            [ProviderMembership(user=user, provider=providers[s]) for s in row["providers"]],
            ignore_conflicts=True,
        )
        managers[row["email"]] = user
    return managers


def _account(email: str) -> User:
    user = User.objects.filter(email=email).first()
    return user or User.objects.create_user(email, email_confirmed_at=timezone.now())


def load_residents(data: dict, rng: random.Random) -> list[Resident]:
    """Invented families (a parent and one to three children of every age) and older
    people living alone; only made when they do not exist yet."""
    year = timezone.localdate().year
    firsts, lasts, seniors = data["first_names"], data["last_names"], data["senior_first_names"]
    people: list[tuple[str, str, int, list[tuple[str, int]], int]] = []
    for number, last in enumerate(lasts):
        first = firsts[number]
        count = 1 + (number * 7) % 3
        children = [
            (firsts[(number * 11 + k * 17 + 5) % len(firsts)], (number * 5 + k * 7) % 17)
            for k in range(count)
        ]
        people.append((first, last, 27 + (number * 13) % 24, children, number))
    for number, first in enumerate(seniors):
        last = lasts[(number * 3 + 7) % len(lasts)]
        people.append((first, last, 61 + (number * 7) % 24, [], number))
    residents = []
    for first, last, age, children, number in people:
        email = f"{_slug(first)}.{_slug(last)}.{number}@demo.duesseldorf.invalid"
        user = _account(email)
        mine = list(Participant.objects.filter(account=user))
        if not mine:
            rows = [Participant(account=user, name=f"{first} {last}", birth_year=year - age)]
            rows[0].is_self = True
            rows += [
                Participant(account=user, name=f"{child} {last}", birth_year=year - child_age)
                for child, child_age in children
            ]
            mine = Participant.objects.bulk_create(rows)
        me = next(p for p in mine if p.is_self)
        residents.append(
            Resident(user, me, [p for p in mine if not p.is_self], number % 4 == 1, number % 10 + 1)
        )
    rng.shuffle(residents)
    return residents


# Stories --------------------------------------------------------------------------------


def _request(
    offer: Offer, resident: Resident, chosen: list[Participant], **extra
) -> booking.Request:
    methods = payments.methods_for(offer)
    return booking.Request(
        offer=offer,
        people=[booking.Person.of(p) for p in chosen],
        contact_name=resident.me.name,
        # Invented residents get no mail: the demo mailbox shows what a visitor does.
        email="",
        account=resident.user,
        duesselpass=resident.duesselpass,
        payment_method=methods[len(chosen) % len(methods)] if methods else "",
        **extra,
    )


def _is_open(offer: Offer, now: datetime) -> bool:
    return bool(
        (offer.booking_opens_at is None or offer.booking_opens_at <= now)
        and (offer.booking_closes_at is None or now < offer.booking_closes_at)
    )


def _groups(
    offer: Offer, places: int, residents: list[Resident], rng: random.Random
) -> Iterable[tuple[Resident, list[Participant]]]:
    """Residents with the people of theirs who fit ``offer``, about ``places`` in all."""
    taken, start = 0, rng.randrange(len(residents))
    for resident in residents[start:] + residents[:start]:
        if taken >= places:
            return
        fitting = [
            p
            for p in ([resident.me] if offer.age_max is None else []) + resident.people
            if booking.age_fits(offer, p.birth_year)
        ]
        size = min(places - taken, offer.max_places_per_booking, rng.choice([1, 1, 2, 2, 3]))
        if fitting:
            taken += min(size, len(fitting))
            yield resident, fitting[:size]


def _assisted(offer: Offer, assistant: User | None, now: datetime) -> dict | None:
    """How a booking is made now: online while the window is open, by staff for a caller
    (as if by phone) after it closed; ``None`` before it opens (nobody can have booked)."""
    if offer.booking_opens_at and now < offer.booking_opens_at:
        return None
    if _is_open(offer, now):
        return {}
    return {"booked_by": assistant, "channel": Channel.PHONE} if assistant else None


def fill(
    offer: Offer,
    places: int,
    residents: list[Resident],
    rng: random.Random,
    *,
    assistant: User | None,
    now: datetime,
) -> int:
    """Book about ``places`` places through ``services.booking``; returns the places booked."""
    assisted = _assisted(offer, assistant, now)
    if assisted is None:
        return 0
    booked = 0
    for resident, chosen in _groups(offer, places, residents, rng):
        try:
            booking.book(_request(offer, resident, chosen, **assisted), now)
        except booking.BookingError:
            continue
        booked += len(chosen)
    return booked


class Background:
    """The many ordinary bookings that make the programme look used, written in bulk.

    They are made as ``services.booking`` makes them (its prices, the provider's payment
    methods, the initial payment state), and each offer's ``taken`` grows by exactly the
    places written, in one update. The stories a visitor looks at closely (full offers,
    waiting lists, the lottery, Erika's bookings) go through the services themselves.
    """

    def __init__(self) -> None:
        self.bookings: list[tuple[Booking, list[BookingParticipant]]] = []
        self.places: dict[int, int] = {}

    def add(self, offer: Offer, people: list[booking.Person], **fields) -> None:
        charged = booking.prices(offer, len(people), duesselpass=fields.pop("duesselpass", False))
        total = sum((price for price, _reduction in charged), Decimal("0.00"))
        methods = payments.methods_for(offer)
        method = methods[len(self.bookings) % len(methods)] if total and methods else ""
        made = Booking(
            offer=offer,
            places=len(people),
            total=total,
            payment_method=method,
            payment_status=payments.initial_status(method, total),
            **fields,
        )
        self.bookings.append(
            (
                made,
                [
                    BookingParticipant(
                        offer=offer,
                        participant=person.participant,
                        name=person.name,
                        birth_year=person.birth_year,
                        price=price,
                        reduction=reduction,
                    )
                    for person, (price, reduction) in zip(people, charged, strict=True)
                ],
            )
        )
        self.places[offer.pk] = self.places.get(offer.pk, 0) + len(people)

    def fill(
        self,
        offer: Offer,
        places: int,
        residents: list[Resident],
        rng: random.Random,
        *,
        assistant: User | None,
        now: datetime,
    ) -> None:
        assisted = _assisted(offer, assistant, now)
        if assisted is None:
            return
        for resident, chosen in _groups(offer, places, residents, rng):
            self.add(
                offer,
                [booking.Person.of(p) for p in chosen],
                account=resident.user,
                contact_name=resident.me.name,
                duesselpass=resident.duesselpass,
                **assisted,
            )

    def save(self) -> int:
        Booking.objects.bulk_create([b for b, _people in self.bookings], batch_size=BATCH)
        rows = []
        for made, people in self.bookings:
            for person in people:
                person.booking = made
                rows.append(person)
        BookingParticipant.objects.bulk_create(rows, batch_size=BATCH)
        for offer_id, places in self.places.items():
            Offer.objects.filter(pk=offer_id).update(taken=F("taken") + places)
        return len(self.bookings)


def _wait(offer: Offer, count: int, residents: list[Resident], now: datetime) -> int:
    """``count`` residents (not booked here) join the waiting list with one person each."""
    booked = set(
        Booking.objects.filter(offer=offer, status=Booking.Status.BOOKED).values_list(
            "account_id", flat=True
        )
    )
    joined = 0
    for resident in residents:
        if joined >= count:
            break
        if resident.user.pk in booked:
            continue
        fitting = [
            p
            for p in [resident.me, *resident.people]
            if booking.age_fits(offer, p.birth_year) and (p.is_self or offer.age_max is not None)
        ]
        if not fitting:
            continue
        try:
            waitlist.join(_request(offer, resident, fitting[:1]), now)
        except (booking.BookingError, waitlist.WaitlistError):
            continue
        joined += 1
    return joined


def _staff_fill(offer: Offer, names: list[str], by: User, now: datetime) -> None:
    """Employees signed up by the training team (internal offers are not for residents)."""
    for name in names:
        request = booking.Request(
            offer=offer,
            people=[booking.Person(name)],
            contact_name=name,
            booked_by=by,
            channel=Channel.PHONE,
        )
        try:
            booking.book(request, now)
        except booking.Full:
            try:
                waitlist.join(request, now)
            except (booking.BookingError, waitlist.WaitlistError):
                return


def play_stories(
    story: dict,
    planned: list[Planned],
    originals: dict[str, Offer],
    managers: dict[str, User],
    rng: random.Random,
) -> dict[str, int]:
    """Bookings, waiting lists, an offered place, a cancelled offer and lottery entries."""
    now = timezone.now()
    residents = load_residents(story, rng)
    assistant = User.objects.filter(email=story["assistant"]).first()
    training = next(
        managers[m["email"]] for m in story["managers"] if "fortbildung" in m["providers"]
    )
    employees = list(story["employees"])
    # Full offers first, so that nobody else takes their places.
    for slug, waiting in story["full"].items():
        offer = originals[slug]
        if offer.internal:
            _staff_fill(offer, employees[: offer.capacity + waiting], training, now)
        else:
            fill(offer, offer.capacity, residents, rng, assistant=assistant, now=now)
    erika = _erika(story["erika"], originals, now)
    for slug, waiting in story["full"].items():
        if not originals[slug].internal:
            _wait(originals[slug], waiting, residents, now)
    # One booking is cancelled by the provider: its place is offered to the first in line.
    offered = originals[story["offered"]]
    manager = next(
        (u for u in managers.values() if offered.provider.members.filter(user=u).exists()), None
    )
    first = Booking.objects.filter(offer=offered, status=Booking.Status.BOOKED).order_by("pk")
    if first.exists():
        booking.cancel(first.first(), by=manager, now=now)
    # Two demo staff members booked a training for themselves.
    for email, slug in story["staff_bookings"].items():
        user = User.objects.filter(email=email).first()
        if user is not None:
            me = Participant.objects.filter(account=user, is_self=True).first()
            me = me or Participant.objects.create(account=user, is_self=True, name=user.full_name)
            resident = Resident(user, me, [], False, 1)
            with contextlib.suppress(booking.BookingError):
                booking.book(_request(originals[slug], resident, [me]), now)
    # Everyone else: some offers get a few bookings, fewer than their places.
    background = Background()
    special = {*story["full"], story["lottery"]["slug"], story["cancelled"]["slug"]}
    for item in planned:
        offer = originals[item.slug]
        if item.slug in special or offer.internal:
            continue
        if rng.random() >= float(item.template.get("fill", 0.5)):
            continue
        wanted = max(1, math.ceil(offer.capacity * rng.uniform(0.1, 0.6)))
        background.fill(offer, min(wanted, 8), residents, rng, assistant=assistant, now=now)
    internal = [originals[p.slug] for p in planned if originals[p.slug].internal]
    internal = [o for o in internal if o.slug not in special]
    for number, offer in enumerate(internal):
        if rng.random() < 0.7 and _assisted(offer, training, now) is not None:
            for name in employees[number % 5 :: 3][: max(1, offer.capacity // 3)]:
                background.add(
                    offer,
                    [booking.Person(name)],
                    contact_name=name,
                    booked_by=training,
                    channel=Channel.PHONE,
                )
    background.fill(
        originals[story["cancelled"]["slug"]], 20, residents, rng, assistant=assistant, now=now
    )
    count = background.save()
    _cancel(story["cancelled"], originals, managers, now)
    entries = _lottery(story["lottery"], originals, residents, now)
    return {"erika": erika, "lottery": entries, "background": count}


def _erika(data: dict, originals: dict[str, Offer], now: datetime) -> int:
    """The demo resident Erika Mustermann: two bookings, a waiting list and a lottery entry."""
    year = timezone.localdate().year
    user = _account(data["email"])
    if not Participant.objects.filter(account=user).exists():
        Participant.objects.create(
            account=user, name=data["name"], birth_year=year - data["age"], is_self=True
        )
        Participant.objects.bulk_create(
            Participant(account=user, name=name, birth_year=year - age)
            for name, age in data["children"]
        )
    people = {p.name: p for p in Participant.objects.filter(account=user)}
    resident = Resident(user, people[data["name"]], [], False, 3)
    actions = 0
    for kind, plans in (("book", data["book"]), ("waitlist", data["waitlist"])):
        for slug, names in plans.items():
            request = _request(originals[slug], resident, [people[n] for n in names])
            request.email = user.email
            try:
                (booking.book if kind == "book" else waitlist.join)(request, now)
                actions += 1
            except (booking.BookingError, waitlist.WaitlistError):
                pass
    for slug, names in data["lottery"].items():
        request = _request(originals[slug], resident, [people[n] for n in names])
        request.email, request.payment_method = user.email, ""
        try:
            lottery.enter(request, now)
            actions += 1
        except booking.BookingError:
            pass
    return actions


def _cancel(data: dict, originals: dict[str, Offer], managers: dict[str, User], now) -> None:
    """A concert that had bookings is called off by the provider (everyone is told)."""
    offer = originals[data["slug"]]
    by = next(
        (u for u in managers.values() if offer.provider.members.filter(user=u).exists()), None
    )
    if by is not None:
        backoffice.cancel_offer(offer, data["reason"], by=by, now=now)


def _lottery(data: dict, originals: dict[str, Offer], residents: list[Resident], now) -> int:
    """Entries in the lottery's registration window (not drawn: the window is still open)."""
    offer = originals[data["slug"]]
    district = offer.district.number if offer.district else None
    entered = 0
    for resident in residents:
        if entered >= data["entries"]:
            break
        fitting = [p for p in resident.people if booking.age_fits(offer, p.birth_year)]
        if not fitting:
            continue
        request = _request(
            offer, resident, fitting[:2], extra={"lives_in_district": resident.district == district}
        )
        request.payment_method = ""
        try:
            lottery.enter(request, now)
        except booking.BookingError:
            continue
        entered += 1
    return entered


def _played(originals: Iterable[Offer]) -> bool:
    ids = [o.pk for o in originals]
    return (
        Booking.objects.filter(offer_id__in=ids).exists()
        or WaitlistEntry.objects.filter(offer_id__in=ids).exists()
        or LotteryEntry.objects.filter(offer_id__in=ids).exists()
    )


def load(*, scale: int = 1, log: Callable[[str], Any] = print) -> None:
    started = clock.monotonic()
    story = read_json(DATA, "programme.json")
    today = timezone.localdate()
    with transaction.atomic():
        providers, venues = load_providers()
        planned = plan(venues)
        originals = load_offers(planned, providers, venues, story, today)
        managers = load_managers(story, providers, log)
        played = {}
        if not _played(originals.values()):
            rng = random.Random(26112026)  # noqa: S311 -- demo data, reproducible on purpose
            played = play_stories(story, planned, originals, managers, rng)
    copies = 0
    if scale > 1:
        ordered = sorted(originals.values(), key=lambda o: o.slug)
        with transaction.atomic():
            copies = load_copies(ordered, scale, log)
    counts = Offer.objects.filter(provider__in=providers.values()).count()
    log(
        f"Angebote: {len(providers)} Anbieter, {len(venues)} Orte, {counts} Angebote"
        f" ({copies} Kopien neu), "
        f"{Booking.objects.filter(offer__in=originals.values()).count()} Buchungen"
        + (f", Demokonto Erika: {played['erika']} Vorgänge" if played else "")
        + f" in {clock.monotonic() - started:.1f} s."
    )
