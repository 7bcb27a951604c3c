from django.db import migrations

from rathaus.core.vendor_sql import run_per_vendor


class Migration(migrations.Migration):
    """Room in each page of the registrations, so a round's status updates stay in place
    (heap-only tuples) instead of adding an entry to every index (see Registration)."""

    dependencies = [("kita", "0001_initial")]

    operations = [
        run_per_vendor(
            {"postgresql": ["ALTER TABLE kita_registration SET (fillfactor = 70)"]},
            {"postgresql": ["ALTER TABLE kita_registration RESET (fillfactor)"]},
        )
    ]
