"""Open data: the CKAN Action API at catalogue scale, over HTTP against a real server.

A PostgreSQL database of its own (``rathaus_bench_opendata``, created and migrated if
missing) gets a catalogue of 10,000 published data sets (200 organisations, the 13 EU
themes, keywords and titles drawn from a pool of German words, each with one release and
its CSV, JSON and data-package resources, indexed by ``catalogue.reindex`` exactly as a
release does) and one data set whose current release has 1,000,000 rows (Stadtbezirk ×
Stadtteil × month × category counts), published through ``releases.create_release`` –
the same path as every pipeline, so its datastore table is filled by COPY. Setup runs once;
a second run reuses the catalogue when the counts match (``--rebuild`` forces it).

Then ``rathaus serve`` (gunicorn, 2 workers) answers, one request at a time:
``package_show`` of a random data set (the baseline: one data set by name),
``package_search`` with one or two words from the pool and all five facets
(``organization``, ``groups``, ``tags``, ``res_format``, ``license_id``), and
``datastore_search`` on the big table with a filter (a random Stadtbezirk and month,
``limit`` 100, with the total). The table prints p50/p95 with the ratio to
``package_show``'s p50. Checks (non-zero exit): every answer has ``success`` true; a
filtered datastore answer has exactly the rows of that Stadtbezirk and month (total
equal to the count computed at setup), and facet counts add up to at least the count.
Targets: package_search p95 under 50 ms, datastore_search p95 under 100 ms.

    python bench/opendata.py [--datasets 10000] [--rows 1000000] [--requests 300]
        [--database-url postgres://…/rathaus_bench_opendata] [--rebuild] [--json]
"""

import argparse
import json
import os
import random
import sys
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

DATABASE = "rathaus_bench_opendata"
WORDS = [
    "Bevölkerung",
    "Einwohner",
    "Stadtteil",
    "Bezirk",
    "Verkehr",
    "Radverkehr",
    "Parken",
    "Haushalt",
    "Schulen",
    "Kitas",
    "Spielplätze",
    "Bäume",
    "Luftqualität",
    "Lärm",
    "Wahlen",
    "Sport",
    "Bibliothek",
    "Museum",
    "Theater",
    "Tourismus",
    "Gewerbe",
    "Arbeitsmarkt",
    "Wohnen",
    "Mieten",
    "Bauen",
    "Energie",
    "Photovoltaik",
    "Abfall",
    "Wasser",
    "Rhein",
    "Feuerwehr",
    "Rettungsdienst",
    "Gesundheit",
    "Senioren",
    "Jugend",
    "Familie",
    "Integration",
    "Kultur",
    "Förderung",
    "Dachbegrünung",
    "Grünflächen",
    "Friedhöfe",
    "Haltestellen",
    "Ladesäulen",
    "Baustellen",
    "Unfälle",
    "Hunde",
    "Zuzug",
    "Geburten",
    "Einbürgerung",
    "Sozialleistungen",
    "Wohngeld",
    "Ehrenamt",
    "Vereine",
    "Veranstaltungen",
]
THEMES = [
    "AGRI",
    "ECON",
    "EDUC",
    "ENER",
    "ENVI",
    "GOVE",
    "HEAL",
    "INTR",
    "JUST",
    "REGI",
    "SOCI",
    "TECH",
    "TRAN",
]
DISTRICTS = [f"Stadtbezirk {n}" for n in range(1, 11)]
QUARTERS = 40  # "Stadtteile" per Stadtbezirk in the synthetic table
CATEGORIES = ["Kultur", "Sport", "Familie", "Jugend", "Bildung", "Soziales", "Senioren", "Umwelt"]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = common.DEFAULT_DATABASE_URL.rsplit("/", 1)[0] + "/" + DATABASE
    parser.add_argument("--database-url", default=os.environ.get("BENCH_OPENDATA_URL", default))
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--json", action="store_true")
    return parser.parse_args()


def _django(database_url: str) -> None:
    os.environ.update(common.environment(database_url))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _create_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _big_rows(count: int):
    """Counts per Stadtbezirk, Stadtteil, month and category: ``count`` rows in all."""
    months = [f"{year}-{month:02d}" for year in range(2000, 2027) for month in range(1, 13)]
    per_month = len(DISTRICTS) * QUARTERS * len(CATEGORIES)
    rng = random.Random(7)
    made = 0
    for month in months:
        for district in DISTRICTS:
            for quarter in range(1, QUARTERS + 1):
                for category in CATEGORIES:
                    if made == count:
                        return
                    made += 1
                    yield {
                        "monat": month,
                        "stadtbezirk": district,
                        "stadtteil": f"{district} / Teil {quarter}",
                        "kategorie": category,
                        "anzahl": rng.randint(5, 400),
                    }
    if made < count:
        raise SystemExit(f"at most {len(months) * per_month} rows can be generated")


