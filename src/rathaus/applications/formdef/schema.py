"""Form definitions as JSON: built from the back-office draft, checked, imported, exported.

The JSON is what a submission keeps (``FormDefinition.schema``); a draft can be
exported and imported again, so forms move between installations.
"""

import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import DraftField, DraftPage, FormDraft
from .types import TYPES

GROUP = "group"
KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
FILE_KINDS = {"pdf", "jpeg", "jpg", "png"}


def _options(text: str) -> list[list[str]]:
    options = []
    for line in text.splitlines():
        if not line.strip():
            continue
        value, _sep, label = line.partition("|")
        options.append([value.strip(), (label or value).strip()])
    return options


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _field(field: DraftField) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "key": field.key,
        "type": field.type,
        "label": field.label,
        "help": field.help_text,
        "required": field.required,
    }
    if field.options:
        spec["options"] = _options(field.options)
    if field.visible_if_field:
        spec["visible_if"] = {"field": field.visible_if_field, "equals": field.visible_if_value}
    optional = {
        "min": _number(field.min_value),
        "max": _number(field.max_value),
        "max_length": field.max_length,
        "pattern": field.pattern,
        "pattern_message": field.pattern_message,
        "date_rule": field.date_rule,
        "max_size_mb": field.max_size_mb,
        "accept": [k.strip().lower() for k in field.accept.split(",") if k.strip()],
        "max_items": field.max_items,
        "purpose": field.purpose,
    }
    spec.update({k: v for k, v in optional.items() if v not in (None, "", [])})
    if field.type == GROUP:
        spec["fields"] = [_field(member) for member in field.members.order_by("position", "id")]
    return spec


def draft_to_schema(draft: FormDraft) -> dict[str, Any]:
    pages = []
    for page in draft.pages.all():
        fields = page.fields.filter(group__isnull=True).order_by("position", "id")
        pages.append(
            {"title": page.title, "intro": page.intro, "fields": [_field(f) for f in fields]}
        )
    return {"intro": draft.intro, "pages": pages}


def validate_schema(schema: Any) -> list[str]:
    """Everything wrong with a definition, in German; empty when it can be published."""
    errors: list[str] = []
    if not isinstance(schema, dict) or not isinstance(schema.get("pages"), list):
        return [_("Das Formular braucht eine Liste von Seiten („pages“).")]
    if not schema["pages"]:
        errors.append(_("Das Formular hat keine Seite."))
    seen: dict[str, str] = {}
    for number, page in enumerate(schema["pages"], start=1):
        if not isinstance(page, dict) or not str(page.get("title", "")).strip():
            errors.append(_("Seite %(n)d hat keine Überschrift.") % {"n": number})
            continue
        if not page.get("fields"):
            errors.append(_("Seite „%(title)s“ hat keine Fragen.") % {"title": page["title"]})
        for spec in page.get("fields", []):
            errors += _check_field(spec, seen, page["title"], in_group=False)
    return errors


def _check_field(spec: Any, seen: dict[str, str], page: str, *, in_group: bool) -> list[str]:
    if not isinstance(spec, dict):
        return [_("Seite „%(page)s“ enthält ein ungültiges Feld.") % {"page": page}]
    key, kind, label = str(spec.get("key", "")), spec.get("type"), spec.get("label", "")
    where = {"key": key or "?", "page": page}
    errors = []
    if not KEY.match(key):
        errors.append(
            _("Kennung „%(key)s“ auf „%(page)s“: nur Kleinbuchstaben, Ziffern und _.") % where
        )
    elif key in seen:
        errors.append(_("Die Kennung „%(key)s“ kommt doppelt vor.") % where)
    seen[key] = page
    if kind not in TYPES and kind != GROUP:
        errors.append(_("Feld „%(key)s“ hat eine unbekannte Art.") % where)
    if not str(label).strip():
        errors.append(_("Feld „%(key)s“ hat keine Frage.") % where)
    if kind in {"choice", "multichoice"} and not spec.get("options"):
        errors.append(_("Feld „%(key)s“ braucht Auswahlmöglichkeiten.") % where)
    if pattern := spec.get("pattern"):
        try:
            re.compile(pattern)
        except re.error:
            errors.append(_("Das Muster von „%(key)s“ ist kein gültiger Ausdruck.") % where)
    condition = spec.get("visible_if")
    if condition and (condition.get("field") not in seen or condition.get("field") == key):
        errors.append(
            _("„%(key)s“ hängt von einem Feld ab, das nicht vorher im Formular steht.") % where
        )
    if unknown := set(spec.get("accept") or []) - FILE_KINDS:
        errors.append(
            _("„%(key)s“: nur PDF, JPEG und PNG sind erlaubt, nicht %(kinds)s.")
            % {**where, "kinds": ", ".join(sorted(unknown))}
        )
    if kind == GROUP:
        if in_group:
            errors.append(_("Gruppen können keine Gruppen enthalten („%(key)s“).") % where)
        members = spec.get("fields") or []
        if not members:
            errors.append(_("Die Gruppe „%(key)s“ hat keine Felder.") % where)
        for member in members:
            if member.get("type") == "file":
                errors.append(_("Dateien können nicht in einer Gruppe stehen („%(key)s“).") % where)
            errors += _check_field(member, seen, page, in_group=True)
    return errors


@transaction.atomic
def schema_to_draft(schema: dict[str, Any], draft: FormDraft) -> None:
    """Replace the draft's pages and fields with the (already validated) ``schema``."""
    draft.fields.all().delete()
    draft.pages.all().delete()
    draft.intro = schema.get("intro", "")
    draft.save(update_fields=["intro", "updated_at"])
    for page_position, page in enumerate(schema["pages"]):
        draft_page = DraftPage.objects.create(
            draft=draft, position=page_position, title=page["title"], intro=page.get("intro", "")
        )
        for position, spec in enumerate(page["fields"]):
            group = _create_field(draft, draft_page, position, spec, None)
            for member_position, member in enumerate(spec.get("fields", [])):
                _create_field(draft, draft_page, member_position, member, group)


def _create_field(draft, page, position, spec, group) -> DraftField:
    condition = spec.get("visible_if") or {}
    return DraftField.objects.create(
        draft=draft,
        page=page,
        group=group,
        position=position,
        key=spec["key"],
        type=spec["type"],
        label=spec["label"],
        help_text=spec.get("help", ""),
        required=spec.get("required", False),
        options="\n".join(f"{v}|{label}" for v, label in spec.get("options", [])),
        visible_if_field=condition.get("field", ""),
        visible_if_value=str(condition.get("equals", "")),
        min_value=spec.get("min"),
        max_value=spec.get("max"),
        max_length=spec.get("max_length"),
        pattern=spec.get("pattern", ""),
        pattern_message=spec.get("pattern_message", ""),
        date_rule=spec.get("date_rule", ""),
        max_size_mb=spec.get("max_size_mb"),
        accept=",".join(spec.get("accept", [])),
        max_items=spec.get("max_items"),
        purpose=spec.get("purpose", ""),
    )
