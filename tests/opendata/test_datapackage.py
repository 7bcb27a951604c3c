"""Data package descriptors, checked by the Frictionless reference validator on real files:
a release's CSV with a suppressed cell ("."), umlauts and a year-month column validates, and
the validator notices a wrong type, a wrong hash and a wrong size."""

import hashlib
import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import frictionless
import pytest

from rathaus.opendata import datapackage
from rathaus.opendata.datapackage import Column

COLUMNS = (
    Column("monat", "yearmonth", "Monat", "Monat der Bewilligung"),
    Column("stadtbezirk", "string", "Stadtbezirk", "Stadtbezirk laut Satzung"),
    Column("bewilligt", "integer", "Bewilligte Anträge", "Anzahl bewilligter Anträge"),
    Column("ausgezahlt", "number", "Ausgezahlte Förderung", "Summe der Auszahlungen", "EUR"),
    Column("abgeschlossen", "boolean", "Abgeschlossen", ""),
    Column("stichtag", "date", "Stichtag", "Stand der Daten"),
    Column("programmjahr", "year", "Programmjahr", "Jahr des Förderprogramms"),
)
ROWS = [
    ("2025-03", "Bilk", "12", "10500.50", "true", "2025-04-01", "2025"),
    ("2025-03", "Düsseltal", ".", ".", "false", "2025-04-01", "2025"),  # suppressed: < 3
    ("2025-04", "Gerresheim", "7", "3200", "true", "2025-05-02", "2025"),
    ("2025-04", "Flingern-Süd", "4", "980.25", "false", "2025-05-02", "2025"),
]
HEADER = ",".join(column.name for column in COLUMNS)


def csv_bytes(rows=ROWS) -> bytes:
    return ("\r\n".join([HEADER, *(",".join(row) for row in rows)]) + "\r\n").encode()


def write_package(folder: Path, data: bytes, **resource_changes) -> Path:
    """The CSV and its descriptor in ``folder``; returns the descriptor's path."""
    (folder / "daten.csv").write_bytes(data)
    options = {
        "name": "daten",
        "path": "daten.csv",
        "columns": COLUMNS,
        "primary_key": ("monat", "stadtbezirk"),
        "sha256": hashlib.sha256(data).hexdigest(),
        "byte_size": len(data),
    } | resource_changes
    descriptor = package_descriptor([datapackage.table_resource(**options)])
    path = folder / "datapackage.json"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2, sort_keys=True))
    return path


def package_descriptor(resources: list[dict]) -> dict:
    return datapackage.descriptor(
        name="dachbegruenung-foerderung",
        title="Dachbegrünung: bewilligte und ausgezahlte Förderung nach Stadtbezirk und Jahr",
        description="Förderprogramm „Düsseldorf begrünt“; Fallzahlen unter drei gesperrt („.“).",
        version="7",
        licence_id="dl-by-de/2.0",
        licence_title="Datenlizenz Deutschland – Namensnennung – Version 2.0",
        licence_url="https://www.govdata.de/dl-de/by-2-0",
        homepage="https://rathaus.duesseldorf.example/opendaten/dachbegruenung-foerderung/",
        created=datetime(2025, 5, 2, 8, 30, 15, 999, tzinfo=timezone(timedelta(hours=2))),
        keywords=["Dachbegrünung", "Förderprogramm", "Klimaanpassung"],
        resources=resources,
    )


def errors(report: frictionless.Report) -> list[list]:
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_release_package_is_valid(tmp_path):
    report = frictionless.validate(str(write_package(tmp_path, csv_bytes())))
    assert report.valid, errors(report)


def test_package_reads_back_as_published(tmp_path):
    """Suppressed cells come back as missing, umlauts and year-months intact."""
    package = frictionless.Package(str(write_package(tmp_path, csv_bytes())))
    rows = package.get_resource("daten").read_rows()
    assert [row["stadtbezirk"] for row in rows] == [
        "Bilk",
        "Düsseltal",
        "Gerresheim",
        "Flingern-Süd",
    ]
    assert rows[1]["bewilligt"] is None and rows[1]["ausgezahlt"] is None
    assert rows[0]["bewilligt"] == 12
    assert float(rows[0]["ausgezahlt"]) == 10500.5
    assert rows[0]["abgeschlossen"] is True
    assert rows[0]["stichtag"] == date(2025, 4, 1)
    assert rows[0]["programmjahr"] == 2025
    assert tuple(rows[0]["monat"]) == (2025, 3)


def test_text_in_an_integer_column_is_invalid(tmp_path):
    rows = [*ROWS, ("2025-05", "Benrath", "sieben", "100", "true", "2025-06-01", "2025")]
    report = frictionless.validate(str(write_package(tmp_path, csv_bytes(rows))))
    assert not report.valid
    # Frictionless counts the header as row 1.
    assert [6, "bewilligt", "type-error"] in [e[:3] for e in errors(report)], errors(report)


def test_wrong_hash_is_invalid(tmp_path):
    data = csv_bytes()
    path = write_package(tmp_path, data, sha256=hashlib.sha256(data + b"x").hexdigest())
    report = frictionless.validate(str(path))
    assert not report.valid
    assert "hash-count" in [e[2] for e in errors(report)], errors(report)


