"""Offer search latency with 20,000 offers against a key lookup, through a real server.

Builds --offers offers (default 20,000) of 60 made-up providers with 1–10 sessions each
(``bulk_create``, derived search fields computed as ``offers.refresh`` does) on top of
the demo city, in its own PostgreSQL database (``rathaus_bench_programs``) or with
``--sqlite`` in an SQLite file under var/bench/. A second run reuses them (--rebuild
builds them again). Then a mix of filtered searches as residents make them (text,
category, a child's age, district, dates, weekdays, time of day, free places,
step-free, free of charge, and combinations) goes through ``GET /angebote/?…`` of
``rathaus serve`` (gunicorn) and in-process through ``services.search.search``.
Baseline: the key lookup – the offer page ``/angebote/<slug>/`` through the same
server, and ``Offer.objects.get(pk=…)`` in-process; ``plaetze.json`` for reference.
Each worker keeps the rendered filter form per address for ten minutes, so the rounds
after the first meet it ready, as a popular search does; the search itself always runs.

    python bench/programs_search.py [--offers 20000] [--rounds 5] [--sqlite] [--json]
"""

import os
import random
import sys
import time
import urllib.parse
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SEED = 20261126
PREFIX = "bench-"
PROVIDERS = 60
VENUES = 240
BATCH = 1000
DEFAULT_DATABASE = "rathaus_bench_programs"

ACTIVITIES = {
    "kultur": ["Theaterwerkstatt", "Museumsführung", "Lesung", "Konzert", "Malkurs", "Töpfern"],
    "sport": ["Schwimmkurs", "Seepferdchen", "Fußballtraining", "Yoga", "Tanzkurs", "Klettern"],
    "familie": ["Eltern-Kind-Turnen", "Familienfrühstück", "Babymassage", "Spielenachmittag"],
    "jugend": ["Bandprojekt", "Graffiti-Workshop", "Jugendtreff", "Programmieren lernen"],
    "senioren": ["Sitzgymnastik", "Smartphone-Sprechstunde", "Gedächtnistraining", "Tanztee"],
    "bildung": ["Englisch für Anfänger", "Computerkurs", "Deutschkurs", "Nähkurs"],
    "soziales": ["Sprachcafé", "Nachbarschaftshilfe", "Repair-Café", "Mittagstisch"],
    "ferien": ["Ferienfreizeit", "Zirkuswoche", "Naturforscher-Camp", "Kinderkochkurs"],
    "fortbildung": ["Barrierefreie Dokumente", "Datenschutz im Amt", "Leichte Sprache"],
}
AUDIENCES = ["für Kinder", "für Jugendliche", "für Familien", "für Erwachsene", "für alle"]
AGES = [(None, None), (3, 6), (5, 8), (6, 10), (8, 12), (12, 17), (16, None), (60, None)]
HOURS = [9, 10, 11, 14, 15, 16, 17, 18, 19]

# What residents filter by; each is the address of one search.
SEARCHES = [
    {},
    {"q": "Schwimmkurs"},
    {"q": "Theater"},
    {"q": "yoga"},
    {"q": "Töpfern Kinder"},
    {"q": "Computerkurs Senioren"},
    {"kategorie": "sport"},
    {"kategorie": "ferien", "frei": "1"},
    {"alter": "6"},
    {"alter": "6", "bezirk": "3"},
    {"alter": "14", "kategorie": "jugend"},
    {"q": "Seepferdchen", "alter": "6", "bezirk": "3"},
    {"bezirk": "7"},
    {"tag": ["sa", "so"]},
    {"tag": "mi", "zeit": "nachmittags"},
    {"zeit": "abends", "kategorie": "kultur"},
    {"kostenlos": "1"},
    {"frei": "1", "stufenlos": "1"},
    {"frei": "1", "kostenlos": "1", "alter": "8"},
    {"von": "+30", "bis": "+60"},
    {"von": "+7", "bis": "+14", "kategorie": "familie"},
    {"q": "Tanz", "zeit": "abends", "stufenlos": "1"},
    {"q": "Englisch", "tag": ["mo", "di", "mi", "do", "fr"], "zeit": "abends"},
    {"kategorie": "senioren", "bezirk": "1", "stufenlos": "1"},
]


def options(parser) -> None:
    parser.add_argument("--offers", type=int, default=20000, help="offers to build")
    parser.add_argument("--sqlite", action="store_true", help="an SQLite file instead")
    parser.add_argument("--rebuild", action="store_true", help="build the offers again")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")


def database_url(args) -> str:
    if args.sqlite:
        folder = common.ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / 'programs_search.sqlite3'}"
    if args.database_url == common.DEFAULT_DATABASE_URL:  # not the other benches' data
        return args.database_url.rsplit("/", 1)[0] + "/" + DEFAULT_DATABASE
    return args.database_url


def setup_django(url: str) -> None:
    os.environ.update(common.environment(url))
    import django

    django.setup()


def progress(text: str) -> None:
    print(text, flush=True)


