"""Checking uploaded files: name, size, real type (by content, not by name) and viruses.

The name a browser sends is not trusted: a file is a PDF because pypdf can open it,
an image because Pillow can (within a pixel limit, so a small file cannot unpack into
gigabytes). The name itself may not hide control characters, such as the bidi
override U+202E that shows ``rechnung<U+202E>fdp.exe`` as ``rechnungexe.pdf``. With
``CLAMAV_SOCKET`` set, every upload is also sent to clamd (INSTREAM).

Keeping an upload (:func:`save_with_file`) writes the file first and its row second, so
there is never a row without its file; a disk that is full or read-only becomes a German
form error, and a file whose row is not committed is deleted again
(:func:`atomic_with_files`), so there is no file without its row either.
"""

import logging
import socket
import struct
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PasswordType, PdfReader

__all__ = [
    "MAX_IMAGE_PIXELS",
    "ScanError",
    "atomic_with_files",
    "check_name",
    "check_upload",
    "save_with_file",
    "scan",
    "sniff",
]

logger = logging.getLogger(__name__)

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
DEFAULT_KINDS = ("pdf", "jpeg", "png")
CHUNK = 64 * 1024
# A photo of a document needs far less; 40 megapixels are 160 MB once decoded.
MAX_IMAGE_PIXELS = 40_000_000
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG"}
# Unicode categories a file name may not contain: controls (Cc), format characters (Cf:
# the bidi marks, embeddings, overrides and isolates U+200E/F, U+202A–E, U+2066–9, zero-width
# characters) and lone surrogates (Cs).
HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs"}


def sniff(head: bytes) -> str | None:
    """``pdf``, ``jpeg`` or ``png`` by the file's first bytes; ``None`` for anything else."""
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


class ScanError(Exception):
    """The scanner could not be asked; the upload is refused rather than let through."""


