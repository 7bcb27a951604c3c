"""The register's demo: Rathaus's own algorithms (``records.json``), each published once.

The texts describe the code as it is; ``tests/register/test_demo_register.py`` checks that
every code and test path they name exists."""

import json
from pathlib import Path

from rathaus.offices.models import Office

from .. import services
from ..models import Record

RECORDS = Path(__file__).with_name("records.json")


def load(*, log) -> None:
    entries = json.loads(RECORDS.read_text(encoding="utf-8"))
    offices = {office.slug: office for office in Office.objects.all()}
    for number, entry in enumerate(entries, start=1):
        reason = entry.pop("reason")
        office = offices[entry.pop("office")]
        fields = {
            **entry,
            "code_paths": "\n".join(entry["code_paths"]),
            "test_paths": "\n".join(entry["test_paths"]),
        }
        record, _created = Record.objects.update_or_create(
            slug=fields.pop("slug"), defaults={**fields, "office": office}
        )
        services.publish(record, by=None, reason=reason)
        log(f"  Algorithmenregister: {number} von {len(entries)} – {record.name}")
