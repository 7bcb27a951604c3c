"""What a backup archive is: its format, manifest and the helpers both directions share."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

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


def database_vendor() -> str:
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor not in DUMPS:
        raise BackupError(f"Datenbank {vendor} wird nicht unterstützt: PostgreSQL oder SQLite.")
    return vendor


def sqlite_path() -> Path:
    return Path(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])


def sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while others write (WAL)."""
    with (
        closing(sqlite3.connect(source, timeout=20)) as src,
        closing(sqlite3.connect(target, timeout=20)) as dst,
    ):
        src.backup(dst)


def run_pg(tool: str, arguments: list[str]) -> None:
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


class Progress:
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
            self.log(f"  … {self.count} {self.what} ({size_text(self.bytes)})")

    def done(self) -> None:
        self.log(f"  {self.count} {self.what} ({size_text(self.bytes)})")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def size_text(count: int) -> str:
    """A size for people, German style: ``12,3 MB``."""
    for unit, factor in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= factor:
            return f"{count / factor:.1f} {unit}".replace(".", ",")
    return f"{count} Bytes"
