"""The catalogue as DCAT-AP.de 3.0 (RDF), built from plain values so it needs no database.

GovData harvests municipal catalogues in DCAT-AP.de; this module turns frozen dataclasses into
an rdflib graph that passes GovData's SHACL validation (SEMIC DCAT-AP 3.0.0 with the German
additions, controlled vocabularies and deprecations) and the conventions of the
Konventionenhandbuch (K01, K12/13, K30–K32, K36). The tests run those shapes.

Two properties of DCAT-AP.de 2.0 are deprecated in 3.0 and are therefore written differently:
the release number goes to ``dcat:version`` (not ``owl:versionInfo``) and the municipality key
to ``dct:spatial`` (not ``dcatde:politicalGeocodingURI``). ``legacy=True`` adds the old
properties as well, for consumers still reading DCAT-AP.de 2.0 (the 3.0 validator then warns).

Code lists are constants here rather than data files so they ship with the package; each says
where it comes from.
"""

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

__all__ = [
    "DUESSELDORF",
    "FILE_TYPES",
    "FORMATS",
    "FREQUENCIES",
    "LANGUAGES",
    "LICENCES",
    "PUBLISHER_TYPES",
    "THEMES",
    "Catalog",
    "Dataset",
    "Distribution",
    "Municipality",
    "catalog_graph",
    "dataset_graph",
    "serialize",
]

