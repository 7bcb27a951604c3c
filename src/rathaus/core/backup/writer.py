"""Making a backup: dump the database, pack the files, write the manifest."""

import hashlib
import io
import os
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .archive import (
    DUMPS,
    FILES,
    FORMAT_VERSION,
    KEY_MEMBER,
    MANIFEST,
    VENDOR_NAMES,
    BackupError,
    Log,
    Manifest,
    Member,
    Progress,
    database_vendor,
    default_path,
    run_pg,
    sha256_of,
    size_text,
    sqlite_copy,
    sqlite_path,
)


def create(
    output: Path | None = None,
    *,
    with_secret_key: bool = False,
    keep: int | None = None,
    log: Log = print,
    now: datetime | None = None,
) -> Path:
    """Write one archive of the database and the files; returns its path.

    The database is dumped first, then the files are copied: a file uploaded meanwhile is
    an unreferenced extra, never a missing one (uploads get new names, they are not
    rewritten). The archive appears under its name only when complete, readable by its
    owner only, with a ``.sha256`` file beside it for ``sha256sum -c``.
    """
    now = now or timezone.now()
    output = Path(output or default_path(now)).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    vendor = database_vendor()
    partial = output.with_name(output.name + ".part")
    members: list[Member] = []
    try:
        with (
            tempfile.TemporaryDirectory(dir=output.parent, prefix=".rathaus-backup-") as work,
            open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw,
            tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as archive,
        ):
            dump = _dump_database(vendor, Path(work) / Path(DUMPS[vendor]).name, log)
            members.append(_add_file(archive, dump, DUMPS[vendor]))
            members += _add_media(archive, Path(settings.MEDIA_ROOT), log)
            if with_secret_key:
                members.append(_add_bytes(archive, KEY_MEMBER, settings.SECRET_KEY.encode()))
            manifest = Manifest(
                format_version=FORMAT_VERSION,
                created_at=now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                rathaus_version=_rathaus_version(),
                vendor=vendor,
                migrations=_applied_migrations(),
                members=members,
            )
            _add_bytes(archive, MANIFEST, manifest.to_json())
        partial.replace(output)
    except OSError as error:
        raise BackupError(
            f"Schreiben nach {output.parent} fehlgeschlagen ({error}): freien Platz und Rechte "
            "prüfen oder mit --output einen anderen Ort wählen. Eine halbe Sicherung bleibt nicht "
            "liegen."
        ) from error
    finally:
        partial.unlink(missing_ok=True)
    digest = sha256_of(output)
    output.with_name(output.name + ".sha256").write_text(f"{digest}  {output.name}\n")
    log(f"Sicherung fertig: {output} ({size_text(output.stat().st_size)})")
    log(f"SHA-256: {digest} (auch in {output.name}.sha256)")
    if not with_secret_key:
        log("Der geheime Schlüssel ist nicht enthalten (SECRET_KEY getrennt aufbewahren).")
    if keep:
        _prune(output.parent, keep, log)
    return output


def _dump_database(vendor: str, target: Path, log: Log) -> Path:
    started = time.monotonic()
    log(f"Datenbank sichern ({VENDOR_NAMES[vendor]}) …")
    if vendor == "postgresql":
        run_pg("pg_dump", ["--format=custom", "--no-password", f"--file={target}"])
    else:
        source = sqlite_path()
        if not source.is_file():
            raise BackupError(f"SQLite-Datenbank {source} gibt es nicht: DATABASE_URL prüfen.")
        sqlite_copy(source, target)
    log(f"  Datenbank: {size_text(target.stat().st_size)} in {time.monotonic() - started:.0f} s")
    return target


def _add_media(archive: tarfile.TarFile, media: Path, log: Log) -> list[Member]:
    """Every regular file under ``media``, in a stable order, with progress lines."""
    log(f"Dateien sichern aus {media} …")
    members: list[Member] = []
    progress = Progress(log, "Dateien gesichert")
    if media.is_dir():
        for folder, subfolders, names in os.walk(media):
            subfolders.sort()
            for name in sorted(names):
                path = Path(folder) / name
                if path.is_symlink() or not path.is_file():
                    continue
                relative = path.relative_to(media).as_posix()
                try:
                    member = _add_file(archive, path, f"{FILES}/{relative}")
                except FileNotFoundError:  # deleted since listing (retention): not needed
                    log(f"  übersprungen, inzwischen gelöscht: {relative}")
                    continue
                members.append(member)
                progress.add(member.size)
    progress.done()
    return members


class _HashingReader:
    """Hands the file to tarfile and hashes exactly the bytes that went into the archive."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.hash.update(data)
        return data


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> Member:
    with path.open("rb") as stream:
        info = _tar_info(name, os.fstat(stream.fileno()).st_size)
        reader = _HashingReader(stream)
        archive.addfile(info, reader)
    return Member(name, info.size, reader.hash.hexdigest())


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> Member:
    archive.addfile(_tar_info(name, len(data)), io.BytesIO(data))
    return Member(name, len(data), hashlib.sha256(data).hexdigest())


def _tar_info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    return info


def _applied_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in sorted(MigrationRecorder(connections[DEFAULT_DB_ALIAS]).applied_migrations()):
        latest[app] = name  # numbered names: the last in order is the latest
    return latest


def _rathaus_version() -> str:
    try:
        return metadata.version("rathaus")
    except metadata.PackageNotFoundError:
        return "unbekannt"


def _prune(folder: Path, keep: int, log: Log) -> None:
    """Keep the newest ``keep`` archives of this folder (names sort by time)."""
    archives = sorted(folder.glob("rathaus-backup-*.tar.gz"))
    for old in archives[:-keep]:
        old.unlink()
        old.with_name(old.name + ".sha256").unlink(missing_ok=True)
        log(f"Alte Sicherung gelöscht: {old.name}")


# --- Restore ---------------------------------------------------------------------------
