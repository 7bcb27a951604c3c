"""Soak: a realistic mix at a fixed arrival rate against two app servers for a set time.

Two ``rathaus serve`` processes (gunicorn, two workers each, sharing Redis as in
production) on PostgreSQL serve, for ``--minutes`` (default 10), requests that arrive at
``--rate`` per second (open loop: a slow answer does not slow the arrivals, so queueing
shows in the figures instead of hiding in the client). The mix:

- catalogue search (``/suche/?q=…``) and the search API, service pages;
- earliest free times (``/api/v1/termine/freie-zeiten``) and bookings through the real
  booking form (CSRF, proof of work, POST; "just taken" 409 answers are refusals, not
  errors);
- application drafts and submissions by signed-in residents (Sperrmüll: start, every
  page, review, submit);
- the caseworkers' inbox;
- ``/healthz``: the baseline the ratios are measured against.

Latency is measured from the planned arrival time. Errors are answers other than the
expected ones (any 5xx, an unexpected 4xx, a broken connection). Memory is the resident
set size of both servers' process trees after warm-up and at the end.

Targets (issue 8): 0 errors, memory growth under 10 %, p95 steady (last minute within
1.5x of the first).

    python bench/soak.py [--minutes 10] [--rate 8] [--json]
"""

import json
import random
import re
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import applications as applications_bench
import appointments as appointments_bench
import common

SEED = 20261126
QUERIES = [
    "personalausweis",
    "Ummeldung",
    "hund anmelden",
    "parkausweis anwohner",
    "sperrmüll",
    "reisepass kind",
    "dachbegrünung förderung",
    "führungszeugnis",
    "geburtsurkunde",
    "wohnsitz",
]
SERVICES = [
    "personalausweis-beantragen",
    "wohnsitz-anmelden",
    "hundesteuer-anmelden",
    "bewohnerparkausweis",
    "sperrmuell-anmelden",
]
FORM = "sperrmuell-anmelden"
RESIDENTS = 24
# Weights of the kinds in the mix (per hundred arrivals).
MIX = {
    "suche": 22,
    "api-suche": 10,
    "leistung": 18,
    "freie-zeiten": 14,
    "buchung": 6,
    "antrag": 6,
    "posteingang": 10,
    "healthz": 14,
}
SERVER_ENV = appointments_bench.SERVER_ENV | {
    # A soak outlasts the 15-minute passkey confirmation the benchmark sessions start with.
    "STEP_UP_SECONDS": "86400",
}


@dataclass
class Run:
    """Everything the clients record; one lock, appended from many threads."""

    started: float
    latencies: dict[str, list[tuple[float, float]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    errors: Counter = field(default_factory=Counter)
    refused: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def done(self, kind: str, planned: float, ok: bool | None, detail: str = "") -> None:
        elapsed = (time.perf_counter() - planned) * 1000
        with self.lock:
            self.latencies[kind].append((planned - self.started, elapsed))
            if ok is False:
                self.errors[f"{kind}: {detail}"] += 1
            elif ok is None:
                self.refused[kind] += 1


def options(parser) -> None:
    parser.add_argument("--minutes", type=float, default=10.0, help="how long the load runs")
    parser.add_argument("--rate", type=float, default=8.0, help="arrivals per second")
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds before measuring")


def expect(status: int, body: bytes, wanted: int = 200) -> tuple[bool, str]:
    if status == wanted:
        return True, ""
    return False, appointments_bench.describe(status, body)


def resident_cookies(count: int) -> list[str]:
    """Signed-in residents whose passkey confirmation is fresh (sessions written directly)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from rathaus.accounts.models import User
    from rathaus.accounts.services.sessions import SIGNED_IN_AT, VERIFIED_AT

    cookies = []
    for n in range(count):
        user, _ = User.objects.get_or_create(email=f"soak.{n}@demo.duesseldorf.invalid")
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[VERIFIED_AT] = session[SIGNED_IN_AT] = time.time()
        session.create()
        cookies.append(f"sessionid={session.session_key}")
    return cookies


def form_pages() -> list[dict[str, str | list[str]]]:
    """What a browser posts on each page of the Sperrmüll form (the demo filler's answers)."""
    from rathaus.applications.demo.filler import answers_for
    from rathaus.applications.services import drafts
    from rathaus.catalog.models import Service

    definition = drafts.current_form(Service.objects.get(slug=FORM))
    answers = answers_for(definition.schema)
    pages = []
    for page in definition.schema["pages"]:
        keys = [spec["key"] for spec in page["fields"]]
        data = {
            name: value if isinstance(value, list) else str(value)
            for name, value in answers.items()
            if any(name == k or name.startswith((f"{k}__", f"{k}-")) for k in keys)
        }
        data["formular_version"] = str(definition.version)
        data["_aktion"] = "weiter"
        pages.append(data)
    return pages


class Session:
    """One browser: cookies, the CSRF token, and the proxy address it comes through."""

    def __init__(self, base: str, n: int, cookie: str = ""):
        self.base, self.n, self.cookie, self.token = base, n, cookie, ""

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"X-Forwarded-For": appointments_bench.address(self.n)}
        body = None
        if self.cookie:
            headers["Cookie"] = self.cookie
        if form is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token, **form}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.base + path
        status, response_headers, content = appointments_bench.call(
            self.base, method, path, body=body, headers=headers
        )
        for header in response_headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            if name == "csrftoken":
                self.cookie = "; ".join(
                    [c for c in self.cookie.split("; ") if c and not c.startswith("csrftoken=")]
                    + [f"csrftoken={value}"]
                )
        if found := re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content):
            self.token = found.group(1).decode()
        return status, response_headers, content


