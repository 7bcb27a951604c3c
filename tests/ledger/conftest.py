"""Helpers for the log's tests: facts recorded and sequenced, a stranger's key."""

import hashlib
from datetime import UTC, datetime

import pytest
from django.db import transaction

from rathaus import ledger
from rathaus.ledger import keys
from rathaus.ledger.note import Signer
from rathaus.ledger.services import sequencer


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def put(count: int, prefix: str = "TEST") -> list[str]:
    """Record ``count`` Bescheid facts (committed as producers do) and return their digests."""
    digests = [digest(f"{prefix}-{number}") for number in range(count)]
    with transaction.atomic():
        for number, sha in enumerate(digests):
            ledger.record(
                "bescheid",
                f"{prefix}-2026-{number:06d}",
                sha,
                office="Amt für Einwohnerwesen (Demo)",
                issued_at=datetime(2026, 11, 27, 8, 30, tzinfo=UTC),
            )
    return digests


def put_and_sequence(count: int, prefix: str = "TEST") -> list[str]:
    digests = put(count, prefix)
    sequencer.sequence_all()
    return digests


@pytest.fixture
def stranger() -> Signer:
    """A key with the log's own name that is not the log's key."""
    return Signer.generate(keys.origin())
