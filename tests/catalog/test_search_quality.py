"""Residents' queries and the service they want: it must be in the top three for 90 %.

The table lives in search_queries.csv beside this file; it runs on the database
the test run uses, so `make test` checks SQLite and PostgreSQL.
"""

import csv
from pathlib import Path

import pytest

from rathaus.catalog import search
from rathaus.catalog.models import Service

TABLE = Path(__file__).with_name("search_queries.csv")


def load_table() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_table_is_big_enough_and_realistic():
    rows = load_table()
    assert len(rows) >= 40
    typos = [r for r in rows if "typo" in r["note"].lower() or "umlaut" in r["note"].lower()]
    assert len(typos) >= 10


@pytest.mark.django_db
def test_expected_service_is_in_the_top_three_for_nine_in_ten_queries():
    rows = load_table()
    known = set(Service.objects.values_list("slug", flat=True))
    misses = []
    for row in rows:
        assert row["expected_slug"] in known, row
        top = [hit.service.slug for hit in search.search(row["query"], limit=3).hits]
        if row["expected_slug"] not in top:
            misses.append(f"{row['query']!r}: erwartet {row['expected_slug']}, gefunden {top}")
    hit_rate = 1 - len(misses) / len(rows)
    assert hit_rate >= 0.9, f"Trefferquote {hit_rate:.0%}:\n" + "\n".join(misses)
