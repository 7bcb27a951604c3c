"""Releases: turning rows into a protected, frozen, logged version of a data set.

Every path – a pipeline's scheduled build, a steward's upload, a scheduled fetch – ends in
``create_release``: the counts are protected (``disclosure``), the columns scanned for
personal data (``scanner``), the files frozen (CSV, GeoJSON, the data package whose hash
covers both) and the release either published or held for a data steward. Publishing makes
it the data set's current release, fills the datastore and records the data package's
SHA-256 in the transparency log in the same transaction.
"""

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rathaus import ledger
from rathaus.core import audit
from rathaus.core.bulk import insert_rows

from .. import datapackage, disclosure, scanner
from ..models import Dataset, Finding, Release, Resource, StoreRow
from ..pipelines import Column, Pipeline
from . import catalogue

__all__ = [
    "ReleaseRefused",
    "approve",
    "build",
    "cell_key_secret",
    "create_release",
    "json_records",
    "reject",
    "typed",
]

SUPPRESSED = "."
MAX_ROWS = 2_000_000


class ReleaseRefused(ValueError):
    """Rows that cannot become a release (wrong columns, too many rows)."""


def cell_key_secret() -> bytes:
    """The secret behind the synthetic record keys. It must stay the same for years (the
    same cell gets the same noise in every release); by default it is derived from
    ``SECRET_KEY``, an operator may set ``OPENDATA_CELL_KEY_SECRET`` instead."""
    key = settings.OPENDATA_CELL_KEY_SECRET or settings.SECRET_KEY
    return hmac.new(key.encode(), b"rathaus.opendata.cell-key", hashlib.sha256).digest()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float):
        return repr(round(value, 6))
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def typed(value: str, kind: str) -> Any:
    """A CSV cell back as the JSON value of its Table Schema type (``None`` when empty or
    suppressed)."""
    if value in ("", SUPPRESSED):
        return None
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
        if kind == "boolean":
            return value == "true"
    except ValueError:
        return value
    return value


