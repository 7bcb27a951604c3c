"""``package_search``: the catalogue's search with CKAN's query language (a documented subset).

``q`` holds words (every word must match: the title, description, keywords, organisation or
column names, stemmed like German) and may hold ``field:value`` terms; ``fq`` holds
``field:value``, ``field:"a value"``, ``-field:value`` (not) and, for ``metadata_modified`` and
``metadata_created``, ``[from TO to]`` ranges (ISO dates or ``*``), joined by spaces or
``AND``. Fields: ``organization``, ``groups``, ``tags``, ``res_format``, ``license_id``,
``name``, ``id``. Each term is an index lookup in ``SearchTerm``, so SQLite and PostgreSQL
answer the same; the facets are one grouped count over the matching data sets.
"""

import re
import shlex
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Aggregate, Q, QuerySet, TextField
from django.utils.dateparse import parse_date, parse_datetime

from ..models import FILE_FIELDS, Dataset, SearchTerm
from .catalogue import FACET_FIELDS, terms

__all__ = ["SORTS", "Query", "QueryError", "Result", "parse_filters", "search"]

TERM_FIELDS = {"organization", "groups", "tags", "res_format", "license_id"}
ROW_FIELDS = {"name": "slug", "id": "uuid"}
DATE_FIELDS = {"metadata_modified": "modified_at", "metadata_created": "created_at"}
MAX_ROWS = 1000
_RANGE = re.compile(r"^\[(\S+) TO (\S+)\]$")


class QueryError(ValueError):
    """A query CKAN would answer with "Search Query Error" (message in English)."""


@dataclass(frozen=True)
class Filter:
    field: str
    value: str
    negated: bool = False


@dataclass
class Query:
    q: str = ""
    fq: str = ""
    rows: int = 10
    start: int = 0
    sort: str = "score desc, metadata_modified desc"
    facet_fields: tuple[str, ...] = ()
    facet_limit: int = 50


@dataclass
class Result:
    count: int
    datasets: list[Dataset]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def _tokens(text: str) -> list[str]:
    text = re.sub(r"\s*\[(\S+)\s+TO\s+(\S+)\]", r' "[\1 TO \2]"', text)
    text = re.sub(r':\s*"', ':"', text)
    try:
        lexer = shlex.shlex(text, posix=True)
        lexer.whitespace_split = True
        lexer.commenters = ""
        return [token for token in lexer if token not in ("AND", "&&")]
    except ValueError as error:
        raise QueryError(f"Search Query is invalid: {error}") from None


def parse_filters(text: str) -> tuple[list[Filter], list[str]]:
    """The ``field:value`` filters and the free words of a ``q`` or ``fq`` string."""
    filters, words = [], []
    for token in _tokens(text or ""):
        if token in ("*:*", "*"):
            continue
        negated = token.startswith("-")
        name, colon, value = token.lstrip("+-").partition(":")
        if not colon:
            words.append(token)
            continue
        if name not in TERM_FIELDS | set(ROW_FIELDS) | set(DATE_FIELDS) or not value:
            raise QueryError(
                f'Search Query is invalid: unknown field "{name}" (supported: '
                + ", ".join(sorted(TERM_FIELDS | set(ROW_FIELDS) | set(DATE_FIELDS)))
                + ")"
            )
        filters.append(Filter(name, value, negated))
    return filters, words


