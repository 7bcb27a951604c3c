"""The log's signing key and the keys that verify it.

The key comes from ``LEDGER_SIGNING_KEY`` or the file ``LEDGER_SIGNING_KEY_FILE`` – never
from the database, so a copy of the database cannot sign. Without either, the embedded
demo generates one into ``var/ledger.key`` (like ``SECRET_KEY``); ``rathaus check`` warns
about that in production. Rotation: ``rathaus ledger keygen`` makes a new key; the old
key's verifier key goes into ``LEDGER_PREVIOUS_KEYS`` so older checkpoints stay checkable.
"""

import os
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from .note import Signer, Verifier

GENERATED_KEY = "ledger.key"


def origin() -> str:
    """The log's name: ``LEDGER_ORIGIN``, else the public host with ``/transparenz/log``."""
    if settings.LEDGER_ORIGIN:
        return settings.LEDGER_ORIGIN
    return urlsplit(settings.RATHAUS["PUBLIC_URL"]).netloc + "/transparenz/log"


def key_source() -> str:
    """Where the signing key is read from, for ``rathaus check`` and the operator docs."""
    if settings.LEDGER_SIGNING_KEY:
        return "LEDGER_SIGNING_KEY"
    if settings.LEDGER_SIGNING_KEY_FILE:
        return settings.LEDGER_SIGNING_KEY_FILE
    return str(settings.VAR_DIR / GENERATED_KEY)


@cache
def signer() -> Signer:
    if settings.LEDGER_SIGNING_KEY:
        return Signer.from_private_key(settings.LEDGER_SIGNING_KEY.strip())
    if settings.LEDGER_SIGNING_KEY_FILE:
        return Signer.from_private_key(Path(settings.LEDGER_SIGNING_KEY_FILE).read_text().strip())
    path = settings.VAR_DIR / GENERATED_KEY
    if not path.exists():
        _create_once(path, Signer.generate(origin()).private_key() + "\n")
    return Signer.from_private_key(path.read_text().strip())


def _create_once(path: Path, text: str) -> None:
    """Write the file complete and only if it is still missing: several processes starting
    at once (test workers, gunicorn) all end up with the one key that won."""
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    draft.write_text(text)
    draft.chmod(0o600)
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def verifiers() -> list[Verifier]:
    """The current key and every rotated-out one: each checkpoint ever signed verifies."""
    return [
        signer().verifier(),
        *(Verifier.from_verifier_key(key) for key in settings.LEDGER_PREVIOUS_KEYS),
    ]


def witnesses() -> list[Verifier]:
    return [Verifier.from_verifier_key(key) for key in settings.LEDGER_WITNESS_KEYS]


def check() -> tuple[str, str]:
    """For ``rathaus check``: the key loads, is named after the log, and is not a demo key
    lying in the data folder of a production server."""
    from rathaus.core.management.commands.selfcheck import FAIL, OK, WARN

    try:
        name = signer().name
    except (OSError, ValueError) as error:
        return FAIL, f"Signaturschlüssel nicht lesbar ({error}): rathaus ledger keygen"
    if name != origin():
        return WARN, f"der Schlüssel heißt {name}, das Log {origin()}: LEDGER_ORIGIN prüfen"
    if not settings.LEDGER_SIGNING_KEY and not settings.LEDGER_SIGNING_KEY_FILE:
        return WARN, f"aus {key_source()} erzeugt; LEDGER_SIGNING_KEY_FILE setzen (docs/ledger.md)"
    return OK, f"aus {key_source()}"
