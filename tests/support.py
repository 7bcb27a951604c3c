"""What several test folders share: the demo city, and where Chromium and axe-core are."""

import io
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing, contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


def missing_browser_requirements() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} fehlt (Debian: apt-get install chromium)")
    if not AXE.exists():
        missing.append(f"{AXE} fehlt (npm ci)")
    return missing


def load_demo_city() -> None:
    """Every module's demo data, in INSTALLED_APPS order, as ``rathaus demo`` loads it."""
    from django.apps import apps

    for config in apps.get_app_configs():
        if loader := getattr(config, "load_demo", None):
            loader(scale=1, log=lambda *_: None)


_snapshots: dict[tuple, dict[str, object]] = {}
_SEQUENCES = "(sequences)"  # not a table name


def _snapshot_key() -> tuple:
    """The copy belongs to its day and files folder: the demo's dates are relative to
    today, and its files (decisions, uploads) stay where the load wrote them."""
    from django.conf import settings
    from django.utils import timezone

    return (str(settings.MEDIA_ROOT), timezone.localdate())


def remember_demo_city() -> None:
    """The session's database right after ``load_demo_city()``, for ``restore_demo_city``."""
    from django.db import connection

    _snapshots[_snapshot_key()] = _copy_tables(connection)


def restore_demo_city(files_to: Path | None = None) -> None:
    """The demo city in a transactional test's database, as ``load_demo_city`` leaves it.

    Every browser and API-contract test needs the city again after the previous test emptied
    the database. The copy that ``remember_demo_city`` took when the session's database was
    set up is put back (PostgreSQL: COPY; SQLite: the rows); a process without one (another
    day, another files folder) loads the city into an emptied database once and copies it.
    A test with a files folder of its own passes it as ``files_to``: today's copy of the
    tables is put back and the files its rows name are copied there.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction

    key = _snapshot_key()
    if files_to is not None and key not in _snapshots:
        for (folder, day), snapshot in list(_snapshots.items()):
            if day == key[1]:
                with transaction.atomic():
                    _put_back_tables(connection, snapshot)
                _copy_files(Path(folder), files_to)
                _snapshots[key] = snapshot
                ContentType.objects.clear_cache()
                return
    if (snapshot := _snapshots.get(key)) is None:
        call_command("flush", interactive=False, verbosity=0)
        load_demo_city()
        _snapshots[key] = _copy_tables(connection)
        return
    with transaction.atomic():
        _put_back_tables(connection, snapshot)
    ContentType.objects.clear_cache()


def _copy_files(source: Path, files_to: Path) -> None:
    """The files the restored rows name, from the folder the city was loaded into (other
    tests write their files there too: only the city's are taken)."""
    from django.apps import apps
    from django.db import models

    for model in apps.get_models():
        fields = [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        for field in fields:
            for name in model._base_manager.exclude(**{field: ""}).values_list(field, flat=True):
                if name and (source / name).is_file():
                    (files_to / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source / name, files_to / name)


def _copy_tables(connection) -> dict[str, object]:
    """Every table as stored: COPY's text on PostgreSQL; on SQLite the rows, read without
    Django's converters, and the virtual tables too (the catalogue's FTS5 index, made by a
    migration: flush leaves it alone), with their rowid, which is no column of theirs."""
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    copies: dict[str, object] = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in tables:
                with cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as copy:
                    copies[table] = b"".join(bytes(chunk) for chunk in copy)
            # Where the sequences stood: ids go on from there, as after a fresh load (the
            # ledger's entries name outbox ids whose rows are gone – max(id) would reuse them).
            cursor.execute(
                "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences "
                "WHERE schemaname = current_schema()"
            )
            copies[_SEQUENCES] = cursor.fetchall()
        return copies
    with closing(sqlite3.connect(connection.settings_dict["NAME"])) as raw:
        virtual = [
            name
            for (name,) in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
            )
        ]
        for table in tables + virtual:
            rowid = "rowid, " if table in virtual else ""
            name = connection.ops.quote_name(table)
            cursor = raw.execute(f"SELECT {rowid}* FROM {name}")  # noqa: S608 – our tables
            copies[table] = ([column[0] for column in cursor.description], cursor.fetchall())
    return copies


def _put_back_tables(connection, copies: dict[str, object]) -> None:
    """Empty every copied table and fill it from the copy; foreign keys are checked at commit.
    SQLite's AUTOINCREMENT ids never go back; PostgreSQL's sequences are set where they stood."""
    from django.core.management.color import no_style

    tables = {table: copied for table, copied in copies.items() if table != _SEQUENCES}
    with connection.cursor() as cursor:
        for statement in connection.ops.sql_flush(no_style(), list(tables), allow_cascade=True):
            cursor.execute(statement)
        for table, copied in tables.items():
            name = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {name} FROM STDIN") as copy:
                    copy.write(copied)
            elif rows := copied[1]:
                columns = ", ".join(connection.ops.quote_name(column) for column in copied[0])
                marks = ", ".join("?" * len(copied[0]))
                # A full-text table that a trigger fills from its base table (Wagtail's search
                # index) already has the rows again: the copy replaces them.
                verb = "INSERT OR REPLACE" if copied[0][:1] == ["rowid"] else "INSERT"
                connection.connection.executemany(
                    f"{verb} INTO {name} ({columns}) VALUES ({marks})",
                    rows,
                )
        for sequence, value in copies.get(_SEQUENCES, ()):
            cursor.execute("SELECT setval(%s, %s, %s)", [sequence, value or 1, value is not None])


def mails(mail_dir: Path) -> list[EmailMessage]:
    """The e-mails the file backend wrote to ``mail_dir``, oldest first."""
    if not mail_dir.exists():
        return []
    messages = []
    for path in sorted(mail_dir.iterdir(), key=lambda p: p.stat().st_mtime_ns):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(message_from_bytes(chunk, policy=policy.default))
    return messages


def database_url() -> str:
    """The URL of the test database, for server processes started by a test."""
    from django.db import connection

    config = connection.settings_dict
    if config["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{config['NAME']}"
    user = config["USER"] or ""
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    host = f"{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}"
    return f"postgres://{user}{password}@{host}/{config['NAME']}"


@contextmanager
def app_servers(count: int, *, workers: int = 2, env: dict[str, str] | None = None):
    """``count`` real ``rathaus serve`` processes (gunicorn) on the test database; yields their
    base URLs. What they share is what production servers share: the database and the key.
    Each loads the app once and forks its workers (``--preload``): the same code, started in
    half the time on a busy machine."""
    from django.conf import settings

    env = dict(env or {})
    # A test's own gunicorn arguments (threads) come on top of --preload, not instead of it.
    arguments = " ".join(filter(None, ["--preload", env.pop("GUNICORN_CMD_ARGS", "")]))
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_SETTINGS_MODULE": "rathaus.settings",
        **env,  # a test may bring its own settings module (tests/reliability)
        "GUNICORN_CMD_ARGS": arguments,
    }
    processes, bases = [], []
    try:
        for _ in range(count):
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "rathaus.cli",
                        "serve",
                        "--no-collectstatic",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(workers),
                    ],
                    env=environment,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 60
        for base, process in zip(bases, processes, strict=True):
            while True:
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError(f"server {base} did not start") from None
                    time.sleep(0.2)
        yield bases
    finally:
        # SIGQUIT is gunicorn's quick shutdown: every answer the test waited for has come
        # back, and a graceful stop (SIGTERM) costs seconds per server on a busy machine.
        for process in processes:
            process.send_signal(signal.SIGQUIT)
        for process in processes:
            process.wait(timeout=20)


def metric(name: str, **labels: str) -> float:
    """The current value of one Prometheus sample of this process (0 when not yet counted)."""
    from prometheus_client.parser import text_string_to_metric_families

    from rathaus.core import metrics

    for family in text_string_to_metric_families(metrics.exposition().decode()):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def modified_pdf(content: bytes) -> bytes:
    """The same pages written anew with other metadata: looks alike, is not the same file."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    writer.add_metadata({"/Producer": "Ein Bearbeitungsprogramm"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
