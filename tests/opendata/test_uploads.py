"""External data: uploads by data stewards (CSV, XLSX, GeoJSON) and scheduled fetches from a
configured address (against a local HTTP server), with clear German errors."""

import http.server
import io
import json
import threading
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from rathaus.opendata.models import Dataset, Release
from rathaus.opendata.services import uploads

from .conftest import make_dataset

CSV_SEMICOLON = (
    "Stadtbezirk;Jahr;Quote;Stichtag\nBilk;2025;6,4;31.12.2025\nBenrath;2025;4,1;31.12.2025\n"
)


def test_csv_with_semicolons_windows_encoding_and_german_numbers():
    parsed = uploads.parse(
        "quoten.csv", CSV_SEMICOLON.replace("Bilk", "Düsseltal").encode("cp1252")
    )
    assert [(c.name, c.type) for c in parsed.columns] == [
        ("Stadtbezirk", "string"),
        ("Jahr", "integer"),
        ("Quote", "number"),
        ("Stichtag", "date"),
    ]
    assert parsed.rows[0] == {
        "Stadtbezirk": "Düsseltal",
        "Jahr": 2025,
        "Quote": 6.4,
        "Stichtag": "2025-12-31",
    }


def test_xlsx_first_sheet():
    book = Workbook()
    sheet = book.active
    sheet.append(["Stadtteil", "Einwohner", "Stand"])
    sheet.append(["Flingern Nord", 21345, date(2025, 12, 31)])
    sheet.append(["Garath", 18890, date(2025, 12, 31)])
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = uploads.parse("einwohner.xlsx", buffer.getvalue())
    assert [(c.name, c.type) for c in parsed.columns] == [
        ("Stadtteil", "string"),
        ("Einwohner", "integer"),
        ("Stand", "date"),
    ]
    assert parsed.rows[1]["Einwohner"] == 18890


def test_geojson_keeps_geometries():
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [6.78, 51.22]},
                "properties": {"name": "Spielplatz Volksgarten", "geraete": 12},
            }
        ],
    }
    parsed = uploads.parse("spielplaetze.geojson", json.dumps(document).encode())
    assert parsed.rows == [{"name": "Spielplatz Volksgarten", "geraete": 12}]
    assert parsed.geometries == [{"type": "Point", "coordinates": [6.78, 51.22]}]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("leer.csv", b"", "leer"),
        ("bild.png", b"\x89PNG\r\n", "CSV-, XLSX- oder GeoJSON"),
        ("zeilen.csv", b"a,b\n1,2\n3\n", "Zeile 3 hat 1 statt 2"),
        ("doppelt.csv", b"a,a\n1,2\n", "mehrfach"),
        ("ohne.csv", b"a,\n1,2\n", "Namen"),
        ("nur-kopf.csv", b"a,b\n", "keine Datenzeilen"),
        ("kaputt.xlsx", b"PK\x03\x04kaputt", "XLSX"),
        ("kaputt.geojson", b"{nicht json", "kein gültiges JSON"),
        ("falsch.geojson", b'{"type": "Feature"}', "FeatureCollection"),
        ("gross.csv", b"a\n" + b"1\n" * (uploads.MAX_BYTES // 2 + 1), "größer als 20 MB"),
    ],
)
def test_nonsense_gets_a_clear_german_message(name, data, message):
    with pytest.raises(uploads.UploadError, match=message):
        uploads.parse(name, data)


