"""The staff access log is append-only, enforced by the database.

PostgreSQL: no UPDATE at all, and no DELETE of an entry younger than the retention
period (730 days, ACCESS_LOG_RETENTION_DAYS). SQLite, the embedded demo database:
no UPDATE; a DELETE guard would also stop Django's test flush, which empties
tables row by row there, so on SQLite only the retention task deletes entries.
"""

from django.db import migrations

from rathaus.core.vendor_sql import run_per_vendor

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION accounts_access_log_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'Das Zugriffsprotokoll kann nicht geändert werden.';
        END IF;
        IF OLD.accessed_at > now() - interval '730 days' THEN
            RAISE EXCEPTION 'Einträge des Zugriffsprotokolls dürfen erst nach Ablauf der '
                'Aufbewahrungsfrist gelöscht werden.';
        END IF;
        RETURN OLD;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER accounts_access_log_guard BEFORE UPDATE OR DELETE ON accounts_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION accounts_access_log_guard()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS accounts_access_log_guard ON accounts_accesslogentry",
    "DROP FUNCTION IF EXISTS accounts_access_log_guard()",
]
SQLITE_FORWARD = [
    """
    CREATE TRIGGER accounts_access_log_no_update BEFORE UPDATE ON accounts_accesslogentry
    BEGIN
        SELECT RAISE(ABORT, 'Das Zugriffsprotokoll kann nicht geändert werden.');
    END
    """,
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS accounts_access_log_no_update"]


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        run_per_vendor(
            {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD},
            {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD},
        )
    ]
