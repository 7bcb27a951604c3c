"""Writing the catalogue: every change is indexed for search and written to the audit trail.

The back office (Django admin under /verwaltung/) saves the rows; these functions
do what must follow in the same transaction. ``snapshot`` is taken before a change
so the audit entry says exactly which field went from what to what.
"""

from typing import Any

from django.db import models, transaction

from rathaus.core import audit

from . import search
from .models import LifeSituation, Service, SynonymGroup

__all__ = ["catalogue_changed", "catalogue_deleted", "snapshot"]

_NOT_AUDITED = {"updated_at", "vector"}


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The readable state of a catalogue object, including its inline rows."""
    if obj.pk is None:
        return {}
    fields = [
        f.name
        for f in obj._meta.concrete_fields
        if not f.primary_key and f.name not in _NOT_AUDITED
    ]
    data = audit.snapshot(obj, fields)
    if isinstance(obj, Service):
        data["channels"] = [f"{c.get_kind_display()}: {c.label}" for c in obj.channels.all()]
        data["life_situations"] = sorted(str(ls) for ls in obj.life_situations.all())
    return data


def _action(obj: models.Model, verb: str) -> str:
    return f"rathaus.catalog.{obj._meta.model_name}.{verb}"


def catalogue_changed(obj: models.Model, *, by: Any, before: dict[str, Any]) -> None:
    """Record a created or changed catalogue object and refresh what depends on it."""
    with transaction.atomic():
        after = snapshot(obj)
        changes = audit.diff(before, after)
        if before and not changes:
            return
        if isinstance(obj, Service):
            search.reindex([obj])
        elif isinstance(obj, SynonymGroup | LifeSituation):
            search.invalidate()
        audit.record(
            _action(obj, "changed" if before else "created"), actor=by, target=obj, changes=changes
        )


def catalogue_deleted(obj: models.Model, *, by: Any) -> None:
    """Delete a catalogue object; its search entry goes with it (cascade and trigger)."""
    with transaction.atomic():
        audit.record(_action(obj, "deleted"), actor=by, target=obj, changes={})
        obj.delete()
    search.invalidate()
