"""The register's JSON API: published records only, each with its versions and hashes."""

import hashlib

from rathaus.register import services
from rathaus.register.models import Record

from .conftest import form_data


def test_the_api_lists_and_shows_published_records_with_their_versions(client, steward, office):
    record = Record.objects.create(office=office, **form_data())
    services.publish(record, by=steward, reason="Erste Veröffentlichung")
    record.risks = "Neu bewertet."
    services.save(record, by=steward, reason="Neu bewertet")

    listed = client.get("/api/v1/algorithmen", {"q": "Wohngeldanträge"}).json()
    assert [hit["slug"] for hit in listed["results"]] == ["test-wohngeld-pruefung"]
    assert listed["results"][0]["version"] == 2

    detail = client.get("/api/v1/algorithmen/test-wohngeld-pruefung").json()
    assert detail["document"]["risks"] == "Neu bewertet."
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    first = detail["versions"][1]
    file = client.get(first["url"].removeprefix("http://testserver"))
    assert hashlib.sha256(file.content).hexdigest() == first["sha256"]


def test_the_api_answers_nonsense_in_english(db, client):
    assert client.get("/api/v1/algorithmen/gibt-es-nicht").json() == {"detail": "Not found."}
    answer = client.get("/api/v1/algorithmen", {"limit": "viele"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["parameter"] == "limit"
    assert client.get("/api/v1/algorithmen", {"q": "x" * 201}).status_code == 422
    assert client.get("/api/v1/algorithmen", {"q": "Kita\x00"}).json()["count"] >= 1


def test_the_demo_register_is_in_the_api(db, client):
    slugs = {hit["slug"] for hit in client.get("/api/v1/algorithmen").json()["results"]}
    assert {
        "kita-platzvergabe",
        "verlosung-angebote",
        "terminvergabe-buergerbueros",
        "assistent-antwortauswahl",
        "offene-daten-geheimhaltung",
    } <= slugs