ADMS = Namespace("http://www.w3.org/ns/adms#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

PREFIXES = {
    "adms": ADMS,
    "dcat": DCAT,
    "dcatde": DCATDE,
    "dct": DCT,
    "foaf": FOAF,
    "gsp": GSP,
    "locn": LOCN,
    "owl": OWL,
    "skos": SKOS,
    "spdx": SPDX,
    "vcard": VCARD,
    "xsd": XSD,
}

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
DATA_THEME = EU_AUTHORITY + "data-theme"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
LICENCE_BASE = "http://dcat-ap.de/def/licenses/"
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"

# EU data themes (http://publications.europa.eu/resource/authority/data-theme), German labels
# as GovData shows them (GovDataOfficial/ckanext-dcatde, examples/dcat_theme.json).
THEMES = {
    "AGRI": "Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel",
    "ECON": "Wirtschaft und Finanzen",
    "EDUC": "Bildung, Kultur und Sport",
    "ENER": "Energie",
    "ENVI": "Umwelt",
    "GOVE": "Regierung und öffentlicher Sektor",
    "HEAL": "Gesundheit",
    "INTR": "Internationale Themen",
    "JUST": "Justiz, Rechtssystem und öffentliche Sicherheit",
    "REGI": "Regionen und Städte",
    "SOCI": "Bevölkerung und Gesellschaft",
    "TECH": "Wissenschaft und Technologie",
    "TRAN": "Verkehr",
}

# EU frequency table (http://publications.europa.eu/resource/authority/frequency), all codes.
FREQUENCIES = frozenset(
    {
        "ANNUAL", "ANNUAL_2", "ANNUAL_3", "AS_NEEDED", "BIDECENNIAL", "BIENNIAL", "BIHOURLY",
        "BIMONTHLY", "BIWEEKLY", "CONT", "DAILY", "DAILY_2", "DECENNIAL", "HOURLY", "IRREG",
        "MONTHLY", "MONTHLY_2", "MONTHLY_3", "NEVER", "NOT_PLANNED", "OP_DATPRO", "OTHER",
        "QUADRENNIAL", "QUARTERLY", "QUINQUENNIAL", "TRIDECENNIAL", "TRIENNIAL", "TRIHOURLY",
        "UNKNOWN", "UPDATE_CONT", "WEEKLY", "WEEKLY_2", "WEEKLY_3",
    }
)  # fmt: skip

# EU file-type table (http://publications.europa.eu/resource/authority/file-type): the codes a
# city's open data uses. Add a code only after checking it exists in the table (K32).
FILE_TYPES = frozenset(
    {
        "CSV", "GEOJSON", "GML", "HTML", "JSON", "JSON_LD", "KML", "ODS", "PDF", "RDF_TURTLE",
        "RDF_XML", "SHP", "TXT", "XLS", "XLSX", "XML", "ZIP",
    }
)  # fmt: skip

# ISO 639-1 (Django's language codes) -> EU language table code.
LANGUAGES = {"de": "DEU", "en": "ENG"}

# DCAT-AP.de licence vocabulary (dcat-ap-de-licenses-open.rdf, version 20200715, from
# GovDataOfficial/DCAT-AP.de-SHACL-Validation): every concept of the scheme, K31.
LICENCES = frozenset(
    LICENCE_BASE + key
    for key in (
        "apache", "bsd", "cc-by", "cc-by/4.0", "cc-by-de/3.0", "cc-by-nc", "cc-by-nc/4.0",
        "cc-by-nc-de/3.0", "cc-by-nd", "cc-by-nd/3.0", "cc-by-nd/4.0", "cc-by-sa",
        "cc-by-sa/4.0", "cc-by-sa-de/3.0", "ccpdm/1.0", "cc-zero", "dl-by-de/1.0",
        "dl-by-de/2.0", "dl-by-nc-de/1.0", "dl-zero-de/2.0", "geonutz/20130319",
        "geoNutz/20131001", "gfdl", "gpl/3.0", "mozilla", "odbl", "odby", "odcpddl",
        "officialWork", "other-closed", "other-commercial", "other-freeware", "other-open",
        "other-opensource",
    )
)  # fmt: skip

# ADMS publisher types (SEMICeu/ADMS-AP, purl.org/ADMS_SKOS_v1.00.rdf), all codes. A city's
# offices are local authorities; its companies are not.
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
PUBLISHER_TYPES = frozenset(
    {
        "Academia-ScientificOrganisation", "Company", "IndustryConsortium", "LocalAuthority",
        "NationalAuthority", "NonGovernmentalOrganisation", "NonProfitOrganisation",
        "PrivateIndividual(s)", "RegionalAuthority", "StandardisationBody",
        "SupraNationalAuthority",
    }
)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Municipality:
    """The keys by which German portals know a city; every data set of the catalogue
    carries them (GovData files and filters by them)."""

    name: str
    municipality_key: str  # Amtlicher Gemeindeschlüssel
    contributor_id: str  # dcatde:contributorID: the system delivering to GovData (K12/13)
    political_geocoding_uri: str
    political_geocoding_level_uri: str
    geonames_uri: str  # dct:spatial from the vocabulary DCAT-AP.de 3.0 names (#kv-spatial)


# Düsseldorf has no contributor ID of its own in the DCAT-AP.de list (version 20251021); its
# portal reaches GovData through Open.NRW, whose ID is therefore the one to use.
DUESSELDORF = Municipality(
    name="Landeshauptstadt Düsseldorf",
    municipality_key="05111000",
    contributor_id="http://dcat-ap.de/def/contributors/openNRW",
    political_geocoding_uri=GEOCODING + "municipalityKey/05111000",
    political_geocoding_level_uri=GEOCODING + "Level/municipality",
    geonames_uri="http://sws.geonames.org/2934246/",
)


@dataclass(frozen=True, kw_only=True)
class Distribution:
    """One downloadable file of a data set."""

    uri: str
    access_url: str
    download_url: str
    title: str
    description: str
    media_type: str  # IANA, e.g. "text/csv"
    format: str  # EU file-type code, e.g. "CSV"
    licence: str  # DCAT-AP.de licence URI
    licence_attribution: str  # dcatde:licenseAttributionByText
    byte_size: int | None
    checksum_sha256: str | None
    issued: datetime
    modified: datetime


@dataclass(frozen=True, kw_only=True)
class Dataset:
    """A data set with everything DCAT-AP.de and GovData's conventions ask of it."""

    uri: str
    identifier: str
    title: str
    description: str
    landing_page: str
    publisher_name: str
    publisher_uri: str
    contact_name: str
    contact_email: str  # empty: no contact point (K01 forbids one without address)
    themes: tuple[str, ...]  # EU data-theme codes
    keywords: tuple[str, ...]
    language: str = "de"
    temporal_start: date | None = None
    temporal_end: date | None = None
    frequency: str  # EU frequency code
    issued: datetime
    modified: datetime
    version: str | None = None
    version_notes: str | None = None
    distributions: tuple[Distribution, ...]
    spatial_geojson: str | None = None  # GeoJSON geometry; its bounding box is published
    publisher_type: str | None = "LocalAuthority"  # ADMS code; "Company" for a city company


@dataclass(frozen=True, kw_only=True)
class Catalog:
    """The city's catalogue as a whole."""

    uri: str
    title: str
    description: str
    homepage: str
    publisher_name: str
    publisher_uri: str
    language: str = "de"
    modified: datetime | None = None


FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}


