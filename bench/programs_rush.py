"""Programmes: the rush – 5,000 booking attempts from 200 concurrent clients at the moment a
course with 500 places opens, through the real booking endpoint, on two app servers.

Two ``rathaus serve`` processes share one database and, here, one machine: together they
start no more workers than one server would on it (``rathaus serve``'s default, two per
core plus one, shared out and rounded down), as two production hosts each run their own
default on their own cores. ``--workers 5`` gives each server the whole default: on two
cores ten processes then take turns, and every request costs more CPU. The database
is PostgreSQL (default; its own database ``rathaus_rush``, so the bench residents stay
out of the demo city of the other benchmarks) or, with ``--sqlite``, the embedded SQLite
file. The database gets a minimal setup, not the demo city: 5,000
signed-in residents (accounts, database sessions as a passkey sign-in leaves them, CSRF
cookies as the booking page sets them) and a free course for adults with 500 places
whose booking opens a few seconds ahead.

Each attempt is what a browser sends when the person presses "Verbindlich buchen" on
``/angebote/<slug>/buchen/`` (opened on the passkey host ``localhost``): ``POST`` with
the session and ``csrftoken`` cookies, the form's ``csrfmiddlewaretoken``, ``people=ich``,
``Origin`` and ``Referer``, and one ``X-Forwarded-For`` address per resident (the
servers trust 127.0.0.1 as the city's proxy, so no per-address limit counts the bench
machine as one person). The clients (``rush_client``: one asyncio loop, prepared bytes,
one connection per request) start 50 ms after the opening; each resident tries once.
A place is a 303 to ``/konto/buchungen/<code>/``, "ausgebucht" a 303 to the offer page
with ``?ausgebucht=1`` (its waiting list); anything else – "Die Buchung beginnt …", a
form error, a 500, a 503, no answer within 30 s – is an error.

Baseline, in the same run and from the same processes: ``GET /healthz`` fired the same
way (5,000 requests, 200 clients) – the cheapest page that runs the whole middleware
stack and touches the database (one ``SELECT 1``), as every attempt must;
``--trivial /.well-known/security.txt`` takes the cheapest page of all (no database) instead.
``ratio_to_trivial`` is the baseline's requests per second divided by the booking
attempts per second. Afterwards the database
is asked, not the answers: active booked places beyond the capacity are ``oversold``.

    python bench/programs_rush.py [--sqlite] [--residents 5000] [--places 500]
        [--clients 200] [--workers N] [--returning] [--profile] [--json]

A second table gives the CPU milliseconds per request of the gunicorn processes, of the
PostgreSQL backends serving the bench database and of the client, read from ``/proc``:
on a shared machine the wall-clock figures depend on who else runs, the CPU per request
much less; "max /s" is what all cores would serve at that cost, "busy" how busy the
machine was and "bench" the share of that this benchmark used. ``--json`` adds
``cpu_bound_attempts_per_s`` and ``cpu_ratio_to_trivial`` to the figures asked for.

``--returning`` gives every resident their "Ich selbst" participant beforehand (people
who booked before); without it each first attempt creates it, as for a new account.
``--profile`` also counts the SQL queries of a won and of an "ausgebucht" attempt and
the CPU per request of the Django code (test client, in this process) and prints them.

Setting up (database, residents, sessions, course, servers) is in ``rush_setup``, the
client and the CPU meter in ``rush_client``.
"""

import os
import re
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import rush_client
import rush_setup
from rathaus.core.serving import default_workers

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/rathaus_rush"
SERVERS = 2
WARM_UP = 100  # residents who book a warm-up offer first (every worker loads the code)
LEAD_S = 3.0  # the booking opens this long after the clients were told to get ready
AFTER_OPENING_S = 0.05
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
TARGETS_POSTGRES = {
    "attempts_per_s": (">=", 400),
    "ratio_to_trivial": ("<=", 3),
    "p99_ms": ("<", 1000),
    "oversold": ("==", 0),
    "errors": ("==", 0),
}
TARGETS_SQLITE = {"oversold": ("==", 0), "errors": ("==", 0)}


