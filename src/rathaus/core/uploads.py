"""Checking uploaded files: size, real type (by content, not by name) and, optionally, viruses.

The name a browser sends is not trusted: a file is a PDF because it starts like
one. With ``CLAMAV_SOCKET`` set, every upload is also sent to clamd (INSTREAM).
"""

import socket
import struct
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

__all__ = ["ScanError", "check_upload", "scan", "sniff"]

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
DEFAULT_KINDS = ("pdf", "jpeg", "png")
CHUNK = 64 * 1024


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


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    content_type: str
    size: int


def check_upload(
    upload: UploadedFile,
    *,
    kinds: tuple[str, ...] | list[str] = DEFAULT_KINDS,
    max_mb: int | None = None,
) -> CheckedUpload:
    """Refuse what is too big, not of an allowed kind by content, or infected (German messages)."""
    limit = min((max_mb or 10) * 1024 * 1024, settings.FILE_UPLOAD_MAX_BYTES)
    if upload.size > limit:
        raise ValidationError(
            _("„%(name)s“ ist zu groß (%(size).1f MB). Erlaubt sind höchstens %(limit)d MB.")
            % {"name": upload.name, "size": upload.size / 1048576, "limit": limit // 1048576}
        )
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
