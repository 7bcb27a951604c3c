"""Witnessing: this installation checks another log and co-signs what it checked; other
witnesses' co-signatures on our checkpoints are taken and shown.

A witness promises one thing: it never co-signs two checkpoints of a log that are not
consistent with each other. So it keeps the newest checkpoint it co-signed per log, asks
for the consistency proof from there to the log's new checkpoint, checks it, and only then
signs (C2SP tlog-cosignature, ``cosignature/v1``). A log that rewrote its history, or
shows different trees to different people, cannot get both versions co-signed.
"""

import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from rathaus.core.locking import for_update

from .. import keys
from ..models import Checkpoint, Cosignature, WitnessedLog
from ..note import Checkpoint as CheckpointBody
from ..note import NoteError, Signer, Verifier, open_note
from ..verifier import LogClient, VerificationError, check_consistency, open_signed


@dataclass(frozen=True)
class Witnessed:
    origin: str
    size: int
    previous_size: int
    cosignature: str


def witness(url: str, log_key: str, signer: Signer | None = None) -> Witnessed:
    """Check the log at ``url`` (verifier key ``log_key``) against what we co-signed before,
    co-sign its newest checkpoint and hand the co-signature to the log."""
    verifier = Verifier.from_verifier_key(log_key)
    signer = signer or keys.signer()
    client = LogClient(url)
    text = client.checkpoint()
    new = open_signed(text, verifier)
    with transaction.atomic():
        followed, _created = WitnessedLog.objects.get_or_create(
            url=url.rstrip("/"), defaults={"origin": new.origin, "verifier_key": log_key}
        )
        followed = for_update(WitnessedLog.objects, guard="ledger.witness").get(pk=followed.pk)
        if followed.verifier_key != log_key:
            raise VerificationError(
                "Für dieses Log ist ein anderer Prüfschlüssel hinterlegt. Ein Schlüsselwechsel "
                "muss von Hand geprüft werden (Eintrag im Admin löschen, dann neu beginnen)."
            )
        previous_size = followed.size
        if followed.checkpoint:
            old = open_signed(followed.checkpoint, verifier)
            if old.size == new.size and old.root != new.root:
                raise VerificationError(
                    f"Das Log zeigt für {new.size} Einträge einen anderen Baum als zuvor: Es "
                    "hat seine Geschichte verändert."
                )
            check_consistency(client, verifier, old, new)
        cosignature = signer.cosign(new.body(), int(time.time()))
        followed.size, followed.checkpoint, followed.checked_at = new.size, text, timezone.now()
        followed.save(update_fields=["size", "checkpoint", "checked_at"])
    client.post_cosignature(new.body(), cosignature)
    return Witnessed(new.origin, new.size, previous_size, cosignature)


class CosignatureRejected(ValueError):
    """Why a co-signature was not taken (English: the API says it)."""


class UnknownCheckpoint(CosignatureRejected):
    """The co-signed text is not a checkpoint this log signed."""


def take_cosignature(checkpoint_body: str, line: str) -> Cosignature:
    """Keep a witness's co-signature on one of our checkpoints, if the witness is one the
    city lists (``LEDGER_WITNESS_KEYS``) and the signature checks."""
    try:
        body = CheckpointBody.parse(checkpoint_body)
    except NoteError as error:
        raise UnknownCheckpoint(f"Not a checkpoint: {error}") from error
    ours = Checkpoint.objects.filter(size=body.size, root=body.root).first()
    if ours is None or body.origin != keys.origin():
        raise UnknownCheckpoint("This log never signed that checkpoint.")
    message = body.body() + "\n" + line.strip() + "\n"
    try:
        note = open_note(message, keys.witnesses())
    except NoteError as error:
        raise CosignatureRejected(f"The cosignature does not verify: {error}") from error
    (name,) = note.verified_by
    cosignature, _created = Cosignature.objects.update_or_create(
        checkpoint=ours, witness=name, defaults={"line": line.strip()}
    )
    return cosignature


def cosigned(checkpoint: Checkpoint) -> str:
    """The checkpoint as served: our signed note plus the witnesses' co-signature lines."""
    lines = [c.line + "\n" for c in checkpoint.cosignatures.order_by("witness")]
    return checkpoint.note + "".join(lines)
