"""C2SP signed notes, tlog checkpoints and Ed25519 witness cosignatures.

Byte for byte what golang.org/x/mod/sumdb/note, transparency-dev/formats and the C2SP
specs (c2sp.org/signed-note, tlog-checkpoint, tlog-cosignature) write and read, so Go
verifiers and witnesses check our log and we check theirs. Needs only the standard library
and ``cryptography``; no Django.

Where Go is lenient and the specs allow it, this module is strict: base64 must be canonical,
key IDs lowercase hex, a key may sign a note only once (Go silently drops repeats), and a
checkpoint of size 0 must carry the empty tree's root. Every error is a :class:`NoteError`.
"""

import base64
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "COSIGNATURE_V1",
    "ED25519",
    "EMPTY_ROOT",
    "Checkpoint",
    "Note",
    "NoteError",
    "Signature",
    "Signer",
    "Verifier",
    "open_checkpoint",
    "open_note",
    "parse_note",
    "sign_checkpoint",
]

ED25519 = 0x01
"""Signature type of plain Ed25519 note signatures (c2sp.org/signed-note)."""
COSIGNATURE_V1 = 0x04
"""Signature type of timestamped Ed25519 checkpoint cosignatures (c2sp.org/tlog-cosignature)."""

MAX_SIGNATURES = 100
"""Go's limit; the spec asks for at least 16."""
MAX_NOTE_SIZE = 1 << 20
"""Bytes; room for 100 ML-DSA-44 cosignatures, far less than a denial of service."""
MAX_TIMESTAMP = (1 << 63) - 1
MAX_NAME_SIZE = 255
"""Bytes; transparency-dev/formats refuses longer key names."""
EMPTY_ROOT = hashlib.sha256(b"").digest()
"""RFC 6962 root of the empty tree: a checkpoint of size 0 must carry it (c2sp.org/tlog-witness)."""

_SIGNATURE_PREFIX = "\u2014 "  # em dash, space
_PRIVATE_PREFIX = "PRIVATE+KEY+"
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")
_KEY_ID_HEX = re.compile(r"[0-9a-f]{8}")
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,19}")


class NoteError(ValueError):
    """A note, checkpoint or key that is malformed or whose signature does not verify."""


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64decode(text: str, what: str) -> bytes:
    """Standard base64 with padding, in its one canonical spelling."""
    try:
        data = base64.b64decode(text, validate=True)
    except ValueError:
        raise NoteError(f"{what} is not valid base64") from None
    if _b64encode(data) != text:
        raise NoteError(f"{what} is not canonical base64")
    return data


