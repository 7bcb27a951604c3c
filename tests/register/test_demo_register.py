"""The demo register: Rathaus's own algorithms, each published, logged and pointing at code
and tests that exist."""

from pathlib import Path

import pytest
from django.utils.html import escape

from rathaus.language.services import EASY_COOKIE
from rathaus.ledger.models import Entry, Pending
from rathaus.register.models import Record

ROOT = Path(__file__).resolve().parents[2]
OWN = [
    "kita-platzvergabe",
    "verlosung-angebote",
    "terminvergabe-buergerbueros",
    "assistent-antwortauswahl",
    "offene-daten-geheimhaltung",
]


@pytest.mark.parametrize("slug", OWN)
def test_each_own_algorithm_is_published_logged_and_points_at_real_code(db, slug):
    record = Record.objects.select_related("current").get(slug=slug)
    assert record.current is not None and record.easy_language.strip()
    reference = f"algorithmen/{slug}/fassung-{record.current.number}"
    logged = Entry.objects.filter(reference=reference) or Pending.objects.filter(
        reference=reference
    )
    assert [item.sha256 for item in logged] == [record.current.sha256]
    paths = [*record.code_paths.splitlines(), *record.test_paths.splitlines()]
    assert record.code_paths.strip() and record.test_paths.strip()
    missing = [path for path in paths if not (ROOT / path).exists()]
    assert not missing, f"{slug} names paths that do not exist: {missing}"


def test_the_kita_record_reads_in_easy_language(db, client):
    assert (
        'id="leichte-sprache"' not in client.get("/algorithmen/kita-platzvergabe/").content.decode()
    )
    client.cookies[EASY_COOKIE] = "1"
    page = client.get("/algorithmen/kita-platzvergabe/").content.decode()
    record = Record.objects.get(slug="kita-platzvergabe")
    first = record.easy_language.strip().splitlines()[0]
    assert 'id="leichte-sprache"' in page and escape(first) in page
