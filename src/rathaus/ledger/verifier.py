"""Check a document against the city's transparency log – without Django or a database.

Anyone can run this (``rathaus verify FILE.pdf|CODE``) or import it: it fetches the
signed checkpoint and the proofs over HTTP (or takes an older checkpoint from a file),
then checks the checkpoint's signature with the log's verifier key, the entry's inclusion
in the signed tree and, given an older checkpoint, that the log only grew since. Nothing
the server says is believed without a check, except which document hash a Bescheid code
stands for (the PDF itself is the stronger evidence).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from . import merkle
from .note import Checkpoint, NoteError, Verifier, open_checkpoint

DEFAULT_URL = "http://127.0.0.1:8000"
USER_AGENT = "rathaus-verify/1"
MAX_ANSWER = 4 * 1024 * 1024


class VerificationError(Exception):
    """The check failed; the message says why, in German, for the person who ran it.
    ``status`` is the HTTP status when the server refused (404: the log has no such thing)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class LogClient:
    """The few HTTP calls a verifier or witness makes to a Rathaus log."""

    def __init__(self, base_url: str, timeout: float = 15.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _open(self, request: urllib.request.Request) -> bytes:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                return answer.read(MAX_ANSWER)
        except urllib.error.HTTPError as error:
            detail = _detail(error.read(MAX_ANSWER))
            raise VerificationError(
                f"{request.full_url}: HTTP {error.code} {detail}".strip(), status=error.code
            ) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise VerificationError(
                f"Der Server {self.base_url} ist nicht erreichbar ({error}). "
                "Stimmt die Adresse (--url)?"
            ) from error

    def _get(self, path: str, params: dict[str, object] | None = None) -> bytes:
        url = self.base_url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        return self._open(urllib.request.Request(url, headers={"User-Agent": USER_AGENT}))  # noqa: S310

    def json(self, path: str, params: dict[str, object] | None = None) -> dict:
        try:
            return json.loads(self._get(path, params))
        except ValueError as error:
            raise VerificationError(f"{path}: keine gültige JSON-Antwort.") from error

    def checkpoint(self) -> str:
        return self._get("/transparenz/log/checkpoint").decode()

    def verifier_key(self) -> str:
        return self._get("/transparenz/log/vkey").decode().strip()

    def inclusion_by_digest(self, sha256: str, size: int | None = None) -> dict:
        params: dict[str, object] = {"sha256": sha256}
        if size is not None:
            params["groesse"] = size
        return self.json("/api/v1/transparenz/nachweis", params)

    def consistency(self, size1: int, size2: int) -> dict:
        return self.json("/api/v1/transparenz/konsistenz", {"von": size1, "bis": size2})

    def decision(self, code: str) -> dict:
        return self.json(f"/api/v1/bescheide/{urllib.parse.quote(code)}")

    def post_cosignature(self, checkpoint: str, cosignature: str) -> dict:
        body = json.dumps({"checkpoint": checkpoint, "cosignature": cosignature}).encode()
        request = urllib.request.Request(  # noqa: S310
            self.base_url + "/api/v1/transparenz/kosignaturen",
            data=body,
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
            method="POST",
        )
        try:
            return json.loads(self._open(request))
        except VerificationError as error:
            raise VerificationError(f"Kosignatur abgelehnt: {error}", error.status) from error


def _detail(body: bytes) -> str:
    try:
        return str(json.loads(body).get("detail", ""))
    except (ValueError, AttributeError):
        return ""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as error:
        raise VerificationError("Ein Hash im Nachweis ist kein gültiges Base64.") from error


@dataclass(frozen=True)
class Verified:
    """A document found in the log, checked."""

    record: dict
    index: int
    checkpoint: Checkpoint
    consistent_with: Checkpoint | None = None


def open_signed(text: str, verifier: Verifier) -> Checkpoint:
    try:
        checkpoint, _note = open_checkpoint(text, verifier.name, [verifier])
    except NoteError as error:
        raise VerificationError(
            f"Die Signatur des Checkpoints ist ungültig oder nicht vom erwarteten Schlüssel "
            f"({error})."
        ) from error
    return checkpoint


def check_inclusion(answer: dict, verifier: Verifier, sha256: str) -> Verified:
    """Check an inclusion answer of the API: signed checkpoint, record about ``sha256``,
    leaf in the tree."""
    checkpoint = open_signed(str(answer.get("checkpoint", "")), verifier)
    record_text = str(answer.get("record", ""))
    try:
        record = json.loads(record_text)
        index = int(answer["index"])
        proof = [unb64(item) for item in answer["proof"]]
    except (ValueError, KeyError, TypeError) as error:
        raise VerificationError("Die Antwort des Servers ist unvollständig.") from error
    if record.get("sha256") != sha256:
        raise VerificationError("Der Logeintrag beschreibt ein anderes Dokument.")
    try:
        merkle.verify_inclusion(
            merkle.leaf_hash(record_text.encode()), index, checkpoint.size, proof, checkpoint.root
        )
    except merkle.ProofError as error:
        raise VerificationError(
            f"Der Nachweis, dass Eintrag Nr. {index} im signierten Log steht, stimmt nicht "
            f"({error})."
        ) from error
    return Verified(record=record, index=index, checkpoint=checkpoint)


def check_consistency(
    client: LogClient, verifier: Verifier, old: Checkpoint, new: Checkpoint
) -> None:
    """The log of ``new`` must contain the log of ``old`` unchanged (no history rewritten)."""
    if old.size > new.size:
        raise VerificationError(
            f"Der ältere Checkpoint ({old.size} Einträge) ist größer als der neue "
            f"({new.size}): Das Log wurde zurückgesetzt."
        )
    answer = client.consistency(old.size, new.size)
    try:
        proof = [unb64(item) for item in answer["proof"]]
    except (KeyError, TypeError) as error:
        raise VerificationError("Die Antwort des Servers ist unvollständig.") from error
    try:
        merkle.verify_consistency(old.size, new.size, proof, old.root, new.root)
    except merkle.ProofError as error:
        raise VerificationError(
            f"Das Log ist nicht mehr dasselbe wie zum älteren Checkpoint: Es wurde "
            f"nachträglich verändert ({error})."
        ) from error


def verify_digest(
    client: LogClient, verifier: Verifier, sha256: str, old_checkpoint: str | None = None
) -> Verified:
    """Is the document with this SHA-256 in the log (and, given an older checkpoint, is the
    log a continuation of it)?"""
    verified = check_inclusion(client.inclusion_by_digest(sha256), verifier, sha256)
    if old_checkpoint is None:
        return verified
    old = open_signed(old_checkpoint, verifier)
    check_consistency(client, verifier, old, verified.checkpoint)
    return Verified(verified.record, verified.index, verified.checkpoint, consistent_with=old)


CODE = re.compile(r"^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}$")


def main(argv: Sequence[str] | None = None) -> int:
    """``rathaus verify FILE.pdf|CODE [--checkpoint OLD] [--url URL] [--vkey KEY]``."""
    parser = argparse.ArgumentParser(
        prog="rathaus verify",
        description="Prüft einen Bescheid gegen das Transparenzlog der Stadt.",
    )
    parser.add_argument("what", metavar="DATEI.pdf|CODE", help="Bescheid als Datei oder Prüfcode")
    parser.add_argument("--checkpoint", metavar="ALT", help="älterer Checkpoint (Datei)")
    parser.add_argument(
        "--url", default=os.environ.get("RATHAUS_URL", DEFAULT_URL), help="Adresse des Rathauses"
    )
    parser.add_argument(
        "--vkey",
        default=os.environ.get("RATHAUS_LOG_VKEY"),
        help="Prüfschlüssel des Logs (sonst vom Server geladen)",
    )
    args = parser.parse_args(argv)
    client = LogClient(args.url)
    try:
        verified = _run(client, args)
    except VerificationError as error:
        print(f"NICHT BESTÄTIGT: {error}", file=sys.stderr)
        return 1
    record, checkpoint = verified.record, verified.checkpoint
    print(
        f"Echt: {record.get('kind')} {record.get('ref')}, ausgestellt am "
        f"{_date(record.get('issued', ''))} von {record.get('office') or 'der Stadt'}."
    )
    print(f"Enthalten im Transparenzlog {checkpoint.origin}, Eintrag Nr. {verified.index}")
    print(f"(signierter Checkpoint mit {checkpoint.size} Einträgen).")
    if verified.consistent_with:
        print(
            f"Das Log setzt den älteren Checkpoint ({verified.consistent_with.size} Einträge) "
            "unverändert fort."
        )
    return 0


def _run(client: LogClient, args: argparse.Namespace) -> Verified:
    vkey = args.vkey
    if not vkey:
        vkey = client.verifier_key()
        print(
            f"Prüfschlüssel vom Server geladen: {vkey}\n"
            "  Vergleichen Sie ihn mit dem veröffentlichten Schlüssel der Stadt, oder geben "
            "Sie ihn mit --vkey an.",
            file=sys.stderr,
        )
    try:
        verifier = Verifier.from_verifier_key(vkey)
    except NoteError as error:
        raise VerificationError(f"Der Prüfschlüssel ist ungültig ({error}).") from error
    old = None
    if args.checkpoint:
        try:
            old = Path(args.checkpoint).read_text()
        except OSError as error:
            raise VerificationError(f"Der ältere Checkpoint ist nicht lesbar ({error}).") from error
    path = Path(args.what)
    if path.is_file():
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        try:
            return verify_digest(client, verifier, sha256, old)
        except VerificationError as error:
            if error.status == 404:
                raise VerificationError(
                    "Diese Datei steht nicht im Transparenzlog: Sie wurde verändert oder ist "
                    "kein Bescheid der Stadt."
                ) from error
            raise
    if not CODE.match(args.what):
        raise VerificationError(f"{args.what} ist weder eine Datei noch ein Prüfcode.")
    decision = client.decision(args.what)
    return verify_digest(client, verifier, str(decision.get("sha256", "")), old)


def _date(issued: str) -> str:
    """2026-11-27T08:00:00Z → 27.11.2026, 09:00 Uhr (German time, as on the Bescheid)."""
    try:
        moment = datetime.fromisoformat(issued.replace("Z", "+00:00"))
    except ValueError:
        return issued
    return moment.astimezone(ZoneInfo("Europe/Berlin")).strftime("%d.%m.%Y, %H:%M Uhr")
