"""Keeping the register: save a record, publish a version, compare versions, search.

Public surface for other modules (``__all__``). Every published version is a canonical JSON
document whose SHA-256 goes into the transparency log in the same transaction, so a
version exists publicly exactly when the log holds it. A published record has no unpublished
changes: saving it publishes the next version, with the reason the editor gave.
"""

import difflib
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rathaus import ledger
from rathaus.accounts import policy
from rathaus.core import audit

from .. import procurement
from ..models import Record, Version

__all__ = [
    "EDIT",
    "FIRST_PUBLICATION",
    "TEXT_FIELDS",
    "Change",
    "changes",
    "document",
    "publish",
    "published",
    "save",
    "search",
    "source_links",
]

EDIT = "register.edit"
# The reason of a first version when the editor gave none (register texts are German).
FIRST_PUBLICATION = "Erste Veröffentlichung"
# The long texts of a record, in the order the record page shows them.
TEXT_FIELDS = (
    "purpose",
    "how_it_works",
    "data_used",
    "excluded_data",
    "human_oversight",
    "appeal",
    "risks",
    "mitigations",
    "procurement",
)
# What a version's document holds besides the texts (and what a change list compares).
FACT_FIELDS = ("name", "summary", "office", "contact_email", "phase", "decision_role", "supplier")
LIST_FIELDS = ("code_paths", "test_paths")


def published() -> QuerySet[Record]:
    """Records the public may read: those with a published version."""
    return Record.objects.filter(current__isnull=False).select_related("office", "current")


def search(
    query: str = "", *, office: int | None = None, phase: str = "", role: str = ""
) -> QuerySet[Record]:
    """Published records matching every word of ``query`` in name, summary, purpose, office
    or supplier, optionally of one office, phase or decision role."""
    records = published()
    # Control characters (a NUL breaks PostgreSQL's text) never match a record: dropped.
    query = "".join(char if char.isprintable() else " " for char in query)
    for word in query.split()[:10]:
        records = records.filter(
            Q(name__icontains=word)
            | Q(summary__icontains=word)
            | Q(purpose__icontains=word)
            | Q(office__name__icontains=word)
            | Q(supplier__icontains=word)
        )
    if office:
        records = records.filter(office_id=office)
    if phase:
        records = records.filter(phase=phase)
    if role:
        records = records.filter(decision_role=role)
    return records.order_by("name")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def document(record: Record, *, number: int, reason: str, published_at: Any) -> dict:
    """The public content of ``record`` as version ``number``: what the log commits to."""
    body: dict[str, Any] = {
        "register": f"Algorithmenregister {settings.RATHAUS['CITY_NAME']}",
        "slug": record.slug,
        "version": number,
        "published": published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "reason": reason,
        "office": record.office.name,
        "easy_language": record.easy_language,
    }
    for name in FACT_FIELDS:
        if name != "office":
            body[name] = getattr(record, name)
    for name in TEXT_FIELDS:
        body[name] = getattr(record, name)
    for name in LIST_FIELDS:
        body[name] = _lines(getattr(record, name))
    body["procurement_checklist"] = {
        row["key"]: {"state": row["state"], "evidence": row["evidence"]}
        for row in procurement.rows(record.procurement_checklist or {})
    }
    return body


