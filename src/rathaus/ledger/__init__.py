"""The transparency log: verifiable administrative records as a Merkle tree (RFC 9162).

Producers call :func:`record` inside their own transaction; the worker's single sequencer
appends what arrived, writes the tiles (C2SP tlog-tiles) and signs a checkpoint (C2SP
tlog-checkpoint). ``merkle``, ``tiles``, ``note`` and ``verifier`` need neither Django nor
a database, so anyone can check the log with them.
"""

from typing import Any


def record(kind: str, reference: str, digest: str, **fields: Any) -> Any:
    """Put a fact into the log's outbox, in the caller's transaction (see ``services.records``).

    The one function other modules call; it imports the models only when used, so that
    importing ``rathaus.ledger`` stays free of Django.
    """
    from .services.records import record as put

    return put(kind, reference, digest, **fields)


def standing(digest: str) -> Any:
    """What the log says about a document hash, checked against the signed checkpoint
    (``services.proofs.Standing``): included with its entry, still waiting, or absent."""
    from .services.proofs import standing as look_up

    return look_up(digest)