def _utf8(text: str, what: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise NoteError(f"{what} is not valid UTF-8") from None


def _check_name(name: str) -> None:
    """Key names: non-empty, no Unicode spaces, no plus, no control characters."""
    if not name:
        raise NoteError("key name is empty")
    if "+" in name or any(char.isspace() for char in name) or _CONTROL.search(name):
        raise NoteError(f"key name {name!r} contains a space, a plus or a control character")
    _utf8(name, "key name")


def _check_key_name(name: str) -> None:
    """Names of our own keys and configured keys also fit Go's 255-byte limit."""
    _check_name(name)
    if len(name.encode("utf-8")) > MAX_NAME_SIZE:
        raise NoteError(f"key name is longer than {MAX_NAME_SIZE} bytes")


def _check_line(line: str, what: str) -> None:
    """One non-empty line of note text."""
    if not isinstance(line, str) or not line:
        raise NoteError(f"{what} is empty or not text")
    if "\n" in line or _CONTROL.search(line):
        raise NoteError(f"{what} contains a newline or a control character")
    _utf8(line, what)


def _key_parts(text: str, what: str, layout: str) -> tuple[str, str, bytes]:
    """Name, key ID (hex) and decoded key of ``<name>+<key ID hex>+<base64>``."""
    name, plus, rest = text.partition("+")
    key_id_hex, plus_again, key_b64 = rest.partition("+")
    if not plus or not plus_again:
        raise NoteError(f"a {what} reads {layout}")
    _check_key_name(name)
    if not _KEY_ID_HEX.fullmatch(key_id_hex):
        raise NoteError(f"the key ID of a {what} is 8 lowercase hex digits")
    return name, key_id_hex, _b64decode(key_b64, what)


def _key_id(name: str, typed_key: bytes) -> bytes:
    """SHA-256(name || 0x0A || type || public key)[:4], as signed-note recommends and Go does."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + typed_key).digest()[:4]


def _cosigned_message(timestamp: int, text: str) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + text.encode("utf-8")


def _signature_line(name: str, key_id: bytes, raw: bytes) -> str:
    return f"{_SIGNATURE_PREFIX}{name} {_b64encode(key_id + raw)}\n"


@dataclass(frozen=True)
class Signature:
    """One signature line of a note; ``raw`` is everything after the 4-byte key ID.

    Whether it is a cosignature is known only once a configured key has verified it.
    """

    name: str
    key_id: bytes
    raw: bytes
    verified: bool = False
    cosignature: bool = False

    @property
    def timestamp(self) -> int | None:
        """The cosigner's POSIX time, for a verified cosignature; else None."""
        return int.from_bytes(self.raw[:8], "big") if self.cosignature else None

    def line(self) -> str:
        """The signature line as it stands in a note, newline included."""
        return _signature_line(self.name, self.key_id, self.raw)


@dataclass(frozen=True)
class Note:
    """A note's text (ending in a newline) and its signatures in order of appearance.

    ``verified_by`` names the configured keys whose signatures verified (empty from
    :func:`parse_note`, which checks no signature).
    """

    text: str
    signatures: list[Signature]
    verified_by: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Verifier:
    """A public key that checks notes (type 0x01) or checkpoint cosignatures (type 0x04)."""

    name: str
    key_id: bytes = field(init=False)
    public_key: bytes
    signature_type: int = ED25519

    def __post_init__(self) -> None:
        _check_key_name(self.name)
        if self.signature_type not in (ED25519, COSIGNATURE_V1):
            raise NoteError(f"unsupported signature type 0x{self.signature_type:02x}")
        if not isinstance(self.public_key, bytes) or len(self.public_key) != 32:
            raise NoteError("an Ed25519 public key has 32 bytes")
        typed_key = bytes([self.signature_type]) + self.public_key
        object.__setattr__(self, "key_id", _key_id(self.name, typed_key))

    @classmethod
    def from_verifier_key(cls, vkey: str) -> "Verifier":
        """Read ``<name>+<key ID hex>+<base64(type || public key)>`` (a vkey)."""
        name, key_id_hex, typed_key = _key_parts(vkey, "verifier key", "<name>+<key ID>+<key>")
        if not typed_key:
            raise NoteError("verifier key is empty")
        verifier = cls(name, typed_key[1:], typed_key[0])
        if verifier.key_id.hex() != key_id_hex:
            raise NoteError("the verifier key's key ID does not match its name and key")
        return verifier

    def verifier_key(self) -> str:
        """This key as a vkey, the form witnesses and clients are configured with."""
        typed_key = bytes([self.signature_type]) + self.public_key
        return f"{self.name}+{self.key_id.hex()}+{_b64encode(typed_key)}"

    def _verify(self, text: str, raw: bytes) -> bool:
        if self.signature_type == COSIGNATURE_V1:
            if len(raw) != 8 + 64:
                return False
            timestamp = int.from_bytes(raw[:8], "big")
            if timestamp > MAX_TIMESTAMP:
                return False
            message, raw = _cosigned_message(timestamp, text), raw[8:]
        else:
            if len(raw) != 64:
                return False
            message = text.encode("utf-8")
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(raw, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """An Ed25519 signing key with its name: signs notes as a log, cosigns as a witness.

    The seed is kept out of ``repr`` so that logging a signer does not leak it.
    """

    name: str
    key_id: bytes = field(init=False)
    seed: bytes = field(repr=False)

    def __post_init__(self) -> None:
        _check_key_name(self.name)
        if not isinstance(self.seed, bytes) or len(self.seed) != 32:
            raise NoteError("an Ed25519 seed has 32 bytes")
        object.__setattr__(self, "key_id", self.verifier().key_id)

    @classmethod
    def generate(cls, name: str) -> "Signer":
        """A new random key for ``name``."""
        return cls(name, Ed25519PrivateKey.generate().private_bytes_raw())

    @classmethod
    def from_private_key(cls, text: str) -> "Signer":
        """Read Go's ``PRIVATE+KEY+<name>+<key ID hex>+<base64(0x01 || seed)>``.

        Error messages never repeat the key.
        """
        if not text.startswith(_PRIVATE_PREFIX):
            raise NoteError("a private key starts with PRIVATE+KEY+")
        name, key_id_hex, typed_seed = _key_parts(
            text.removeprefix(_PRIVATE_PREFIX), "private key", "PRIVATE+KEY+<name>+<key ID>+<key>"
        )
        if len(typed_seed) != 33 or typed_seed[0] != ED25519:
            raise NoteError("a private key holds the type 0x01 and a 32-byte Ed25519 seed")
        signer = cls(name, typed_seed[1:])
        if signer.key_id.hex() != key_id_hex:
            raise NoteError("the private key's key ID does not match its name and key")
        return signer

    def private_key(self) -> str:
        """This key in Go's format, readable by ``note.NewSigner``; keep it secret."""
        typed_seed = _b64encode(bytes([ED25519]) + self.seed)
        return f"{_PRIVATE_PREFIX}{self.name}+{self.key_id.hex()}+{typed_seed}"

    def _private(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    def _public_key(self) -> bytes:
        return self._private().public_key().public_bytes_raw()

    def verifier(self) -> Verifier:
        """The key that checks this signer's notes."""
        return Verifier(self.name, self._public_key(), ED25519)

    def verifier_key(self) -> str:
        """The vkey that clients and witnesses are given to check this signer's notes."""
        return self.verifier().verifier_key()

    def cosigner_key(self) -> str:
        """The vkey (type 0x04) that checks this signer's cosignatures: a witness's public key."""
        return Verifier(self.name, self._public_key(), COSIGNATURE_V1).verifier_key()

    def sign(self, text: str) -> str:
        """The signed note: ``text``, a blank line, this key's signature line."""
        signature = self._private().sign(_check_text(text))
        note = text + "\n" + _signature_line(self.name, self.key_id, signature)
        if len(note.encode("utf-8")) > MAX_NOTE_SIZE:
            raise NoteError(f"note is larger than {MAX_NOTE_SIZE} bytes")
        return note

    def cosign(self, checkpoint_text: str, timestamp: int) -> str:
        """One cosignature/v1 line (newline included) on a checkpoint body, as a witness.

        Append it to the log's signed checkpoint, or return it from add-checkpoint.
        ``timestamp`` is the POSIX time the witness vouches for.
        """
        Checkpoint.parse(checkpoint_text)
        if type(timestamp) is not int or not 0 <= timestamp <= MAX_TIMESTAMP:
            raise NoteError("a cosignature timestamp is an integer from 0 to 2^63 - 1")
        key_id = Verifier(self.name, self._public_key(), COSIGNATURE_V1).key_id
        signature = self._private().sign(_cosigned_message(timestamp, checkpoint_text))
        return _signature_line(self.name, key_id, timestamp.to_bytes(8, "big") + signature)


def _check_text(text: str) -> bytes:
    """Note text, as UTF-8: ends with a newline, no control characters but newlines."""
    if not isinstance(text, str) or not text.endswith("\n"):
        raise NoteError("note text does not end with a newline")
    if _CONTROL.search(text):
        raise NoteError("note text contains a control character")
    return _utf8(text, "note text")


def _parse_signature(line: str) -> Signature:
    if not line.startswith(_SIGNATURE_PREFIX):
        raise NoteError(f"signature line does not start with an em dash and a space: {line[:40]!r}")
    name, space, encoded = line.removeprefix(_SIGNATURE_PREFIX).partition(" ")
    if not space or not encoded:
        raise NoteError(f"signature line has no signature: {line[:40]!r}")
    _check_name(name)
    raw = _b64decode(encoded, "signature")
    if len(raw) < 5:
        raise NoteError(f"signature of {name} is too short")
    return Signature(name, raw[:4], raw[4:])


def parse_note(message: str | bytes) -> Note:
    """Split a signed note into text and signatures, checking the format but no signature."""
    data = message.encode("utf-8", "surrogatepass") if isinstance(message, str) else message
    if len(data) > MAX_NOTE_SIZE:
        raise NoteError(f"note is larger than {MAX_NOTE_SIZE} bytes")
    try:
        note = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NoteError("note is not valid UTF-8") from None
    if _CONTROL.search(note):
        raise NoteError("note contains a control character other than newline")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("note has no blank line between text and signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block:
        raise NoteError("note has no signature")
    if not block.endswith("\n"):
        raise NoteError("note does not end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"note has more than {MAX_SIGNATURES} signatures")
    signatures: list[Signature] = []
    seen: set[tuple[str, bytes]] = set()
    for line in lines:
        signature = _parse_signature(line)
        key = (signature.name, signature.key_id)
        if key in seen:
            raise NoteError(f"note has two signatures of key {_key_label(*key)}")
        seen.add(key)
        signatures.append(signature)
    return Note(text, signatures)


def _key_label(name: str, key_id: bytes) -> str:
    return f"{name}+{key_id.hex()}"


def open_note(message: str | bytes, verifiers: Sequence[Verifier]) -> Note:
    """Parse a note and check its signatures against the configured keys.

    Signatures of unknown keys (by name and key ID) are kept unverified. A known key's
    signature that fails rejects the whole note, and so does a note no known key signed.
    """
    note = parse_note(message)
    known: dict[tuple[str, bytes], Verifier] = {}
    for verifier in verifiers:
        key = (verifier.name, verifier.key_id)
        if known.setdefault(key, verifier) != verifier:
            raise NoteError(f"two configured keys share the name and key ID {_key_label(*key)}")
    signatures: list[Signature] = []
    verified_by: list[str] = []
    for signature in note.signatures:
        verifier = known.get((signature.name, signature.key_id))
        if verifier is None:
            signatures.append(signature)
            continue
        if not verifier._verify(note.text, signature.raw):
            raise NoteError(
                f"invalid signature of key {_key_label(signature.name, signature.key_id)}"
            )
        cosignature = verifier.signature_type == COSIGNATURE_V1
        signatures.append(replace(signature, verified=True, cosignature=cosignature))
        if verifier.name not in verified_by:
            verified_by.append(verifier.name)
    if not verified_by:
        raise NoteError("note has no valid signature of a known key")
    return Note(note.text, signatures, verified_by)


@dataclass(frozen=True)
class Checkpoint:
    """A tlog checkpoint: the log's origin, tree size and RFC 6962 root hash."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_line(self.origin, "checkpoint origin")
        if type(self.size) is not int or not 0 <= self.size < 1 << 64:
            raise NoteError("checkpoint size is an integer from 0 to 2^64 - 1")
        if not isinstance(self.root, bytes) or len(self.root) != 32:
            raise NoteError("checkpoint root hash is not 32 bytes")
        if self.size == 0 and self.root != EMPTY_ROOT:
            raise NoteError("checkpoint of size 0 does not carry the empty tree's root hash")
        object.__setattr__(self, "extensions", tuple(self.extensions))
        for extension in self.extensions:
            _check_line(extension, "checkpoint extension line")

    def body(self) -> str:
        """The note text: origin, size, base64 root and extensions, one line each."""
        lines = [self.origin, str(self.size), _b64encode(self.root), *self.extensions]
        return "".join(line + "\n" for line in lines)

    @classmethod
    def parse(cls, body: str) -> "Checkpoint":
        """Read a checkpoint body strictly: decimal size without sign or leading zeros."""
        if not isinstance(body, str) or not body.endswith("\n"):
            raise NoteError("checkpoint does not end with a newline")
        lines = body[:-1].split("\n")
        if len(lines) < 3:
            raise NoteError("checkpoint has fewer than three lines")
        origin, size, root, *extensions = lines
        if not _DECIMAL.fullmatch(size):
            raise NoteError(f"checkpoint size {size[:30]!r} is not a decimal without leading zeros")
        return cls(origin, int(size), _b64decode(root, "checkpoint root hash"), tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer) -> str:
    """The checkpoint as a note signed by the log's key."""
    return signer.sign(checkpoint.body())


def open_checkpoint(
    message: str | bytes, origin: str, verifiers: Sequence[Verifier]
) -> tuple[Checkpoint, Note]:
    """Verify a signed checkpoint of the log ``origin``.

    Pass the log's keys (and, if wanted, witness keys): at least one must have signed; the
    note's ``verified_by`` tells which did, e.g. to count witnesses.
    """
    note = open_note(message, verifiers)
    checkpoint = Checkpoint.parse(note.text)
    if checkpoint.origin != origin:
        raise NoteError(f"checkpoint is of the log {checkpoint.origin!r}, not {origin!r}")
    return checkpoint, note
