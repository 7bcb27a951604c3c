"""The demo Kitas of Düsseldorf: providers (the city's youth office, churches, free
providers, parents' initiatives, childminders), 450 daycares in all ten Stadtbezirke with
their free places, and two allocation procedures:

- the Kita year that began last August, registrations closed, round 1 run and answered
  (most families accepted, some declined, some let the deadline pass) – what staff and
  families see after a round: offers, explanations, cut-offs;
- the next Kita year, open for registration, with a few thousand children registered –
  where a visitor registers a child.

Every daycare, provider, address and family is invented (``is_demo``, e-mail addresses
@demo.duesseldorf.invalid); districts and Stadtteile are real. Dates are relative to the
day of loading. The many registrations are written in bulk as ``services.registrations``
writes them; the round goes through ``services.rounds.run``. Loading twice changes nothing.
``--scale N`` makes N times the children (the daycares stay 450).
"""

import hashlib
import random
import secrets
import time as clock
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from rathaus.accounts.demo import demo_staff
from rathaus.accounts.models import User
from rathaus.core.demo import read_json, upsert
from rathaus.offices.models import District, Quarter

from ..models import (
    AuditAttributes,
    Daycare,
    Outcome,
    Period,
    Places,
    Provider,
    ProviderMembership,
    Registration,
    Wish,
)
from ..services import registrations, rounds

__all__ = ["load"]

DATA = Path(__file__).resolve().parent
KITAS, CHILDMINDERS, CHILDREN = 410, 40, 3000
DEMO_RESIDENT = "erika.mustermann@demo.duesseldorf.invalid"
CRITERIA = ["sibling", "entitlement", "inclusion", "district", "work"]
# Families per 1,000 in each Stadtbezirk, roughly as the city's population.
WEIGHTS = {1: 14, 2: 9, 3: 17, 4: 6, 5: 5, 6: 9, 7: 7, 8: 9, 9: 15, 10: 4}


def _august(year: int) -> date:
    return date(year, 8, 1)


