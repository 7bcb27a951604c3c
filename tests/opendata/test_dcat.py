"""The DCAT-AP.de catalogue, checked with GovData's own SHACL shapes.

Two profiles, as GovData's validator (GovDataOfficial/DCAT-AP.de-SHACL-Validation) runs them:
DCAT-AP.de 3.0 (SEMIC's DCAT-AP 3.0.0 shapes, the German messages and deactivations, the German
additions, controlled vocabularies and deprecations) and the Konventionen of DCAT-AP.de 2.0
(K01, K12/13, K30–K32, K36). The shapes and the vocabularies they consult are copies under
``shapes/`` (see SOURCES.md there), so the tests run offline on any checkout. Each rule the
catalogue relies on is also shown to bite on a broken copy of the graph.
"""

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from rathaus.opendata import dcat
from rathaus.opendata.dcat import DCAT, DCATDE, DCT, OWL, SPDX, VCARD

SHAPES = Path(__file__).parent / "shapes"
# The shared reference data the copies came from; only present on the development machine.
SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
V3 = Namespace("http://dcat-ap.de/def/dcatde/3.0/shacl/")
# A plain namespace: pytest probes module attributes, and rdflib's XSD warns on unknown names.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

PROFILES = {
    "DCAT-AP.de 3.0": (
        "v3.0/dcat-ap-SHACL.ttl",
        "v3.0/dcat-ap-SHACL-DE.ttl",
        "v3.0/dcat-ap-spec-german-additions.ttl",
        "v3.0/dcat-ap-de-controlledvocabularies.ttl",
        "v3.0/dcat-ap-de-deprecated.ttl",
    ),
    "Konventionen 2.0": ("v2.0/dcat-ap-konventionen.ttl",),
}
VOCABULARIES = (
    "vocab/dcat-ap-de-licenses-open.rdf",
    "vocab/dcat-ap-de-contributors.rdf",
    "vocab/imports-subset.ttl",
)

BASE = "https://rathaus.duesseldorf.example/opendaten/"
DL_BY = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
ISSUED = datetime(2025, 4, 2, 9, 30, tzinfo=UTC)
MODIFIED = datetime(2025, 11, 3, 6, 15, 42, 123456, tzinfo=UTC)
# Düsseldorf's city area, roughly (WGS 84).
CITY_AREA = json.dumps(
    {
        "type": "Polygon",
        "coordinates": [
            [[6.689, 51.124], [6.940, 51.124], [6.940, 51.352], [6.689, 51.352], [6.689, 51.124]]
        ],
    }
)


# --- the catalogue ------------------------------------------------------------------------


def distribution(slug: str, kind: str, **changes) -> dcat.Distribution:
    files = {
        "csv": ("daten.csv", "CSV-Datei", "text/csv", "CSV"),
        "json": ("daten.json", "JSON-Datei", "application/json", "JSON"),
        "geojson": ("daten.geojson", "GeoJSON-Datei", "application/geo+json", "GEOJSON"),
        "package": ("datapackage.json", "Datenpaket (Frictionless)", "application/json", "JSON"),
    }
    name, title, media_type, file_type = files[kind]
    content = f"{slug}/{name}".encode()
    values = {
        "uri": f"{BASE}{slug}/#{kind}",
        "access_url": f"{BASE}{slug}/",
        "download_url": f"{BASE}{slug}/{name}",
        "title": title,
        "description": f"{title} der aktuellen Fassung, UTF-8, Trennzeichen Komma.",
        "media_type": media_type,
        "format": file_type,
        "licence": DL_BY,
        "licence_attribution": "Landeshauptstadt Düsseldorf",
        "byte_size": len(content) * 1000,
        "checksum_sha256": hashlib.sha256(content).hexdigest(),
        "issued": ISSUED,
        "modified": MODIFIED,
    }
    return dcat.Distribution(**(values | changes))


