"""The audit trail: ``record()`` is what service functions call after they changed something.

Entries are appended, never updated; action names are dotted
(``rathaus.catalog.service.changed``) so they can be filtered by module.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from .models import AuditEntry

__all__ = ["diff", "history", "record", "snapshot"]


def _plain(value: Any) -> Any:
    """Turn a field value into something JSON can hold and a person can read."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):  # a stored file: its name (the bytes have a checksum)
        return value.name or None
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields``, ready to be compared with ``diff``."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def record(
    action: str,
    *,
    actor: Any = None,
    target: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` is a user or ``None`` for the system; the entry names the
    actor by ``audit_label`` (a pseudonym for residents), never by e-mail address."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        action=action,
        actor=actor if is_user else None,
        actor_label=(
            (getattr(actor, "audit_label", None) or actor.get_username()) if is_user else "System"
        )[:150],
        object_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        changes=dict(changes or {}),
        data=dict(data or {}),
    )


def history(target: models.Model) -> models.QuerySet[AuditEntry]:
    """Every entry about ``target``, newest first."""
    return AuditEntry.objects.filter(
        object_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("actor")