def options(parser) -> None:
    parser.add_argument("--sqlite", action="store_true", help="the embedded SQLite database")
    parser.add_argument("--residents", type=int, default=5000, help="booking attempts (one each)")
    parser.add_argument("--places", type=int, default=500, help="capacity of the course")
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients")
    parser.add_argument(
        "--workers",
        type=int,
        default=default_workers() // SERVERS,
        help="gunicorn workers per server (default: rathaus serve's shared by the servers)",
    )
    parser.add_argument("--returning", action="store_true", help="residents booked before")
    parser.add_argument("--profile", action="store_true", help="SQL queries per attempt")
    parser.add_argument(
        "--trivial",
        default="/healthz",
        help="the baseline page (e.g. /.well-known/security.txt: no database at all)",
    )


def progress(text: str) -> None:
    print(f"… {text}", file=sys.stderr, flush=True)


# --- Requests -------------------------------------------------------------------------------


def address(n: int) -> str:
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def booking_request(base: str, slug: str, n: int, keys: tuple[str, str, str]):
    from django.conf import settings

    session, cookie, token = keys
    host = "localhost:" + base.rsplit(":", 1)[1]  # the passkey host, where accounts live
    page = f"/angebote/{slug}/buchen/"
    return rush_client.request(
        base,
        "POST",
        page,
        host=host,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "de-DE,de;q=0.9,en;q=0.5",
            "Origin": f"http://{host}",
            "Referer": f"http://{host}{page}",
            "Cookie": f"{settings.CSRF_COOKIE_NAME}={cookie}; "
            f"{settings.SESSION_COOKIE_NAME}={session}",
            "X-Forwarded-For": address(n),
        },
        form={"csrfmiddlewaretoken": token, "people": "ich"},
    )


def trivial_request(base: str, n: int, path: str = "/healthz"):
    return rush_client.request(
        base,
        "GET",
        path,
        headers={"User-Agent": USER_AGENT, "X-Forwarded-For": address(n)},
    )


BOOKED = re.compile(r"/konto/buchungen/[A-Z0-9-]+/$")


def sort_answers(slug: str, answers: list) -> tuple[list, list, Counter]:
    """Booked, "ausgebucht" (offered the waiting list) and errors by description."""
    booked, full, errors = [], [], Counter()
    for answer in answers:
        if answer.status == 303 and BOOKED.search(answer.location):
            booked.append(answer)
        elif (answer.status == 303 and f"/angebote/{slug}/?ausgebucht=1" in answer.location) or (
            answer.status == 200 and b"ausgebucht" in answer.body
        ):
            full.append(answer)
        else:
            errors[describe(answer)] += 1
    return booked, full, errors


def describe(answer) -> str:
    if answer.status == 0:
        return f"keine Antwort: {answer.error}"
    found = re.search(rb"kern-alert__body.*?<li[^>]*>(?:<a[^>]*>)?\s*([^<]+)", answer.body, re.S)
    found = found or re.search(rb"<title>([^<]*)", answer.body)
    text = found.group(1).decode(errors="replace").strip() if found else answer.location
    return f"HTTP {answer.status} {text[:90]}"


def warm_up(bases: list[str], slug: str, keys: list[tuple[str, str, str]], first: int) -> None:
    """Every worker loads its code and templates, and the endpoint answers as expected."""
    from django.conf import settings

    session = keys[0][0]
    page = rush_client.request(
        bases[0],
        "GET",
        f"/angebote/{slug}/buchen/",
        host="localhost:" + bases[0].rsplit(":", 1)[1],
        headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
    )
    (answer,), _s = rush_client.fire([page], 1)
    if answer.status != 200 or b'name="csrfmiddlewaretoken"' not in answer.body:
        raise SystemExit(f"the booking page did not open: {describe(answer)}")
    if b'value="ich"' not in answer.body:
        raise SystemExit("the booking page offers no 'Ich selbst' (people=ich)")
    items = [trivial_request(bases[n % SERVERS], n) for n in range(200)]
    items += [booking_request(bases[n % SERVERS], slug, first + n, k) for n, k in enumerate(keys)]
    answers, _s = rush_client.fire(items, 20)
    _booked, _full, errors = sort_answers(slug, answers[200:])
    trivial_errors = [describe(a) for a in answers[:200] if a.status != 200]
    if errors or trivial_errors:
        raise SystemExit(f"warm-up failed: {dict(errors)} {trivial_errors[:3]}")