def test_wrong_size_is_invalid(tmp_path):
    data = csv_bytes()
    report = frictionless.validate(str(write_package(tmp_path, data, byte_size=len(data) - 1)))
    assert not report.valid
    assert "byte-count" in [e[2] for e in errors(report)], errors(report)


def test_the_dot_is_only_legal_as_a_missing_value(tmp_path):
    report = frictionless.validate(str(write_package(tmp_path, csv_bytes(), missing_values=[""])))
    assert not report.valid
    assert {(e[0], e[1]) for e in errors(report) if e[2] == "type-error"} == {
        (3, "bewilligt"),
        (3, "ausgezahlt"),
    }, errors(report)


def test_package_with_a_geojson_file_is_not_tabular(tmp_path):
    """A release may add a GeoJSON file; the tabular profile would reject the package."""
    data = csv_bytes()
    (tmp_path / "daten.csv").write_bytes(data)
    geojson = b'{"type": "FeatureCollection", "features": []}'
    (tmp_path / "daten.geojson").write_bytes(geojson)
    descriptor = package_descriptor(
        [
            datapackage.table_resource(
                name="daten",
                path="daten.csv",
                columns=COLUMNS,
                sha256=hashlib.sha256(data).hexdigest(),
                byte_size=len(data),
            ),
            {
                "name": "daten-geojson",
                "path": "daten.geojson",
                "format": "geojson",
                "mediatype": "application/geo+json",
                "hash": "sha256:" + hashlib.sha256(geojson).hexdigest(),
                "bytes": len(geojson),
            },
        ]
    )
    assert descriptor["profile"] == "data-package"
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps(descriptor))
    report = frictionless.validate(str(path))
    assert report.valid, errors(report)


def test_descriptor_shape():
    data = csv_bytes()
    resource = datapackage.table_resource(
        name="daten",
        path="daten.csv",
        columns=COLUMNS,
        primary_key=["monat", "stadtbezirk"],
        sha256=hashlib.sha256(data).hexdigest(),
        byte_size=len(data),
    )
    descriptor = package_descriptor([resource])
    assert descriptor["profile"] == "tabular-data-package"
    assert descriptor["created"] == "2025-05-02T06:30:15Z"
    assert descriptor["licenses"] == [
        {
            "name": "dl-by-de/2.0",
            "title": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
            "path": "https://www.govdata.de/dl-de/by-2-0",
        }
    ]
    assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert resource["bytes"] == len(data)
    assert resource["encoding"] == "utf-8"
    assert resource["dialect"]["delimiter"] == ","
    assert resource["schema"]["missingValues"] == ["", "."]
    assert resource["schema"]["primaryKey"] == ["monat", "stadtbezirk"]
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == [c.name for c in COLUMNS]  # order is meaningful
    assert fields[3] == {
        "name": "ausgezahlt",
        "type": "number",
        "title": "Ausgezahlte Förderung",
        "description": "Summe der Auszahlungen",
        "unit": "EUR",
    }
    assert "description" not in fields[4]  # empty descriptions are left out
    assert "hash" not in datapackage.table_resource(name="x", path="x.csv", columns=COLUMNS)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: datapackage.table_resource(name="Daten", path="d.csv", columns=COLUMNS), "name"),
        (
            lambda: datapackage.table_resource(
                name="daten", path="d.csv", columns=[Column("a", "text", "A", "")]
            ),
            "unknown type",
        ),
        (
            lambda: datapackage.table_resource(
                name="daten", path="d.csv", columns=COLUMNS, primary_key=["jahr"]
            ),
            "primary key",
        ),
        (
            lambda: datapackage.table_resource(
                name="daten", path="d.csv", columns=COLUMNS, sha256="ABC"
            ),
            "SHA-256",
        ),
        (
            lambda: datapackage.table_resource(
                name="daten", path="d.csv", columns=[*COLUMNS, COLUMNS[0]]
            ),
            "repeat",
        ),
        (lambda: package_descriptor([]), "at least one"),
        (lambda: package_descriptor([{"name": "a"}, {"name": "a"}]), "repeat"),
        (
            lambda: datapackage.descriptor(
                **{
                    **_descriptor_arguments(),
                    "created": datetime(2025, 5, 2, 8, 30),  # naive on purpose
                }
            ),
            "time zone",
        ),
    ],
    ids=[
        "upper-case-name",
        "unknown-type",
        "primary-key",
        "checksum",
        "columns-repeat",
        "no-resources",
        "resources-repeat",
        "naive-created",
    ],
)
def test_refusals(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def _descriptor_arguments() -> dict:
    return {
        "name": "x",
        "title": "X",
        "description": "",
        "version": "1",
        "licence_id": "cc-zero",
        "licence_title": "CC0",
        "licence_url": "",
        "homepage": "/opendaten/x/",
        "created": datetime(2025, 5, 2, tzinfo=UTC),
        "keywords": [],
        "resources": [{"name": "a", "path": "a.csv"}],
    }


def test_licence_without_address_has_no_path():
    descriptor = datapackage.descriptor(**_descriptor_arguments())
    assert descriptor["licenses"] == [{"name": "cc-zero", "title": "CC0"}]
    assert descriptor["profile"] == "data-package"
