"""Releases: protected, frozen, addressable for good, logged; held when the scanner objects,
released only with a steward's reasons; never with a recoverable small count."""

import csv
import hashlib
import io
import json
from datetime import UTC, datetime

import pytest

from rathaus.core.models import AuditEntry
from rathaus.ledger.models import Pending
from rathaus.opendata.models import Dataset, Release, StoreRow
from rathaus.opendata.pipelines import Column
from rathaus.opendata.services import releases

from .conftest import COLUMNS, make_dataset, visit_rows

APRIL, MAY = datetime(2026, 4, 2, tzinfo=UTC), datetime(2026, 5, 2, tzinfo=UTC)


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(bytes(data).decode())))


def test_a_release_is_published_with_its_files_hashed_into_the_package(library):
    release = library.current
    assert release.state == Release.State.PUBLISHED and release.number == 1
    package = json.loads(bytes(release.package))
    table = package["resources"][0]
    assert table["path"] == "daten.csv"
    assert table["hash"] == "sha256:" + hashlib.sha256(bytes(release.csv)).hexdigest()
    assert release.sha256 == hashlib.sha256(bytes(release.package)).hexdigest()
    assert release.files["CSV"]["bytes"] == len(bytes(release.csv))
    logged = Pending.objects.get(reference=f"opendaten/{library.slug}/v1")
    assert logged.kind == "opendata-release" and logged.sha256 == release.sha256
    assert StoreRow.objects.filter(dataset=library).count() == 12


def test_small_counts_are_dots_and_the_notes_count_cells_not_values(library):
    table = rows_of(library.current.csv)
    assert table[0] == ["monat", "stadtbezirk", "besuche"]
    garath = next(row for row in table if row[:2] == ["2026-02", "Garath"])
    assert garath[2] == "."
    dots = sum(row[2] == "." for row in table[1:])
    assert dots >= 3  # the primary cell and enough secondary cells
    report = library.current.disclosure_report
    assert report["primary"] == 1 and report["secondary"] == dots - 1
    assert library.current.notes == report["summary"]
    assert f"{dots} von 12 Zellen gesperrt" in report["summary"]


def test_every_release_stays_addressable_with_its_own_content(client, library):
    rows = visit_rows(months=("2026-01", "2026-02", "2026-03", "2026-04"))
    second = releases.create_release(library, COLUMNS, rows, at=MAY)
    assert second.number == 2
    library.refresh_from_db()
    assert library.current_id == second.pk
    first = client.get(f"/opendaten/{library.slug}/v1/daten.csv")
    assert first.status_code == 200 and "immutable" in first["Cache-Control"]
    assert first.content == bytes(Release.objects.get(dataset=library, number=1).csv)
    current = client.get(f"/opendaten/{library.slug}/daten.csv")
    assert current.content == bytes(second.csv) and current.content != first.content
    assert client.get(f"/opendaten/{library.slug}/v9/daten.csv").status_code == 404


def test_the_suppression_pattern_is_carried_into_the_next_release(library):
    first = {tuple(row[:2]) for row in rows_of(library.current.csv)[1:] if row[2] == "."}
    second = releases.create_release(library, COLUMNS, visit_rows(), at=MAY)
    again = {tuple(row[:2]) for row in rows_of(second.csv)[1:] if row[2] == "."}
    assert first <= again


def test_an_unchanged_build_makes_no_release(library):
    assert (
        releases.create_release(library, COLUMNS, visit_rows(), at=MAY, unless_unchanged=True)
        is None
    )
    assert library.releases.count() == 1


def test_personal_columns_hold_the_release_until_a_steward_gives_reasons(db, steward):
    dataset = make_dataset(slug="test-vereine", disclosure=Dataset.Disclosure.NONE, measures=[])
    columns = [Column("verein", "string", "Verein"), Column("kontakt", "string", "Kontakt")]
    rows = [{"verein": f"Sportverein {n}", "kontakt": f"vorstand{n}@example.org"} for n in range(8)]
    held = releases.create_release(dataset, columns, rows, at=APRIL)
    assert held.state == Release.State.HELD
    dataset.refresh_from_db()
    assert dataset.current_id is None and dataset.state == Dataset.State.DRAFT
    assert not Pending.objects.filter(reference__startswith="opendaten/test-vereine/").exists()
    finding = held.findings.get()
    assert finding.column == "kontakt" and finding.kind == "email"
    assert "vorstand" not in finding.message  # counts, never the values
    with pytest.raises(releases.ReleaseRefused, match="begründen"):
        releases.approve(held, by=steward, reasons={finding.pk: "  "})
    releases.approve(held, by=steward, reasons={finding.pk: "Vereinsadressen sind öffentlich."})
    dataset.refresh_from_db()
    finding.refresh_from_db()
    assert dataset.current_id == held.pk and dataset.state == Dataset.State.PUBLISHED
    assert finding.overridden_by == steward and finding.reason == "Vereinsadressen sind öffentlich."
    assert Pending.objects.filter(reference="opendaten/test-vereine/v1").exists()
    assert AuditEntry.objects.filter(action="rathaus.opendata.release.approved").exists()
    with pytest.raises(releases.ReleaseRefused):
        releases.approve(held, by=steward, reasons={})


