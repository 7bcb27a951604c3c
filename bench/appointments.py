"""Appointments: the earliest free times of a service across all Bürgerbüros, and bookings per
second through the real booking form, on the demo city at --scale 20 (240 Bürgerbüros).

Search: ``GET /api/v1/termine/freie-zeiten`` for a mix of Bürgerbüro services (one, or two
in one appointment) for 1–3 persons, against a real server (gunicorn, PostgreSQL by
default). Baseline: fetching one service by its key (``/api/v1/leistungen/<slug>``)
through the same server; in-process ``slots.earliest()`` next to ``Service.objects.get``.

Bookings: ``--clients`` threads book at once the way the booking page does: CSRF token,
ALTCHA proof of work from ``/termine/pruefaufgabe/`` (fetched and solved before the start
line: the work is the client's), then ``POST /termine/<office>/buchen/``; only the POSTs
are timed. 302 to ``/termine/reserviert/`` is a booking, 409 "Dieser Termin ist gerade
vergeben worden" a clean refusal, anything else an error. The times are planned from the
free times (earliest first, never two planned bookings overlapping at one office); a tenth
of the requests race a planned booking for the same time where only one counter is free:
exactly one of the two may win. Baseline: the same clients against ``POST /bench/insert``
(bench/insert_wsgi.py: one ORM insert behind the same gunicorn). Afterwards, not timed:
no two occupying appointments overlap at a counter (double bookings), every 302 left one
appointment, the cached free times offer nothing taken.

The server gets high per-IP, per-address and search limits, a small proof of work
(APPOINTMENT_POW_MAX_NUMBER=2000: solving is the client's cost, the server checks one hash
either way) and TRUSTED_PROXIES=127.0.0.1 with one X-Forwarded-For address per resident, as
behind the city's proxy: no limit per address (also those not taken from the environment) counts the
benchmark's one client machine as one resident. As in production, the servers share a
Redis cache (``BENCH_REDIS_URL``, default database 14 on localhost, emptied first).

    python bench/appointments.py [--scale 20] [--clients 32] [--bookings 640] [--json]
"""

