"""External data: tables a data steward uploads (CSV, XLSX, GeoJSON) or has fetched from an
address on a schedule. Both are read the same way and go through the same checks as the
pipelines' releases (``releases.create_release``): the scanner, disclosure control, the log.
"""

import csv
import io
import json
import re
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from ..models import Dataset, Fetch, Release
from ..pipelines import Column
from .releases import ReleaseRefused, create_release

__all__ = ["MAX_BYTES", "Parsed", "UploadError", "fetch", "parse", "publish_file", "read_table"]

MAX_BYTES = 20 * 1024 * 1024
MAX_COLUMNS = 200
FETCH_TIMEOUT = 30
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|\d{1,3}(\.\d{3})+(,\d+)?)$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


class UploadError(ValueError):
    """A file that cannot be read as a table; the message says what to do (German)."""


@dataclass
class Parsed:
    columns: list[Column]
    rows: list[dict]
    geometries: list[dict | None] | None = None


def _kind(name: str, data: bytes) -> str:
    lowered = name.lower()
    if lowered.endswith((".geojson", ".json")):
        return "geojson"
    if lowered.endswith(".xlsx") or data[:2] == b"PK":
        return "xlsx"
    if lowered.endswith((".csv", ".txt")):
        return "csv"
    raise UploadError("Bitte laden Sie eine CSV-, XLSX- oder GeoJSON-Datei hoch.")


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadError("Die Datei ist weder UTF-8 noch Windows-1252 kodiert.")


def _header(names: list[Any]) -> list[str]:
    header = [str(name if name is not None else "").strip() for name in names]
    if not header or any(not name for name in header):
        raise UploadError("Jede Spalte braucht in der ersten Zeile einen Namen.")
    if len(set(header)) != len(header):
        twice = sorted({name for name in header if header.count(name) > 1})[0]
        raise UploadError(f"Der Spaltenname „{twice}“ kommt mehrfach vor.")
    if len(header) > MAX_COLUMNS:
        raise UploadError(f"Höchstens {MAX_COLUMNS} Spalten je Tabelle.")
    if any(len(name) > 100 for name in header):
        raise UploadError("Spaltennamen dürfen höchstens 100 Zeichen lang sein.")
    return header


def _csv(data: bytes) -> tuple[list[str], list[list[Any]]]:
    text = _text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:20000], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        lines = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise UploadError(
            f"Die CSV-Datei ist fehlerhaft (Zeile {reader.line_num}): {error}."
        ) from None
    if not lines:
        raise UploadError("Die Datei enthält keine Tabelle.")
    header = _header(lines[0])
    for number, row in enumerate(lines[1:], start=2):
        if len(row) != len(header):
            raise UploadError(
                f"Zeile {number} hat {len(row)} statt {len(header)} Werte. Bitte prüfen Sie "
                "Trennzeichen und Anführungszeichen."
            )
    return header, lines[1:]