def scan(data_chunks, address: str | None = None) -> str | None:
    """Send a file to clamd; the virus name if it found one, else ``None``."""
    address = address or settings.CLAMAV_SOCKET
    try:
        if address.startswith("tcp://"):
            host, port = address.removeprefix("tcp://").rsplit(":", 1)
            connection = socket.create_connection((host, int(port)), timeout=30)
        else:
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(30)
            connection.connect(address)
        with connection:
            connection.sendall(b"zINSTREAM\0")
            for chunk in data_chunks:
                connection.sendall(struct.pack(">I", len(chunk)) + chunk)
            connection.sendall(struct.pack(">I", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = connection.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as error:
        raise ScanError(str(error)) from error
    text = reply.rstrip(b"\0").decode(errors="replace")
    if text.endswith("OK"):
        return None
    if text.endswith("FOUND"):
        return text.removeprefix("stream:").removesuffix("FOUND").strip()
    raise ScanError(text)


def check_name(name: str) -> None:
    """Refuse a file name with control or formatting characters (German message)."""
    if any(unicodedata.category(char) in HIDDEN_CATEGORIES for char in name):
        visible = "".join(c for c in name if unicodedata.category(c) not in HIDDEN_CATEGORIES)
        raise ValidationError(
            _(
                "Der Dateiname „%(name)s“ enthält unsichtbare Steuerzeichen. Bitte benennen "
                "Sie die Datei um und laden Sie sie noch einmal hoch."
            )
            % {"name": visible}
        )


def _check_pdf(upload: UploadedFile) -> None:
    """pypdf must open the file and find its pages; a password-protected PDF is refused."""
    try:
        reader = PdfReader(upload.file)
        locked = reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED
        pages = 0 if locked else len(reader.pages)
    except Exception as error:  # a parser of hostile input fails in many ways
        raise ValidationError(
            _(
                "„%(name)s“ ist keine lesbare PDF-Datei. Bitte speichern oder exportieren Sie "
                "das Dokument noch einmal als PDF."
            )
            % {"name": upload.name}
        ) from error
    if locked:
        raise ValidationError(
            _(
                "„%(name)s“ ist mit einem Kennwort geschützt. Bitte laden Sie die Datei "
                "ohne Kennwortschutz hoch, damit wir sie öffnen können."
            )
            % {"name": upload.name}
        )
    if pages < 1:
        raise ValidationError(_("„%(name)s“ enthält keine Seite.") % {"name": upload.name})


def _check_image(upload: UploadedFile, kind: str) -> None:
    """Pillow must open and verify the image, and it may not unpack beyond the pixel limit."""
    try:
        with Image.open(upload.file, formats=[PILLOW_FORMATS[kind]]) as image:
            too_large = image.width * image.height > MAX_IMAGE_PIXELS
            if not too_large:
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        too_large = True
    except Exception as error:  # a parser of hostile input fails in many ways
        raise ValidationError(
            _("„%(name)s“ ist kein lesbares Bild. Bitte speichern Sie es noch einmal als %(kind)s.")
            % {"name": upload.name, "kind": kind.upper()}
        ) from error
    if too_large:
        raise ValidationError(
            _(
                "„%(name)s“ hat zu viele Bildpunkte (höchstens %(limit)d Megapixel). Bitte "
                "verkleinern Sie das Bild oder laden Sie es als PDF hoch."
            )
            % {"name": upload.name, "limit": MAX_IMAGE_PIXELS // 1_000_000}
        )


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    content_type: str
    size: int


def check_size(upload: UploadedFile, max_mb: int | None = None) -> None:
    """Refuse a file above ``max_mb`` (10 MB) or ``FILE_UPLOAD_MAX_BYTES`` (German message)."""
    limit = min((max_mb or 10) * 1024 * 1024, settings.FILE_UPLOAD_MAX_BYTES)
    if upload.size > limit:
        raise ValidationError(
            _("„%(name)s“ ist zu groß (%(size)s MB). Erlaubt sind höchstens %(limit)d MB.")
            % {
                "name": upload.name,
                "size": number_format(upload.size / 1048576, 1),
                "limit": limit // 1048576,
            }
        )


def check_upload(
    upload: UploadedFile,
    *,
    kinds: tuple[str, ...] | list[str] = DEFAULT_KINDS,
    max_mb: int | None = None,
) -> CheckedUpload:
    """Refuse what is too big, badly named, not really of an allowed kind, or infected
    (German messages)."""
    check_name(upload.name or "")
    check_size(upload, max_mb)
    if upload.size == 0:
        raise ValidationError(_("„%(name)s“ ist leer.") % {"name": upload.name})
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    allowed = {"jpeg" if k == "jpg" else k for k in kinds}
    if kind is None or kind not in allowed:
        names = ", ".join(sorted(k.upper() for k in allowed))
        raise ValidationError(
            _("„%(name)s“ ist keine Datei der erlaubten Art (%(kinds)s).")
            % {"name": upload.name, "kinds": names}
        )
    try:
        if kind == "pdf":
            _check_pdf(upload)
        else:
            _check_image(upload, kind)
    finally:
        upload.seek(0)
    if settings.CLAMAV_SOCKET:
        try:
            found = scan(upload.chunks(CHUNK))
        except ScanError as error:
            raise ValidationError(
                _(
                    "Die Datei konnte gerade nicht auf Viren geprüft werden. "
                    "Bitte versuchen Sie es gleich noch einmal."
                )
            ) from error
        finally:
            upload.seek(0)
        if found:
            raise ValidationError(
                _(
                    "In „%(name)s“ wurde Schadsoftware gefunden (%(virus)s). "
                    "Die Datei wurde nicht gespeichert."
                )
                % {"name": upload.name, "virus": found}
            )
    return CheckedUpload(kind=kind, content_type=CONTENT_TYPES[kind], size=upload.size)


# The files written inside the innermost atomic_with_files block, as (storage, name).
_written: ContextVar[list[tuple[Storage, str]] | None] = ContextVar(
    "rathaus_written_files", default=None
)


def _remove(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:  # the disk that refused the file may refuse this too; the log says so
        logger.exception("could not remove the file %s of a failed upload", name)


@contextmanager
def atomic_with_files() -> Iterator[None]:
    """``transaction.atomic()`` for a block that keeps uploads with :func:`save_with_file`:
    if the block does not commit, the files it wrote are deleted again."""
    written: list[tuple[Storage, str]] = []
    token = _written.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for storage, name in written:
            _remove(storage, name)
        raise
    finally:
        _written.reset(token)
    if (outer := _written.get()) is not None:
        outer.extend(written)  # an enclosing block that fails takes these with it


def save_with_file(instance: Model, field_name: str, upload: UploadedFile) -> None:
    """Write ``upload`` into the file field ``field_name``, then save ``instance``.

    A full or read-only disk raises a German ValidationError and leaves no (partial) file
    and no row; a row that cannot be saved takes its file with it.
    """
    field_file = getattr(instance, field_name)
    storage, field = field_file.storage, field_file.field
    name = storage.get_available_name(
        field.generate_filename(instance, upload.name or "datei"), max_length=field.max_length
    )
    try:
        name = storage.save(name, upload, max_length=field.max_length)
    except OSError as error:
        logger.error("upload not written: %s", error.strerror or error)
        if storage.exists(name):
            _remove(storage, name)
        raise ValidationError(
            _(
                "„%(name)s“ konnte wegen einer technischen Störung gerade nicht gespeichert "
                "werden. Ihre übrigen Angaben sind noch da; bitte laden Sie die Datei später "
                "noch einmal hoch."
            )
            % {"name": upload.name}
        ) from error
    setattr(instance, field.attname, name)
    try:
        instance.save()
    except BaseException:
        _remove(storage, name)
        raise
    if (written := _written.get()) is not None:
        written.append((storage, name))
