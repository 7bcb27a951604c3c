"""Backup and restore: the database and every file under ``MEDIA_ROOT`` in one archive.

The archive (``.tar.gz``) holds ``database/`` (PostgreSQL: ``pg_dump --format=custom``;
SQLite: a copy made with SQLite's online backup), ``files/`` (uploads and generated PDFs,
as under ``MEDIA_ROOT``), with ``--with-secret-key`` the site key, and ``manifest.json``:
format version, time, Rathaus version, database vendor, the latest applied migration of
every app, and the size and SHA-256 of every member. A restore checks every member
against the manifest before it changes anything, so a damaged or altered archive is
refused as a whole.

The secret key stays out by default: it signs sessions and the links residents got by
e-mail, so an archive with it lets whoever holds a copy forge them. Production keeps the
key in its secret store (``SECRET_KEY``), apart from the backups.

``rathaus backup`` and ``rathaus restore`` are thin commands over ``create`` and
``restore``; every failure is a ``BackupError`` whose German message says what to do.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

__all__ = ["BackupError", "Manifest", "create", "default_path", "restore"]

FORMAT = "rathaus-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES = "files"
KEY_MEMBER = "secret_key"
DUMPS = {"postgresql": "database/rathaus.pgdump", "sqlite": "database/rathaus.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
# Rows that ``migrate`` itself creates: a database with only these counts as empty.
CREATED_BY_MIGRATE = {"contenttypes.ContentType", "auth.Permission"}
# libpq reads these from the environment, so no secret ever shows on a command line.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}
CHUNK = 1024 * 1024
PROGRESS_EVERY_BYTES = 256 * CHUNK
PROGRESS_EVERY_FILES = 1000

Log = Callable[[str], Any]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do next."""


@dataclass(frozen=True)
class Member:
    path: str
    size: int
    sha256: str