def _xlsx(data: bytes) -> tuple[list[str], list[list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UploadError("Die XLSX-Datei lässt sich nicht öffnen.") from None
    sheet = book.worksheets[0]
    lines = [
        list(row)
        for row in sheet.iter_rows(values_only=True)
        if any(cell not in (None, "") for cell in row)
    ]
    book.close()
    if not lines:
        raise UploadError("Das erste Tabellenblatt ist leer.")
    header = _header(lines[0])
    width = len(header)
    return header, [(row + [None] * width)[:width] for row in lines[1:]]


def _geojson(data: bytes) -> tuple[list[str], list[list[Any]], list[dict | None]]:
    try:
        document = json.loads(_text(data))
    except ValueError:
        raise UploadError("Die GeoJSON-Datei ist kein gültiges JSON.") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise UploadError("Erwartet wird eine GeoJSON-FeatureCollection.")
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise UploadError("Die FeatureCollection enthält keine Objekte.")
    names: list[str] = []
    for feature in features:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            raise UploadError("Jedes Objekt braucht Eigenschaften („properties“).")
        names += [str(key) for key in properties if str(key) not in names]
    header = _header(names)
    rows = [[feature["properties"].get(name) for name in header] for feature in features]
    geometries = [feature.get("geometry") for feature in features]
    if any(g is not None and not isinstance(g, dict) for g in geometries):
        raise UploadError("Eine Geometrie ist kein GeoJSON-Objekt.")
    return header, rows, geometries


def _as_date(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if _ISO_DATE.match(text):
        return text
    if match := _GERMAN_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None
    return None


def _number(text: str) -> float:
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return float(text)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (
        isinstance(value, str) and bool(_INTEGER.match(value.strip()))
    )


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float) or (
        isinstance(value, str) and bool(_NUMBER.match(value.strip()))
    )


def _to_integer(value: Any) -> int:
    return int(str(value).strip())


def _to_number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else _number(str(value).strip())


def _to_string(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


# The narrowest type first: a column is the first type every non-empty value fits.
_TYPES = (
    ("integer", _is_integer, _to_integer),
    ("number", _is_number, _to_number),
    ("date", _as_date, _as_date),
)


def _typed_columns(header: list[str], lines: list[list[Any]]) -> tuple[list[Column], list[dict]]:
    """Each column's type is the narrowest that fits every non-empty value."""
    columns, converters = [], []
    for index, name in enumerate(header):
        values = [line[index] for line in lines if line[index] not in (None, "")]
        kind, convert = "string", _to_string
        for candidate, fits, converter in _TYPES:
            if values and all(fits(value) for value in values):
                kind, convert = candidate, converter
                break
        columns.append(Column(name=name, type=kind, title=name))
        converters.append(convert)
    rows = [
        {
            name: (None if line[i] in (None, "") else converters[i](line[i]))
            for i, name in enumerate(header)
        }
        for line in lines
    ]
    return columns, rows


def _checked(data: bytes) -> None:
    if not data:
        raise UploadError("Die Datei ist leer.")
    if len(data) > MAX_BYTES:
        raise UploadError(f"Die Datei ist größer als {MAX_BYTES // (1024 * 1024)} MB.")


def read_table(name: str, data: bytes) -> tuple[list[str], list[list[Any]]]:
    """A CSV or XLSX file as its header and its rows of cells, untyped (also for other
    modules: the fairness audit reads decisions this way)."""
    _checked(data)
    kind = _kind(name, data)
    if kind == "geojson":
        raise UploadError("Bitte laden Sie eine CSV- oder XLSX-Datei hoch.")
    header, lines = _xlsx(data) if kind == "xlsx" else _csv(data)
    if not lines:
        raise UploadError("Die Tabelle hat keine Datenzeilen.")
    return header, lines


def parse(name: str, data: bytes) -> Parsed:
    """Read an uploaded or fetched file as a typed table."""
    _checked(data)
    geometries = None
    if _kind(name, data) == "geojson":
        header, lines, geometries = _geojson(data)
        if not lines:
            raise UploadError("Die Tabelle hat keine Datenzeilen.")
    else:
        header, lines = read_table(name, data)
    columns, rows = _typed_columns(header, lines)
    return Parsed(columns=columns, rows=rows, geometries=geometries)


def publish_file(dataset: Dataset, name: str, data: bytes, *, by: Any = None) -> Release | None:
    """A file becomes the data set's next release (held when the scanner objects)."""
    parsed = parse(name, data)
    described = {c["name"]: c for c in (dataset.current.columns if dataset.current_id else [])}
    columns = [
        Column(
            name=c.name,
            type=c.type,
            title=described.get(c.name, {}).get("title") or c.name,
            description=described.get(c.name, {}).get("description") or "",
        )
        for c in parsed.columns
    ]
    bad = [
        m
        for m in dataset.measures
        if any(
            not isinstance(row[m], int) or row[m] < 0 for row in parsed.rows if row[m] is not None
        )
    ]
    if bad:
        raise UploadError(f"Die Zählspalte „{bad[0]}“ enthält andere Werte als ganze Zahlen ≥ 0.")
    try:
        return create_release(
            dataset,
            columns,
            parsed.rows,
            by=by,
            source_name=name[:255],
            geometries=parsed.geometries,
            unless_unchanged=by is None,
        )
    except ReleaseRefused as error:
        raise UploadError(str(error)) from None


def fetch(dataset: Dataset) -> Release | None:
    """Fetch the data set's configured address; a new release only when the file changed
    (ETag and content hash). Errors are kept on the data set's ``Fetch`` row for stewards."""
    state, _created = Fetch.objects.get_or_create(dataset=dataset)
    # Only http(s): a steward's address never reads a local file (checked below, before use).
    request = urllib.request.Request(  # noqa: S310
        dataset.fetch_url, headers={"User-Agent": "Rathaus-Opendata"}
    )
    if state.etag:
        request.add_header("If-None-Match", state.etag)
    state.checked_at = timezone.now()
    try:
        if not dataset.fetch_url.startswith(("http://", "https://")):
            raise UploadError("Die Abrufadresse muss mit http:// oder https:// beginnen.")
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:  # noqa: S310
            data = response.read(MAX_BYTES + 1)
            etag = response.headers.get("ETag", "")
        name = dataset.fetch_url.rsplit("/", 1)[-1].split("?")[0] or "abruf.csv"
        release = publish_file(dataset, name, data)
    except urllib.error.HTTPError as error:
        if error.code == 304:
            state.error = ""
            state.save()
            return None
        state.error = f"Der Abruf ergab HTTP {error.code}."
        state.save()
        return None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        state.error = f"Die Adresse ist nicht erreichbar: {getattr(error, 'reason', error)}."
        state.save()
        return None
    except UploadError as error:
        state.error = str(error)
        state.save()
        return None
    state.etag, state.error = etag[:200], ""
    state.save()
    return release
