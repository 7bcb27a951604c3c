"""`rathaus backup` and `rathaus restore` through the real commands.

The backup is made of the test database; every restore runs as its own process
(``python -m rathaus.cli restore``) against a fresh database and data folder of its own
(PostgreSQL: a new database; SQLite: a new file), so pytest's database is never touched.
"""

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from rathaus.accounts.models import User
from rathaus.applications.models import Application, Document, StoredFile
from rathaus.appointments.models import Appointment, OfficeService
from rathaus.council.models import File as CouncilFile
from tests.applications.conftest import fill_all_pages, start_application, verified_client
from tests.appointments.conftest import book, make_office
from tests.factories import ServiceFactory, StaffFactory, UserFactory
from tests.support import database_url, restore_demo_city

ROOT = Path(__file__).resolve().parents[2]


def _sha256(stored) -> str:
    with stored.open("rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def inventory() -> dict:
    """What must survive: every case, every file's bytes (uploads, decisions, council
    documents), every booking and account, and the row count of every table. Runs in this
    process and in the restored one."""
    files = [
        [kind, getattr(row, field).name, _sha256(getattr(row, field))]
        for kind, model, field in (
            ("upload", StoredFile, "file"),
            ("document", Document, "file"),
            ("council", CouncilFile, "content"),
        )
        for row in model.objects.all()
    ]
    data = {
        "counts": {model._meta.label: model._base_manager.count() for model in apps.get_models()},
        "cases": [
            [str(a.public_id), a.reference, a.status, a.applicant_id, a.answers]
            for a in Application.objects.order_by("public_id")
        ],
        "files": sorted(files),
        "bookings": [
            [
                str(a.public_id),
                a.office.slug,
                a.counter.number,
                a.day.isoformat(),
                a.start_unit,
                a.status,
                a.name,
                a.email,
            ]
            for a in Appointment.objects.select_related("office", "counter").order_by("public_id")
        ],
        "accounts": sorted(User.objects.values_list("email", flat=True)),
    }
    return json.loads(json.dumps(data))


@dataclass
class Target:
    """A fresh database and data folder, reached only through subprocesses."""

    env: dict[str, str]
    var_dir: Path

    def rathaus(self, *args: str) -> subprocess.CompletedProcess:
        return self._run("-m", "rathaus.cli", *args)

    def inventory(self) -> dict:
        code = "import django, json; django.setup(); from tests.core.test_backup import inventory; "
        result = self._run("-c", code + "print(json.dumps(inventory()))")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.splitlines()[-1])

    def tables(self) -> int:
        code = (
            "from django.db import connection; print(len(connection.introspection.table_names()))"
        )
        return int(self.rathaus("shell", "-c", code).stdout.splitlines()[-1])

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )


@pytest.fixture
def new_target(tmp_path):
    """Makes fresh targets: on PostgreSQL a new database beside the test database, on
    SQLite a new file; each with its own data folder. Dropped at the end."""
    created: list[str] = []

    def make(label: str) -> Target:
        var_dir = tmp_path / label
        env = dict(
            os.environ, RATHAUS_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="rathaus.settings"
        )
        env.pop("SECRET_KEY", None)
        if connection.vendor == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{var_dir / 'rathaus.sqlite3'}"
        else:
            name = f"{connection.settings_dict['NAME']}_{label}"
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
            created.append(name)
            env["DATABASE_URL"] = database_url().rsplit("/", 1)[0] + "/" + name
        return Target(env, var_dir)

    yield make
    _admin(*(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in created))


@pytest.fixture
def target(new_target) -> Target:
    return new_target("ziel")


def _admin(*statements: str) -> None:
    import psycopg

    config = connection.settings_dict
    with psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        for statement in statements:
            admin.execute(statement)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "quelle" / "files"
    return settings.MEDIA_ROOT