def dataset(slug: str, **changes) -> dcat.Dataset:
    values = {
        "uri": f"{BASE}{slug}/",
        "identifier": f"duesseldorf-{slug}",
        "title": "Dachbegrünung: bewilligte und ausgezahlte Förderung nach Stadtbezirk und Jahr",
        "description": (
            "Anträge auf Förderung von Dach- und Fassadenbegrünung im Programm "
            "„Düsseldorf begrünt“: bewilligte und ausgezahlte Summen in Euro je Stadtbezirk "
            "und Jahr. Fallzahlen unter drei sind gesperrt („.“)."
        ),
        "landing_page": f"{BASE}{slug}/",
        "publisher_name": "Umweltamt",
        "publisher_uri": f"{BASE}organisation/umweltamt/",
        "contact_name": "Umweltamt, Sachgebiet Stadtgrün",
        "contact_email": "umweltamt@duesseldorf.example",
        "themes": ("ENVI", "GOVE"),
        "keywords": ("Dachbegrünung", "Förderprogramm", "Klimaanpassung", "Stadtbezirk"),
        "temporal_start": date(2019, 1, 1),
        "temporal_end": date(2024, 12, 31),
        "frequency": "ANNUAL",
        "issued": ISSUED,
        "modified": MODIFIED,
        "version": "7",
        "version_notes": "Jahr 2024 ergänzt; Stadtbezirk 10 nach Gebietsreform neu zugeordnet.",
        "distributions": tuple(distribution(slug, kind) for kind in ("csv", "json", "package")),
    }
    return dcat.Dataset(**(values | changes))


CATALOG = dcat.Catalog(
    uri=f"{BASE}katalog",
    title="Offene Daten der Landeshauptstadt Düsseldorf",
    description="Daten, die die Verwaltung ohnehin erhebt – automatisch veröffentlicht.",
    homepage=BASE,
    publisher_name="Landeshauptstadt Düsseldorf",
    publisher_uri="https://rathaus.duesseldorf.example/",
    modified=MODIFIED,
)
ROOFS = dataset("dachbegruenung-foerderung")
KITA = dataset(
    "kita-anmeldungen",
    title="Kita-Plätze: Anmeldungen und Zusagen nach Stadtteil und Monat",
    description="Anmeldungen über den Kita-Navigator und erteilte Zusagen je Stadtteil.",
    publisher_name="Jugendamt",
    publisher_uri=f"{BASE}organisation/jugendamt/",
    contact_name="Jugendamt, Kita-Platzvergabe",
    contact_email="kita@duesseldorf.example",
    themes=("EDUC", "SOCI"),
    keywords=("Kita", "Kindertagesbetreuung", "Stadtteil"),
    temporal_start=date(2023, 8, 1),
    temporal_end=None,
    frequency="MONTHLY",
    version="28",
    version_notes=None,
    distributions=tuple(distribution("kita-anmeldungen", kind) for kind in ("csv", "json")),
)
FOUNTAINS = dataset(
    "trinkbrunnen",
    title="Standorte öffentlicher Trinkbrunnen",
    description="Öffentliche Trinkbrunnen im Stadtgebiet mit Lage und Betriebszeiten.",
    themes=("ENVI", "HEAL"),
    keywords=("Trinkwasser", "Hitzeschutz"),
    temporal_start=None,
    temporal_end=None,
    frequency="IRREG",
    version=None,
    version_notes=None,
    spatial_geojson=CITY_AREA,
    distributions=(
        distribution("trinkbrunnen", "geojson", byte_size=None, checksum_sha256=None),
        distribution("trinkbrunnen", "csv"),
    ),
)
DATASETS = (ROOFS, KITA, FOUNTAINS)


def build_catalogue() -> Graph:
    """The catalogue the tests check (also run in a subprocess by the reproducibility test)."""
    return dcat.catalog_graph(CATALOG, reversed(DATASETS))