def _build(datasets: int, rows: int, log) -> dict:
    from django.db import transaction

    from rathaus.opendata.models import Dataset, Organisation, Release, Resource, SearchTerm
    from rathaus.opendata.pipelines import Column
    from rathaus.opendata.services import catalogue, releases

    started = time.monotonic()
    log("Lösche den alten Bench-Katalog …")
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        Dataset.objects.update(current=None)
        Dataset.objects.all().delete()
        Organisation.objects.all().delete()
    organisations = Organisation.objects.bulk_create(
        Organisation(slug=f"amt-{n:03d}", title=f"Amt {n:03d} (Bench)", email="b@x.example")
        for n in range(200)
    )
    rng = random.Random(12)
    now = datetime.now(UTC)
    csv = b"stadtbezirk,anzahl\nStadtbezirk 1,42\n"
    log(f"Lege {datasets:,} Datensätze an …".replace(",", "."))
    for start in range(0, datasets, 1000):
        batch = []
        for number in range(start, min(start + 1000, datasets)):
            words = rng.sample(WORDS, 3)
            batch.append(
                Dataset(
                    slug=f"bench-{number:05d}",
                    title=f"{words[0]} und {words[1]} nach Stadtbezirk ({number})",
                    description=f"{words[2]}: Bench-Datensatz {number}, "
                    + " ".join(rng.sample(WORDS, 8)),
                    organisation=organisations[number % len(organisations)],
                    themes=sorted(rng.sample(THEMES, rng.randint(1, 2))),
                    keywords=rng.sample(WORDS, 3),
                    contact_name="Bench",
                    contact_email="b@x.example",
                    source=Dataset.Source.UPLOAD,
                    state=Dataset.State.PUBLISHED,
                )
            )
        with transaction.atomic():
            made = Dataset.objects.bulk_create(batch)
            stored = Release.objects.bulk_create(
                Release(
                    dataset=d,
                    number=1,
                    state=Release.State.PUBLISHED,
                    created_at=now,
                    published_at=now,
                    columns=[
                        {"name": "stadtbezirk", "type": "string", "title": "Stadtbezirk"},
                        {"name": "anzahl", "type": "integer", "title": "Anzahl"},
                    ],
                    row_count=1,
                    csv=csv,
                    package=b"{}",
                    sha256="0" * 64,
                    files={"CSV": {"bytes": len(csv), "sha256": "0" * 64}},
                )
                for d in made
            )
            for dataset, release in zip(made, stored, strict=True):
                dataset.current = release
            Dataset.objects.bulk_update(made, ["current"])
            Resource.objects.bulk_create(
                Resource(dataset=d, format=f, position=p)
                for d in made
                for p, f in enumerate(["CSV", "JSON", "datapackage"])
            )
            catalogue.reindex(
                Dataset.objects.filter(pk__in=[d.pk for d in made])
                .select_related("organisation", "current")
                .prefetch_related("resources")
            )
        log(f"  {min(start + 1000, datasets):,} Datensätze".replace(",", "."))
    log(f"Veröffentliche die große Tabelle ({rows:,} Zeilen) …".replace(",", "."))
    big = Dataset.objects.create(
        slug="bench-grosse-tabelle",
        title="Angebote nach Stadtteil, Monat und Kategorie (Bench)",
        description="Eine Million Zeilen für datastore_search.",
        organisation=organisations[0],
        themes=["SOCI"],
        keywords=["Bench"],
        contact_name="Bench",
        contact_email="b@x.example",
        source=Dataset.Source.UPLOAD,
        state=Dataset.State.DRAFT,
    )
    columns = [
        Column("monat", "yearmonth", "Monat"),
        Column("stadtbezirk", "string", "Stadtbezirk"),
        Column("stadtteil", "string", "Stadtteil"),
        Column("kategorie", "string", "Kategorie"),
        Column("anzahl", "integer", "Anzahl"),
    ]
    release = releases.create_release(big, columns, _big_rows(rows))
    assert release.state == Release.State.PUBLISHED, release.findings.all()
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum does soon after a bulk load
        cursor.execute("ANALYZE")
    return {"setup_s": round(time.monotonic() - started, 1)}