# --- Profile ----------------------------------------------------------------------------------


def profile(sessions: list[str]) -> tuple[list[tuple[str, int, list[str]]], list[str]]:
    """The SQL of won and "ausgebucht" attempts, for new accounts and for accounts that
    have their "Ich selbst" participant, through Django's test client in this process;
    and the CPU milliseconds per request of ``/healthz`` and of "ausgebucht" attempts
    there (no gunicorn, no HTTP: what the Django code itself costs), signed in with
    ``sessions``."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from rathaus.accounts.models import User
    from rathaus.programs.services import participants

    run = str(int(time.time()))
    offer = rush_setup.course(f"bench-profil-{run}", 2, timedelta(hours=-1))
    page = f"/angebote/{offer.slug}/buchen/"
    cases = [
        ("gebucht, Konto mit 'Ich selbst'", True),
        ("gebucht, neues Konto", False),
        ("ausgebucht, Konto mit 'Ich selbst'", True),
        ("ausgebucht, neues Konto", False),
    ]
    found = []
    for n, (label, returning) in enumerate(cases):
        user = User.objects.create_user(email=f"rush-profil-{run}-{n}@bench.invalid")
        if returning:
            participants.self_participant(user)
        client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
        client.force_login(user)
        client.get(page)  # the booking page sets the CSRF cookie
        token = client.cookies["csrftoken"].value
        statements: list[str] = []

        def record(execute, sql, params, many, context, statements=statements):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            response = client.post(page, {"people": "ich", "csrfmiddlewaretoken": token})
        found.append(
            (
                f"{label}: HTTP {response.status_code} {response.get('Location', '')}",
                sum(1 for q in statements if q not in ("BEGIN", "COMMIT")),
                [q[:120] for q in statements],
            )
        )
    client = Client(HTTP_HOST="localhost")
    timings = []
    for name, send in [
        ("GET /healthz", lambda: client.get("/healthz")),
        (
            "POST buchen -> ausgebucht (Konto mit 'Ich selbst')",
            lambda: client.post(page, {"people": "ich"}),
        ),
    ]:
        for warm in (True, False):
            started = time.process_time()
            for key in sessions:
                client.cookies[settings.SESSION_COOKIE_NAME] = key
                send()
            if not warm:
                ms = (time.process_time() - started) * 1000 / len(sessions)
                timings.append(f"{name:<52} {ms:>6.2f} ms CPU je Anfrage (in-process)")
    return found, timings


# --- Main -------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    return common.percentile(values, p) if values else 0.0


def phase(meter: rush_client.CpuMeter, items, clients: int, start_at: float | None = None):
    meter.start()
    answers, seconds = rush_client.fire(items, clients, start_at=start_at)
    return answers, seconds, meter.stop()


def row(name: str, answers: list, seconds: float | None, ratio: float | None) -> str:
    ms = [a.ms for a in answers]
    rate = f"{len(answers) / seconds:>9.1f}" if seconds else f"{'':>9}"
    ratio_text = f"{ratio:>7.2f}x" if ratio is not None else f"{'':>8}"
    if not ms:
        return f"{name:<40} {0:>6}"
    return (
        f"{name:<40} {len(ms):>6} {rate} {percentile(ms, 50):>8.1f} {percentile(ms, 95):>8.1f} "
        f"{percentile(ms, 99):>8.1f} {max(ms):>8.1f} {ratio_text}"
    )


def cpu_row(name: str, spent: dict[str, float], count: int) -> tuple[str, float]:
    """CPU milliseconds per request by group, and the requests per second all cores could
    serve at that cost."""
    per = {key: spent[key] * 1000 / count for key in ("gunicorn", "database", "client")}
    total = sum(per.values())
    bound = (os.cpu_count() or 1) * 1000 / total if total else 0.0
    busy = spent["machine busy"] / spent["machine total"] * 100 if spent["machine total"] else 0
    ours = sum(spent[k] for k in ("gunicorn", "database", "client"))
    share = ours / spent["machine busy"] * 100 if spent["machine busy"] else 0
    return (
        f"{name:<40} {per['gunicorn']:>8.2f} {per['database']:>8.2f} {per['client']:>8.2f} "
        f"{total:>8.2f} {bound:>9.0f} {busy:>6.0f} % {share:>6.0f} %",
        bound,
    )


def check(figures: dict, targets: dict) -> list[str]:
    missed = []
    for key, (op, limit) in targets.items():
        value = figures[key]
        ok = {
            ">=": value >= limit,
            "<=": value <= limit,
            "<": value < limit,
            "==": value == limit,
        }[op]
        if not ok:
            missed.append(f"{key} = {value} (Ziel {op} {limit})")
    return missed


def main() -> None:
    args = common.arguments(__doc__.splitlines()[0], scale=1, more=options)
    if args.sqlite:
        var = Path(common.environment("sqlite://")["RATHAUS_VAR_DIR"]).resolve()
        var.mkdir(parents=True, exist_ok=True)
        args.database_url = f"sqlite:///{var / 'rush.sqlite3'}"
    elif args.database_url == common.DEFAULT_DATABASE_URL:
        args.database_url = DEFAULT_DATABASE_URL
    database = "SQLite" if args.sqlite else "PostgreSQL"
    started = time.perf_counter()
    progress(f"Datenbank vorbereiten ({database})")
    rush_setup.prepare(args.database_url)
    rush_setup.setup_django(args.database_url)
    from django.db import connection

    from rathaus.programs.models import Offer

    run = str(int(time.time()))
    progress(f"{args.residents + WARM_UP:,} Bewohner*innen mit Sitzung anlegen")
    ids = rush_setup.residents(args.residents + WARM_UP, args.returning)
    keys = rush_setup.sessions(ids)
    slug, warm_slug = f"bench-ansturm-{run}", f"bench-aufwaermen-{run}"
    rush_setup.course(slug, args.places, timedelta(days=1))
    rush_setup.course(warm_slug, WARM_UP // 2, timedelta(hours=-1))
    rush_setup.analyze()
    profiled, timings = [], []
    if args.profile:
        profiled, timings = profile([session for session, *_ in keys[args.residents :]])
    setup_s = time.perf_counter() - started
    connection.close()

    progress(f"{SERVERS} Server mit je {args.workers} gunicorn-Prozessen starten")
    with rush_setup.app_servers(args.database_url, SERVERS, args.workers) as servers:
        bases = [base for base, _process in servers]
        meter = rush_client.CpuMeter(
            {
                "gunicorn": lambda: [
                    pid for _b, p in servers for pid in rush_client.process_tree(p.pid)
                ],
                "database": rush_setup.database_backends(args.database_url),
            }
        )
        progress("aufwärmen")
        warm_up(bases, warm_slug, keys[args.residents :], args.residents)

        progress(f"Baseline: {args.residents:,} x GET {args.trivial}, {args.clients} Clients")
        trivial = [
            trivial_request(bases[n % SERVERS], n, args.trivial) for n in range(args.residents)
        ]
        trivial_answers, trivial_s, trivial_cpu = phase(meter, trivial, args.clients)

        attempts = [
            booking_request(bases[n % SERVERS], slug, n, keys[n]) for n in range(args.residents)
        ]
        opens = time.time() + LEAD_S
        Offer.objects.filter(slug=slug).update(booking_opens_at=datetime.fromtimestamp(opens, UTC))
        connection.close()
        progress(f"Ansturm: Buchung öffnet in {LEAD_S:.0f} s, {args.residents:,} Versuche")
        answers, rush_s, rush_cpu = phase(
            meter, attempts, args.clients, start_at=opens + AFTER_OPENING_S
        )
    found = rush_setup.outcome(slug)

    booked, full, errors = sort_answers(slug, answers)
    trivial_errors = Counter(describe(a) for a in trivial_answers if a.status != 200)
    attempts_per_s = len(answers) / rush_s
    trivial_per_s = len(trivial_answers) / trivial_s
    ratio = trivial_per_s / attempts_per_s
    ms = [a.ms for a in answers]
    trivial_name = f"GET {args.trivial} (baseline)"[:40]
    trivial_cpu_line, trivial_bound = cpu_row(trivial_name, trivial_cpu, len(trivial_answers))
    rush_cpu_line, rush_bound = cpu_row("POST buchen (all attempts)", rush_cpu, len(answers))
    figures = {
        "attempts_per_s": round(attempts_per_s, 1),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "booked": found["active_places"],
        "waitlisted": len(full),
        "oversold": found["oversold"],
        "errors": errors.total(),
        "ratio_to_trivial": round(ratio, 2),
        "cpu_bound_attempts_per_s": round(rush_bound),
        "cpu_ratio_to_trivial": round(trivial_bound and trivial_bound / rush_bound, 2),
    }

    print(
        f"\nAnsturm auf einen Kurs mit {args.places} Plätzen, {database}: {args.residents:,} "
        f"Buchungsversuche von {args.clients} Clients gleichzeitig, {SERVERS} x rathaus serve "
        f"mit je {args.workers} gunicorn-Prozessen ({os.cpu_count()} Kerne; Vorbereitung "
        f"{setup_s:.0f} s{', wiederkehrende Konten' if args.returning else ', neue Konten'})"
    )
    header = (
        f"{'measurement':<40} {'n':>6} {'per s':>9} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'ratio':>8}"
    )
    print(header)
    print("-" * len(header))
    print(row(trivial_name, trivial_answers, trivial_s, None))
    print(row("POST /angebote/<slug>/buchen/ (all)", answers, rush_s, ratio))
    print(row("  -> 303 gebucht", booked, None, None))
    print(row("  -> 303 ausgebucht (Warteliste)", full, None, None))
    header = (
        f"{'CPU ms per request':<40} {'gunicorn':>8} {'database':>8} {'client':>8} "
        f"{'total':>8} {'max /s':>9} {'busy':>8} {'bench':>8}"
    )
    print("\n" + header)
    print("-" * len(header))
    print(trivial_cpu_line)
    print(rush_cpu_line)
    print(
        "(max /s: what all cores would serve at this CPU cost; busy: the machine's cores "
        "during the phase; bench: the share of that used by this benchmark)"
    )
    print()
    print(f"{'attempts_per_s':<40} {figures['attempts_per_s']:>9}")
    print(f"{'ratio_to_trivial (trivial/s / attempts/s)':<40} {figures['ratio_to_trivial']:>9}")
    print(
        f"{'booked (aktive Plätze in der Datenbank)':<40} {figures['booked']:>9}"
        f"   303 gebucht: {len(booked)}, Buchungen: {found['bookings']}, taken: {found['taken']}"
    )
    print(f"{'waitlisted (303 ausgebucht)':<40} {figures['waitlisted']:>9}")
    print(f"{'oversold (aktive Plätze über Kapazität)':<40} {figures['oversold']:>9}")
    print(f"{'errors':<40} {figures['errors']:>9}")
    for text, number in errors.most_common(8):
        print(f"    {number:>5} x {text}")
    if trivial_errors:
        print(f"{'Fehler der Baseline':<40} {trivial_errors.total():>9}")
        for text, number in trivial_errors.most_common(5):
            print(f"    {number:>5} x {text}")
    for name, count, sql in profiled:
        print(f"\nSQL je Versuch – {name}: {count} Abfragen (ohne BEGIN/COMMIT)")
        for statement in sql:
            print(f"    {statement}")
    if timings:
        print()
    for line in timings:
        print(line)
    missed = check(figures, TARGETS_SQLITE if args.sqlite else TARGETS_POSTGRES)
    if len(booked) != found["active_places"] or found["taken"] != found["active_places"]:
        missed.append("answers, bookings and taken disagree")
    if not args.sqlite and found["active_places"] != args.places:
        missed.append(f"booked = {found['active_places']} (Ziel genau {args.places})")
    print("\nZiele: " + ("alle erreicht" if not missed else "verfehlt: " + "; ".join(missed)))
    if args.json:
        common.emit_json(figures)
    if figures["oversold"] or figures["errors"]:
        raise SystemExit("oversold or errors")


if __name__ == "__main__":
    main()