# --- validation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    focus: Node
    path: Node | None
    severity: str  # Violation | Warning | Info
    shape: Node
    message: str


@dataclass(frozen=True)
class Report:
    conforms: bool
    findings: tuple[Finding, ...]
    text: str

    def has(self, *, path: Node, severity: str, message: str, focus: Node | None = None) -> bool:
        return any(
            f.path == path
            and f.severity == severity
            and message in f.message
            and (focus is None or f.focus == focus)
            for f in self.findings
        )


def _load(paths: tuple[str, ...]) -> Graph:
    if not SHAPES.is_dir():
        pytest.fail(f"SHACL shapes missing: expected the copies in {SHAPES} (see SOURCES.md)")
    graph = Graph()
    for path in paths:
        graph.parse(SHAPES / path)
    return graph


@pytest.fixture(scope="module")
def profiles() -> dict[str, Graph]:
    return {name: _load(paths) for name, paths in PROFILES.items()}


@pytest.fixture(scope="module")
def vocabularies() -> Graph:
    """What the validator's owl:imports would bring in (licences, contributors, code lists):
    the vocabulary shapes look up skos:inScheme of the values in the data graph."""
    return _load(VOCABULARIES)


@pytest.fixture(scope="module")
def validate(profiles, vocabularies):
    def run(graph: Graph, profile: str) -> Report:
        conforms, results, text = pyshacl.validate(
            graph + vocabularies, shacl_graph=profiles[profile], inference="none"
        )
        findings = tuple(
            Finding(
                focus=results.value(result, SH.focusNode),
                path=results.value(result, SH.resultPath),
                severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                shape=results.value(result, SH.sourceShape),
                message=" ".join(str(m) for m in results.objects(result, SH.resultMessage)),
            )
            for result in results.subjects(RDF.type, SH.ValidationResult)
        )
        return Report(bool(conforms), findings, text)

    return run


@pytest.fixture(scope="module")
def catalogue() -> Graph:
    return build_catalogue()