def _moment(text: str, field_name: str) -> datetime | None:
    if text == "*":
        return None
    text = text.replace("NOW", "")
    moment = parse_datetime(text.replace("Z", "+00:00"))
    if moment is None and (day := parse_date(text)) is not None:
        moment = datetime(day.year, day.month, day.day)
    if moment is None:
        raise QueryError(f'Search Query is invalid: "{text}" is not a date for {field_name}')
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _apply(datasets: QuerySet, item: Filter) -> QuerySet:
    if item.field in DATE_FIELDS:
        match = _RANGE.match(item.value)
        if not match:
            raise QueryError(f"Search Query is invalid: {item.field} takes a range [from TO to]")
        start, end = (_moment(part, item.field) for part in match.groups())
        column = DATE_FIELDS[item.field]
        condition = Q()
        if start is not None:
            condition &= Q(**{f"{column}__gte": start})
        if end is not None:
            condition &= Q(**{f"{column}__lte": end})
    elif item.field in ROW_FIELDS:
        condition = Q(**{ROW_FIELDS[item.field]: item.value})
        if item.field == "id" and not re.fullmatch(r"[0-9a-fA-F-]{32,36}", item.value):
            condition = Q(pk__in=[])
    else:
        condition = Q(
            pk__in=SearchTerm.objects.filter(field=item.field, value=item.value).values(
                "dataset_id"
            )
        )
    return datasets.exclude(condition) if item.negated else datasets.filter(condition)


# sort name → the column it orders by; there is no relevance ranking, so "score" sorts
# like CKAN's tie-break, newest first.
SORTS = {
    "score": "-modified_at",
    "metadata_modified": "modified_at",
    "metadata_created": "created_at",
    "name": "slug",
    "title_string": "title",
    "title": "title",
}


class _Concatenated(Aggregate):
    """All values of a text column as one string (one row to read instead of thousands)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, '')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def _order(sort: str) -> list[str]:
    order = []
    for part in (sort or "").split(","):
        name, _space, direction = part.strip().partition(" ")
        if not name:
            continue
        if name not in SORTS or direction.strip() not in ("", "asc", "desc"):
            raise QueryError(
                f'Search Query is invalid: cannot sort by "{part.strip()}" (supported: '
                + ", ".join(sorted(SORTS))
                + " with asc or desc)"
            )
        column = SORTS[name]
        if name != "score" and direction.strip() == "desc":
            column = f"-{column}"
        order.append(column)
    return [*order, "pk"]


def _facets(values: str, fields: tuple[str, ...], limit: int) -> dict[str, dict[str, int]]:
    """Count the facet values ("field=value" lines of every match) in one Counter."""
    facets: dict[str, list[tuple[str, int]]] = {name: [] for name in fields}
    for line, number in Counter(values.splitlines()).items():
        name, _equals, value = line.partition("=")
        if name in facets:
            facets[name].append((value, number))
    return {
        name: dict(sorted(items, key=lambda item: (-item[1], item[0]))[: max(limit, 0) or None])
        if limit != 0
        else {}
        for name, items in facets.items()
    }


def search(query: Query) -> Result:
    """Published data sets that match, a page of them, and the requested facet counts."""
    if query.rows < 0 or query.start < 0:
        raise QueryError("Search Query is invalid: rows and start must be 0 or more")
    query.rows = min(query.rows, MAX_ROWS)  # as CKAN: ckan.search.rows_max
    unknown = [name for name in query.facet_fields if name not in FACET_FIELDS]
    if unknown:
        raise QueryError(f'Search Query is invalid: no facet "{unknown[0]}"')
    datasets = Dataset.objects.filter(state=Dataset.State.PUBLISHED, current__isnull=False)
    filters, words = parse_filters(query.q)
    more, stray = parse_filters(query.fq)
    if stray:
        raise QueryError(f'Search Query is invalid: fq needs field:value, got "{stray[0]}"')
    for term in sorted(set().union(*(terms(word) for word in words))) if words else []:
        datasets = datasets.filter(
            pk__in=SearchTerm.objects.filter(field="text", value=term).values("dataset_id")
        )
    for item in [*filters, *more]:
        datasets = _apply(datasets, item)
    order = _order(query.sort)
    count = datasets.count()
    page = list(
        datasets.select_related("organisation", "current")
        .defer(*(f"current__{name}" for name in FILE_FIELDS))
        .prefetch_related("resources")
        .order_by(*order)[query.start : query.start + query.rows]
    )
    facets = {}
    if query.facet_fields:
        values = datasets.aggregate(all=_Concatenated("facet_values"))["all"] if count else ""
        facets = _facets(values or "", query.facet_fields, query.facet_limit)
    return Result(count=count, datasets=page, facets=facets)