def test_a_rejected_release_is_kept_but_never_published(db, steward):
    dataset = make_dataset(slug="test-abgelehnt", disclosure=Dataset.Disclosure.NONE, measures=[])
    columns = [Column("iban", "string", "Konto")]
    held = releases.create_release(dataset, columns, [{"iban": "DE89370400440532013000"}], at=APRIL)
    releases.reject(held, by=steward)
    held.refresh_from_db()
    assert held.state == Release.State.REJECTED
    with pytest.raises(releases.ReleaseRefused):
        releases.approve(held, by=steward, reasons={})


def test_a_recoverable_cell_holds_the_release_and_cannot_be_overridden(
    library, steward, monkeypatch
):
    """Control: with secondary suppression switched off, the audit finds the single visitor
    from the totals, and the release is held for good."""
    from rathaus.opendata import disclosure

    real = disclosure.suppress

    def primary_only(table, *, min_count=5, previous_pattern=(), previous_rows=()):
        protected = real(table, min_count=min_count, previous_pattern=())
        rows = [dict(row) for row in table.rows]
        for row in rows:
            for measure in table.measures:
                if 0 < row[measure] < min_count:
                    row[measure] = None
        return disclosure.Protected(rows=tuple(rows), report=protected.report, pattern=())

    monkeypatch.setattr(disclosure, "suppress", primary_only)
    held = releases.create_release(library, COLUMNS, visit_rows(), at=MAY)
    assert held.state == Release.State.HELD
    finding = held.findings.get(kind="disclosure")
    with pytest.raises(releases.ReleaseRefused, match="berechenbar"):
        releases.approve(held, by=steward, reasons={finding.pk: "bitte trotzdem"})
    library.refresh_from_db()
    assert library.current.number == 1


def grid_rows(grid: list[list[int]]) -> list[dict]:
    return [
        {"monat": f"2026-{j + 1:02d}", "stadtbezirk": f"B{i + 1}", "besuche": count}
        for i, line in enumerate(grid)
        for j, count in enumerate(line)
    ]


@pytest.mark.parametrize("knows_the_last_release", [True, False])
def test_a_new_small_count_is_not_hidden_behind_a_count_the_last_release_published(
    db, monkeypatch, knows_the_last_release
):
    """RELEASE_1 and RELEASE_2 of test_disclosure as two releases: the second's new small
    count must not be hidden behind a count the first published. Control: suppression that
    is not told the previous release's rows does just that, and the audit holds the release."""
    from rathaus.opendata import disclosure

    from .test_disclosure import RELEASE_1, RELEASE_2

    if not knows_the_last_release:
        real = disclosure.suppress

        def forgetful(table, *, previous_rows=(), **options):
            return real(table, **options)

        monkeypatch.setattr(disclosure, "suppress", forgetful)
    dataset = make_dataset()
    first = releases.create_release(dataset, COLUMNS, grid_rows(RELEASE_1), at=APRIL)
    assert first.state == Release.State.PUBLISHED
    second = releases.create_release(dataset, COLUMNS, grid_rows(RELEASE_2), at=MAY)
    if knows_the_last_release:
        assert second.state == Release.State.PUBLISHED
        assert not second.findings.exists()
    else:
        assert second.state == Release.State.HELD
        assert "1 kleine Fallzahl(en)" in second.findings.get(kind="disclosure").message


def test_the_cell_key_method_perturbs_but_keeps_zeros(db):
    dataset = make_dataset(slug="test-cellkey", disclosure=Dataset.Disclosure.CELL_KEY)
    rows = visit_rows()
    rows[0]["besuche"] = 0
    release = releases.create_release(dataset, COLUMNS, rows, at=APRIL)
    published = [row[2] for row in rows_of(release.csv)[1:]]
    assert published[0] == "0"
    assert all(value.isdigit() for value in published)
    assert all(int(value) == 0 or int(value) > 2 for value in published)  # no 1 or 2
    assert abs(sum(map(int, published)) - sum(r["besuche"] for r in rows)) <= 2 * len(rows)
    assert release.disclosure_report["method"] == "cell_key"
    again = releases.create_release(dataset, COLUMNS, rows, at=MAY)
    assert bytes(again.csv) == bytes(release.csv)  # the same cells, the same noise


def test_wrong_columns_are_refused(db):
    dataset = make_dataset(slug="test-falsch")
    with pytest.raises(releases.ReleaseRefused, match="unbekannte Spalte"):
        releases.create_release(dataset, COLUMNS, [{"monat": "2026-01", "wer": "x"}])