def edited(graph: Graph, subject: Node, predicate: Node, new: Node | None = None) -> Graph:
    """A copy of the graph with every ``subject predicate *`` replaced by ``new`` (or gone)."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    copy.remove((subject, predicate, None))
    if new is not None:
        copy.add((subject, predicate, new))
    return copy


# --- the good catalogue conforms --------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_catalogue_conforms(catalogue, validate, profile):
    report = validate(catalogue, profile)
    assert report.conforms, report.text


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("item", DATASETS, ids=lambda d: d.identifier)
def test_single_dataset_conforms(validate, profile, item):
    report = validate(dcat.dataset_graph(CATALOG, item), profile)
    assert report.conforms, report.text


def test_publisher_types(validate):
    """Offices are local authorities (the default); a city company says so, or nothing."""
    company = replace(
        FOUNTAINS,
        publisher_name="Stadtwerke Düsseldorf AG",
        publisher_uri=f"{BASE}organisation/stadtwerke/",
        publisher_type="Company",
    )
    graph = dcat.dataset_graph(CATALOG, company)
    assert validate(graph, "DCAT-AP.de 3.0").conforms
    kind = graph.value(URIRef(company.publisher_uri), DCT.type)
    assert kind == URIRef("http://purl.org/adms/publishertype/Company")
    untyped = dcat.dataset_graph(CATALOG, replace(company, publisher_type=None))
    assert (URIRef(company.publisher_uri), DCT.type, None) not in untyped
    city = untyped.value(URIRef(CATALOG.uri), DCT.publisher)
    assert untyped.value(city, DCT.type) == URIRef(
        "http://purl.org/adms/publishertype/LocalAuthority"
    )


def test_legacy_properties_only_draw_the_deprecation_warnings(validate):
    """DCAT-AP.de 2.0's owl:versionInfo and dcatde:politicalGeocodingURI, on request: 3.0
    warns about exactly these two and nothing else; the conventions do not mind."""
    graph = dcat.dataset_graph(CATALOG, ROOFS, legacy=True)
    report = validate(graph, "DCAT-AP.de 3.0")
    assert not report.conforms
    assert {(f.path, f.severity) for f in report.findings} == {
        (OWL.versionInfo, "Warning"),
        (DCATDE.politicalGeocodingURI, "Warning"),
    }, report.text
    assert validate(graph, "Konventionen 2.0").conforms


# --- the shapes bite ----------------------------------------------------------------------------


def test_missing_publisher_fails_both_profiles(catalogue, validate):
    subject = URIRef(ROOFS.uri)
    graph = edited(catalogue, subject, DCT.publisher)
    v3 = validate(graph, "DCAT-AP.de 3.0")
    assert not v3.conforms
    assert v3.has(
        focus=subject,
        path=DCT.publisher,
        severity="Violation",
        message="MUSS einen dcterms:publisher haben",
    ), v3.text
    assert any(f.shape == V3.DE_Dataset_dcterms_publisher_v_Min for f in v3.findings)
    conventions = validate(graph, "Konventionen 2.0")
    assert not conventions.conforms
    assert conventions.has(
        focus=subject, path=DCT.publisher, severity="Violation", message="K36"
    ), conventions.text


def test_unknown_licence_fails(catalogue, validate):
    subject = URIRef(ROOFS.distributions[0].uri)
    graph = edited(catalogue, subject, DCT.license, URIRef("http://example.org/licence/own"))
    conventions = validate(graph, "Konventionen 2.0")
    assert not conventions.conforms
    assert conventions.has(focus=subject, path=DCT.license, severity="Violation", message="K31"), (
        conventions.text
    )
    # DCAT-AP.de 3.0 only says SOLL (a warning), which still fails conformance.
    v3 = validate(graph, "DCAT-AP.de 3.0")
    assert not v3.conforms
    assert v3.has(path=SKOS.inScheme, severity="Warning", message="dcterms:license SOLL"), v3.text


def test_missing_contributor_id_breaks_the_conventions_only(catalogue, validate):
    """K12/13 makes dcatde:contributorID mandatory for GovData; the 3.0 spec calls it optional."""
    subject = URIRef(KITA.uri)
    graph = edited(catalogue, subject, DCATDE.contributorID)
    conventions = validate(graph, "Konventionen 2.0")
    assert not conventions.conforms
    assert conventions.has(
        focus=subject, path=DCATDE.contributorID, severity="Violation", message="K12&13"
    ), conventions.text
    assert validate(graph, "DCAT-AP.de 3.0").conforms


def test_contributor_id_must_come_from_the_list(catalogue, validate):
    subject = URIRef(KITA.uri)
    unknown = URIRef("http://dcat-ap.de/def/contributors/stadtDuesseldorf")
    graph = edited(catalogue, subject, DCATDE.contributorID, unknown)
    report = validate(graph, "Konventionen 2.0")
    assert report.has(
        focus=subject, path=DCATDE.contributorID, severity="Violation", message="K12&13"
    ), report.text


@pytest.mark.parametrize(
    ("predicate", "value", "path", "message"),
    [
        (DCT["title"], None, DCT["title"], "dcterms:title MUSS MINDESTEN einmal"),
        (DCT["format"], URIRef("http://example.org/csv"), SKOS.inScheme, "dcterms:format MUSS"),
        (DCAT.theme, URIRef("http://example.org/umwelt"), SKOS.inScheme, "dcat:theme MUSS"),
        (DCAT.byteSize, Literal("1200", datatype=XSD.decimal), DCAT.byteSize, "NegativeInteger"),
        (DCAT.mediaType, URIRef("http://example.org/csv"), DCAT.mediaType, "dcat:mediaType"),
    ],
    ids=["title", "format", "theme", "byte-size-type", "media-type"],
)
def test_dcat_ap_de_3_shapes_bite(catalogue, validate, predicate, value, path, message):
    """The SEMIC base shapes (with SHACL-DE's German messages) and the German vocabularies."""
    subject = URIRef(ROOFS.uri)
    if predicate in (DCT["format"], DCAT.byteSize, DCAT.mediaType):
        subject = URIRef(ROOFS.distributions[0].uri)
    report = validate(edited(catalogue, subject, predicate, value), "DCAT-AP.de 3.0")
    assert not report.conforms
    assert report.has(path=path, severity="Violation", message=message), report.text


def test_contact_point_without_address_fails(catalogue, validate):
    """K01 and DCAT-AP.de 3.0's vcard:Kind rule: a contact needs an address to reach it."""
    contact = next(catalogue.objects(URIRef(ROOFS.uri), DCAT.contactPoint))
    graph = edited(catalogue, contact, VCARD.hasEmail)
    for profile, message in (("Konventionen 2.0", "K01"), ("DCAT-AP.de 3.0", "vcard:Kind")):
        report = validate(graph, profile)
        assert not report.conforms
        # The shapes' path is an alternative (hasEmail | hasURL …): match focus and message.
        assert any(
            f.focus == contact and f.severity == "Violation" and message in f.message
            for f in report.findings
        ), report.text


# --- what the graph says -----------------------------------------------------------------------


def test_dataset_carries_duesseldorfs_keys(catalogue):
    node = URIRef(ROOFS.uri)
    assert catalogue.value(node, DCATDE.contributorID) == URIRef(
        "http://dcat-ap.de/def/contributors/openNRW"
    )
    assert catalogue.value(node, DCATDE.politicalGeocodingLevelURI) == URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"
    )
    spatial = set(catalogue.objects(node, DCT.spatial))
    assert URIRef("http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05111000") in spatial
    assert URIRef("http://sws.geonames.org/2934246/") in spatial
    assert (node, DCATDE.politicalGeocodingURI, None) not in catalogue  # deprecated in 3.0


