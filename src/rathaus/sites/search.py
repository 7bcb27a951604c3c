"""Ranking the pages of all sites for the cross-site search.

Wagtail's PostgreSQL backend ranks every match with ``ts_rank`` over title and body. For a
common word that is thousands of pages: at 12,000 pages "Kinder" matches 3,196, and ranking
them took 50 of the search's 70 ms (``bench/sites.py``). So on PostgreSQL the ranking has two
stages: the index (the GIN index of migration ``sites/0002``) finds every match and says
which match in their title; then all title matches, and of the matches only in the body the
``RANKED_BODY_MATCHES`` most recently added pages, are ranked by Wagtail's own formula (its
weights, the title's norm). With fewer body-only matches than that the order is exactly
Wagtail's. A page that matches only in its body, among more than 500 older such pages, is
left out: a searcher who gets 500 body-only hits refines the words anyway.

SQLite: Wagtail's backend as it is (FTS5 ranks inside its index).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.models import Page, get_page_models
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

RANKED_BODY_MATCHES = 500


def ranked_pages(query: str, limit: int) -> list[tuple[int, str, int, str]]:
    """``(id, path, locale id, translation key)`` of the live, public pages that contain
    every word of ``query``, best first, at most ``limit`` (no aliases: an untranslated
    parent of a translated page is an alias of the German page, with its text)."""
    if not query.split():
        return []
    if connection.vendor != "postgresql":
        found = (
            Page.objects.live()
            .public()
            .only("pk", "path", "locale_id", "translation_key", "alias_of_id")
            .search(query, operator="and")
        )
        return [
            (page.pk, page.path, page.locale_id, str(page.translation_key))
            for page in found[:limit]
            if page.alias_of_id is None
        ]
    backend = get_search_backend()
    compiler = backend.query_compiler_class(Page.objects.all(), query, operator="and")
    tsquery = compiler.build_tsquery(compiler.query, config=backend.config)
    if tsquery is None:  # only separators ("- -")
        return []
    entries = IndexEntry.objects.all()
    tsquery_sql, tsquery_params = tsquery.resolve_expression(entries.query).as_sql(
        entries.query.get_compiler(connection=connection), connection
    )
    page_types = ContentType.objects.get_for_models(Page, *get_page_models()).values()
    params = [
        *tsquery_params,
        [page_type.pk for page_type in page_types],
        RANKED_BODY_MATCHES,
        compiler.sql_weights,
        compiler.sql_weights,
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            RANKING.format(tsquery=tsquery_sql, entries=IndexEntry._meta.db_table), params
        )
        return [(pk, path, locale, str(key)) for pk, path, locale, key in cursor.fetchall()]


# The matches (index only: ids and whether the title matches), the candidates (every title
# match, the newest body-only matches), then the ranking of the live, public candidates.
RANKING = """
WITH q AS (SELECT {tsquery} AS q),
matches AS MATERIALIZED (
    SELECT e.id, e.title @@ q.q AS in_title FROM {entries} e, q
    WHERE e.content_type_id = ANY(%s) AND (e.title || e.body) @@ q.q
),
candidates AS (
    (SELECT id FROM matches WHERE in_title)
    UNION ALL
    (SELECT id FROM matches WHERE NOT in_title ORDER BY id DESC LIMIT %s)
)
SELECT p.id, p.path, p.locale_id, p.translation_key
FROM candidates c
JOIN {entries} e ON e.id = c.id
JOIN wagtailcore_page p ON p.id = CAST(e.object_id AS integer) AND p.live
    AND p.alias_of_id IS NULL
CROSS JOIN q
WHERE NOT EXISTS (
    SELECT 1 FROM wagtailcore_pageviewrestriction r
    JOIN wagtailcore_page restricted ON restricted.id = r.page_id
    WHERE p.path LIKE restricted.path || '%%'
)
ORDER BY ts_rank(%s::float4[], e.title, q.q) * e.title_norm
    + ts_rank(%s::float4[], e.body, q.q) DESC, p.id DESC
LIMIT %s
"""
