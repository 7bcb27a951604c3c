"""Helpers for the demo loaders of every module (``rathaus demo``).

Loaders are idempotent: rows are matched on a natural key and updated, so
running ``rathaus demo`` twice changes nothing.
"""

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)

__all__ = ["copy_suffix", "read_json", "replace_children", "upsert"]


def read_json(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text(encoding="utf-8"))


def copy_suffix(copy: int) -> tuple[str, str]:
    """Slug and title suffix of the n-th copy at ``--scale``; the original (copy 1) has none."""
    return ("", "") if copy == 1 else (f"-{copy}", f" {copy}")


def upsert(model: type[M], key: str, rows: list[dict[str, Any]]) -> dict[Any, M]:
    """Create or update ``rows`` matched on ``key``; returns the objects by key."""
    keys = [row[key] for row in rows]
    existing = model.objects.in_bulk(keys, field_name=key)
    fresh = [model(**row) for row in rows if row[key] not in existing]
    changed = []
    for row in rows:
        if obj := existing.get(row[key]):
            for name, value in row.items():
                setattr(obj, name, value)
            changed.append(obj)
    model.objects.bulk_create(fresh, batch_size=500)
    fields = [name for name in rows[0] if name != key] if rows else []
    if changed and fields:
        model.objects.bulk_update(changed, fields, batch_size=500)
    return model.objects.in_bulk(keys, field_name=key)


def replace_children(
    model: type[models.Model],
    parent_field: str,
    parents: Iterable[models.Model],
    build: Callable[[models.Model], list[models.Model]],
) -> None:
    """Replace the child rows of ``parents`` with what ``build(parent)`` returns."""
    parents = list(parents)
    model.objects.filter(**{f"{parent_field}__in": parents}).delete()
    model.objects.bulk_create([child for parent in parents for child in build(parent)], 1000)
