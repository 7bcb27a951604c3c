"""The portal: facets that narrow, a data set's page with everything a reader needs, files
whose bytes match the data package's hashes, drafts hidden."""

import hashlib
import json
import re

from rathaus.opendata.models import Dataset


def test_search_page_narrows_by_facets(client, library):
    everything = client.get("/opendaten/")
    assert everything.status_code == 200
    page = everything.content.decode()
    assert "Veröffentlichende Stelle" in page and "Thema" in page
    total = int(re.search(r"(\d+) Datensätze gefunden", page).group(1))
    assert total >= 40
    narrowed = client.get("/opendaten/", {"stelle": library.organisation.slug, "thema": "educ"})
    text = narrowed.content.decode()
    assert "1 Datensatz gefunden" in text and library.title in text
    searched = client.get("/opendaten/", {"q": "Dachbegrünung"}).content.decode()
    assert "Dachbegrünung" in searched and "0 Datensätze gefunden" not in searched
    nonsense = client.get("/opendaten/", {"q": "x" * 500, "thema": '"><script>', "seite": "abc"})
    assert nonsense.status_code == 200
    assert "<script>" not in nonsense.content.decode().split("</header>")[-1]


def test_dataset_page_shows_metadata_preview_chart_api_and_history(client, library):
    page = client.get(f"/opendaten/{library.slug}/").content.decode()
    for text in (
        library.title,
        "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "Vorschau",
        "Verlauf",  # a time series: a chart with its table
        "Die Zahlen des Diagramms als Tabelle",
        "datastore_search?resource_id=",
        "package_show?id=" + library.slug,
        "Alle Versionen",
        f"/opendaten/{library.slug}/v1/daten.csv",
        "Nachweis im Log",
        "Besuche der Stadtbücherei",  # a column description
    ):
        assert text in page, text


def test_files_match_the_hashes_in_the_data_package(client, library):
    package = client.get(f"/opendaten/{library.slug}/datapackage.json")
    assert package["Content-Type"].startswith("application/json")
    descriptor = json.loads(package.content)
    assert hashlib.sha256(package.content).hexdigest() == library.current.sha256
    csv = client.get(f"/opendaten/{library.slug}/daten.csv")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in csv["Content-Disposition"]
    assert descriptor["resources"][0]["hash"] == "sha256:" + hashlib.sha256(csv.content).hexdigest()
    rows = client.get(f"/opendaten/{library.slug}/daten.json").json()
    assert [f["name"] for f in rows["fields"]] == ["monat", "stadtbezirk", "besuche"]
    assert len(rows["records"]) == 12
    assert client.get(f"/opendaten/{library.slug}/daten.geojson").status_code == 404
    assert client.get(f"/opendaten/{library.slug}/daten.exe").status_code == 404


def test_rdf_of_a_data_set_and_of_the_catalogue(client, library):
    import rdflib

    for fmt, parser in (("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")):
        response = client.get(f"/opendaten/{library.slug}.{fmt}")
        assert response.status_code == 200
        graph = rdflib.Graph().parse(data=response.content, format=parser)
        titles = {str(o) for o in graph.objects(None, rdflib.namespace.DCTERMS.title)}
        assert library.title in titles
    catalogue = rdflib.Graph().parse(data=client.get("/catalog.ttl").content, format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    datasets = set(catalogue.subjects(rdflib.RDF.type, dcat.Dataset))
    assert len(datasets) == Dataset.objects.filter(state="published", current__isnull=False).count()


def test_drafts_and_unknown_data_sets_are_not_shown(client, library):
    Dataset.objects.filter(pk=library.pk).update(state=Dataset.State.DRAFT)
    for path in (
        f"/opendaten/{library.slug}/",
        f"/opendaten/{library.slug}/daten.csv",
        f"/opendaten/{library.slug}/v1/daten.csv",
        f"/opendaten/{library.slug}.ttl",
        "/opendaten/gibt-es-nicht/",
    ):
        assert client.get(path).status_code == 404, path
    assert library.title not in client.get("/opendaten/").content.decode()