def _aware(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _period(slug: str, name: str, start: date, opens: date, closes: date) -> Period:
    found = Period.objects.filter(slug=slug).first()
    if found:
        return found
    seed = secrets.token_hex(16)
    return Period.objects.create(
        slug=slug,
        name=name,
        start=start,
        last_start=start.replace(year=start.year + 1, month=7),
        registration_opens=_aware(opens, 0),
        registration_closes=_aware(closes, 23),
        criteria=CRITERIA,
        tie_break="lottery",
        seed=seed,
        seed_digest=hashlib.sha256(seed.encode()).hexdigest(),
    )


def load_providers(data: dict) -> dict[str, Provider]:
    rows = [
        {
            "slug": "stadt-duesseldorf-jugendamt",
            "name": "Jugendamt der Landeshauptstadt Düsseldorf – Städtische Kitas",
            "kind": Provider.Kind.CITY,
            "is_demo": True,
        },
        {
            "slug": "katholische-kitas-demo",
            "name": "Katholische Kindertagesstätten Düsseldorf (Demo)",
            "kind": Provider.Kind.CHURCH,
            "is_demo": True,
        },
        {
            "slug": "evangelische-kitas-demo",
            "name": "Evangelische Kitas in Düsseldorf (Demo)",
            "kind": Provider.Kind.CHURCH,
            "is_demo": True,
        },
        {
            "slug": "tagespflege-demo",
            "name": "Selbstständige Tagespflegepersonen (Demo)",
            "kind": Provider.Kind.FREE,
            "is_demo": True,
        },
        *(
            {"slug": p["slug"], "name": p["name"], "kind": Provider.Kind.FREE, "is_demo": True}
            for p in data["free_providers"]
        ),
        *(
            {
                "slug": f"ei-{n}-demo",
                "name": f"Elterninitiative {name} e. V. (Demo)",
                "kind": Provider.Kind.PARENTS,
                "is_demo": True,
                "ignored_criteria": ["district"],
            }
            for n, name in enumerate(data["initiatives"], 1)
        ),
    ]
    for row in rows:
        row.setdefault("ignored_criteria", [])
        row["email"] = f"{row['slug']}@demo.duesseldorf.invalid"
    return upsert(Provider, "slug", rows)


def _name(kind: str, n: int, data: dict, rng: random.Random, quarter: Quarter) -> tuple[str, str]:
    """(provider slug, daycare name) for the n-th daycare."""
    street = rng.choice(data["streets"])
    if kind == "tagespflege":
        first = data["first_names"][n % 50]
        return "tagespflege-demo", f"Kindertagespflege {first} {data['last_names'][n * 7 % 50][0]}."
    share = n % 20
    if share < 9:
        return "stadt-duesseldorf-jugendamt", f"Städtische Kita {street}, {quarter.name}"
    if share < 12:
        return "katholische-kitas-demo", f"Kath. Kita {rng.choice(data['saints'])}, {quarter.name}"
    if share < 14:
        return (
            "evangelische-kitas-demo",
            f"Ev. Kita {rng.choice(data['protestant'])}, {quarter.name}",
        )
    if share < 18:
        free = data["free_providers"][n % len(data["free_providers"])]
        return free["slug"], f"{free['short']} {street}, {quarter.name}"
    k = n % len(data["initiatives"])
    return f"ei-{k + 1}-demo", f"Elterninitiative {data['initiatives'][k]}, {quarter.name}"


def load_daycares(data: dict, providers: dict[str, Provider], rng: random.Random) -> list[Daycare]:
    quarters = list(Quarter.objects.select_related("district").order_by("number"))
    weights = [
        WEIGHTS.get(q.district.number, 5)
        / max(1, sum(1 for other in quarters if other.district_id == q.district_id))
        for q in quarters
    ]
    rows, seen = [], set()
    for n in range(KITAS + CHILDMINDERS):
        kind = "kita" if n < KITAS else "tagespflege"
        quarter = rng.choices(quarters, weights)[0]
        provider, name = _name(kind, n, data, rng, quarter)
        while name in seen:
            name = f"{name} II" if not name.endswith(" II") else f"{name[:-3]} {n}"
        seen.add(name)
        opens = rng.choice([7, 7, 7, 8])
        rows.append(
            {
                "slug": f"kita-{n + 1:03d}",
                "name": name,
                "kind": kind,
                "provider": providers[provider],
                "street": f"{rng.choice(data['streets'])} {rng.randint(1, 120)}",
                "postcode": rng.choice(data["postcodes"][str(quarter.district.number)]),
                "quarter": quarter,
                "district": quarter.district,
                "opens_at": time(opens, 0 if kind == "kita" else 30),
                "closes_at": time(rng.choice([16, 16, 17]) if kind == "kita" else 15, 30),
                "languages": rng.choice(data["languages"]),
                "pedagogy": rng.choice(data["pedagogy"]) if kind == "kita" else "",
                "inclusion_places": rng.choice([0, 0, 2, 4]) if kind == "kita" else 0,
                "email": f"kita-{n + 1:03d}@demo.duesseldorf.invalid",
                "phone": f"0211 89-{rng.randint(20000, 29999)}",
                "is_demo": True,
            }
        )
    return list(upsert(Daycare, "slug", rows).values())


def load_places(period: Period, daycares: list[Daycare], rng: random.Random, scale: int) -> None:
    if Places.objects.filter(period=period).exists():
        return
    rows = []
    for daycare in daycares:
        if daycare.kind == Daycare.Kind.CHILDMINDING:
            units = [("II", rng.choice([35, 45]), rng.randint(1, 3))]
        else:
            units = [
                ("II", 45, rng.randint(0, 2)),
                ("II", 35, rng.randint(0, 1)),
                ("I", 45, rng.randint(0, 1)),
                ("III", 45, rng.randint(1, 3)),
                ("III", 35, rng.randint(0, 1)),
                ("III", 25, rng.randint(0, 1) * rng.randint(0, 1)),
            ]
        rows += [
            Places(
                period=period, daycare=daycare, group_form=form, hours=hours, places=places * scale
            )
            for form, hours, places in units
            if places
        ]
    Places.objects.bulk_create(rows, batch_size=1000)


def load_registrations(
    period: Period,
    daycares: list[Daycare],
    data: dict,
    rng: random.Random,
    count: int,
    created: datetime,
) -> int:
    """``count`` invented families, wishes skewed towards popular daycares near home.
    Places are scarce, as in the city: about two for every three children."""
    if period.registrations.exists():
        return 0
    districts = list(District.objects.order_by("number"))
    by_district: dict[int, list[Daycare]] = {}
    for daycare in daycares:
        by_district.setdefault(daycare.district_id, []).append(daycare)
    popularity = {d.pk: 1 / (1 + (n * 37 % len(daycares)) / 40) for n, d in enumerate(daycares)}
    rows, wishes, siblings, attributes = [], [], [], []
    for _n in range(count):
        district = rng.choices(districts, [WEIGHTS[d.number] for d in districts])[0]
        age_months = rng.choices(range(6, 66), [3 if m < 36 else 1 for m in range(6, 66)])[0]
        birth = period.start - timedelta(days=int(age_months * 30.4) + rng.randint(0, 29))
        near = by_district.get(district.pk, daycares)
        pool = near + rng.sample(daycares, 6)
        chosen: list[Daycare] = []
        while len(chosen) < min(rng.choice([2, 3, 4, 5, 5, 6, 8, 10]), len(pool)):
            pick = rng.choices(pool, [popularity[d.pk] for d in pool])[0]
            if pick not in chosen:
                chosen.append(pick)
        last = data["last_names"][rng.randrange(50)]
        rows.append(
            Registration(
                period=period,
                parent_name=f"{data['first_names'][rng.randrange(50)]} {last}",
                email="",
                child_given_name=data["first_names"][rng.randrange(50)],
                child_family_name=last,
                birth_date=birth,
                start_month=period.start
                if rng.random() < 0.85
                else period.start.replace(month=rng.choice([9, 10, 11, 12])),
                hours=rng.choices([25, 35, 45], [1, 4, 5])[0],
                street=f"{rng.choice(data['streets'])} {rng.randint(1, 150)}",
                postcode=rng.choice(data["postcodes"][str(district.number)]),
                district=district,
                inclusion_needs=rng.random() < 0.03,
                parents_working=rng.random() < 0.7,
                channel=rng.choices(["online", "counter", "paper"], [90, 7, 3])[0],
            )
        )
        wishes.append(chosen)
        siblings.append(chosen[0] if rng.random() < 0.08 else None)
        attributes.append(
            (
                rng.choices(["de", "eu", "other", ""], [70, 10, 15, 5])[0],
                rng.choices(["de", "other", ""], [72, 23, 5])[0],
                rng.choice(["girl", "boy", "girl", "boy", ""]),
            )
        )
    made = Registration.objects.bulk_create(rows, batch_size=1000)
    Registration.objects.filter(pk__in=[r.pk for r in made]).update(created_at=created)
    Wish.objects.bulk_create(
        [
            Wish(registration=r, rank=k, daycare=d)
            for r, chosen in zip(made, wishes, strict=True)
            for k, d in enumerate(chosen, 1)
        ],
        batch_size=2000,
    )
    through = Registration.sibling_daycares.through
    through.objects.bulk_create(
        [
            through(registration_id=r.pk, daycare_id=s.pk)
            for r, s in zip(made, siblings, strict=True)
            if s
        ],
        batch_size=2000,
    )
    AuditAttributes.objects.bulk_create(
        [
            AuditAttributes(registration=r, nationality=a, home_language=b, gender=c)
            for r, (a, b, c) in zip(made, attributes, strict=True)
            if a or b or c
        ],
        batch_size=2000,
    )
    return len(made)


def answer_round(period: Period, rng: random.Random) -> None:
    """Most families accepted, some declined, some let the deadline pass (in bulk, as
    ``services.responses`` answers one by one)."""
    offered = list(
        Outcome.objects.filter(round__period=period, status=Outcome.Status.OFFERED).values_list(
            "pk", "registration_id", "round__run_at"
        )
    )
    answers = (
        (0.86, Outcome.Status.ACCEPTED, Registration.Status.ACCEPTED),
        (0.95, Outcome.Status.DECLINED, Registration.Status.DECLINED),
        (1.0, Outcome.Status.EXPIRED, Registration.Status.EXPIRED),
    )
    chosen: dict[str, list[tuple]] = {}
    for row in offered:
        draw = rng.random()
        status = next(answer for answer in answers if draw < answer[0])
        chosen.setdefault(status[1], []).append(row)
    for _, status, registration_status in answers:
        if take := chosen.get(status):
            Outcome.objects.filter(pk__in=[row[0] for row in take]).update(
                status=status, responded_at=take[0][2] + timedelta(days=5)
            )
            Registration.objects.filter(pk__in=[row[1] for row in take]).update(
                status=registration_status
            )


def load_erika(past: Period, current: Period) -> None:
    """The demo resident's family: Lena got a place last year (one of the accepted
    registrations becomes hers), Paul is registered for the next Kita year with three
    wishes – so "Meine Kita-Anmeldungen" shows both a result with its explanation and a
    registration that can still be changed."""
    erika = User.objects.filter(email=DEMO_RESIDENT).first()
    if erika is None or Registration.objects.filter(account=erika).exists():
        return
    lena = (
        Registration.objects.filter(period=past, status=Registration.Status.ACCEPTED)
        .filter(outcomes__wish_rank=2)
        .order_by("pk")
        .first()
    )
    if lena is not None:
        Registration.objects.filter(pk=lena.pk).update(
            account=erika,
            child_given_name="Lena",
            child_family_name="Mustermann",
            parent_name="Erika Mustermann",
            email=DEMO_RESIDENT,
        )
    wishes = list(
        Daycare.objects.filter(places__period=current, places__group_form="II", district__number=3)
        .distinct()
        .order_by("name")[:3]
    )
    if wishes:
        registrations.register(
            current,
            {
                "parent_name": "Erika Mustermann",
                "email": DEMO_RESIDENT,
                "phone": "",
                "child_given_name": "Paul",
                "child_family_name": "Mustermann",
                "birth_date": current.start - timedelta(days=480),
                "start_month": current.start,
                "hours": 45,
                "street": "Musterstraße 1 (Demo)",
                "postcode": "40225",
                "district": wishes[0].district,
                "inclusion_needs": False,
                "parents_working": True,
            },
            wishes,
            account=erika,
        )


def load_staff(data: dict, providers: dict[str, Provider], log: Callable[[str], Any]) -> None:
    for row in data["managers"]:
        user = demo_staff(
            row["email"], row["name"], row["number"], [row["role"]], [], log=log, area="Kita"
        )
        ProviderMembership.objects.bulk_create(
            [ProviderMembership(user=user, provider=providers[s]) for s in row["providers"]],
            ignore_conflicts=True,
        )


def load(*, scale: int = 1, log: Callable[[str], Any] = print) -> None:
    started = clock.monotonic()
    data = read_json(DATA, "kita.json")
    rng = random.Random(27112026)  # noqa: S311 -- demo data, reproducible on purpose
    today = timezone.localdate()
    this_year = _august(today.year if today.month >= 8 else today.year - 1)
    next_year = _august(this_year.year + 1)
    with transaction.atomic():
        providers = load_providers(data)
        daycares = load_daycares(data, providers, rng)
        past = _period(
            f"kita-jahr-{this_year.year}",
            f"Kita-Jahr {this_year.year}/{this_year.year % 100 + 1:02d}",
            this_year,
            this_year - timedelta(days=300),
            this_year - timedelta(days=200),
        )
        current = _period(
            f"kita-jahr-{next_year.year}",
            f"Kita-Jahr {next_year.year}/{next_year.year % 100 + 1:02d}",
            next_year,
            today.replace(day=1) - timedelta(days=20),
            today + timedelta(days=60),
        )
        for period in (past, current):
            load_places(period, daycares, rng, scale)
        made = load_registrations(
            past,
            daycares,
            data,
            rng,
            CHILDREN * scale,
            past.registration_opens + timedelta(days=20),
        )
        if made:
            rounds.run(past, now=past.registration_closes + timedelta(days=14))
            answer_round(past, rng)
        made += load_registrations(
            current,
            daycares,
            data,
            rng,
            CHILDREN * scale,
            current.registration_opens + timedelta(days=3),
        )
        load_erika(past, current)
        load_staff(data, providers, log)
    log(
        f"Kitas: {len(daycares)} Kitas und Tagespflegen, {made} Anmeldungen neu, "
        f"Runde 1 des {past.name} in {clock.monotonic() - started:.1f} s."
    )
