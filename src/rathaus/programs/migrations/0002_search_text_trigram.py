"""A trigram index on ``Offer.search_text`` on PostgreSQL, so the search's
``LIKE '%schwimm%'`` reads the index instead of every offer. SQLite keeps its table scan.
Where the database user may not create the ``pg_trgm`` extension, the search still works,
only slower; ``rathaus check`` is not affected."""

import logging

from django.db import migrations, transaction

log = logging.getLogger(__name__)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                "CREATE INDEX IF NOT EXISTS offer_search_text_trgm ON programs_offer "
                "USING gin (search_text gin_trgm_ops)"
            )
    except Exception as error:  # noqa: BLE001 – without the extension the scan stays
        log.warning("Kein Trigramm-Index für die Angebotssuche: %s", error)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS offer_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
