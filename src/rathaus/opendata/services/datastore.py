"""``datastore_search``: the rows of a data set's current release, filtered, sorted, paged.

Filters compare typed values (the column's Table Schema type decides how a string from a
URL is read). On PostgreSQL a filter is a JSON containment (``data @> {...}``) that the GIN
index answers; elsewhere the same filter compares the extracted value – the same rows.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform

from ..models import Dataset, StoreRow

__all__ = ["MAX_LIMIT", "StoreError", "StoreResult", "ckan_type", "search"]

MAX_LIMIT = 32000
CKAN_TYPES = {
    "integer": "int",
    "number": "numeric",
    "year": "int",
    "date": "date",
    "boolean": "bool",
}


class StoreError(ValueError):
    """A request CKAN would answer with a validation error: ``{field: [message]}``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class StoreResult:
    fields: list[dict]
    records: list[dict]
    total: int | None
    limit: int
    offset: int


def ckan_type(kind: str) -> str:
    """The datastore's column type name for a Table Schema type."""
    return CKAN_TYPES.get(kind, "text")


def _coerce(value: Any, kind: str, name: str) -> Any:
    if value is None:
        return None
    try:
        if kind in ("integer", "year"):
            return int(value)
        if kind == "number":
            number = float(value)
            return int(number) if number.is_integer() and not isinstance(value, float) else number
        if kind == "boolean":
            return value if isinstance(value, bool) else str(value).lower() == "true"
    except (TypeError, ValueError):
        raise StoreError("filters", f'"{value}" is not a valid {kind} for "{name}"') from None
    return str(value)


def _filter(rows: QuerySet, name: str, kind: str, values: Sequence[Any]) -> QuerySet:
    condition = Q()
    for value in values:
        typed = _coerce(value, kind, name)
        if connection.vendor == "postgresql":
            condition |= Q(data__contains={name: typed})
        else:
            condition |= Q(**{f"_f_{name}": typed})
    if connection.vendor != "postgresql":
        rows = rows.alias(**{f"_f_{name}": KeyTransform(name, "data")})
    return rows.filter(condition)


def _columns(dataset: Dataset) -> dict[str, str]:
    return {column["name"]: column["type"] for column in dataset.current.columns}


def _as_list(value: Any, field: str) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        if value.startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                raise StoreError(field, "not a valid JSON list") from None
        else:
            return [part.strip() for part in value.split(",") if part.strip()]
    return value if isinstance(value, list) else [value]


def search(
    dataset: Dataset,
    *,
    q: Any = None,
    filters: Mapping[str, Any] | None = None,
    fields: Any = None,
    sort: Any = None,
    limit: int = 100,
    offset: int = 0,
    include_total: bool = True,
) -> StoreResult:
    """A page of the current release's rows (``_id`` = row number)."""
    if dataset.current_id is None:
        raise StoreError("resource_id", "this resource has no datastore table yet")
    columns = _columns(dataset)
    if limit < 0:
        raise StoreError("limit", "must be 0 or more")
    limit = min(limit, MAX_LIMIT)  # as CKAN: ckan.datastore.search.rows_max
    if offset < 0:
        raise StoreError("offset", "must be 0 or more")
    rows = StoreRow.objects.filter(dataset=dataset)
    single: dict[str, Any] = {}
    for name, value in (filters or {}).items():
        if name == "_id":
            numbers = [_coerce(v, "integer", name) for v in _as_list(value, "filters")]
            rows = rows.filter(number__in=numbers)
            continue
        if name not in columns:
            raise StoreError("filters", f'field "{name}" not in resource')
        values = value if isinstance(value, list) else [value]
        if connection.vendor == "postgresql" and len(values) == 1:
            single[name] = _coerce(values[0], columns[name], name)
        else:
            rows = _filter(rows, name, columns[name], values)
    if single:  # one containment for all single-value filters: one pass over the GIN index
        rows = rows.filter(data__contains=single)
    if isinstance(q, dict):
        for name, text in q.items():
            if name not in columns:
                raise StoreError("q", f'field "{name}" not in resource')
            rows = rows.alias(**{f"_t_{name}": KeyTextTransform(name, "data")}).filter(
                **{f"_t_{name}__icontains": str(text)}
            )
    elif q:
        for word in str(q).lower().split():
            rows = rows.filter(text__contains=word)
    chosen = _as_list(fields, "fields") or ["_id", *columns]
    for name in chosen:
        if name != "_id" and name not in columns:
            raise StoreError("fields", f'field "{name}" not in resource')
    order = []
    for part in _as_list(sort, "sort"):
        name, _space, direction = str(part).strip().partition(" ")
        name = name.strip('"')
        if (name != "_id" and name not in columns) or direction.strip() not in ("", "asc", "desc"):
            raise StoreError("sort", f'cannot sort by "{part}"')
        descending = direction.strip() == "desc"
        if name == "_id":
            order.append("-number" if descending else "number")
        else:
            value = KeyTransform(name, "data")
            order.append(value.desc() if descending else value.asc())
    total = rows.count() if include_total else None
    # With a filter, ``number + 0`` keeps PostgreSQL from walking the whole row-number index
    # in order to find the first matches (LIMIT makes that look cheap; on a large table it
    # is not): the GIN index finds the matches, which are then sorted.
    tie = (F("number") + 0).asc() if (filters or q) else "number"
    page = rows.order_by(*order, tie).values_list("number", "data")[offset : offset + limit]
    records = [
        {name: (number if name == "_id" else data.get(name)) for name in chosen}
        for number, data in page
    ]
    described = [
        {"id": name, "type": "int" if name == "_id" else ckan_type(columns[name])}
        for name in chosen
    ]
    return StoreResult(fields=described, records=records, total=total, limit=limit, offset=offset)