@dataclass
class Manifest:
    format_version: int
    created_at: str
    rathaus_version: str
    vendor: str
    migrations: dict[str, str]
    members: list[Member]

    @property
    def file_count(self) -> int:
        return sum(member.path.startswith(f"{FILES}/") for member in self.members)

    @property
    def has_secret_key(self) -> bool:
        return any(member.path == KEY_MEMBER for member in self.members)

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "format_version": self.format_version,
            "created_at": self.created_at,
            "rathaus_version": self.rathaus_version,
            "database": {"vendor": self.vendor, "dump": DUMPS[self.vendor]},
            "migrations": self.migrations,
            "secret_key_included": self.has_secret_key,
            "files": [asdict(member) for member in self.members],
        }
        return json.dumps(data, indent=2, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> "Manifest":
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise ValueError("format")
            return cls(
                format_version=int(data["format_version"]),
                created_at=str(data["created_at"]),
                rathaus_version=str(data["rathaus_version"]),
                vendor=str(data["database"]["vendor"]),
                migrations={str(k): str(v) for k, v in data["migrations"].items()},
                members=[
                    Member(str(m["path"]), int(m["size"]), str(m["sha256"])) for m in data["files"]
                ],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(
                "manifest.json fehlt oder ist kein Rathaus-Manifest: Das ist keine Sicherung "
                "von `rathaus backup`, oder sie wurde verändert. Eine andere Sicherung nehmen."
            ) from error


# --- Backup ----------------------------------------------------------------------------


def default_path(now: datetime) -> Path:
    """``VAR_DIR/backups/rathaus-backup-2026-11-26T020000Z.tar.gz``: names sort by time."""
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    return Path(settings.VAR_DIR) / "backups" / f"rathaus-backup-{stamp}.tar.gz"


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
    vendor = _vendor()
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
    digest = _sha256_of(output)
    output.with_name(output.name + ".sha256").write_text(f"{digest}  {output.name}\n")
    log(f"Sicherung fertig: {output} ({_size(output.stat().st_size)})")
    log(f"SHA-256: {digest} (auch in {output.name}.sha256)")
    if not with_secret_key:
        log("Der geheime Schlüssel ist nicht enthalten (SECRET_KEY getrennt aufbewahren).")
    if keep:
        _prune(output.parent, keep, log)
    return output


def _vendor() -> str:
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor not in DUMPS:
        raise BackupError(f"Datenbank {vendor} wird nicht unterstützt: PostgreSQL oder SQLite.")
    return vendor


def _dump_database(vendor: str, target: Path, log: Log) -> Path:
    started = time.monotonic()
    log(f"Datenbank sichern ({VENDOR_NAMES[vendor]}) …")
    if vendor == "postgresql":
        _run_pg("pg_dump", ["--format=custom", "--no-password", f"--file={target}"])
    else:
        source = _sqlite_path()
        if not source.is_file():
            raise BackupError(f"SQLite-Datenbank {source} gibt es nicht: DATABASE_URL prüfen.")
        _sqlite_copy(source, target)
    log(f"  Datenbank: {_size(target.stat().st_size)} in {time.monotonic() - started:.0f} s")
    return target


def _add_media(archive: tarfile.TarFile, media: Path, log: Log) -> list[Member]:
    """Every regular file under ``media``, in a stable order, with progress lines."""
    log(f"Dateien sichern aus {media} …")
    members: list[Member] = []
    progress = _Progress(log, "Dateien gesichert")
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


def restore(
    archive: Path, *, force: bool = False, check_only: bool = False, log: Log = print
) -> Manifest:
    """Put an archive back into the configured database and ``MEDIA_ROOT``.

    Nothing is changed until every member matched its checksum, the database vendor and
    the migrations fit this code, and the target is empty (or ``force``). The database is
    restored in one transaction (PostgreSQL) or one backup step (SQLite); the files are
    unpacked beside ``MEDIA_ROOT`` and moved into place with one rename. Migrations this
    code has and the archive has not are applied afterwards.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} gibt es nicht: Pfad zur Sicherung prüfen.")
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent, prefix=".rathaus-restore-") as work:
        staged = Path(work)
        manifest = _unpack(archive, staged, log)
        log(
            f"Sicherung vom {manifest.created_at} (Rathaus {manifest.rathaus_version}, "
            f"{VENDOR_NAMES.get(manifest.vendor, manifest.vendor)}, "
            f"{manifest.file_count} Dateien): alle Prüfsummen stimmen."
        )
        if check_only:
            return manifest
        _check_vendor(manifest)
        _check_migrations_known(manifest)
        _check_empty(media, force)
        _restore_database(manifest.vendor, staged / DUMPS[manifest.vendor], log)
        try:
            _restore_files(staged / FILES, media, log)
            if manifest.has_secret_key:
                _restore_secret_key(staged / KEY_MEMBER, log)
        except OSError as error:
            raise BackupError(
                f"Die Datenbank ist wiederhergestellt, die Dateien nicht ({error}): Rechte und "
                f"Platz in {media.parent} prüfen, dann mit --force noch einmal wiederherstellen."
            ) from error
    _migrate_if_needed(log)
    log("Wiederherstellung fertig. Jetzt `rathaus check` ausführen und die Dienste starten.")
    return manifest


def _unpack(archive: Path, work: Path, log: Log) -> Manifest:
    log(f"Sicherung entpacken und prüfen: {archive} ({_size(archive.stat().st_size)}) …")
    unpacked = _Progress(log, "Teile entpackt")
    try:
        with tarfile.open(archive, "r:*") as tar:
            for member in tar:  # streamed: one pass through the archive
                tar.extract(member, work, filter="data")
                unpacked.add(member.size)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise BackupError(
            f"Das Archiv lässt sich nicht lesen ({error}). Es ist beschädigt oder keine "
            "Sicherung von `rathaus backup`: Es wurde nichts verändert. Eine andere Sicherung "
            "nehmen und ihre Prüfsumme mit `sha256sum -c <archiv>.sha256` prüfen."
        ) from error
    manifest_path = work / MANIFEST
    manifest = Manifest.from_json(manifest_path.read_bytes() if manifest_path.is_file() else b"")
    if manifest.format_version > FORMAT_VERSION:
        raise BackupError(
            f"Die Sicherung hat das Format {manifest.format_version}, diese Rathaus-Version "
            f"kennt nur bis {FORMAT_VERSION}: Rathaus aktualisieren, dann wiederherstellen."
        )
    present = {
        path.relative_to(work).as_posix()
        for path in work.rglob("*")
        if path.is_file() and path != manifest_path
    }
    listed = {member.path: member for member in manifest.members}
    wrong = sorted(present - listed.keys()) + sorted(listed.keys() - present)
    checked = _Progress(log, "Teile geprüft")
    for name in sorted(present & listed.keys()):
        member, path = listed[name], work / name
        if path.stat().st_size != member.size or _sha256_of(path) != member.sha256:
            wrong.append(name)
        checked.add(member.size)
    if wrong or manifest.vendor not in DUMPS or DUMPS[manifest.vendor] not in listed:
        example = ", ".join(wrong[:3]) or "Datenbank-Abzug"
        raise BackupError(
            f"Das Archiv wurde verändert oder ist beschädigt: {len(wrong) or 1} Teil(e) "
            f"passen nicht zum Manifest (z. B. {example}). Es wurde nichts wiederhergestellt. "
            "Eine andere Sicherung nehmen (mit `sha256sum -c <archiv>.sha256` gegen die "
            "beim Sichern notierte Prüfsumme prüfen)."
        )
    checked.done()
    return manifest


def _check_vendor(manifest: Manifest) -> None:
    here = connections[DEFAULT_DB_ALIAS].vendor
    if manifest.vendor != here:
        theirs = VENDOR_NAMES[manifest.vendor]
        raise BackupError(
            f"Die Sicherung enthält eine {theirs}-Datenbank, DATABASE_URL zeigt aber auf "
            f"{VENDOR_NAMES.get(here, here)}. Eine Sicherung lässt sich nur in dieselbe "
            f"Datenbankart zurückspielen: DATABASE_URL auf eine leere {theirs}-Datenbank "
            "setzen. Es wurde nichts verändert."
        )


def _check_migrations_known(manifest: Manifest) -> None:
    """An archive made by newer code has migrations this code does not know: refuse."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app}.{name}" for app, name in manifest.migrations.items() if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            f"Die Sicherung stammt aus einer neueren Rathaus-Version ({manifest.rathaus_version};"
            f" unbekannte Migrationen: {', '.join(unknown[:3])}). Erst Rathaus aktualisieren, "
            "dann wiederherstellen. Es wurde nichts verändert."
        )


def _check_empty(media: Path, force: bool) -> None:
    full = []
    if tables := _tables_with_rows():
        full.append(f"die Datenbank hat schon Daten (z. B. {', '.join(tables[:3])})")
    if media.is_dir() and any(path.is_file() for path in media.rglob("*")):
        full.append(f"der Ordner {media} hat schon Dateien")
    if full and not force:
        raise BackupError(
            f"Ziel nicht leer: {' und '.join(full)}. Es wurde nichts verändert. In eine leere "
            "Datenbank und einen leeren Ordner wiederherstellen (DATABASE_URL, RATHAUS_VAR_DIR) "
            "oder mit --force überschreiben: Die vorhandenen Daten gehen dann verloren."
        )


def _tables_with_rows() -> list[str]:
    connection = connections[DEFAULT_DB_ALIAS]
    tables = set(connection.introspection.table_names())
    return [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label not in CREATED_BY_MIGRATE
        and model._meta.db_table in tables
        and model._base_manager.using(DEFAULT_DB_ALIAS).exists()
    ]


def _restore_database(vendor: str, dump: Path, log: Log) -> None:
    started = time.monotonic()
    log(f"Datenbank wiederherstellen ({VENDOR_NAMES[vendor]}, {_size(dump.stat().st_size)}) …")
    connections.close_all()
    if vendor == "postgresql":
        name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
        _run_pg(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                f"--dbname={name}",
                str(dump),
            ],
        )
    else:
        with closing(sqlite3.connect(dump)) as check:
            if check.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise BackupError("Der SQLite-Abzug ist beschädigt: eine andere Sicherung nehmen.")
        target = _sqlite_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(dump, target)
    log(f"  Datenbank: fertig in {time.monotonic() - started:.0f} s")


