"""Publishing, importing and exporting form definitions (the back office's form builder)."""

import json
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from rathaus.core import audit
from rathaus.core.locking import for_update

from ..formdef.schema import draft_to_schema, schema_to_draft, validate_schema
from ..models import FormDefinition, FormDraft


class FormError(Exception):
    """The definition cannot be used; ``errors`` lists why (German)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def publish(draft: FormDraft, *, by: Any) -> FormDefinition:
    """Freeze the draft as the next version; submissions keep the version they started with."""
    schema = draft_to_schema(draft)
    if errors := validate_schema(schema):
        raise FormError(errors)
    with transaction.atomic():
        latest = (
            for_update(FormDefinition.objects, guard="form-version")
            .filter(service=draft.service)
            .aggregate(v=Max("version"))["v"]
            or 0
        )
        definition = FormDefinition.objects.create(
            service=draft.service, version=latest + 1, schema=schema, published_by=by
        )
        audit.record(
            "rathaus.applications.form.published",
            actor=by,
            target=definition,
            data={"version": definition.version},
        )
    return definition


def export_json(draft: FormDraft) -> str:
    return json.dumps(draft_to_schema(draft), ensure_ascii=False, indent=2)


def import_json(draft: FormDraft, text: str, *, by: Any) -> None:
    """Replace the draft with a definition from a JSON file (checked first)."""
    try:
        schema = json.loads(text)
    except (ValueError, TypeError) as error:
        raise FormError(
            [_("Die Datei ist kein gültiges JSON (%(error)s).") % {"error": error}]
        ) from error
    if errors := validate_schema(schema):
        raise FormError(errors)
    schema_to_draft(schema, draft)
    audit.record("rathaus.applications.form.imported", actor=by, target=draft)
