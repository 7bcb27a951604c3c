"""Catalogue search latency against a primary-key fetch, on the demo city at --scale 50.

Runs a real server (gunicorn, PostgreSQL by default) and sends the residents'
queries from tests/catalog/search_queries.csv. Baseline: fetching one service by
its key (``/api/v1/leistungen/<slug>``) through the same server, and in-process a
``Service.objects.get(pk=…)`` next to ``search()``.

    python bench/catalog_search.py [--scale 50] [--json]
"""

import csv
import os
import random
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SEED = 20261126


def queries() -> list[str]:
    table = common.ROOT / "tests" / "catalog" / "search_queries.csv"
    with table.open(encoding="utf-8", newline="") as handle:
        return [row["query"] for row in csv.DictReader(handle)]


def in_process(args, mix: list[str], slugs: list[str]) -> tuple[list[float], list[float]]:
    os.environ.update(common.environment(args.database_url))
    import django

    django.setup()
    from rathaus.catalog import search
    from rathaus.catalog.models import Service

    ids = list(Service.objects.filter(slug__in=slugs).values_list("pk", flat=True))
    search.search("Warmlaufen")
    search_ms = [common.timed(lambda q=q: search.search(q, limit=20)) for q in mix]
    pk_ms = [common.timed(lambda pk=pk: Service.objects.get(pk=pk)) for pk in ids]
    return search_ms, pk_ms


def main() -> None:
    args = common.arguments(__doc__.splitlines()[0], scale=50)
    common.prepare_database(args.database_url, args.scale)
    rng = random.Random(SEED)
    base_queries = queries()
    mix = base_queries * args.rounds
    rng.shuffle(mix)
    slugs = [f"personalausweis-beantragen-{k}" for k in range(2, args.scale + 1)] or [
        "personalausweis-beantragen"
    ]
    pk_slugs = [rng.choice(slugs) for _ in mix]

    with common.server(args.database_url) as base:
        for query in base_queries[:10]:  # warm up both workers
            common.fetch(f"{base}/api/v1/leistungen?q={urllib.parse.quote(query)}")
        http_search = [
            common.timed(
                lambda q=q: common.fetch(f"{base}/api/v1/leistungen?q={urllib.parse.quote(q)}")
            )
            for q in mix
        ]
        http_pk = [
            common.timed(lambda s=s: common.fetch(f"{base}/api/v1/leistungen/{s}"))
            for s in pk_slugs
        ]
    search_ms, pk_ms = in_process(args, mix, pk_slugs)

    http_search_s, http_pk_s = common.summary(http_search), common.summary(http_pk)
    search_s, pk_s = common.summary(search_ms), common.summary(pk_ms)
    ratio = http_search_s["p50"] / http_pk_s["p50"]
    database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    common.print_table(
        f"Katalogsuche, Demo-Stadt x{args.scale}, {database}, {len(base_queries)} Suchanfragen",
        [
            ("HTTP GET /api/v1/leistungen/<slug> (baseline)", http_pk_s, None),
            ("HTTP GET /api/v1/leistungen?q=…", http_search_s, ratio),
            ("in-process Service.objects.get(pk) (baseline)", pk_s, None),
            ("in-process search.search(q)", search_s, search_s["p50"] / pk_s["p50"]),
        ],
    )
    if args.json:
        common.emit_json(
            {
                "search_p50_ms": round(http_search_s["p50"], 2),
                "search_p95_ms": round(http_search_s["p95"], 2),
                "ratio_to_pk_fetch": round(ratio, 2),
            }
        )


if __name__ == "__main__":
    main()