# --- Building -------------------------------------------------------------------------------


def build(count: int, rebuild: bool) -> float:
    """``count`` bench offers with their sessions; returns the seconds it took (0: reused)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from rathaus.offices.models import Quarter
    from rathaus.programs.models import Category, Offer, Provider, Session, Venue
    from rathaus.programs.services.offers import derived

    existing = Offer.objects.filter(slug__startswith=PREFIX).count()
    if existing == count and not rebuild:
        progress(f"{count} Angebote des Benchmarks vorhanden (neu bauen: --rebuild)")
        return 0.0
    started = time.perf_counter()
    rng = random.Random(SEED)
    with transaction.atomic():
        if existing:
            progress(f"{existing} alte Angebote des Benchmarks löschen …")
            Session.objects.filter(offer__slug__startswith=PREFIX).delete()
            Offer.objects.filter(slug__startswith=PREFIX).delete()
            Venue.objects.filter(provider__slug__startswith=PREFIX).delete()
            Provider.objects.filter(slug__startswith=PREFIX).delete()
        quarters = list(Quarter.objects.select_related("district"))
        if not quarters:
            raise SystemExit("Keine Stadtteile: Die Demo-Stadt fehlt.")
        providers = Provider.objects.bulk_create(
            Provider(
                slug=f"{PREFIX}anbieter-{n}",
                name=f"Benchmark-Träger {n}",
                kind=rng.choice(Provider.Kind.values),
                email=f"anbieter-{n}@beispiel.de",
                is_demo=True,
            )
            for n in range(PROVIDERS)
        )
        venues = []
        for n in range(VENUES):
            quarter = quarters[n % len(quarters)]
            venues.append(
                Venue(
                    provider=providers[n % PROVIDERS],
                    name=f"Begegnungsstätte {quarter.name} {n}",
                    street=f"Beispielstraße {n + 1}",
                    postcode="40213",
                    quarter=quarter,
                    district=quarter.district,
                    step_free=rng.random() < 0.6,
                    induction_loop=rng.random() < 0.2,
                )
            )
        # The instances keep their provider, quarter and district: derived() reads them
        # without a query per offer.
        venues = Venue.objects.bulk_create(venues)
        now = timezone.now()
        today = timezone.localdate()
        zone = timezone.get_default_timezone()
        categories = Category.values
        built = 0
        while built < count:
            size = min(BATCH, count - built)
            offers, plans = [], []
            for n in range(built, built + size):
                category = rng.choice(categories)
                activity = rng.choice(ACTIVITIES[category])
                audience = rng.choice(AUDIENCES)
                age_min, age_max = rng.choice(AGES)
                venue = rng.choice(venues)
                capacity = rng.choice([8, 10, 12, 15, 20, 25, 30, 50])
                price = rng.choice([Decimal("0"), Decimal("0"), Decimal("15"), Decimal("45")])
                status = rng.choices(
                    Offer.Status.values, weights=[5, 90, 5]
                )  # draft, published, cancelled
                day = today + timedelta(days=rng.randint(-20, 365))
                first = datetime.combine(day, datetime.min.time()).replace(
                    hour=rng.choice(HOURS), tzinfo=zone
                )
                sessions = rng.choice([1, 1, 1, 4, 6, 8, 10])
                offer = Offer(
                    provider=venue.provider,
                    slug=f"{PREFIX}{n}",
                    title=f"{activity} {audience}",
                    summary=f"{activity} in {venue.quarter.name}, {rng.choice(AUDIENCES)}",
                    description=f"{activity}: Ein Angebot {audience} im Stadtteil "
                    f"{venue.quarter.name}. Bitte bequeme Kleidung mitbringen.",
                    category=category,
                    status=status[0],
                    internal=category == "fortbildung",
                    age_min=age_min,
                    age_max=age_max,
                    venue=venue,
                    sign_language=rng.random() < 0.05,
                    easy_language=rng.random() < 0.1,
                    capacity=capacity,
                    taken=rng.choice([0, capacity // 2, capacity - 1, capacity]),
                    booking_opens_at=now - timedelta(days=rng.randint(0, 30)),
                    price=price,
                    price_reduced=price / 2,
                    payment_methods=["transfer", "on_site"] if price else [],
                )
                plan = [
                    Session(
                        starts_at=first + timedelta(weeks=week),
                        ends_at=first + timedelta(weeks=week, minutes=90),
                    )
                    for week in range(sessions)
                ]
                for name, value in derived(offer, plan).items():
                    setattr(offer, name, value)
                offers.append(offer)
                plans.append(plan)
            Offer.objects.bulk_create(offers)
            for offer, plan in zip(offers, plans, strict=True):
                for session in plan:
                    session.offer_id = offer.pk
            Session.objects.bulk_create([s for plan in plans for s in plan])
            built += size
            seconds = time.perf_counter() - started
            progress(f"  {built:>6} / {count} Angebote gebaut ({seconds:.1f} s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE programs_offer; ANALYZE programs_session")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


# --- Measuring ------------------------------------------------------------------------------


def address(search: dict) -> str:
    """The search's query string, with relative days (``+30``) made into dates."""
    from django.utils import timezone

    today = timezone.localdate()
    query = {}
    for key, value in search.items():
        if isinstance(value, str) and value.startswith("+"):
            value = (today + timedelta(days=int(value[1:]))).isoformat()
        query[key] = value
    return urllib.parse.urlencode(query, doseq=True)