def _restore_files(staged: Path, media: Path, log: Log) -> None:
    staged.mkdir(exist_ok=True)
    count = sum(1 for path in staged.rglob("*") if path.is_file())
    log(f"Dateien nach {media} legen ({count}) …")
    if media.exists():
        if any(path.is_file() for path in media.rglob("*")):  # only with --force
            stamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            aside = media.with_name(f"{media.name}.vor-wiederherstellung-{stamp}")
            media.rename(aside)
            log(f"  Die bisherigen Dateien liegen jetzt unter {aside}: nach Prüfung löschen.")
        else:
            shutil.rmtree(media)
    staged.rename(media)


def _restore_secret_key(source: Path, log: Log) -> None:
    target = Path(settings.VAR_DIR) / "secret_key"
    temporary = target.with_name(".secret_key.restoring")
    with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        out.write(source.read_bytes())
    temporary.replace(target)
    log(f"Geheimer Schlüssel aus der Sicherung nach {target} geschrieben.")
    if os.environ.get("SECRET_KEY"):
        log("  Achtung: SECRET_KEY in der Umgebung gilt vor dieser Datei.")


def _migrate_if_needed(log: Log) -> None:
    connections.close_all()
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        log(f"Die Sicherung ist älter als dieser Code: {len(plan)} Migration(en) anwenden …")
        call_command("migrate", interactive=False, verbosity=0)