def book(base: str, n: int, rng: random.Random) -> tuple[bool | None, str]:
    """Find the earliest free time of a Bürgerbüro service and book it through the form."""
    session = Session(base, n)
    slug = rng.choice(appointments_bench.BOOKED)
    status, _h, body = session.request("GET", f"/api/v1/termine/freie-zeiten?leistung={slug}")
    if status != 200:
        return expect(status, body)
    results = json.loads(body)["results"]
    if not results:
        return None, "no free time"
    target = rng.choice(results[:5])["book_url"]
    path = urllib.parse.urlsplit(target)._replace(scheme="", netloc="").geturl()
    status, _h, body = session.request("GET", path)
    if status != 200:
        return expect(status, body)
    payload, _elapsed = appointments_bench.solve(base, n)
    form = {
        "altcha": payload,
        "name": appointments_bench.NAMES[n % len(appointments_bench.NAMES)],
        "email": f"soak.{n}@demo.duesseldorf.invalid",
        "phone": "",
    }
    status, headers, body = session.request("POST", path, form)
    if status == 302 and headers.get("Location", "").endswith("/termine/reserviert/"):
        return True, ""
    if status == 409 and appointments_bench.TAKEN.encode() in body:
        return None, "taken"
    return False, appointments_bench.describe(status, body)


def apply(base: str, n: int, cookie: str, pages: list[dict]) -> tuple[bool, str]:
    """Start a Sperrmüll application, fill every page, review and submit it."""
    session = Session(base, n, cookie)
    status, _h, body = session.request("GET", f"/leistungen/{FORM}/")
    if status != 200:
        return expect(status, body)
    status, headers, body = session.request("POST", f"/antraege/neu/{FORM}/", {})
    if status != 302:
        return expect(status, body, 302)
    first = headers["Location"]
    public_id = re.search(r"/antraege/([0-9a-f-]{36})/", first).group(1)
    for index, data in enumerate(pages, start=1):
        page = f"/antraege/{public_id}/seite/{index}/"
        session.request("GET", page)
        status, _h, body = session.request("POST", page, data)
        if status != 302:
            return expect(status, body, 302)
    review = f"/antraege/{public_id}/pruefen/"
    session.request("GET", review)
    status, headers, body = session.request("POST", review, {"confirm": "on"})
    if status != 302 or "/eingereicht/" not in headers.get("Location", ""):
        return expect(status, body, 302)
    return True, ""


def get(base: str, n: int, path: str, cookie: str = "", marker: bytes = b"") -> tuple[bool, str]:
    status, _h, body = Session(base, n, cookie).request("GET", path)
    ok, detail = expect(status, body)
    if ok and marker and marker not in body:
        return False, f"{path}: {marker.decode()} fehlt"
    return ok, detail