def test_steward_uploads_a_release_and_errors_keep_the_page(steward_client, db):
    dataset = make_dataset(slug="test-quoten", disclosure=Dataset.Disclosure.NONE, measures=[])
    page = f"/opendaten/verwalten/{dataset.slug}/"
    bad = steward_client.post(
        page, {"aktion": "hochladen", "file": SimpleUploadedFile("x.csv", b"a,b\n1\n")}
    )
    assert bad.status_code == 200
    assert "Zeile 2 hat 1 statt 2 Werte" in bad.content.decode()
    good = steward_client.post(
        page,
        {"aktion": "hochladen", "file": SimpleUploadedFile("q.csv", CSV_SEMICOLON.encode())},
    )
    assert good.status_code == 302, good.content.decode()[-3000:]
    dataset.refresh_from_db()
    assert dataset.current.number == 1 and dataset.state == Dataset.State.PUBLISHED
    assert dataset.current.created_by.email == "daten@test.example"


def test_metadata_errors_keep_what_was_typed(steward_client, db):
    response = steward_client.post(
        "/opendaten/verwalten/neu/",
        {
            "title": "Radverkehr – Zählstellen <b>fett</b>",
            "slug": "Ungültig Mit Leerzeichen",
            "description": "Zählungen",
            "themes": ["TRAN"],
            "licence": "dl-by-de/2.0",
            "frequency": "MONTHLY",
            "contact_name": "Amt für Verkehrsmanagement",
            "contact_email": "keine-adresse",
            "disclosure": "suppression",
            "min_count": "1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Radverkehr – Zählstellen &lt;b&gt;fett&lt;/b&gt;" in page
    assert "Mindestfallzahl muss zwischen 2 und 50" in page
    assert "Bitte nennen Sie die Zählspalten" in page
    assert not Dataset.objects.filter(title__contains="fett").exists()


class _Server(http.server.BaseHTTPRequestHandler):
    body = b""
    etag = '"v1"'
    status = 200

    def do_GET(self):
        if self.status != 200:
            self.send_error(self.status)
            return
        if self.headers.get("If-None-Match") == self.etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("ETag", self.etag)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def csv_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_a_configured_address_is_fetched_only_when_it_changed(db, csv_server):
    url = f"http://127.0.0.1:{csv_server.server_port}/arbeitslose.csv"
    dataset = make_dataset(
        slug="test-arbeitslose",
        disclosure=Dataset.Disclosure.NONE,
        measures=[],
        fetch_url=url,
    )
    _Server.body, _Server.etag, _Server.status = b"Monat,Arbeitslose\n2026-09,25104\n", '"v1"', 200
    first = uploads.fetch(dataset)
    assert first is not None and first.state == Release.State.PUBLISHED, dataset.fetch.error
    assert uploads.fetch(dataset) is None  # 304 Not Modified
    _Server.etag = '"v2"'
    assert uploads.fetch(dataset) is None  # new ETag, same content: no release
    _Server.body, _Server.etag = b"Monat,Arbeitslose\n2026-09,25104\n2026-10,24980\n", '"v3"'
    second = uploads.fetch(dataset)
    assert second.number == 2 and second.row_count == 2
    _Server.status = 500
    assert uploads.fetch(dataset) is None
    dataset.fetch.refresh_from_db()
    assert "HTTP 500" in dataset.fetch.error
    dataset.fetch_url = "file:///etc/passwd"
    assert uploads.fetch(dataset) is None
    dataset.fetch.refresh_from_db()
    assert "http://" in dataset.fetch.error


def test_steward_pages_are_for_stewards_only(client, db, library):
    from rathaus.accounts.models import Role
    from tests.factories import StaffFactory, UserFactory

    pages = [
        "/opendaten/verwalten/",
        "/opendaten/verwalten/neu/",
        f"/opendaten/verwalten/{library.slug}/",
        f"/opendaten/verwalten/version/{library.current_id}/",
    ]
    for path in pages:
        assert client.get(path).status_code == 302  # anonymous: to the staff sign-in
    client.force_login(UserFactory(email="bewohnerin@test.example"))
    for path in pages:
        assert client.get(path).status_code in (302, 403)
    client.force_login(StaffFactory(email="sachbearbeitung@test.example", roles=[Role.CASEWORKER]))
    for path in pages:
        assert client.get(path).status_code == 403