# --- Tools -----------------------------------------------------------------------------


def _sqlite_path() -> Path:
    return Path(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while others write (WAL)."""
    with (
        closing(sqlite3.connect(source, timeout=20)) as src,
        closing(sqlite3.connect(target, timeout=20)) as dst,
    ):
        src.backup(dst)


def _run_pg(tool: str, arguments: list[str]) -> None:
    """Run a PostgreSQL client with the connection in libpq's environment variables."""
    config = connections[DEFAULT_DB_ALIAS].settings_dict
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if config.get(key):
            env[variable] = str(config[key])
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    env["PGDATABASE"] = str(config["NAME"])
    for option, variable in PG_OPTION_ENV.items():
        if option in config.get("OPTIONS", {}):
            env[variable] = str(config["OPTIONS"][option])
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(
            f"{tool} fehlt: das Paket postgresql-client installieren (dieselbe Hauptversion "
            "wie der Datenbankserver oder neuer)."
        )
    result = subprocess.run(  # noqa: S603 – fixed tool, arguments from settings
        [executable, *arguments], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-5:]
        raise BackupError(
            f"{tool} ist fehlgeschlagen (Exit-Code {result.returncode}):\n  "
            + "\n  ".join(detail)
            + "\nVerbindung (DATABASE_URL), Rechte und die Version von "
            f"{tool} (`{tool} --version`, nicht älter als der Server) prüfen."
        )


class _Progress:
    """Progress lines for long runs: every 1,000 files or 256 MB, and a total at the end."""

    def __init__(self, log: Log, what: str) -> None:
        self.log, self.what = log, what
        self.count = self.bytes = self.reported = 0

    def add(self, size: int) -> None:
        self.count += 1
        self.bytes += size
        if (
            self.count % PROGRESS_EVERY_FILES == 0
            or self.bytes - self.reported > PROGRESS_EVERY_BYTES
        ):
            self.reported = self.bytes
            self.log(f"  … {self.count} {self.what} ({_size(self.bytes)})")

    def done(self) -> None:
        self.log(f"  {self.count} {self.what} ({_size(self.bytes)})")


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _size(count: int) -> str:
    """A size for people, German style: ``12,3 MB``."""
    for unit, factor in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= factor:
            return f"{count / factor:.1f} {unit}".replace(".", ",")
    return f"{count} Bytes"