def process_tree_rss(pid: int) -> int:
    """Resident set size in bytes of ``pid`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children[int(fields[1])].append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        if found := re.search(r"VmRSS:\s+(\d+) kB", status):
            total += int(found.group(1)) * 1024
    return total


def p95(values: list[float]) -> float:
    return common.percentile(values, 95) if values else 0.0


def main() -> None:
    args = common.arguments("Soak: realistic mix at a fixed rate", scale=1, more=options)
    rng = random.Random(SEED)
    print(f"Demo-Stadt x{args.scale} laden …", flush=True)
    common.prepare_database(args.database_url, args.scale)
    appointments_bench.setup_django(args.database_url)
    cookies = resident_cookies(RESIDENTS)
    staff = applications_bench.staff_cookie()
    pages = form_pages()
    env = SERVER_ENV | {"REDIS_URL": appointments_bench.shared_cache()}
    with ExitStack() as stack:
        servers = [
            stack.enter_context(common.server_process(args.database_url, workers=2, extra_env=env))
            for _ in range(2)
        ]
        bases = [base for base, _process in servers]
        kinds = [kind for kind, weight in MIX.items() for _ in range(weight)]

        def work(kind: str, n: int, planned: float, run: Run) -> None:
            base = bases[n % len(bases)]
            local = random.Random(n)
            try:
                if kind == "suche":
                    query = urllib.parse.quote(local.choice(QUERIES))
                    ok, detail = get(base, n, f"/suche/?q={query}", marker=b"<main")
                elif kind == "api-suche":
                    query = urllib.parse.quote(local.choice(QUERIES))
                    ok, detail = get(base, n, f"/api/v1/leistungen?q={query}")
                elif kind == "leistung":
                    ok, detail = get(base, n, f"/leistungen/{local.choice(SERVICES)}/")
                elif kind == "freie-zeiten":
                    slug = local.choice(appointments_bench.BOOKED)
                    ok, detail = get(base, n, f"/api/v1/termine/freie-zeiten?leistung={slug}")
                elif kind == "buchung":
                    ok, detail = book(base, n, local)
                elif kind == "antrag":
                    ok, detail = apply(base, n, cookies[n % len(cookies)], pages)
                elif kind == "posteingang":
                    ok, detail = get(base, n, "/verwaltung/vorgaenge/", staff, b"Posteingang")
                else:
                    ok, detail = get(base, n, "/healthz")
            except Exception as error:  # a broken connection is an error of the run, not of it
                ok, detail = False, f"{type(error).__name__}: {error}"
            run.done(kind, planned, ok, detail)

        print(f"Aufwärmen ({args.warmup:.0f} s) …", flush=True)
        warm = Run(started=time.perf_counter())
        with ThreadPoolExecutor(max_workers=64) as pool:
            for n in range(int(args.warmup * args.rate)):
                pool.submit(work, kinds[n % len(kinds)], 10_000_000 + n, time.perf_counter(), warm)
                time.sleep(1 / args.rate)
        rss_start = sum(process_tree_rss(process.pid) for _base, process in servers)

        total = int(args.minutes * 60 * args.rate)
        run = Run(started=time.perf_counter())
        print(
            f"Last: {args.rate:g} Anfragen/s für {args.minutes:g} min ({total} Anfragen) …",
            flush=True,
        )
        with ThreadPoolExecutor(max_workers=64) as pool:
            for n in range(total):
                planned = run.started + n / args.rate
                delay = planned - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                pool.submit(work, rng.choice(kinds), n, planned, run)
                if n and n % int(60 * args.rate) == 0:
                    minute = n // int(60 * args.rate)
                    print(f"  {minute} min: {sum(run.errors.values())} Fehler", flush=True)
        wall = time.perf_counter() - run.started
        rss_end = sum(process_tree_rss(process.pid) for _base, process in servers)
    report(args, run, wall, rss_start, rss_end)


def report(args, run: Run, wall: float, rss_start: int, rss_end: int) -> None:
    everything = [ms for values in run.latencies.values() for _t, ms in values]
    baseline = common.summary([ms for _t, ms in run.latencies["healthz"]])
    rows = [("GET /healthz (baseline)", baseline, None)]
    for kind in MIX:
        if kind == "healthz" or not run.latencies[kind]:
            continue
        figures = common.summary([ms for _t, ms in run.latencies[kind]])
        rows.append((kind, figures, figures["p50"] / baseline["p50"]))
    common.print_table(
        f"Soak: {args.minutes:g} min, {args.rate:g} Anfragen/s, 2 Server x 2 Worker, PostgreSQL",
        rows,
    )
    minute = 60.0 if args.minutes >= 2 else args.minutes * 60 / 2
    first = [ms for values in run.latencies.values() for t, ms in values if t < minute]
    last_start = wall - minute
    last = [ms for values in run.latencies.values() for t, ms in values if t >= last_start]
    drift = p95(last) / p95(first) if first and last else 0.0
    growth = (rss_end - rss_start) / rss_start * 100 if rss_start else 0.0
    errors = sum(run.errors.values())
    print()
    print(f"{'Anfragen (Durchsatz)':<44} {len(everything):>6}   {len(everything) / wall:.1f}/s")
    print(f"{'p50 / p95 / p99 ms (alle)':<44} ", end="")
    print(" / ".join(f"{common.percentile(everything, p):.1f}" for p in (50, 95, 99)))
    print(f"{'p95 erste / letzte Minute ms':<44} {p95(first):.1f} / {p95(last):.1f}", end="")
    print(f"   Drift {drift:.2f}x (Ziel < 1.5x)")
    memory = f"{rss_start / 2**20:.0f} -> {rss_end / 2**20:.0f}"
    print(f"{'Speicher der Server (RSS) MiB':<44} {memory}", end="")
    print(f"   {growth:+.1f} % (Ziel < 10 %)")
    print(f"{'Abgelehnt (409 vergeben, keine freie Zeit)':<44} {sum(run.refused.values()):>6}")
    print(f"{'Fehler':<44} {errors:>6}   (Ziel 0)")
    for detail, count in run.errors.most_common(10):
        print(f"  {count:>5} x {detail}")
    if args.json:
        common.emit_json(
            {
                "requests": len(everything),
                "errors": errors,
                "p95_ms": round(p95(everything), 2),
                "p95_drift": round(drift, 2),
                "rss_growth_pct": round(growth, 1),
            }
        )


if __name__ == "__main__":
    main()