def test_dataset_properties(catalogue):
    node = URIRef(ROOFS.uri)
    eu = "http://publications.europa.eu/resource/authority/"
    assert set(catalogue.objects(node, DCAT.theme)) == {
        URIRef(eu + "data-theme/ENVI"),
        URIRef(eu + "data-theme/GOVE"),
    }
    assert catalogue.value(node, DCT.accrualPeriodicity) == URIRef(eu + "frequency/ANNUAL")
    assert catalogue.value(node, DCT.language) == URIRef(eu + "language/DEU")
    assert Literal("Förderprogramm", lang="de") in set(catalogue.objects(node, DCAT.keyword))
    assert catalogue.value(node, DCT.issued) == Literal(
        "2025-04-02T09:30:00+00:00", datatype=XSD.dateTime
    )
    assert catalogue.value(node, DCT.modified) == Literal(
        "2025-11-03T06:15:42+00:00", datatype=XSD.dateTime
    )
    assert catalogue.value(node, DCAT.version) == Literal("7")
    assert (node, OWL.versionInfo, None) not in catalogue
    assert catalogue.value(node, dcat.ADMS.versionNotes).startswith("Jahr 2024 ergänzt")
    period = catalogue.value(node, DCT.temporal)
    assert (period, RDF.type, DCT.PeriodOfTime) in catalogue
    assert catalogue.value(period, DCAT.startDate) == Literal("2019-01-01", datatype=XSD.date)
    assert catalogue.value(period, DCAT.endDate) == Literal("2024-12-31", datatype=XSD.date)
    publisher = catalogue.value(node, DCT.publisher)
    assert catalogue.value(publisher, dcat.FOAF.name) == Literal("Umweltamt")
    contact = catalogue.value(node, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Organization) in catalogue
    assert catalogue.value(contact, VCARD.hasEmail) == URIRef(
        "mailto:umweltamt@duesseldorf.example"
    )