import base64
import http.client
import http.cookies
import json
import os
import random
import re
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SEED = 20261126
# The search mix: services booked at every Bürgerbüro (demo/bookable.json), alone and
# two in one appointment, each for 1–3 persons.
SEARCHES = [
    ("personalausweis-beantragen",),
    ("reisepass-beantragen",),
    ("wohnsitz-anmelden",),
    ("meldebescheinigung",),
    ("kinderreisepass",),
    ("personalausweis-beantragen", "wohnsitz-anmelden"),
]
PERSONS = (1, 2, 3)
# What the clients book, one person each, in turn.
BOOKED = [
    "personalausweis-beantragen",
    "wohnsitz-anmelden",
    "reisepass-beantragen",
    "meldebescheinigung",
]
TAKEN = "Dieser Termin ist gerade vergeben worden"
NAMES = ["Erika Beispiel", "Murat Demir", "Sophie Wagner", "Piotr Nowak", "Fatima Haddad"]
SERVER_ENV = {
    "APPOINTMENT_BOOKINGS_PER_IP_HOUR": "1000000",
    "APPOINTMENT_BOOKINGS_NO_POW_PER_IP_HOUR": "1000000",
    "APPOINTMENT_BOOKINGS_PER_CONTACT_DAY": "1000000",
    "APPOINTMENT_SEARCHES_PER_IP_MINUTE": "1000000",
    "APPOINTMENT_POW_MAX_NUMBER": "2000",
    "TRUSTED_PROXIES": "127.0.0.1",  # the bench client is our proxy: one address per resident
}
# As in production, the app servers share a cache (cached offers, rate limits) in Redis.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def shared_cache() -> str:
    """The bench's own Redis database, emptied; '' (per-process caches) when unreachable."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).flushdb()
    except redis.RedisError as error:
        print(f"Redis unter {REDIS_URL} nicht erreichbar ({error}): Caches je Prozess")
        return ""
    return REDIS_URL


def options(parser) -> None:
    parser.add_argument("--clients", type=int, default=32, help="concurrent booking clients")
    parser.add_argument("--bookings", type=int, default=640, help="booking requests in all")
    parser.add_argument("--inserts", type=int, default=3200, help="baseline insert requests")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")


def setup_django(database_url: str) -> None:
    os.environ.update(common.environment(database_url))
    import django

    django.setup()


def address(n: int, net: int = 10) -> str:
    """A made-up client address per resident (X-Forwarded-For)."""
    return f"{net}.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def call(base: str, method: str, path: str, *, body: str | None = None, headers=None):
    """One HTTP request on a fresh connection (gunicorn's sync workers close it anyway)."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def get(base: str, path: str, n: int) -> bytes:
    status, _headers, body = call(base, "GET", path, headers={"X-Forwarded-For": address(n, 172)})
    if status != 200:
        raise RuntimeError(f"{path}: HTTP {status} {body[:200]!r}")
    return body


# --- Search ---------------------------------------------------------------------------------


def search_path(slugs: tuple[str, ...], persons: int) -> str:
    query = [("leistung", slug) for slug in slugs] + [("personen", persons)]
    return "/api/v1/termine/freie-zeiten?" + urllib.parse.urlencode(query)


def http_search(base: str, mix: list[tuple[tuple[str, ...], int]]) -> tuple[list, list]:
    """Search latencies and primary-key fetch latencies (baseline), over HTTP."""
    for n, (slugs, persons) in enumerate(sorted(set(mix)) * 2):
        get(base, search_path(slugs, persons), n)  # warm up every worker, not timed
        get(base, f"/api/v1/leistungen/{slugs[0]}", n)
    search_ms, pk_ms, found = [], [], []
    for n, (slugs, persons) in enumerate(mix):
        started = time.perf_counter()
        body = get(base, search_path(slugs, persons), n)
        search_ms.append((time.perf_counter() - started) * 1000)
        found.append(json.loads(body)["count"])
    for n, (slugs, _persons) in enumerate(mix):
        pk_ms.append(common.timed(lambda s=slugs[0], n=n: get(base, f"/api/v1/leistungen/{s}", n)))
    if min(found) == 0:
        raise SystemExit("the search found no free time for some services: demo data broken?")
    return search_ms, pk_ms


def in_process_search(mix: list[tuple[tuple[str, ...], int]]) -> tuple[list, list]:
    from rathaus.appointments.services import slots
    from rathaus.catalog.models import Service

    services = Service.objects.in_bulk({s for slugs, _ in mix for s in slugs}, field_name="slug")
    for slugs, persons in sorted(set(mix)):
        slots.earliest([services[s] for s in slugs], persons)  # warm up
    search_ms = [
        common.timed(lambda s=slugs, p=persons: slots.earliest([services[x] for x in s], p))
        for slugs, persons in mix
    ]
    pk_ms = [
        common.timed(lambda pk=services[slugs[0]].pk: Service.objects.get(pk=pk))
        for slugs, _ in mix
    ]
    return search_ms, pk_ms


# --- Planning the bookings ----------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    office: str
    service: str
    day: date
    unit: int

    @property
    def time(self) -> str:
        from rathaus.appointments.models import unit_label

        return unit_label(self.unit)

    def path(self) -> str:
        query = [("leistung", self.service), ("personen", 1), ("tag", self.day.isoformat())]
        query.append(("zeit", self.time))
        return f"/termine/{self.office}/buchen/?{urllib.parse.urlencode(query)}"


def office_targets(office, services, cap: int, now) -> list[tuple[Target, bool]]:
    """Up to ``cap`` free times at ``office``, earliest first, none overlapping another (so
    they fit in any order); with each whether only one counter is free for it."""
    from django.utils import timezone

    from rathaus.appointments.models import CounterDay
    from rathaus.appointments.services import calendar, slots

    today = timezone.localdate()
    last = today + timedelta(days=13)
    offers = [(s, slots.office_offer(office, [s], 1)) for s in services]
    # Free starts as the search offers them, with half an hour to spare for the lead time.
    later = now + timedelta(minutes=30)
    starts = {s.slug: slots.office_calendar(o, today, last, now=later) for s, o in offers if o}
    units = {s.slug: o.units for s, o in offers if o}
    masks: dict[date, list[int]] = {}
    for day, free in (
        CounterDay.objects.filter(
            counter__office=office, counter__is_active=True, day__range=(today, last)
        )
        .order_by("counter_id")
        .values_list("day", "free")
    ):
        masks.setdefault(day, []).append(int(free, 16))
    found, turn = [], 0
    for day in sorted({d for by_day in starts.values() for d in by_day}):
        used = 0
        candidates = sorted({u for by_day in starts.values() for u in by_day.get(day, [])})
        for unit in candidates:
            for k in range(len(BOOKED)):
                slug = BOOKED[(turn + k) % len(BOOKED)]
                if slug not in starts or unit not in starts[slug].get(day, ()):
                    continue
                wanted = calendar.span(unit, unit + units[slug])
                if used & wanted:
                    continue
                used |= wanted
                counters = sum(1 for mask in masks.get(day, []) if mask & wanted == wanted)
                found.append((Target(office.slug, slug, day, unit), counters == 1))
                turn += 1
                break
            if len(found) >= cap:
                return found
    return found


def plan(count: int, clients: int, rng: random.Random) -> tuple[list[list[Target]], int]:
    """The requests of every client, and how many race another one for the same time.

    A tenth of the requests duplicate a planned booking whose time only one counter has
    free, in the same round of requests (so both are sent at about the same moment).
    """
    from django.utils import timezone

    from rathaus.appointments.services import days
    from rathaus.catalog.models import Service
    from rathaus.offices.models import Office

    while days.refresh_due():  # what the worker does: expired holds free their time again
        pass
    services = list(Service.objects.filter(slug__in=BOOKED))
    offices = list(
        Office.objects.filter(
            kind=Office.Kind.CITIZENS_OFFICE, booking_rules__online_booking=True
        ).order_by("slug")
    )
    now = timezone.now()
    cap = -(-count // len(offices)) + 2
    per_office = [office_targets(office, services, cap, now) for office in offices]
    unique: list[tuple[Target, bool]] = []
    for k in range(cap):  # round robin over the offices: the earliest times of each first
        unique.extend(targets[k] for targets in per_office if k < len(targets))
    duplicates = count // 10
    unique = unique[: count - duplicates]
    if len(unique) < count - duplicates:
        raise SystemExit(f"only {len(unique)} free times planned, {count} wanted")
    lonely = [target for target, single in unique if single]
    racing = rng.sample(lonely, min(duplicates, len(lonely)))
    chosen = set(racing)
    singles = [target for target, _ in unique if target not in chosen]
    rng.shuffle(singles)
    rounds: list[list[Target]] = [[] for _ in range(-(-count // clients))]
    for n, target in enumerate(racing):
        rounds[n * len(rounds) // len(racing)] += [target, target]
    rest = iter(singles)
    for requests in rounds:
        requests.extend(t for _, t in zip(range(clients - len(requests)), rest, strict=False))
        rng.shuffle(requests)
    requests_left = list(rest)
    queues = [[r[j] for r in rounds if j < len(r)] for j in range(clients)]
    for n, target in enumerate(requests_left):
        queues[n % clients].append(target)
    return queues, len(racing)


# --- Clients ----------------------------------------------------------------------------------


@dataclass
class Client:
    """One resident's browser at a time: its own cookies and CSRF token."""

    base: str
    jobs: list
    ok_ms: list[float] = field(default_factory=list)
    refused_ms: list[float] = field(default_factory=list)
    challenge_ms: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    posted: int = 0
    finished: float = 0.0


def solve(base: str, n: int) -> tuple[str, float]:
    """What the booking page's script does: fetch a challenge and find the number."""
    import altcha

    started = time.perf_counter()
    status, _headers, body = call(
        base, "GET", "/termine/pruefaufgabe/", headers={"X-Forwarded-For": address(n)}
    )
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"challenge: HTTP {status}")
    challenge = json.loads(body)
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxNumber"]
    )
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    payload["number"] = solution.number
    return base64.b64encode(json.dumps(payload).encode()).decode(), elapsed


def csrf(base: str, path: str, n: int) -> tuple[str, str]:
    """The csrftoken cookie and the form's hidden token from a booking page."""
    status, headers, body = call(base, "GET", path, headers={"X-Forwarded-For": address(n)})
    if status != 200:
        raise RuntimeError(f"{path}: HTTP {status}")
    cookies = http.cookies.SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if "csrftoken" not in cookies or token is None:
        raise RuntimeError(f"{path}: no CSRF token")
    return cookies["csrftoken"].value, token.group(1).decode()


def describe(status: int, body: bytes) -> str:
    """The status and the first message of the page's error summary (or its title)."""
    found = re.search(rb"kern-alert__body.*?<li[^>]*>(?:<a[^>]*>)?\s*([^<]+)", body, re.S)
    found = found or re.search(rb"<title>([^<]*)", body)
    text = found.group(1).decode(errors="replace").strip() if found else body[:60].decode()
    return f"HTTP {status} {text[:90]}"


def book(client: Client, start: threading.Barrier, run: str, first: int) -> None:
    prepared = []
    try:
        if client.jobs:
            cookie, token = csrf(client.base, client.jobs[0].path(), first)
        for k, target in enumerate(client.jobs):
            n = first + k
            payload, elapsed = solve(client.base, n)
            client.challenge_ms.append(elapsed)
            form = {
                "csrfmiddlewaretoken": token,
                "tag": target.day.isoformat(),
                "zeit": target.time,
                "altcha": payload,
                "name": NAMES[n % len(NAMES)],
                "email": f"bench.{run}.{n}@demo.duesseldorf.invalid",
                "phone": "",
            }
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                "X-Forwarded-For": address(n),
            }
            prepared.append((target.path(), urllib.parse.urlencode(form), headers))
    except Exception as error:  # counted and printed; the other clients go on
        client.errors[f"preparing: {error}"] += 1
        prepared = []
    start.wait()
    for path, body, headers in prepared:
        client.posted += 1
        started = time.perf_counter()
        try:
            status, response_headers, content = call(
                client.base, "POST", path, body=body, headers=headers
            )
        except OSError as error:
            client.errors[f"{type(error).__name__}: {error}"] += 1
            continue
        elapsed = (time.perf_counter() - started) * 1000
        location = response_headers.get("Location", "")
        if status == 302 and location.endswith("/termine/reserviert/"):
            client.ok_ms.append(elapsed)
        elif status == 409 and TAKEN.encode() in content:
            client.refused_ms.append(elapsed)
        else:
            client.errors[describe(status, content)] += 1
    client.finished = time.perf_counter()


def insert(client: Client, start: threading.Barrier, count: int) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    start.wait()
    for n in range(count):
        started = time.perf_counter()
        try:
            status, _headers, _body = call(
                client.base, "POST", "/bench/insert", body=f"n={n}", headers=headers
            )
        except OSError as error:
            client.errors[f"{type(error).__name__}: {error}"] += 1
            continue
        if status == 201:
            client.ok_ms.append((time.perf_counter() - started) * 1000)
        else:
            client.errors[f"HTTP {status}"] += 1
    client.finished = time.perf_counter()


def run_clients(clients: list[Client], work) -> float:
    """Start every client's ``work(client, barrier, n)`` at once; the seconds until all end."""
    start = threading.Barrier(len(clients) + 1)
    threads = [
        threading.Thread(target=work, args=(client, start, n)) for n, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return max((c.finished for c in clients if c.finished), default=began) - began


# --- Checks -----------------------------------------------------------------------------------


def overlaps() -> tuple[int, int]:
    """Pairs of occupying appointments overlapping at one counter on one day, and the counter
    days they are on (one SQL self-join)."""
    from django.db import connection
    from django.utils import timezone

    from rathaus.appointments.models import Appointment

    table = connection.ops.quote_name(Appointment._meta.db_table)
    held = Appointment.Status.HELD
    lasting = [s for s in Appointment.OCCUPYING if s != held]
    marks = ", ".join(["%s"] * len(lasting))

    def occupying(alias: str) -> str:
        return (
            f"({alias}.status IN ({marks})"
            f" OR ({alias}.status = %s AND {alias}.hold_expires_at > %s))"
        )

    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.counter_id, a.day FROM {table} a JOIN {table} b"  # noqa: S608 -- no input
            " ON a.counter_id = b.counter_id AND a.day = b.day AND a.id < b.id"
            " AND a.start_unit < b.end_unit AND b.start_unit < a.end_unit"
            f" WHERE {occupying('a')} AND {occupying('b')}",
            [*lasting, held, now, *lasting, held, now],
        )
        pairs = cursor.fetchall()
    return len(pairs), len(set(pairs))


def bench_appointments(run: str) -> tuple[int, int]:
    """Appointments the run left, and counter days whose cached free units offer a taken one."""
    from django.utils import timezone

    from rathaus.appointments.models import Appointment, CounterDay
    from rathaus.appointments.services import days

    left = Appointment.objects.filter(email__startswith=f"bench.{run}.")
    touched = set(left.values_list("counter_id", "day"))
    taken = days.occupied(touched, timezone.now())
    stale = sum(
        1
        for counter_id, day, free in CounterDay.objects.filter(
            counter_id__in={c for c, _ in touched}, day__in={d for _, d in touched}
        ).values_list("counter_id", "day", "free")
        if (counter_id, day) in touched and int(free, 16) & taken[(counter_id, day)][0]
    )
    return left.count(), stale


def analyze() -> None:
    """Fresh planner statistics and visibility map, as autovacuum would gather them after the
    bulk load (it may be off, or not have run yet: the loader inserts hundreds of thousands of
    rows)."""
    from django.apps import apps
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for label in ("offices", "catalog", "appointments"):
            for model in apps.get_app_config(label).get_models():
                table = connection.ops.quote_name(model._meta.db_table)
                # VACUUM too: index-only scans need the visibility map autovacuum keeps.
                cursor.execute(f"VACUUM (ANALYZE) {table}")


def city() -> str:
    from rathaus.appointments.models import Appointment, Counter, CounterDay
    from rathaus.offices.models import Office

    offices = Office.objects.filter(kind=Office.Kind.CITIZENS_OFFICE).count()
    return (
        f"{offices} Bürgerbüros, {Counter.objects.count():,} Schalter, "
        f"{CounterDay.objects.count():,} Schaltertage, {Appointment.objects.count():,} Termine"
    )


# --- Main -------------------------------------------------------------------------------------


def main() -> None:
    args = common.arguments(__doc__.splitlines()[0], scale=20, more=options)
    started = time.perf_counter()
    common.prepare_database(args.database_url, args.scale)
    prepared_s = time.perf_counter() - started
    setup_django(args.database_url)
    analyze()
    from django.db import connection

    from rathaus.appointments.models import BookingContact

    rng = random.Random(SEED)
    run = str(int(time.time()))
    base_mix = [(slugs, persons) for slugs in SEARCHES for persons in PERSONS]
    mix = base_mix * args.rounds
    rng.shuffle(mix)
    queues, races = plan(args.bookings, args.clients, rng)
    local_search, local_pk = in_process_search(mix)
    connection.close()

    server_env = {**SERVER_ENV, "REDIS_URL": shared_cache()}
    with common.server(args.database_url, args.workers, server_env) as base:
        api_search, api_pk = http_search(base, mix)
        bookers = [Client(base, jobs) for jobs in queues]
        firsts = [sum(len(q) for q in queues[:j]) for j in range(len(queues))]
        booking_s = run_clients(bookers, lambda c, start, j: book(c, start, run, 1 + firsts[j]))
    share = -(-args.inserts // args.clients)
    with common.server(args.database_url, args.workers, server_env, "insert_wsgi:application") as b:
        inserters = [Client(b, []) for _ in range(args.clients)]
        insert_s = run_clients(inserters, lambda c, start, _j: insert(c, start, share))

    double, crowded = overlaps()
    left, stale = bench_appointments(run)
    BookingContact.objects.filter(key__startswith="bench-").delete()

    ok_ms = [t for c in bookers for t in c.ok_ms]
    refused_ms = [t for c in bookers for t in c.refused_ms]
    challenge_ms = [t for c in bookers for t in c.challenge_ms]
    insert_ms = [t for c in inserters for t in c.ok_ms]
    errors = sum((c.errors for c in bookers), Counter())
    insert_errors = sum((c.errors for c in inserters), Counter())
    bookings_per_s = len(ok_ms) / max(booking_s, 1e-9)
    posts_per_s = sum(c.posted for c in bookers) / max(booking_s, 1e-9)
    inserts_per_s = len(insert_ms) / max(insert_s, 1e-9)
    ratio = inserts_per_s / bookings_per_s if bookings_per_s else None

    database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(f"\nDemo-Stadt x{args.scale} geladen in {prepared_s:.1f} s: {city()}")
    api_s, pk_s = common.summary(api_search), common.summary(api_pk)
    local_s, local_pk_s = common.summary(local_search), common.summary(local_pk)
    common.print_table(
        f"Früheste freie Zeiten über alle Bürgerbüros, Demo-Stadt x{args.scale}, {database}, "
        f"{len(base_mix)} Suchen x {args.rounds}",
        [
            ("HTTP GET /api/v1/leistungen/<slug> (baseline)", pk_s, None),
            ("HTTP GET /api/v1/termine/freie-zeiten", api_s, api_s["p50"] / pk_s["p50"]),
            ("in-process Service.objects.get(pk) (baseline)", local_pk_s, None),
            ("in-process slots.earliest()", local_s, local_s["p50"] / local_pk_s["p50"]),
        ],
    )
    insert_summary = common.summary(insert_ms)
    rows = [("HTTP POST /bench/insert (baseline)", insert_summary, None)]
    for name, timings in [
        ("HTTP POST buchen -> 302 reserviert", ok_ms),
        ("HTTP POST buchen -> 409 vergeben", refused_ms),
    ]:
        if timings:
            figures = common.summary(timings)
            rows.append((name, figures, figures["p50"] / insert_summary["p50"]))
    if challenge_ms:
        rows.append(("HTTP GET /termine/pruefaufgabe/ (vorab)", common.summary(challenge_ms), None))
    common.print_table(
        f"Buchungen, {args.clients} Clients gleichzeitig, gunicorn x{args.workers}, {database} "
        "(ratio: p50 / p50 des Inserts)",
        rows,
    )
    print(
        f"\n{'Buchungen/s (302 je Sekunde Wandzeit)':<44} {bookings_per_s:>9.1f}"
        f"   {len(ok_ms)} in {booking_s:.1f} s; POSTs/s {posts_per_s:.1f}"
    )
    print(
        f"{'Inserts/s (201 je Sekunde Wandzeit)':<44} {inserts_per_s:>9.1f}"
        f"   {len(insert_ms)} in {insert_s:.1f} s"
    )
    print(f"{'ratio_to_insert = Inserts/s / Buchungen/s':<44} {ratio or 0:>9.1f}x")
    print(
        f"{'Abgelehnt 409 (geplante Wettläufe)':<44} {len(refused_ms):>9}"
        f"   {races} Zeiten doppelt angefragt: genau {races} Ablehnungen erwartet"
    )
    print(f"{'Fehler (weder 302 noch 409 vergeben)':<44} {errors.total():>9}")
    for text, number in errors.most_common(10):
        print(f"    {number:>5} x {text}")
    if insert_errors:
        print(f"{'Fehler beim Insert':<44} {insert_errors.total():>9}")
        for text, number in insert_errors.most_common(5):
            print(f"    {number:>5} x {text}")
    print(f"{'Doppelbuchungen (überlappende Paare)':<44} {double:>9}")
    print(f"{'Schaltertage über Kapazität':<44} {crowded:>9}")
    print(f"{'Termine des Laufs / 302-Antworten':<44} {left:>9}   / {len(ok_ms)}")
    print(f"{'Schaltertage, deren Cache Belegtes anbietet':<44} {stale:>9}")
    if args.json:
        common.emit_json(
            {
                "search_p50_ms": round(api_s["p50"], 2),
                "search_p95_ms": round(api_s["p95"], 2),
                "bookings_per_s": round(bookings_per_s, 1),
                "double_bookings": double,
                "ratio_to_insert": round(ratio, 1) if ratio else None,
            }
        )
    if double or crowded or left != len(ok_ms):
        raise SystemExit("appointments given twice or bookings lost")
    if not ok_ms:
        raise SystemExit("no booking went through: see the errors above")


if __name__ == "__main__":
    main()
