"""What goes into the log: one canonical, versioned JSON record per fact.

A record names the kind of fact, its public reference (an Aktenzeichen, a data set
release), the SHA-256 of the document or data, the issuing office and the time – and
nothing else, so no personal data can reach a log that is public and append-only by
design. The JSON is canonical (sorted keys, no spaces, UTF-8) so the same fact always
gives the same leaf hash, in any language that re-serialises it.

``record`` writes to the outbox in the producer's transaction: the fact is logged exactly
when the producer's change commits, and never when it rolls back.
"""

import json
import re
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import KINDS, Pending

VERSION = 1
MAX_REFERENCE = 200
MAX_OFFICE = 200
HEX_SHA256 = re.compile(r"[0-9a-f]{64}")


class RecordError(ValueError):
    """A producer passed something the log must not take (a programming error)."""


def canonical(kind: str, reference: str, digest: str, *, office: str, issued_at: datetime) -> str:
    """The record's canonical JSON text (version 1)."""
    if kind not in KINDS:
        raise RecordError(f"unknown record kind {kind!r}; known: {', '.join(KINDS)}")
    if not HEX_SHA256.fullmatch(digest):
        raise RecordError("digest must be a SHA-256 in lower-case hex (64 characters)")
    if not reference or len(reference) > MAX_REFERENCE or not reference.isprintable():
        raise RecordError(f"reference must be 1–{MAX_REFERENCE} printable characters")
    if len(office) > MAX_OFFICE or not office.isprintable():
        raise RecordError(f"office must be at most {MAX_OFFICE} printable characters")
    issued = issued_at.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = {
        "v": VERSION,
        "kind": kind,
        "ref": reference,
        "sha256": digest,
        "office": office,
        "issued": issued,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def parse(text: str) -> dict[str, Any]:
    """A stored record back as a dict (for pages and the audit)."""
    return json.loads(text)


def record(
    kind: str,
    reference: str,
    digest: str,
    *,
    office: str = "",
    issued_at: datetime | None = None,
) -> Pending:
    """Put a fact into the outbox inside the caller's transaction; after the commit the
    worker is asked to sequence it (and at the latest its every-minute run does)."""
    from ..tasks import sequence_soon

    text = canonical(kind, reference, digest, office=office, issued_at=issued_at or timezone.now())
    pending = Pending.objects.create(record=text, kind=kind, reference=reference, sha256=digest)
    transaction.on_commit(sequence_soon)
    return pending
