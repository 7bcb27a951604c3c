"""Where the search runs: PostgreSQL full-text search, or SQLite FTS5 for the embedded demo.

Both index the same texts with the same weights (title and other names highest,
then keywords, summary, body) and stem with Snowball German: PostgreSQL through
its ``german`` configuration, SQLite through ``analysis.analysed_text``. Both
take the analysed ``QueryTerm``s, match any alternative of any term and rank
by relevance times the service's ``boost``. With ``include_body=False`` only the
title, other names, keywords and summary count: common words that every
description mentions then do not drag in the whole catalogue.

``related`` are the services of the life situations the query describes: they are found
even without a matching word. Among the services that match, those count ``RELATED_BOOST``
times; after all matches come the rest of ``related``, most requested first.
"""

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from django.db import connection

from .analysis import QueryTerm, analysed_text, stem

# Prefix matching lets "Hund" find "Hundesteuer"; very short words would match too much.
PREFIX_MIN_LENGTH = 4
RELATED_BOOST = 1.5


@dataclass(frozen=True)
class DocumentTexts:
    """What of a service is searchable, in the order of the index weights A, A, B, C, D."""

    title: str
    synonyms: str
    keywords: str
    summary: str
    body: str


@dataclass(frozen=True)
class Match:
    service_id: int
    score: float


class PostgresBackend:
    # ts_rank's weights for D, C, B, A.
    WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"

    def index(self, documents: Sequence[tuple[int, DocumentTexts]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                """
                UPDATE catalog_searchdocument SET
                    core_vector = setweight(to_tsvector('german', %(title)s), 'A')
                        || setweight(to_tsvector('german', %(synonyms)s), 'A')
                        || setweight(to_tsvector('german', %(keywords)s), 'B')
                        || setweight(to_tsvector('german', %(summary)s), 'C'),
                    vector = setweight(to_tsvector('german', %(title)s), 'A')
                        || setweight(to_tsvector('german', %(synonyms)s), 'A')
                        || setweight(to_tsvector('german', %(keywords)s), 'B')
                        || setweight(to_tsvector('german', %(summary)s), 'C')
                        || setweight(to_tsvector('german', %(body)s), 'D')
                WHERE service_id = %(id)s
                """,
                [{**asdict(texts), "id": service_id} for service_id, texts in documents],
            )

    @staticmethod
    def _tsquery(term: QueryTerm) -> str:
        # Alternatives are single words of letters and digits (analysis.words), so they
        # cannot carry tsquery operators.
        return " | ".join(
            f"{word}:*" if len(word) >= PREFIX_MIN_LENGTH else word for word in term.alternatives
        )

    def query(
        self,
        terms: Sequence[QueryTerm],
        *,
        limit: int,
        offset: int,
        include_body: bool,
        related: Sequence[int] = (),
    ) -> tuple[list[Match], int]:
        column = "vector" if include_body else "core_vector"
        queries = [self._tsquery(t) for t in terms]
        rank = " + ".join(
            f"%s * ts_rank('{self.WEIGHTS}', {column}, to_tsquery('german', %s), 1)" for _ in terms
        )
        any_term = " || ".join("to_tsquery('german', %s)" for _ in terms)
        sql = f"""
            SELECT service_id, score, count(*) OVER () AS total FROM (
                SELECT service_id, boost, {column} @@ ({any_term}) AS found,
                    ({rank}) * boost
                        * CASE WHEN service_id = ANY(%s) THEN {RELATED_BOOST} ELSE 1 END AS score
                FROM catalog_searchdocument
                WHERE published AND ({column} @@ ({any_term}) OR service_id = ANY(%s))
            ) candidates
            ORDER BY found DESC, score DESC, boost DESC, service_id
            LIMIT %s OFFSET %s
        """  # noqa: S608 -- only our column names and placeholders are interpolated
        related = list(related)
        params: list[object] = [*queries]
        for term, tsquery in zip(terms, queries, strict=True):
            params += [term.weight, tsquery]
        params += [related, *queries, related, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        total = rows[0][2] if rows else 0
        return [Match(row[0], float(row[1])) for row in rows], total


class SqliteBackend:
    # bm25 column weights: title, synonyms, keywords, summary, body.
    WEIGHTS = (10.0, 10.0, 4.0, 2.0, 1.0)

    def index(self, documents: Sequence[tuple[int, DocumentTexts]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM catalog_search_fts WHERE rowid = %s",
                [(service_id,) for service_id, _ in documents],
            )
            cursor.executemany(
                "INSERT INTO catalog_search_fts (rowid, title, synonyms, keywords, summary, body)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (
                        service_id,
                        analysed_text(t.title),
                        analysed_text(t.synonyms),
                        analysed_text(t.keywords),
                        analysed_text(t.summary),
                        analysed_text(t.body),
                    )
                    for service_id, t in documents
                ],
            )

    @staticmethod
    def _match(terms: Sequence[QueryTerm], include_body: bool) -> str:
        stems = dict.fromkeys(
            (stem(word), len(word) >= PREFIX_MIN_LENGTH)
            for term in terms
            for word in term.alternatives
        )
        # Stems are letters and digits only; quoting keeps FTS5 keywords (AND, NEAR) inert.
        any_stem = " OR ".join(f'"{s}"*' if prefix else f'"{s}"' for s, prefix in stems)
        if include_body:
            return any_stem
        return f"{{title synonyms keywords summary}} : ({any_stem})"

    def query(
        self,
        terms: Sequence[QueryTerm],
        *,
        limit: int,
        offset: int,
        include_body: bool,
        related: Sequence[int] = (),
    ) -> tuple[list[Match], int]:
        weights = ", ".join(str(w) for w in self.WEIGHTS)
        # bm25() only works in a query on the FTS table itself, hence the materialised step.
        sql = f"""
            WITH hits AS MATERIALIZED (
                SELECT rowid AS id, bm25(catalog_search_fts, {weights}) AS rank
                FROM catalog_search_fts WHERE catalog_search_fts MATCH %s
            ), related AS (SELECT value AS id FROM json_each(%s))
            SELECT d.service_id,
                coalesce(-h.rank, 0) * d.boost * CASE WHEN d.service_id IN (SELECT id FROM related)
                    THEN {RELATED_BOOST} ELSE 1 END AS score,
                count(*) OVER () AS total
            FROM catalog_searchdocument d
            LEFT JOIN hits h ON h.id = d.service_id
            WHERE d.service_id IN (SELECT id FROM hits UNION SELECT id FROM related)
                AND d.published
            ORDER BY h.id IS NOT NULL DESC, score DESC, d.boost DESC, d.service_id
            LIMIT %s OFFSET %s
        """  # noqa: S608 -- the weights and the boost are our own constants
        params = [self._match(terms, include_body), json.dumps(list(related)), limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        total = rows[0][2] if rows else 0
        return [Match(row[0], float(row[1])) for row in rows], total


def current() -> PostgresBackend | SqliteBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise RuntimeError(f"Die Suche unterstützt PostgreSQL und SQLite, nicht {connection.vendor}.")