def test_distribution_properties(catalogue):
    item = ROOFS.distributions[0]
    node = URIRef(item.uri)
    assert catalogue.value(node, DCT.license) == URIRef(DL_BY)
    assert catalogue.value(node, DCATDE.licenseAttributionByText) == Literal(
        "Landeshauptstadt Düsseldorf", lang="de"
    )
    assert catalogue.value(node, DCT["format"]) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/CSV"
    )
    assert catalogue.value(node, DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/text/csv"
    )
    assert catalogue.value(node, DCAT.byteSize) == Literal(
        item.byte_size, datatype=XSD.nonNegativeInteger
    )
    checksum = catalogue.value(node, SPDX.checksum)
    assert (checksum, RDF.type, SPDX.Checksum) in catalogue
    assert catalogue.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    assert catalogue.value(checksum, SPDX.checksumValue) == Literal(
        item.checksum_sha256, datatype=XSD.hexBinary
    )


def test_optional_parts_are_left_out(catalogue):
    geojson = URIRef(FOUNTAINS.distributions[0].uri)
    assert (geojson, DCAT.byteSize, None) not in catalogue
    assert (geojson, SPDX.checksum, None) not in catalogue
    fountains = URIRef(FOUNTAINS.uri)
    assert (fountains, DCT.temporal, None) not in catalogue
    assert (fountains, DCAT.version, None) not in catalogue
    kita_period = catalogue.value(URIRef(KITA.uri), DCT.temporal)
    assert (kita_period, DCAT.endDate, None) not in catalogue
    graph = dcat.dataset_graph(CATALOG, replace(KITA, contact_email=""))
    assert (URIRef(KITA.uri), DCAT.contactPoint, None) not in graph


def test_bounding_box_from_geojson(catalogue):
    boxes = [
        catalogue.value(place, DCAT.bbox)
        for place in catalogue.objects(URIRef(FOUNTAINS.uri), DCT.spatial)
        if catalogue.value(place, DCAT.bbox) is not None
    ]
    assert len(boxes) == 1
    assert boxes[0].datatype == URIRef("http://www.opengis.net/ont/geosparql#geoJSONLiteral")
    ring = json.loads(str(boxes[0]))["coordinates"][0]
    assert ring[0] == ring[-1] == [6.689, 51.124]
    assert [6.94, 51.352] in ring


def test_catalog_node(catalogue):
    node = URIRef(CATALOG.uri)
    assert (node, RDF.type, DCAT.Catalog) in catalogue
    assert set(catalogue.objects(node, DCAT.dataset)) == {URIRef(d.uri) for d in DATASETS}
    assert catalogue.value(node, dcat.FOAF.homepage) == URIRef(BASE)
    assert catalogue.value(node, DCAT.themeTaxonomy) == URIRef(
        "http://publications.europa.eu/resource/authority/data-theme"
    )
    publisher = catalogue.value(node, DCT.publisher)
    assert catalogue.value(publisher, dcat.FOAF.name) == Literal("Landeshauptstadt Düsseldorf")


# --- serialisation -----------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("fmt", dcat.FORMATS)
def test_serialisations_parse_back_to_the_same_graph(catalogue, fmt):
    rdflib_format, _media_type = dcat.FORMATS[fmt]
    data = dcat.serialize(catalogue, fmt)
    assert isinstance(data, bytes)
    parsed = Graph().parse(data=data, format=rdflib_format)
    assert len(parsed) == len(catalogue)
    assert isomorphic(parsed, catalogue)


