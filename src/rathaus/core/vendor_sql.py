"""Database-specific SQL in migrations (triggers, virtual tables, special indexes)."""

from django.db import migrations


def run_per_vendor(forward: dict[str, list[str]], backward: dict[str, list[str]]):
    """A migration operation that runs the statements listed for the current database vendor."""

    def runner(statements_by_vendor: dict[str, list[str]]):
        def run(apps, schema_editor):
            for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
                schema_editor.execute(statement)

        return run

    return migrations.RunPython(runner(forward), runner(backward))
