"""Frictionless Data Package (v1) descriptors for a release's files.

The ``datapackage.json`` next to the CSV tells tools such as ``frictionless validate`` how to
read it: column types, the primary key, that "." marks a suppressed cell (Table Schema's
``missingValues``) and the file's SHA-256, so a download can be checked against the release.
Specs: https://specs.frictionlessdata.io/data-package/, …/tabular-data-resource/,
…/table-schema/, …/csv-dialect/.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["FIELD_TYPES", "Column", "descriptor", "table_resource"]

# The Table Schema types our tables use (each with the spec's default format).
FIELD_TYPES = frozenset({"string", "integer", "number", "date", "yearmonth", "year", "boolean"})

# Package and resource names: lower case letters, digits, ".", "_" and "-" (spec).
_NAME = re.compile(r"[a-z0-9._-]+")


@dataclass(frozen=True)
class Column:
    """A column of a published table."""

    name: str
    type: str  # one of FIELD_TYPES
    title: str
    description: str = ""
    unit: str | None = None


def descriptor(
    *,
    name: str,
    title: str,
    description: str,
    version: str,
    licence_id: str,
    licence_title: str,
    licence_url: str,
    homepage: str,
    created: datetime,
    keywords: Sequence[str],
    resources: Sequence[dict],
) -> dict:
    """The package descriptor; tabular only when every resource is a table (the tabular
    profile forbids anything else)."""
    _check_name(name, "package")
    if not resources:
        raise ValueError("A data package needs at least one resource")
    names = [resource.get("name") for resource in resources]
    if len(set(names)) != len(names):
        raise ValueError(f"Resource names repeat: {names}")
    if created.tzinfo is None:
        raise ValueError("created needs a time zone (the descriptor states UTC)")
    licence = {"name": licence_id, "title": licence_title}
    if licence_url:
        licence["path"] = licence_url
    tabular = all(r.get("profile") == "tabular-data-resource" for r in resources)
    return {
        "profile": "tabular-data-package" if tabular else "data-package",
        "name": name,
        "title": title,
        "description": description,
        "version": version,
        "licenses": [licence],
        "homepage": homepage,
        "created": _rfc3339_utc(created),
        "keywords": list(keywords),
        "resources": list(resources),
    }


def table_resource(
    *,
    name: str,
    path: str,
    columns: Sequence[Column],
    primary_key: Sequence[str] = (),
    missing_values: Sequence[str] = ("", "."),
    sha256: str | None = None,
    byte_size: int | None = None,
) -> dict:
    """A CSV file (comma, UTF-8, header row) described by a Table Schema."""
    _check_name(name, "resource")
    if not columns:
        raise ValueError(f"Resource {name!r} has no columns")
    names = [column.name for column in columns]
    if len(set(names)) != len(names):
        raise ValueError(f"Resource {name!r}: column names repeat: {names}")
    unknown = [key for key in primary_key if key not in names]
    if unknown:
        raise ValueError(f"Resource {name!r}: primary key names no column: {unknown}")
    schema: dict = {
        "fields": [_field(column) for column in columns],
        "missingValues": list(missing_values),
    }
    if primary_key:
        schema["primaryKey"] = list(primary_key)
    resource: dict = {
        "profile": "tabular-data-resource",
        "name": name,
        "path": path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "doubleQuote": True, "header": True, "quoteChar": '"'},
        "schema": schema,
    }
    if sha256 is not None:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError(f"Not a SHA-256 hex digest: {sha256!r}")
        # The spec's "algorithm:hash" form; a bare hash would be read as MD5.
        resource["hash"] = f"sha256:{sha256}"
    if byte_size is not None:
        if byte_size < 0:
            raise ValueError(f"Resource {name!r}: negative byte size")
        resource["bytes"] = byte_size
    return resource


def _field(column: Column) -> dict:
    if column.type not in FIELD_TYPES:
        raise ValueError(f"Column {column.name!r}: unknown type {column.type!r}")
    field = {"name": column.name, "type": column.type, "title": column.title}
    if column.description:
        field["description"] = column.description
    if column.unit:
        # Not a Table Schema property; custom properties are allowed and tools keep them.
        field["unit"] = column.unit
    return field


def _rfc3339_utc(moment: datetime) -> str:
    """Whole seconds in UTC: the descriptor's bytes are hashed, so one moment, one text."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _check_name(name: str, what: str) -> None:
    if not _NAME.fullmatch(name):
        raise ValueError(f"Invalid {what} name {name!r}: use a-z, 0-9, '.', '_' and '-'")