def test_serialisation_is_byte_for_byte_reproducible():
    """Across interpreters with different hash seeds (rdflib's store iterates sets)."""
    script = (
        "import hashlib\n"
        "from rathaus.opendata import dcat\n"
        "from tests.opendata.test_dcat import build_catalogue\n"
        "graph = build_catalogue()\n"
        "for fmt in sorted(dcat.FORMATS):\n"
        "    print(fmt, hashlib.sha256(dcat.serialize(graph, fmt)).hexdigest())\n"
    )
    root = Path(__file__).resolve().parents[2]
    outputs = set()
    for seed in ("1", "2"):
        env = os.environ | {"PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1, outputs
    assert dcat.serialize(build_catalogue(), "ttl") == dcat.serialize(build_catalogue(), "ttl")


def test_unknown_format_is_refused(catalogue):
    with pytest.raises(ValueError, match="Unknown RDF format"):
        dcat.serialize(catalogue, "n3")


# --- the builder refuses what GovData would reject ---------------------------------------------


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (replace(ROOFS, themes=("UMWELT",)), "theme"),
        (replace(ROOFS, frequency="YEARLY"), "frequency"),
        (replace(ROOFS, publisher_type="Amt"), "publisher type"),
        (replace(ROOFS, language="fr"), "language"),
        (replace(ROOFS, contact_email="umweltamt"), "e-mail"),
        (replace(ROOFS, temporal_start=date(2025, 1, 1), temporal_end=date(2024, 1, 1)), "ends"),
        (replace(ROOFS, spatial_geojson='{"type": "Point", "coordinates": [700000, 5700000]}'),
         "WGS 84"),
        (replace(ROOFS, distributions=(distribution("x", "csv", format="CSVX"),)), "file type"),
        (replace(ROOFS, distributions=(distribution("x", "csv", licence="cc-by"),)), "Licence"),
        (replace(ROOFS, distributions=(distribution("x", "csv", media_type="CSV"),)),
         "media type"),
        (replace(ROOFS, distributions=(distribution("x", "csv", checksum_sha256="abc"),)),
         "SHA-256"),
        (replace(ROOFS, distributions=(distribution("x", "csv", byte_size=-1),)), "Negative"),
    ],
    ids=[
        "theme", "frequency", "publisher-type", "language", "email", "period", "geojson",
        "file-type", "licence", "media-type", "checksum", "byte-size",
    ],
)  # fmt: skip
def test_builder_refuses_values_outside_the_vocabularies(item, message):
    with pytest.raises(ValueError, match=message):
        dcat.dataset_graph(CATALOG, item)


def test_builder_refuses_duplicate_uris():
    with pytest.raises(ValueError, match="twice"):
        dcat.catalog_graph(CATALOG, [ROOFS, ROOFS])
    clash = replace(KITA, distributions=ROOFS.distributions)
    with pytest.raises(ValueError, match="twice"):
        dcat.catalog_graph(CATALOG, [ROOFS, clash])


# --- the constants match the vocabularies -----------------------------------------------------


def test_licences_are_the_dcat_ap_de_vocabulary():
    vocabulary = Graph().parse(SHAPES / "vocab" / "dcat-ap-de-licenses-open.rdf")
    scheme = URIRef("http://dcat-ap.de/def/licenses")
    assert {str(c) for c in vocabulary.subjects(SKOS.inScheme, scheme)} == dcat.LICENCES


def test_duesseldorf_keys_are_in_the_vocabularies(vocabularies):
    contributors = URIRef("http://dcat-ap.de/def/contributors")
    contributor = URIRef(dcat.DUESSELDORF.contributor_id)
    assert (contributor, SKOS.inScheme, contributors) in vocabularies
    assert vocabularies.value(contributor, SKOS.prefLabel) == Literal("Open.NRW", lang="de")
    key = dcat.DUESSELDORF.municipality_key
    assert dcat.DUESSELDORF.political_geocoding_uri.endswith(f"/municipalityKey/{key}")
    level = URIRef(dcat.DUESSELDORF.political_geocoding_level_uri)
    levels = URIRef("http://dcat-ap.de/def/politicalGeocoding/Level")
    assert (level, SKOS.inScheme, levels) in vocabularies