def in_process(mix: list[dict], slugs: list[str]) -> tuple[list[float], list[float], list[int]]:
    from django.http import QueryDict

    from rathaus.programs.forms.search import SearchForm
    from rathaus.programs.models import Offer
    from rathaus.programs.services import search

    filters = [SearchForm(QueryDict(address(s))).filters() for s in mix]
    ids = dict(Offer.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    search.search(filters[0], None)  # warm up
    totals = []

    def run(chosen) -> None:
        totals.append(search.search(chosen, None, limit=20)[1])

    search_ms = [common.timed(lambda f=f: run(f)) for f in filters]
    pk_ms = [common.timed(lambda pk=ids[s]: Offer.objects.get(pk=pk)) for s in slugs]
    return search_ms, pk_ms, totals


def main() -> None:
    args = common.arguments(__doc__.splitlines()[0], scale=1, more=options)
    url = database_url(args)
    database = "SQLite" if args.sqlite else "PostgreSQL"
    progress(f"Demo-Stadt x{args.scale} laden ({database}) …")
    common.prepare_database(url, args.scale)
    setup_django(url)
    from django.db import connection

    from rathaus.programs.models import Offer

    build_s = build(args.offers, args.rebuild)
    listed = Offer.objects.filter(status="published", internal=False).count()
    rng = random.Random(SEED)
    mix = SEARCHES * args.rounds
    rng.shuffle(mix)
    public = list(
        Offer.objects.filter(slug__startswith=PREFIX, status="published", internal=False)
        .order_by("pk")
        .values_list("slug", flat=True)
    )
    slugs = [rng.choice(public) for _ in mix]
    paths = ["/angebote/?" + address(s) for s in mix]
    connection.close()

    progress(f"Suchen über HTTP ({len(mix)} Anfragen, gunicorn x{args.workers}) …")
    with common.server(url, args.workers) as base:
        for path in paths[:10] + [f"/angebote/{s}/" for s in slugs[:10]]:  # warm up
            common.fetch(base + path)
        http_search = [common.timed(lambda p=p: common.fetch(base + p)) for p in paths]
        http_page = [common.timed(lambda s=s: common.fetch(f"{base}/angebote/{s}/")) for s in slugs]
        http_places = [
            common.timed(lambda s=s: common.fetch(f"{base}/angebote/{s}/plaetze.json"))
            for s in slugs
        ]
    progress("Suchen im Prozess …")
    search_ms, pk_ms, totals = in_process(mix, slugs)

    search_s, page_s = common.summary(http_search), common.summary(http_page)
    places_s = common.summary(http_places)
    local_s, pk_s = common.summary(search_ms), common.summary(pk_ms)
    ratio = search_s["p50"] / page_s["p50"]
    if build_s:
        print(f"\n{args.offers} Angebote mit Terminen gebaut in {build_s:.1f} s")
    print(
        f"\n{Offer.objects.count()} Angebote in der Datenbank, {listed} öffentlich; "
        f"Treffer je Suche: min {min(totals)}, Median {sorted(totals)[len(totals) // 2]}, "
        f"max {max(totals)}"
    )
    common.print_table(
        f"Angebotssuche, {args.offers} Angebote, {database}, {len(SEARCHES)} Suchen x "
        f"{args.rounds} (ratio: p50 / p50 der Baseline)",
        [
            ("HTTP GET /angebote/<slug>/ (baseline)", page_s, None),
            ("HTTP GET /angebote/<slug>/plaetze.json", places_s, places_s["p50"] / page_s["p50"]),
            ("HTTP GET /angebote/?<Filter>", search_s, ratio),
            ("in-process Offer.objects.get(pk) (baseline)", pk_s, None),
            ("in-process search.search(filters)", local_s, local_s["p50"] / pk_s["p50"]),
        ],
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nLast des Rechners (1/5/15 min) am Ende: {load} bei {os.cpu_count()} Kernen")
    verdict = "erreicht" if search_s["p95"] < 50 else "VERFEHLT"
    print(f"\nZiel p95 der Suche über HTTP < 50 ms: {search_s['p95']:.1f} ms – {verdict}")
    if args.json:
        common.emit_json(
            {
                "search_p50_ms": round(search_s["p50"], 2),
                "search_p95_ms": round(search_s["p95"], 2),
                "ratio_to_key_lookup": round(ratio, 2),
                "in_process_search_p95_ms": round(local_s["p95"], 2),
                "offers": args.offers,
                "database": database,
            }
        )


if __name__ == "__main__":
    main()
