"""Homepages from the page cache: page views cold and warm, the cross-site search and the
time from publishing to the new page on screen, on 6 sites × 2,000 pages (PostgreSQL).

Runs a real server (gunicorn, two workers) with Redis as the shared page cache, as in
production. Pages are taken from each site's sitemap.xml; a cold view is the first view of a
page after the cache was emptied, a warm view a later one (each must come from the cache:
checked). Baseline: a static file (WhiteNoise) from the same server. Publish-to-visible: a
second process publishes a changed title the way the editor's workflow does and asks the
server until the new title is there.

    python bench/sites.py [--pages 2000] [--sample 100] [--json] [--skip-load]
"""

import json
import os
import random
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SEED = 20261127
HOSTS = [
    "localhost",
    "buecherei.localhost",
    "vhs.localhost",
    "museum.localhost",
    "jugendamt.localhost",
    "umwelt.localhost",
]
PORT = 8000  # the port the demo sites are registered with
QUERIES = [
    "Öffnungszeiten",
    "Ausleihe",
    "Anmeldung",
    "Ferien",
    "Führung",
    "Sprachkurs",
    "Ausstellung",
    "Bürgerbüro",
    "Baum",
    "Beratung",
    "Kinder",
    "Eintritt",
]
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")

GROW = """
import django
django.setup()
from rathaus.sites.demo import grow
grow({pages}, log=lambda line: print(line, flush=True))
from django.db import connection
with connection.cursor() as cursor:  # what autovacuum does after a bulk load
    cursor.execute("ANALYZE")
"""

PUBLISH = """
import json, sys, time, urllib.request
import django
django.setup()
from rathaus.sites import services
from rathaus.sites.models import ContentPage

base, count = sys.argv[1], int(sys.argv[2])

def text(path, host):
    request = urllib.request.Request(base + path, headers={"Host": host})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()

pages = ContentPage.objects.live().filter(url_path__contains="/archiv-").order_by("pk")
times = []
for number, page in enumerate(pages[: count * 37 : 37]):
    site = page.get_site()
    path, host = page.relative_url(site), f"{site.hostname}:{site.port}"
    text(path, host)  # stored in the cache
    page.title = f"Neu gefasst {number}: {page.title}"[:250]
    started = time.perf_counter()
    services.publish_as_system(page)
    while page.title not in text(path, host):
        pass
    times.append((time.perf_counter() - started) * 1000)
print(json.dumps(times))
"""


def get(base: str, path: str, host: str) -> tuple[float, str, bytes]:
    """One GET with the site's host name: milliseconds, X-Page-Cache, body."""
    request = urllib.request.Request(base + path, headers={"Host": f"{host}:{PORT}"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{host}{path}: {response.status}")
        return (
            (time.perf_counter() - started) * 1000,
            response.headers.get("X-Page-Cache", ""),
            body,
        )


def sitemap_paths(base: str, host: str) -> list[str]:
    import defusedxml.ElementTree as ET

    _, _, body = get(base, "/sitemap.xml", host)
    tag = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    return [urllib.parse.urlsplit(loc.text).path for loc in ET.fromstring(body).iter(tag)]


def empty_page_cache() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def more(parser) -> None:
    parser.add_argument("--pages", type=int, default=2000, help="pages per site")
    parser.add_argument("--sample", type=int, default=100, help="pages viewed per site")
    parser.add_argument("--publishes", type=int, default=20)


def main() -> None:
    args = common.arguments(__doc__.splitlines()[0], scale=1, more=more)
    env = common.environment(args.database_url) | {"REDIS_URL": REDIS_URL}
    if not args.skip_load:
        print("Demo-Stadt laden …", flush=True)
        common.prepare_database(args.database_url, args.scale)
        print(f"Jede Website auf {args.pages} Seiten bringen …", flush=True)
        code = GROW.format(pages=args.pages)
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
    empty_page_cache()
    rng = random.Random(SEED)
    with common.server(args.database_url, extra_env={"REDIS_URL": REDIS_URL}) as base:
        sample = []
        for host in HOSTS:
            paths = sitemap_paths(base, host)
            paths = [path for path in paths if path != "/" or host != "localhost"]  # portal home
            sample += [(host, path) for path in rng.sample(paths, min(args.sample, len(paths)))]
        total_pages = sum(len(sitemap_paths(base, host)) for host in HOSTS)
        rng.shuffle(sample)
        print(f"{total_pages} Seiten auf {len(HOSTS)} Websites, {len(sample)} davon abgerufen")
        empty_page_cache()
        for _ in range(20):  # both workers warm
            get(base, "/static/rathaus/site.css", "localhost")
        static = [get(base, "/static/rathaus/site.css", "localhost")[0] for _ in sample]
        cold, warm, misses = [], [], 0
        for host, path in sample:
            cold.append(get(base, path, host)[0])
        for _ in range(3):
            for host, path in sample:
                took, state, _ = get(base, path, host)
                warm.append(took)
                misses += state != "hit"
        searches = []
        for _ in range(4):  # both workers have loaded the search's templates and types
            get(base, "/seiten/suche/?q=Rathaus", "localhost")
        for _ in range(args.rounds):
            for query in QUERIES:
                host = rng.choice(HOSTS)
                path = "/seiten/suche/?" + urllib.parse.urlencode({"q": query})
                searches.append(get(base, path, host)[0])
        published = subprocess.run(
            [sys.executable, "-c", PUBLISH, base, str(args.publishes)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        publish = json.loads(published.stdout.strip().splitlines()[-1])

    figures = {name: common.summary(values) for name, values in [
        ("static", static), ("cold", cold), ("warm", warm), ("search", searches),
        ("publish", publish),
    ]}  # fmt: skip
    baseline = figures["static"]["p95"]
    rows = [
        ("GET static file (baseline)", "static"),
        ("GET page, warm (from the page cache)", "warm"),
        ("GET page, cold (rendered and stored)", "cold"),
        ("GET cross-site search", "search"),
        ("publish until visible", "publish"),
    ]
    common.print_table(
        f"Websites: {total_pages} Seiten, PostgreSQL, Redis als Seiten-Cache "
        f"(warm aus dem Cache: {len(warm) - misses}/{len(warm)})",
        [
            (label, figures[name], None if name == "static" else figures[name]["p95"] / baseline)
            for label, name in rows
        ],
    )
    if misses:
        raise SystemExit(f"{misses} warm views did not come from the page cache")
    if args.json:
        common.emit_json(
            {
                "page_warm_p95_ms": round(figures["warm"]["p95"], 2),
                "page_cold_p95_ms": round(figures["cold"]["p95"], 2),
                "search_p95_ms": round(figures["search"]["p95"], 2),
                "ratio_to_static": round(figures["warm"]["p95"] / baseline, 2),
                "publish_visible_ms": round(figures["publish"]["p95"], 2),
            }
        )


if __name__ == "__main__":
    main()
