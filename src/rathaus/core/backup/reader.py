"""Restoring a backup: verify every member first, then database, files and key."""

import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
import zlib
from contextlib import closing
from datetime import UTC
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from .archive import (
    CREATED_BY_MIGRATE,
    DUMPS,
    FILES,
    FORMAT_VERSION,
    KEY_MEMBER,
    MANIFEST,
    VENDOR_NAMES,
    BackupError,
    Log,
    Manifest,
    Progress,
    run_pg,
    sha256_of,
    size_text,
    sqlite_copy,
    sqlite_path,
)


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
    log(f"Sicherung entpacken und prüfen: {archive} ({size_text(archive.stat().st_size)}) …")
    unpacked = Progress(log, "Teile entpackt")
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
    checked = Progress(log, "Teile geprüft")
    for name in sorted(present & listed.keys()):
        member, path = listed[name], work / name
        if path.stat().st_size != member.size or sha256_of(path) != member.sha256:
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
    log(f"Datenbank wiederherstellen ({VENDOR_NAMES[vendor]}, {size_text(dump.stat().st_size)}) …")
    connections.close_all()
    if vendor == "postgresql":
        name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
        run_pg(
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
        target = sqlite_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        sqlite_copy(dump, target)
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