def canonical(body: dict) -> str:
    """Sorted keys, no spaces, UTF-8: the same content always gives the same hash."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _content(body: dict) -> dict:
    """A document without what changes with every version (number, time, reason)."""
    return {k: v for k, v in body.items() if k not in {"version", "published", "reason"}}


def _require(by: Any, record: Record) -> None:
    """Staff of the responsible office; ``None`` is the system (the demo, an import)."""
    if by is not None and not policy.can(by, EDIT, record.office_id):
        raise PermissionDenied(EDIT)


def save(record: Record, *, by: Any, reason: str = "") -> Version | None:
    """Save ``record`` for ``by``; a published record's change is published at once as its
    next version (``reason`` required). Returns the new version, if one was made."""
    _require(by, record)
    with transaction.atomic():
        # The row stays locked until commit: two editors saving at once get one version each.
        stored = Record.objects.select_for_update().get(pk=record.pk) if record.pk else None
        if stored is not None:
            _require(by, stored)  # moving a record needs both offices
        before = audit.snapshot(stored, _AUDITED) if stored else {}
        record.full_clean()
        record.save()
        audit.record(
            "rathaus.register.record.saved",
            actor=by,
            target=record,
            changes=audit.diff(before, audit.snapshot(record, _AUDITED)),
        )
        if record.current_id is None:
            return None
        return publish(record, by=by, reason=reason)


_AUDITED = (
    *("name", "summary", "office", "phase", "decision_role", "supplier"),
    *(*TEXT_FIELDS, "procurement_checklist"),
)


def publish(record: Record, *, by: Any, reason: str) -> Version | None:
    """Publish the record's present content as its next version and put the version's hash
    into the transparency log; nothing happens when the content equals the current version."""
    _require(by, record)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Bitte geben Sie an, was sich geändert hat und warum.")})
    with transaction.atomic():
        # One writer per record at a time: the version numbers stay a gap-free sequence.
        locked = Record.objects.select_for_update(of=("self",)).select_related("current")
        locked = locked.get(pk=record.pk)
        now = timezone.now()
        number = (locked.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        body = document(record, number=number, reason=reason, published_at=now)
        if locked.current is not None and _content(json.loads(locked.current.document)) == (
            _content(body)
        ):
            return None
        text = canonical(body)
        digest = hashlib.sha256(text.encode()).hexdigest()
        version = Version.objects.create(
            record=record,
            number=number,
            document=text,
            sha256=digest,
            reason=reason,
            published_at=now,
            published_by=by if getattr(by, "is_authenticated", False) else None,
        )
        Record.objects.filter(pk=record.pk).update(current=version)
        record.current = version
        ledger.record(
            "algorithm-register",
            f"algorithmen/{record.slug}/fassung-{number}",
            digest,
            office=record.office.name,
            issued_at=now,
        )
        audit.record(
            "rathaus.register.version.published",
            actor=by,
            target=record,
            data={"version": number, "sha256": digest, "reason": reason},
        )
    return version


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str
    marked: SafeString  # the new text with <del> and <ins> around changed words


_WORDS = re.compile(r"\s+|\S+")


def _marked(old: str, new: str) -> SafeString:
    """Word by word: removed words in ``<del>``, added ones in ``<ins>`` (escaped)."""
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(after[b1:b2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(''.join(before[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(''.join(after[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 – every piece is escaped above


def _shown(value: Any) -> str:
    if isinstance(value, dict):  # the procurement checklist: one line per criterion
        return "\n".join(
            f"{row['question']}: {row['state_label']}"
            + (f" – {row['evidence']}" if row["evidence"] else "")
            for row in procurement.rows(value)
        )
    return "\n".join(value) if isinstance(value, list) else str(value or "")


def changes(older: Version | None, newer: Version) -> list[Change]:
    """What ``newer`` changed against ``older`` (everything, for a first version)."""
    old = json.loads(older.document) if older is not None else {}
    new = json.loads(newer.document)
    labels = _labels()
    result = []
    for name, label in labels.items():
        before, after = _shown(old.get(name)), _shown(new.get(name))
        if before != after:
            result.append(Change(name, label, before, after, _marked(before, after)))
    return result


def _labels() -> dict[str, str]:
    names = (*FACT_FIELDS, "easy_language", *TEXT_FIELDS, "procurement_checklist", *LIST_FIELDS)
    return {name: str(Record._meta.get_field(name).verbose_name) for name in names}


def source_links(record: Record) -> dict[str, list[tuple[str, str]]]:
    """The record's code and test paths with their address in the published source code
    (``SOURCE_URL``; without it the paths stand alone)."""
    base = settings.RATHAUS.get("SOURCE_URL", "").rstrip("/")
    return {
        kind: [(path, f"{base}/{path}" if base else "") for path in _lines(text)]
        for kind, text in (("code", record.code_paths), ("tests", record.test_paths))
    }
