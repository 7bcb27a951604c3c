"""JSON API of the transparency log: inclusion proofs (by entry or by document hash),
consistency proofs between signed tree sizes, and witnesses' co-signatures.

Hashes are standard base64, as in the checkpoint; every proof comes with the signed
checkpoint it belongs to, so a client checks signature and proof from one answer.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from rathaus.core.api import ErrorOut

from .services import proofs, witness
from .services.records import MAX_REFERENCE
from .verifier import b64

router = Router(tags=["Transparenzlog"])

SHA256_PATTERN = r"^[0-9a-fA-F]{64}$"
EXAMPLE_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
MAX_SIZE = 2**53


class InclusionOut(Schema):
    index: int = Field(description="The entry's place in the log (0-based leaf index).")
    record: str = Field(description="The entry: canonical JSON, exactly the bytes hashed.")
    leaf_hash: str = Field(description="SHA-256(0x00 ‖ record), base64.")
    tree_size: int
    root_hash: str = Field(description="Root of the tree of tree_size leaves, base64.")
    proof: list[str] = Field(description="RFC 9162 inclusion proof, base64 hashes.")
    checkpoint: str = Field(description="The signed checkpoint (C2SP signed note).")


class ConsistencyOut(Schema):
    size1: int
    size2: int
    checkpoint1: str
    checkpoint2: str
    proof: list[str] = Field(description="RFC 9162 consistency proof, base64 hashes.")


class SizeParam(Schema):
    groesse: int | None = Field(
        None, ge=0, le=MAX_SIZE, description="Tree size of a signed checkpoint; latest if left out."
    )


class DigestParams(SizeParam):
    sha256: str = Field(
        ...,
        pattern=SHA256_PATTERN,
        description="SHA-256 of the document, hex.",
        json_schema_extra={"example": EXAMPLE_SHA256},
    )


class ConsistencyParams(Schema):
    von: int = Field(..., ge=0, le=MAX_SIZE, description="The older signed tree size.")
    bis: int | None = Field(
        None, ge=0, le=MAX_SIZE, description="The newer signed tree size; latest if left out."
    )


class CosignatureIn(Schema):
    checkpoint: str = Field(
        ..., max_length=1000, description="The checkpoint body the witness signed."
    )
    cosignature: str = Field(
        ..., max_length=MAX_REFERENCE + 200, description="The signature line (tlog-cosignature)."
    )


class CosignatureOut(Schema):
    witness: str
    tree_size: int


@contextmanager
def _or_404() -> Iterator[None]:
    """What the log does not have (entry, checkpoint, size) is a 404 with the reason."""
    try:
        yield
    except proofs.ProofUnavailable as missing:
        raise HttpError(404, str(missing)) from missing


def _inclusion(found: proofs.Inclusion) -> dict:
    return {
        "index": found.entry.index,
        "record": found.entry.record,
        "leaf_hash": b64(found.leaf_hash),
        "tree_size": found.checkpoint.size,
        "root_hash": b64(bytes(found.checkpoint.root)),
        "proof": [b64(item) for item in found.proof],
        "checkpoint": found.checkpoint.note,
    }


@router.get(
    "/transparenz/eintraege/{index}",
    response={200: InclusionOut, 404: ErrorOut},
    summary="An entry with its inclusion proof",
)
def entry(request: HttpRequest, index: int, params: Query[SizeParam]) -> dict:
    """The entry at ``index`` and the proof that it is in the signed tree (the latest, or
    the checkpoint of ``groesse`` leaves). 404 when either does not exist."""
    if index < 0 or index > MAX_SIZE:
        raise HttpError(404, "There is no such entry.")
    with _or_404():
        return _inclusion(proofs.by_index(index, params.groesse))


@router.get(
    "/transparenz/nachweis",
    response={200: InclusionOut, 404: ErrorOut},
    summary="Inclusion proof for a document hash",
)
def by_digest(request: HttpRequest, params: Query[DigestParams]) -> dict:
    """The first entry that records the document with this SHA-256, with its inclusion
    proof. 404 when no entry does (the document was changed, or is not the city's)."""
    with _or_404():
        return _inclusion(proofs.by_digest(params.sha256, params.groesse))


@router.get(
    "/transparenz/konsistenz",
    response={200: ConsistencyOut, 404: ErrorOut},
    summary="Consistency proof between two signed tree sizes",
)
def consistency(request: HttpRequest, params: Query[ConsistencyParams]) -> dict:
    """Proof that the signed tree of ``von`` leaves is a prefix of the one of ``bis``
    (or the latest): nothing written before was changed. 404 for sizes never signed."""
    with _or_404():
        old, new, proof = proofs.consistency(params.von, params.bis)
    return {
        "size1": old.size,
        "size2": new.size,
        "checkpoint1": old.note,
        "checkpoint2": new.note,
        "proof": [b64(item) for item in proof],
    }


@router.post(
    "/transparenz/kosignaturen",
    response={201: CosignatureOut, 403: ErrorOut, 404: ErrorOut},
    summary="Hand in a witness's co-signature",
)
def cosign(request: HttpRequest, body: CosignatureIn) -> Status:
    """A witness the city lists co-signed one of this log's checkpoints (C2SP
    tlog-cosignature). 404 when the checkpoint is not one this log signed; 403 when the
    co-signature does not verify with the key of a witness the city lists."""
    try:
        taken = witness.take_cosignature(body.checkpoint, body.cosignature)
    except witness.UnknownCheckpoint as unknown:
        raise HttpError(404, str(unknown)) from unknown
    except witness.CosignatureRejected as rejected:
        raise HttpError(403, str(rejected)) from rejected
    return Status(201, {"witness": taken.witness, "tree_size": taken.checkpoint.size})
