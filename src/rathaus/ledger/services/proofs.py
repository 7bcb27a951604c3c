"""Proofs against signed checkpoints, for the API, the pages and the producers' pages.

A proof is only useful against a root someone signed, so every proof here is relative
to a stored checkpoint: the latest, or the one of the tree size asked for.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from .. import keys, merkle, tiles
from ..models import Checkpoint, Entry, Pending
from ..note import open_checkpoint
from .records import parse
from .sequencer import DatabaseTiles

logger = logging.getLogger(__name__)


class ProofUnavailable(LookupError):
    """No such entry, checkpoint or pair of sizes; the message says which (in English)."""


@dataclass(frozen=True)
class Inclusion:
    entry: Entry
    checkpoint: Checkpoint
    proof: list[bytes]

    @property
    def leaf_hash(self) -> bytes:
        return merkle.leaf_hash(self.entry.record.encode())


@dataclass(frozen=True)
class Standing:
    """What the log says about a document hash, checked here the way a verifier would."""

    inclusion: Inclusion | None
    pending: bool
    intact: bool = True

    @property
    def record(self) -> dict:
        return parse(self.inclusion.entry.record) if self.inclusion else {}

    @property
    def issued_at(self) -> datetime | None:
        issued = self.record.get("issued")
        return datetime.fromisoformat(issued.replace("Z", "+00:00")) if issued else None


def checkpoint(size: int | None = None) -> Checkpoint:
    """The latest checkpoint, or the newest one signed for exactly ``size`` leaves."""
    found = Checkpoint.objects.filter(size=size) if size is not None else Checkpoint.objects
    latest = found.first()
    if latest is None:
        raise ProofUnavailable(
            "No checkpoint has been signed yet."
            if size is None
            else f"No checkpoint was signed for tree size {size}."
        )
    return latest


def inclusion(entry: Entry, size: int | None = None) -> Inclusion:
    signed = checkpoint(size)
    if entry.index >= signed.size:
        raise ProofUnavailable(f"Entry {entry.index} is not in the tree of size {signed.size}.")
    proof = merkle.inclusion_proof(
        entry.index, signed.size, tiles.node_reader(DatabaseTiles(), signed.size)
    )
    return Inclusion(entry=entry, checkpoint=signed, proof=proof)


def by_index(index: int, size: int | None = None) -> Inclusion:
    entry = Entry.objects.filter(index=index).first()
    if entry is None:
        raise ProofUnavailable(f"There is no entry {index}.")
    return inclusion(entry, size)


def by_digest(sha256: str, size: int | None = None) -> Inclusion:
    entry = Entry.objects.filter(sha256=sha256.lower()).order_by("index").first()
    if entry is None:
        raise ProofUnavailable("No entry records this SHA-256.")
    return inclusion(entry, size)


def consistency(size1: int, size2: int | None = None) -> tuple[Checkpoint, Checkpoint, list]:
    """The proof that the tree of ``size1`` leaves is a prefix of the (signed) one of
    ``size2`` – or of the latest tree."""
    old, new = checkpoint(size1), checkpoint(size2)
    if old.size > new.size:
        raise ProofUnavailable(f"Tree size {size1} is larger than {new.size}.")
    proof = merkle.consistency_proof(
        old.size, new.size, tiles.node_reader(DatabaseTiles(), new.size)
    )
    return old, new, proof


def standing(sha256: str) -> Standing:
    """Is a document with this hash in the log – checked against our own signed checkpoint
    and the inclusion proof, not just looked up – or still waiting for the sequencer?"""
    try:
        found = by_digest(sha256)
    except ProofUnavailable:
        return Standing(None, pending=Pending.objects.filter(sha256=sha256).exists())
    try:
        signed, _note = open_checkpoint(found.checkpoint.note, keys.origin(), keys.verifiers())
        merkle.verify_inclusion(
            found.leaf_hash, found.entry.index, signed.size, found.proof, signed.root
        )
    except ValueError:
        logger.error("ledger entry %s does not verify; run `rathaus ledger audit`", found.entry)
        return Standing(found, pending=False, intact=False)
    return Standing(found, pending=False)