def _csv_bytes(columns: Sequence[Column], rows: Sequence[Mapping], measures: set[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([column.name for column in columns])
    for row in rows:
        writer.writerow(
            [
                SUPPRESSED
                if row.get(c.name) is None and c.name in measures
                else _cell(row.get(c.name))
                for c in columns
            ]
        )
    return out.getvalue().encode()


def _geojson_bytes(
    columns: Sequence[Column],
    rows: Sequence[Mapping],
    coordinates: tuple[str, str] | None,
    geometries: Sequence[dict | None] | None,
) -> bytes | None:
    if geometries is None and coordinates is None:
        return None
    features = []
    for index, row in enumerate(rows):
        if geometries is not None:
            geometry = geometries[index]
        else:
            lat, lon = row.get(coordinates[0]), row.get(coordinates[1])
            geometry = (
                None
                if lat is None or lon is None
                else {"type": "Point", "coordinates": [float(lon), float(lat)]}
            )
        properties = {c.name: _json_value(row.get(c.name)) for c in columns}
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()


def _json_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _check_rows(columns: Sequence[Column], rows: list[dict]) -> None:
    names = [column.name for column in columns]
    if not names or len(set(names)) != len(names):
        raise ReleaseRefused("Die Spaltennamen müssen vorhanden und eindeutig sein.")
    if len(rows) > MAX_ROWS:
        raise ReleaseRefused(f"Mehr als {MAX_ROWS:,} Zeilen".replace(",", ".") + " je Version.")
    for number, row in enumerate(rows, start=1):
        unknown = set(row) - set(names)
        if unknown:
            raise ReleaseRefused(
                f"Zeile {number}: unbekannte Spalte „{sorted(unknown)[0]}“ (erwartet: "
                + ", ".join(names)
                + ")."
            )


def _protected(dataset: Dataset) -> bool:
    return dataset.disclosure != Dataset.Disclosure.NONE and bool(dataset.measures)


def _protect(
    dataset: Dataset, rows: list[dict], dependent: Mapping[str, Sequence[str]]
) -> tuple[list[dict], dict, list, list[str]]:
    """The rows as they may be published, the report, the suppression pattern and what the
    attacker (``disclosure.recoverable``) could still recover (must be empty)."""
    if not _protected(dataset):
        return rows, {}, [], []
    table = disclosure.Table(
        dimensions=tuple(dataset.dimensions), measures=tuple(dataset.measures), rows=tuple(rows)
    )
    if dataset.disclosure == Dataset.Disclosure.CELL_KEY:
        protected = disclosure.cell_key(table, secret=cell_key_secret())
        leaks: list = []
    else:
        previous = dataset.releases.filter(state=Release.State.PUBLISHED).first()
        previous_rows = _previous_rows(previous, table)
        protected = disclosure.suppress(
            table,
            min_count=dataset.min_count,
            previous_pattern=previous.pattern if previous else (),
            previous_rows=previous_rows,
        )
        # The attacker sees this release, its own margins' pattern and the previous release.
        leaks = disclosure.recoverable(
            protected.rows,
            table,
            min_count=dataset.min_count,
            pattern=protected.pattern,
            previous_rows=previous_rows,
        )
    published = [dict(row) for row in protected.rows]
    for row in published:
        for measure, columns in dependent.items():
            if row.get(measure) is None:
                for name in columns:
                    row[name] = None
    report = {
        "method": protected.report.method,
        "cells": protected.report.cells,
        "primary": protected.report.primary,
        "secondary": protected.report.secondary,
        "perturbed": protected.report.perturbed,
        "parameters": protected.report.parameters,
        "summary": protected.report.summary_de(),
    }
    return published, report, [list(cell) for cell in protected.pattern], [str(c) for c in leaks]


def _previous_rows(previous: Release | None, table: "disclosure.Table") -> list[dict]:
    """The previous release's published rows, when they have the same shape."""
    if previous is None:
        return []
    names = {column["name"] for column in previous.columns}
    if not set(table.dimensions) | set(table.measures) <= names:
        return []
    return list(json_records(previous))


def create_release(
    dataset: Dataset,
    columns: Sequence[Column],
    rows: Iterable[Mapping],
    *,
    by: Any = None,
    source_name: str = "",
    coordinates: tuple[str, str] | None = None,
    geometries: Sequence[dict | None] | None = None,
    dependent: Mapping[str, Sequence[str]] | None = None,
    notes: str = "",
    at: datetime | None = None,
    unless_unchanged: bool = False,
    public_columns: Mapping[str, str] | None = None,
) -> Release | None:
    """Protect, scan and freeze ``rows`` as the next release of ``dataset``; publish it
    unless the scanner or the disclosure audit objects (then it is held for a steward).
    With ``unless_unchanged`` (scheduled builds), rows that give the current release's CSV
    again make no release (``None``)."""
    rows = [dict(row) for row in rows]
    columns = list(columns)
    _check_rows(columns, rows)
    if _protected(dataset):
        names = {column.name for column in columns}
        missing = [n for n in (*dataset.dimensions, *dataset.measures) if n not in names]
        if missing:
            raise ReleaseRefused(f"Die Spalte „{missing[0]}“ fehlt (Merkmal oder Zählspalte).")
    at = at or timezone.now()
    published, report, pattern, leaks = _protect(dataset, rows, dependent or {})
    public_columns = public_columns or {}
    findings = [
        finding
        for finding in scanner.scan(
            [c.name for c in columns], ([row.get(c.name) for c in columns] for row in rows)
        )
        if finding.column not in public_columns
    ]
    measures = set(dataset.measures)
    csv_data = _csv_bytes(columns, published, measures)
    geojson = _geojson_bytes(columns, published, coordinates, geometries)
    if unless_unchanged and dataset.current_id:
        files = Release.objects.filter(pk=dataset.current_id).values_list("files", flat=True)
        if files[0].get("CSV", {}).get("sha256") == hashlib.sha256(csv_data).hexdigest():
            return None
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        last = locked.releases.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
        lines = [notes] if notes else []
        lines += [
            f"Spalte „{name}“ ist von der Prüfung auf Personendaten ausgenommen: {reason}."
            for name, reason in public_columns.items()
        ]
        if report:
            lines.append(report["summary"])
        release = Release.objects.create(
            dataset=dataset,
            number=number,
            state=Release.State.HELD,
            created_at=at,
            columns=[_column_dict(c) for c in columns],
            row_count=len(published),
            csv=csv_data,
            geojson=geojson,
            notes="\n".join(lines),
            disclosure_report=report,
            pattern=pattern,
            source_name=source_name[:255],
            created_by=by,
        )
        release.package = _package(dataset, release, columns, at)
        release.sha256 = hashlib.sha256(release.package).hexdigest()
        release.files = {
            fmt: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for fmt, data in (
                (Resource.Format.CSV, csv_data),
                (Resource.Format.GEOJSON, geojson),
                (Resource.Format.PACKAGE, release.package),
            )
            if data is not None
        }
        release.save(update_fields=["package", "sha256", "files"])
        Finding.objects.bulk_create(
            [
                Finding(release=release, column=f.column, kind=f.kind, message=f.message_de())
                for f in findings
            ]
            + (
                [
                    Finding(
                        release=release,
                        column="",
                        kind="disclosure",
                        message=f"Geheimhaltungsprüfung: {len(leaks)} kleine Fallzahl(en) wären "
                        "berechenbar. Diese Version wird nicht veröffentlicht.",
                    )
                ]
                if leaks
                else []
            )
        )
        audit.record(
            "rathaus.opendata.release.created",
            target=release,
            actor=by,
            data={"number": number, "rows": len(published), "findings": len(findings)},
        )
        if not findings and not leaks:
            _publish(release, at=at)
    return release


def _column_dict(column: Column) -> dict:
    return {
        "name": column.name,
        "type": column.type,
        "title": column.title,
        "description": column.description,
        "unit": column.unit,
    }


def _package(dataset: Dataset, release: Release, columns: Sequence[Column], at: datetime) -> bytes:
    """The data package of the release (relative paths, so its bytes are the same wherever
    it is served): its hash covers every file of the release."""
    resources = [
        datapackage.table_resource(
            name="daten",
            path="daten.csv",
            columns=list(columns),
            # Dimensions identify a row only where disclosure control checked they do.
            primary_key=list(dataset.dimensions) if _protected(dataset) else [],
            sha256=hashlib.sha256(release.csv).hexdigest(),
            byte_size=len(release.csv),
        )
    ]
    if release.geojson:
        resources.append(
            {
                "name": "daten-geojson",
                "path": "daten.geojson",
                "format": "geojson",
                "mediatype": "application/geo+json",
                "hash": "sha256:" + hashlib.sha256(release.geojson).hexdigest(),
                "bytes": len(release.geojson),
            }
        )
    descriptor = datapackage.descriptor(
        name=dataset.slug,
        title=dataset.title,
        description=dataset.description,
        version=str(release.number),
        licence_id=dataset.licence_id,
        licence_title=dataset.licence_title,
        licence_url=dataset.licence_url,
        homepage=f"/opendaten/{dataset.slug}/",
        created=at,
        keywords=list(dataset.keywords),
        resources=resources,
    )
    return json.dumps(descriptor, ensure_ascii=False, indent=2, sort_keys=True).encode()


def _publish(release: Release, *, at: datetime | None = None) -> None:
    """Make a release current (inside the caller's transaction): datastore, resources,
    search terms and the log entry change together."""
    dataset = release.dataset
    at = at or timezone.now()
    Release.objects.filter(pk=release.pk).update(state=Release.State.PUBLISHED, published_at=at)
    release.state, release.published_at = Release.State.PUBLISHED, at
    formats = [Resource.Format.CSV, Resource.Format.JSON]
    if release.geojson:
        formats.append(Resource.Format.GEOJSON)
    formats.append(Resource.Format.PACKAGE)
    for position, name in enumerate(formats):
        Resource.objects.update_or_create(
            dataset=dataset, format=name, defaults={"position": position}
        )
    dataset.resources.exclude(format__in=formats).delete()
    Dataset.objects.filter(pk=dataset.pk).update(current=release, state=Dataset.State.PUBLISHED)
    dataset.current, dataset.state = release, Dataset.State.PUBLISHED
    _fill_store(dataset, release)
    catalogue.reindex([dataset])
    ledger.record(
        "opendata-release",
        f"opendaten/{dataset.slug}/v{release.number}",
        release.sha256,
        office=dataset.organisation.title[:200],
        issued_at=at,
    )


def json_records(release: Release) -> Iterable[dict]:
    """The release's rows with typed values (``None`` for empty and suppressed cells)."""
    types = [(column["name"], column["type"]) for column in release.columns]
    reader = csv.reader(io.StringIO(bytes(release.csv).decode()))
    next(reader, None)
    for values in reader:
        yield {name: typed(value, kind) for (name, kind), value in zip(types, values, strict=True)}


def _fill_store(dataset: Dataset, release: Release) -> None:
    StoreRow.objects.filter(dataset=dataset).delete()
    insert_rows(
        StoreRow,
        ["dataset", "number", "data", "text"],
        (
            (
                dataset.pk,
                number,
                record,
                " ".join(str(v) for v in record.values() if v is not None).lower(),
            )
            for number, record in enumerate(json_records(release), start=1)
        ),
    )


def build(
    pipeline: Pipeline,
    *,
    rows: Iterable[Mapping] | None = None,
    at: datetime | None = None,
    unless_unchanged: bool = True,
) -> Release | None:
    """Build the pipeline's data set now (from ``rows`` instead of ``pipeline.rows()`` when
    given); by default no new release when the content is unchanged."""
    return create_release(
        catalogue.dataset_for(pipeline),
        pipeline.columns,
        pipeline.rows() if rows is None else rows,
        source_name=f"Pipeline {pipeline.key}",
        coordinates=pipeline.coordinates,
        dependent=pipeline.extra.get("dependent"),
        public_columns=pipeline.public_columns,
        at=at,
        unless_unchanged=unless_unchanged,
    )


def approve(release: Release, *, by: Any, reasons: Mapping[int, str]) -> Release:
    """A data steward releases a held release: every finding needs a reason (kept with who
    and when); a disclosure finding can never be overridden."""
    findings = list(release.findings.filter(overridden_at__isnull=True))
    if release.state != Release.State.HELD:
        raise ReleaseRefused("Diese Version wartet nicht auf eine Freigabe.")
    if any(f.kind == "disclosure" for f in findings):
        raise ReleaseRefused(
            "Eine Version mit berechenbaren kleinen Fallzahlen kann nicht freigegeben werden."
        )
    missing = [f for f in findings if not (reasons.get(f.pk) or "").strip()]
    if missing:
        raise ReleaseRefused(
            f"Bitte begründen Sie die Freigabe für die Spalte „{missing[0].column}“."
        )
    now = timezone.now()
    with transaction.atomic():
        for finding in findings:
            finding.reason = reasons[finding.pk].strip()[:2000]
            finding.overridden_by, finding.overridden_at = by, now
            finding.save(update_fields=["reason", "overridden_by", "overridden_at"])
        audit.record(
            "rathaus.opendata.release.approved",
            target=release,
            actor=by,
            data={"findings": {f.column: f.reason for f in findings}},
        )
        _publish(release, at=now)
    return release


def reject(release: Release, *, by: Any) -> None:
    """A held release is dropped (kept as rejected, with its findings, for the record)."""
    if release.state != Release.State.HELD:
        raise ReleaseRefused("Diese Version wartet nicht auf eine Freigabe.")
    with transaction.atomic():
        Release.objects.filter(pk=release.pk).update(state=Release.State.REJECTED)
        release.state = Release.State.REJECTED
        audit.record("rathaus.opendata.release.rejected", target=release, actor=by, data={})