def catalog_graph(
    catalog: Catalog,
    datasets: Iterable[Dataset],
    *,
    municipality: Municipality = DUESSELDORF,
    legacy: bool = False,
) -> Graph:
    """The catalogue with all its data sets; raises ``ValueError`` on codes outside the
    vocabularies, so a typo fails the build instead of GovData's harvest."""
    datasets = sorted(datasets, key=lambda dataset: dataset.uri)
    _check_unique([d.uri for d in datasets], "data set")
    _check_unique([x.uri for d in datasets for x in d.distributions], "distribution")
    graph = _new_graph()
    _add_catalog(graph, catalog, datasets, municipality)
    for dataset in datasets:
        _add_dataset(graph, dataset, municipality, legacy=legacy)
    return graph


def dataset_graph(
    catalog: Catalog,
    dataset: Dataset,
    *,
    municipality: Municipality = DUESSELDORF,
    legacy: bool = False,
) -> Graph:
    """One data set inside its catalogue (so the file stands alone for a harvester)."""
    return catalog_graph(catalog, [dataset], municipality=municipality, legacy=legacy)


def serialize(graph: Graph, fmt: str) -> bytes:
    """The graph as Turtle, RDF/XML or JSON-LD, byte-identical for equal graphs (blank nodes
    carry labels derived from their owner's URI, JSON-LD is sorted)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown RDF format {fmt!r}; known: {', '.join(sorted(FORMATS))}")
    rdflib_format = FORMATS[fmt][0]
    # SimpleMemory keeps insertion order (rdflib's default store iterates a set).
    ordered = _new_graph(store="SimpleMemory")
    for triple in sorted(graph, key=_triple_key):
        ordered.add(triple)
    if rdflib_format != "json-ld":
        return ordered.serialize(format=rdflib_format, encoding="utf-8")
    context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    document = json.loads(ordered.serialize(format="json-ld", context=context))
    return (json.dumps(_sorted_jsonld(document), ensure_ascii=False, indent=2) + "\n").encode()


def _new_graph(store: str = "default") -> Graph:
    graph = Graph(store=store, bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def _add_catalog(
    graph: Graph, catalog: Catalog, datasets: list[Dataset], municipality: Municipality
) -> None:
    node = URIRef(catalog.uri)
    lang = _language_tag(catalog.language)
    graph.add((node, RDF.type, DCAT.Catalog))
    graph.add((node, DCT["title"], Literal(catalog.title, lang=lang)))
    graph.add((node, DCT.description, Literal(catalog.description, lang=lang)))
    publisher = _agent(graph, catalog.publisher_uri, catalog.publisher_name, "LocalAuthority")
    graph.add((node, DCT.publisher, publisher))
    graph.add((node, FOAF.homepage, URIRef(catalog.homepage)))
    graph.add((node, DCT.language, _language(catalog.language)))
    # DCAT-AP.de: the theme taxonomy must at least be the EU data themes.
    graph.add((node, DCAT.themeTaxonomy, URIRef(DATA_THEME)))
    for place in _places(graph, municipality):
        graph.add((node, DCT.spatial, place))
    if catalog.modified is not None:
        graph.add((node, DCT.modified, _datetime(catalog.modified)))
    for dataset in datasets:
        graph.add((node, DCAT.dataset, URIRef(dataset.uri)))


def _add_dataset(
    graph: Graph, dataset: Dataset, municipality: Municipality, *, legacy: bool
) -> None:
    node = URIRef(dataset.uri)
    lang = _language_tag(dataset.language)
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCT.identifier, Literal(dataset.identifier)))
    graph.add((node, DCT["title"], Literal(dataset.title, lang=lang)))
    graph.add((node, DCT.description, Literal(dataset.description, lang=lang)))
    graph.add((node, DCAT.landingPage, URIRef(dataset.landing_page)))
    publisher = _agent(graph, dataset.publisher_uri, dataset.publisher_name, dataset.publisher_type)
    graph.add((node, DCT.publisher, publisher))
    graph.add((node, DCATDE.contributorID, URIRef(municipality.contributor_id)))
    graph.add(
        (
            node,
            DCATDE.politicalGeocodingLevelURI,
            URIRef(municipality.political_geocoding_level_uri),
        )
    )
    for place in _places(graph, municipality):
        graph.add((node, DCT.spatial, place))
    if dataset.spatial_geojson:
        graph.add((node, DCT.spatial, _bounding_box(graph, dataset)))
    if dataset.contact_email.strip():
        graph.add((node, DCAT.contactPoint, _contact(graph, dataset)))
    for theme in dataset.themes:
        graph.add((node, DCAT.theme, URIRef(f"{DATA_THEME}/{_code(theme, THEMES, 'theme')}")))
    for keyword in dataset.keywords:
        graph.add((node, DCAT.keyword, Literal(keyword, lang=lang)))
    if dataset.temporal_start is not None or dataset.temporal_end is not None:
        graph.add((node, DCT.temporal, _period(graph, dataset)))
    frequency = _code(dataset.frequency, FREQUENCIES, "frequency")
    graph.add((node, DCT.accrualPeriodicity, URIRef(f"{EU_AUTHORITY}frequency/{frequency}")))
    graph.add((node, DCT.issued, _datetime(dataset.issued)))
    graph.add((node, DCT.modified, _datetime(dataset.modified)))
    graph.add((node, DCT.language, _language(dataset.language)))
    if dataset.version:
        graph.add((node, DCAT.version, Literal(dataset.version)))
    if dataset.version_notes:
        graph.add((node, ADMS.versionNotes, Literal(dataset.version_notes, lang=lang)))
    if legacy:
        graph.add(
            (node, DCATDE.politicalGeocodingURI, URIRef(municipality.political_geocoding_uri))
        )
        if dataset.version:
            graph.add((node, OWL.versionInfo, Literal(dataset.version)))
    for distribution in dataset.distributions:
        graph.add((node, DCAT.distribution, URIRef(distribution.uri)))
        _add_distribution(graph, distribution, lang)


def _add_distribution(graph: Graph, distribution: Distribution, lang: str) -> None:
    node = URIRef(distribution.uri)
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCT["title"], Literal(distribution.title, lang=lang)))
    graph.add((node, DCT.description, Literal(distribution.description, lang=lang)))
    graph.add((node, DCAT.accessURL, URIRef(distribution.access_url)))
    graph.add((node, DCAT.downloadURL, URIRef(distribution.download_url)))
    if not re.fullmatch(r"[a-z]+/[A-Za-z0-9][A-Za-z0-9.+_-]*", distribution.media_type):
        raise ValueError(f"Not a media type: {distribution.media_type!r}")
    graph.add((node, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + distribution.media_type)))
    file_type = _code(distribution.format, FILE_TYPES, "file type")
    graph.add((node, DCT["format"], URIRef(f"{EU_AUTHORITY}file-type/{file_type}")))
    if distribution.licence not in LICENCES:
        raise ValueError(
            f"Licence {distribution.licence!r} is not in the DCAT-AP.de vocabulary "
            f"({LICENCE_BASE}…, Konvention 31)"
        )
    graph.add((node, DCT.license, URIRef(distribution.licence)))
    graph.add(
        (
            node,
            DCATDE.licenseAttributionByText,
            Literal(distribution.licence_attribution, lang=lang),
        )
    )
    if distribution.byte_size is not None:
        if distribution.byte_size < 0:
            raise ValueError(f"Negative byte size for {distribution.uri}")
        graph.add(
            (node, DCAT.byteSize, Literal(distribution.byte_size, datatype=XSD.nonNegativeInteger))
        )
    if distribution.checksum_sha256 is not None:
        graph.add((node, SPDX.checksum, _checksum(graph, distribution)))
    graph.add((node, DCT.issued, _datetime(distribution.issued)))
    graph.add((node, DCT.modified, _datetime(distribution.modified)))


def _agent(graph: Graph, uri: str, name: str, kind: str | None) -> URIRef:
    node = URIRef(uri)
    # foaf:Agent as well: SHACL checks the class without RDFS inference.
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, RDF.type, FOAF.Organization))
    graph.add((node, FOAF.name, Literal(name)))
    if kind is not None:
        code = _code(kind, PUBLISHER_TYPES, "publisher type")
        graph.add((node, DCT.type, URIRef(PUBLISHER_TYPE + code)))
    return node


def _places(graph: Graph, municipality: Municipality) -> Iterator[URIRef]:
    """The city as DCAT-AP.de 3.0 names places: its GeoNames entry and its key from the
    DCAT-AP.de geocoding lists (typed, since the SEMIC shapes check the class)."""
    for uri in (municipality.geonames_uri, municipality.political_geocoding_uri):
        node = URIRef(uri)
        graph.add((node, RDF.type, DCT.Location))
        yield node


def _contact(graph: Graph, dataset: Dataset) -> BNode:
    email = dataset.contact_email.strip()
    if "@" not in email or any(c.isspace() for c in email):
        raise ValueError(f"Not an e-mail address: {email!r}")
    node = _bnode("contact", dataset.uri)
    # vcard:Kind as well: SHACL targets the class without RDFS inference.
    graph.add((node, RDF.type, VCARD.Organization))
    graph.add((node, RDF.type, VCARD.Kind))
    graph.add((node, VCARD.fn, Literal(dataset.contact_name)))
    graph.add((node, VCARD.hasEmail, URIRef("mailto:" + email)))
    return node


def _period(graph: Graph, dataset: Dataset) -> BNode:
    start, end = dataset.temporal_start, dataset.temporal_end
    if start is not None and end is not None and start > end:
        raise ValueError(f"{dataset.uri}: temporal coverage ends before it starts")
    node = _bnode("period", dataset.uri)
    graph.add((node, RDF.type, DCT.PeriodOfTime))
    if start is not None:
        graph.add((node, DCAT.startDate, Literal(start.isoformat(), datatype=XSD.date)))
    if end is not None:
        graph.add((node, DCAT.endDate, Literal(end.isoformat(), datatype=XSD.date)))
    return node


def _bounding_box(graph: Graph, dataset: Dataset) -> BNode:
    """dcat:bbox of the geometry. The geometry itself is not repeated: DCAT-AP 3.0 wants
    ``locn:geometry`` to point at a node, and portals search by the box."""
    west, south, east, north = _bounds(json.loads(dataset.spatial_geojson or "null"))
    box = {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }
    node = _bnode("bbox", dataset.uri)
    graph.add((node, RDF.type, DCT.Location))
    graph.add((node, DCAT.bbox, Literal(_compact_json(box), datatype=GSP.geoJSONLiteral)))
    return node


def _bounds(geojson: object) -> tuple[float, float, float, float]:
    points = list(_positions(geojson))
    if not points:
        raise ValueError("spatial_geojson has no coordinates")
    longitudes = [p[0] for p in points]
    latitudes = [p[1] for p in points]
    if not all(-180 <= x <= 180 for x in longitudes) or not all(-90 <= y <= 90 for y in latitudes):
        raise ValueError("spatial_geojson is not in WGS 84 degrees")
    return min(longitudes), min(latitudes), max(longitudes), max(latitudes)


def _positions(value: object) -> Iterator[tuple[float, float]]:
    """Every position of a GeoJSON geometry, feature or feature collection."""
    if isinstance(value, dict):
        if value.get("type") == "FeatureCollection":
            for feature in value.get("features", []):
                yield from _positions(feature)
        elif value.get("type") == "Feature":
            yield from _positions(value.get("geometry"))
        elif value.get("type") == "GeometryCollection":
            for geometry in value.get("geometries", []):
                yield from _positions(geometry)
        else:
            yield from _positions(value.get("coordinates"))
    elif isinstance(value, list):
        if len(value) >= 2 and all(isinstance(x, int | float) for x in value[:2]):
            yield float(value[0]), float(value[1])
        else:
            for item in value:
                yield from _positions(item)


def _checksum(graph: Graph, distribution: Distribution) -> BNode:
    value = (distribution.checksum_sha256 or "").lower()
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise ValueError(f"Not a SHA-256 hex digest: {distribution.checksum_sha256!r}")
    node = _bnode("checksum", distribution.uri)
    graph.add((node, RDF.type, SPDX.Checksum))
    graph.add((node, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((node, SPDX.checksumValue, Literal(value, datatype=XSD.hexBinary)))
    return node


def _bnode(kind: str, owner: str) -> BNode:
    """A blank node whose label depends only on its owner, so output is reproducible."""
    return BNode(f"{kind}{hashlib.sha256(owner.encode()).hexdigest()[:16]}")


def _code(value: str, known: Iterable[str], what: str) -> str:
    if value not in known:
        raise ValueError(f"Unknown {what} code {value!r}")
    return value


def _language(code: str) -> URIRef:
    if code not in LANGUAGES:
        raise ValueError(f"No EU language code for {code!r}; known: {', '.join(LANGUAGES)}")
    return URIRef(f"{EU_AUTHORITY}language/{LANGUAGES[code]}")


def _language_tag(code: str) -> str:
    _language(code)
    return code


def _datetime(value: datetime) -> Literal:
    return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _check_unique(uris: list[str], what: str) -> None:
    seen: set[str] = set()
    for uri in uris:
        if uri in seen:
            raise ValueError(f"The {what} {uri} appears twice")
        seen.add(uri)


def _triple_key(triple: tuple[Node, Node, Node]) -> tuple[str, ...]:
    return tuple(f"{type(term).__name__}:{term.n3()}" for term in triple)


def _compact_json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def _sorted_jsonld(value: object) -> object:
    """JSON-LD with every array sorted: rdflib emits node objects in set order."""
    if isinstance(value, dict):
        return {key: _sorted_jsonld(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        items = [_sorted_jsonld(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value
