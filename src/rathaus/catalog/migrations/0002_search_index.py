"""The database-specific half of the search index (see catalog.search.backends).

PostgreSQL: GIN indexes on ``catalog_searchdocument.core_vector`` and ``.vector``.
SQLite: the FTS5 table ``catalog_search_fts`` and a trigger that removes a row
from it whenever its ``catalog_searchdocument`` row is deleted (service deleted,
test database flushed), so the two cannot drift apart.
"""

from django.db import migrations

from rathaus.core.vendor_sql import run_per_vendor

POSTGRES_FORWARD = [
    "CREATE INDEX catalog_searchdocument_vector_gin ON catalog_searchdocument USING gin (vector)",
    "CREATE INDEX catalog_searchdocument_core_vector_gin"
    " ON catalog_searchdocument USING gin (core_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_searchdocument_vector_gin",
    "DROP INDEX IF EXISTS catalog_searchdocument_core_vector_gin",
]

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE catalog_search_fts USING fts5(
        title, synonyms, keywords, summary, body, tokenize = 'unicode61'
    )
    """,
    """
    CREATE TRIGGER catalog_searchdocument_deleted AFTER DELETE ON catalog_searchdocument
    BEGIN
        DELETE FROM catalog_search_fts WHERE rowid = old.service_id;
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_searchdocument_deleted",
    "DROP TABLE IF EXISTS catalog_search_fts",
]


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        run_per_vendor(
            {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD},
            {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD},
        )
    ]