def _ready(datasets: int, rows: int) -> bool:
    from rathaus.opendata.models import Dataset, StoreRow

    big = Dataset.objects.filter(slug="bench-grosse-tabelle").first()
    return (
        big is not None
        and Dataset.objects.filter(slug__startswith="bench-").count() == datasets + 1
        and StoreRow.objects.filter(dataset=big).count() == rows
    )


def _get(base: str, action: str, params: dict) -> tuple[float, dict]:
    url = f"{base}/api/3/action/{action}?" + urllib.parse.urlencode(params)
    started = time.perf_counter()
    body = json.loads(common.fetch(url))
    elapsed = (time.perf_counter() - started) * 1000
    if not body.get("success"):
        raise SystemExit(f"{action} failed: {body}")
    return elapsed, body["result"]


def main() -> None:
    args = _arguments()
    log = (lambda text: print(text, file=sys.stderr)) if args.json else print
    _create_database(args.database_url)
    _django(args.database_url)
    figures: dict = {}
    if args.rebuild or not _ready(args.datasets, args.rows):
        figures |= _build(args.datasets, args.rows, log)
    from rathaus.opendata.models import Dataset, Resource, StoreRow

    big = Dataset.objects.get(slug="bench-grosse-tabelle")
    resource = str(Resource.objects.get(dataset=big, format="CSV").uuid)
    rng = random.Random(99)
    names = [f"bench-{n:05d}" for n in rng.sample(range(args.datasets), args.requests)]
    months = sorted({f"{y}-{m:02d}" for y in range(2000, 2027) for m in range(1, 13)})
    last_month = (
        StoreRow.objects.filter(dataset=big)
        .order_by("-number")
        .values_list("data", flat=True)[0]["monat"]
    )
    months = [m for m in months if m <= last_month]
    facets = json.dumps(["organization", "groups", "tags", "res_format", "license_id"])
    show, search, store = [], [], []
    log("Messe über HTTP (rathaus serve, 2 Worker) …")
    with common.server(args.database_url, workers=2) as base:
        for warm in range(20):
            _get(base, "package_show", {"id": names[warm]})
        for number, name in enumerate(names):
            elapsed, _ = _get(base, "package_show", {"id": name})
            show.append(elapsed)
            q = " ".join(rng.sample(WORDS, rng.choice((1, 2))))
            elapsed, found = _get(base, "package_search", {"q": q, "facet.field": facets})
            search.append(elapsed)
            top = max(found["facets"]["organization"].values(), default=0)
            if found["count"] and top > found["count"]:
                raise SystemExit(f"facet count {top} above the count {found['count']}")
            district, month = rng.choice(DISTRICTS), rng.choice(months)
            elapsed, rows = _get(
                base,
                "datastore_search",
                {
                    "resource_id": resource,
                    "filters": json.dumps({"stadtbezirk": district, "monat": month}),
                    "limit": 100,
                },
            )
            store.append(elapsed)
            expected = QUARTERS * len(CATEGORIES)
            wrong = [
                r for r in rows["records"] if (r["stadtbezirk"], r["monat"]) != (district, month)
            ]
            if rows["total"] != expected or wrong:
                raise SystemExit(f"datastore_search {district} {month}: {rows['total']} rows")
            if number % 100 == 99:
                log(f"  {number + 1} von {len(names)} Runden")
    baseline = common.summary(show)
    rows = [
        ("package_show (baseline)", baseline, None),
        ("package_search q + 5 facets", common.summary(search), None),
        (f"datastore_search filter, {args.rows:,} rows", common.summary(store), None),
    ]
    rows = [
        (name, data, None if ratio is None and index == 0 else data["p50"] / baseline["p50"])
        for index, (name, data, ratio) in enumerate(rows)
    ]
    common.print_table(
        f"Open data on PostgreSQL: {args.datasets:,} data sets, a table of {args.rows:,} rows",
        rows,
    )
    figures |= {
        "package_search_p95_ms": round(common.summary(search)["p95"], 2),
        "datastore_search_p95_ms": round(common.summary(store)["p95"], 2),
        "package_show_p95_ms": round(baseline["p95"], 2),
        "package_search_p50_ms": round(common.summary(search)["p50"], 2),
        "datastore_search_p50_ms": round(common.summary(store)["p50"], 2),
        "package_show_p50_ms": round(baseline["p50"], 2),
        "datasets": args.datasets,
        "rows": args.rows,
    }
    if args.json:
        common.emit_json(figures)


if __name__ == "__main__":
    main()
