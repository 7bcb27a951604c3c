"""A release's files and their addresses: the current one under the data set, every
release under its number (``/opendaten/<slug>/v3/daten.csv``), so a citation never breaks."""

import json

from django.urls import reverse

from ..models import Dataset, Release, Resource
from .releases import json_records

__all__ = ["FILES", "content", "file_url", "resource_name"]

# format → (file name, media type, German name)
FILES = {
    Resource.Format.CSV: ("daten.csv", "text/csv; charset=utf-8", "Daten als CSV"),
    Resource.Format.JSON: ("daten.json", "application/json", "Daten als JSON"),
    Resource.Format.GEOJSON: ("daten.geojson", "application/geo+json", "Karte als GeoJSON"),
    Resource.Format.PACKAGE: (
        "datapackage.json",
        "application/json",
        "Datenpaket (Frictionless, mit Tabellenschema)",
    ),
}
BY_NAME = {name: fmt for fmt, (name, _type, _title) in FILES.items()}


def resource_name(fmt: str) -> str:
    return FILES[fmt][2]


def file_url(dataset: Dataset, fmt: str, release: Release | None = None) -> str:
    """The address of a file: of the current release, or of ``release`` for good."""
    name = FILES[fmt][0]
    if release is None:
        return reverse("opendata:current_file", args=[dataset.slug, name])
    return reverse("opendata:release_file", args=[dataset.slug, release.number, name])


def content(release: Release, fmt: str) -> bytes | None:
    """The bytes of one of the release's files (JSON is made from the frozen CSV)."""
    if fmt == Resource.Format.CSV:
        return bytes(release.csv)
    if fmt == Resource.Format.GEOJSON:
        return bytes(release.geojson) if release.geojson else None
    if fmt == Resource.Format.PACKAGE:
        return bytes(release.package) if release.package else None
    body = {
        "fields": [
            {key: column[key] for key in ("name", "type", "title", "description")}
            for column in release.columns
        ],
        "records": list(json_records(release)),
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