def _backup(path: Path, **options) -> str:
    out = io.StringIO()
    call_command("backup", output=path, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def city(transactional_db, media, mail_dir):
    """The demo city (with its sample cases, decisions and appointments) written to
    ``media``, plus a resident's own online application with an upload, a booking and
    staff: committed, so that pg_dump and SQLite's backup see it."""
    restore_demo_city(files_to=media)  # the session's city, its files copied to ``media``
    resident = verified_client(UserFactory(email="sicherung@beispiel.de"))
    application = start_application(resident)
    fill_all_pages(resident, application)
    response = resident.post(f"/antraege/{application.public_id}/pruefen/", {"confirm": "on"})
    assert response.status_code == 302
    office = make_office("sicherungsbuero")
    service = ServiceFactory(slug="sicherungsleistung")
    OfficeService.objects.create(office=office, service=service, minutes_per_person=15)
    book(
        office, [service], timezone.localdate() + timedelta(days=3), 120, email="termin@beispiel.de"
    )
    StaffFactory(email="sachbearbeitung@demo.duesseldorf.invalid")


def test_a_fresh_database_and_folder_get_back_every_case_file_and_booking(city, target, tmp_path):
    expected = inventory()
    assert StoredFile.objects.filter(application__applicant__email="sicherung@beispiel.de")
    assert Appointment.objects.filter(email="termin@beispiel.de").exists()
    assert len(expected["files"]) >= 10 and len(expected["bookings"]) >= 10
    archive = tmp_path / "sicherung.tar.gz"

    output = _backup(archive)

    assert "Dateien gesichert" in output and "SHA-256" in output
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert "secret_key" not in tar.getnames()
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["migrations"]["applications"].startswith("0")
    assert len([m for m in manifest["files"] if m["path"].startswith("files/")]) == len(
        expected["files"]
    )
    restored = target.rathaus("restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "alle Prüfsummen stimmen" in restored.stdout
    assert target.inventory() == expected


def _rewrite(archive: Path, copy: Path, change) -> Path:
    """A copy of ``archive`` with ``change(name, data) -> (name, data)`` applied to members."""
    with tarfile.open(archive) as source, tarfile.open(copy, "w:gz") as out:
        for member in source.getmembers():
            name, data = change(member.name, source.extractfile(member).read())
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return copy


@pytest.mark.django_db
@pytest.mark.parametrize("part", ["files/", "database/"])
def test_a_tampered_archive_is_refused_before_anything_changes(media, target, tmp_path, part):
    (media / "antraege").mkdir(parents=True)
    (media / "antraege" / "nachweis").write_bytes(b"%PDF-1.4 echt")
    archive = tmp_path / "sicherung.tar.gz"
    _backup(archive)

    def flip_one_byte(name: str, data: bytes) -> tuple[str, bytes]:
        if name.startswith(part):
            data = data[:-1] + bytes([data[-1] ^ 1])
        return name, data

    tampered = _rewrite(archive, tmp_path / "manipuliert.tar.gz", flip_one_byte)
    result = target.rathaus("restore", str(tampered))
    assert result.returncode != 0
    assert "verändert oder ist beschädigt" in result.stderr
    assert "nichts wiederhergestellt" in result.stderr and "andere Sicherung" in result.stderr
    assert target.tables() == 0
    assert not (target.var_dir / "files").exists()


@pytest.mark.django_db
def test_a_dump_of_the_other_database_vendor_is_refused(media, target, tmp_path):
    archive = tmp_path / "sicherung.tar.gz"
    _backup(archive)
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    dumps = {"postgresql": "database/rathaus.pgdump", "sqlite": "database/rathaus.sqlite3"}

    def pretend_other_vendor(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["database"] = {"vendor": other, "dump": dumps[other]}
            for entry in manifest["files"]:
                entry["path"] = entry["path"].replace(dumps[connection.vendor], dumps[other])
            return name, json.dumps(manifest).encode()
        return name.replace(dumps[connection.vendor], dumps[other]), data

    foreign = _rewrite(archive, tmp_path / "fremd.tar.gz", pretend_other_vendor)
    result = target.rathaus("restore", str(foreign))
    assert result.returncode != 0
    assert "nur in dieselbe Datenbankart" in result.stderr
    assert target.tables() == 0


@pytest.mark.django_db
def test_a_database_with_data_is_overwritten_only_with_force(media, target, tmp_path):
    media.mkdir(parents=True)
    (media / "bescheid.pdf").write_bytes(b"%PDF-1.4 bescheid")
    archive = tmp_path / "sicherung.tar.gz"
    _backup(archive)
    assert target.rathaus("restore", str(archive)).returncode == 0

    refused = target.rathaus("restore", str(archive))

    assert refused.returncode != 0
    assert "Ziel nicht leer: die Datenbank hat schon Daten" in refused.stderr
    assert "--force" in refused.stderr
    forced = target.rathaus("restore", "--force", str(archive))
    assert forced.returncode == 0, forced.stderr
    (aside,) = target.var_dir.glob("files.vor-wiederherstellung-*")
    assert (aside / "bescheid.pdf").read_bytes() == (
        target.var_dir / "files" / "bescheid.pdf"
    ).read_bytes()


@pytest.mark.django_db
def test_an_archive_of_newer_code_is_refused(media, target, tmp_path):
    archive = tmp_path / "sicherung.tar.gz"
    _backup(archive)

    def from_the_future(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["migrations"]["applications"] = "0999_from_the_future"
            return name, json.dumps(manifest).encode()
        return name, data

    newer = _rewrite(archive, tmp_path / "neuer.tar.gz", from_the_future)
    result = target.rathaus("restore", str(newer))
    assert result.returncode != 0
    assert "neueren Rathaus-Version" in result.stderr and "aktualisieren" in result.stderr
    assert target.tables() == 0


@pytest.mark.django_db
def test_an_archive_of_older_code_is_migrated_and_the_key_comes_only_on_request(
    media, target, new_target, tmp_path, settings
):
    """The first target plays an installation that still runs the previous migration."""
    archive, older = tmp_path / "sicherung.tar.gz", tmp_path / "aelter.tar.gz"
    _backup(archive)
    assert target.rathaus("restore", str(archive)).returncode == 0
    previous = target.rathaus("migrate", "applications", "0001")
    assert previous.returncode == 0, previous.stderr
    made = target.rathaus("backup", "--with-secret-key", "--output", str(older))
    assert made.returncode == 0, made.stderr
    second = new_target("zweites")

    restored = second.rathaus("restore", str(older))

    assert restored.returncode == 0, restored.stderr
    assert re.search(r"älter als dieser Code: \d+ Migration\(en\) anwenden", restored.stdout)
    plan = second.rathaus("migrate", "--check")
    assert plan.returncode == 0, plan.stdout
    key = (target.var_dir / "secret_key").read_text()
    assert (second.var_dir / "secret_key").read_text() == key
    assert (target.var_dir / "secret_key").read_text() != settings.SECRET_KEY
