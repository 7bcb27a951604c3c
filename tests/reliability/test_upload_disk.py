"""The upload folder full or read-only: the person reads a German error on the form, what
they typed is still there, and no row is left without its file nor a file without its row.

A real file system: a 64 KB tmpfs (full after a few uploads) or a read-only one, mounted
as ``MEDIA_ROOT`` for the test (we run as root, so permissions would not stop a write).
Needs the patch of ``applications/services/drafts.py`` (``save_with_file``,
``atomic_with_files`` from ``rathaus.core.uploads``).
"""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from rathaus.applications.models import StoredFile
from rathaus.applications.services import cases
from tests.applications.conftest import page_data, start_application

pytestmark = pytest.mark.django_db

ERROR = "konnte wegen einer technischen Störung gerade nicht gespeichert werden"
DISKS = {"voll": "size=64k", "schreibgeschützt": "ro,size=64k"}
MOUNT = shutil.which("mount") or "/usr/bin/mount"
UMOUNT = shutil.which("umount") or "/usr/bin/umount"


def pdf(name: str, kilobytes: int = 24) -> SimpleUploadedFile:
    """A real PDF of about ``kilobytes`` (three of them fill the small disk)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Subject": "x" * kilobytes * 1024})
    data = io.BytesIO()
    writer.write(data)
    return SimpleUploadedFile(name, data.getvalue(), content_type="application/pdf")


@pytest.fixture(params=list(DISKS))
def broken_disk(request, settings, tmp_path):
    """``MEDIA_ROOT`` on a small tmpfs, full soon or read-only; unmounted at the end."""
    mount = tmp_path / "files"
    mount.mkdir()
    options = DISKS[request.param]
    subprocess.run([MOUNT, "-t", "tmpfs", "-o", options, "tmpfs", str(mount)], check=True)
    settings.MEDIA_ROOT = mount
    try:
        yield mount
    finally:
        subprocess.run([UMOUNT, "-l", str(mount)], check=True)


def assert_rows_and_files_match(mount: Path, rows_before: set[int]) -> None:
    """Every new row has its file on the disk, every file on the disk has its row."""
    new_rows = StoredFile.objects.exclude(pk__in=rows_before)
    on_disk = {str(p.relative_to(mount)) for p in mount.rglob("*") if p.is_file()}
    assert on_disk == {row.file.name for row in new_rows}


def test_a_form_page_keeps_what_was_typed_when_the_upload_cannot_be_stored(
    resident_client, broken_disk
):
    application = start_application(resident_client)
    rows = set(StoredFile.objects.values_list("pk", flat=True))
    data = page_data(application, 1)
    for key in ("zustimmung_eigentum", "fotos_dach", "lageplan", "statik"):
        data[key] = pdf(f"{key}.pdf")
    data["dachflaeche"] = "123"
    response = resident_client.post(f"/antraege/{application.public_id}/seite/2/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert ERROR in html
    assert 'value="123"' in html
    assert_rows_and_files_match(broken_disk, rows)
    application.refresh_from_db()
    kept = [i for key in ("zustimmung_eigentum", "fotos_dach", "lageplan", "statik")
            for i in application.answers.get(key, [])]  # fmt: skip
    assert set(kept) == set(StoredFile.objects.exclude(pk__in=rows).values_list("pk", flat=True))


@pytest.fixture
def question(submitted, caseworker):
    return cases.ask(submitted, "Bitte reichen Sie ein Foto des Daches nach.", by=caseworker)


def test_an_answer_to_a_question_is_kept_on_the_form_when_its_files_cannot_be_stored(
    resident_client, question, broken_disk
):
    rows = set(StoredFile.objects.values_list("pk", flat=True))
    application = question.application
    response = resident_client.post(
        f"/antraege/{application.public_id}/rueckfrage/{question.pk}/",
        {
            "answer": "Hier sind die Fotos vom Dach.",
            "dateien": [pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert ERROR in html and "Hier sind die Fotos vom Dach." in html
    question.refresh_from_db()
    assert question.answered_at is None and not question.answer
    assert_rows_and_files_match(broken_disk, rows)
    assert not StoredFile.objects.exclude(pk__in=rows).exists()


def test_staff_scans_are_refused_whole_when_the_disk_is_full_or_read_only(
    caseworker_client, submitted, broken_disk
):
    rows = set(StoredFile.objects.values_list("pk", flat=True))
    response = caseworker_client.post(
        f"/verwaltung/vorgaenge/{submitted.public_id}/scans/",
        {"dateien": [pdf(f"scan{n}.pdf") for n in range(4)]},
    )
    assert response.status_code == 200
    assert ERROR in response.content.decode()
    assert_rows_and_files_match(broken_disk, rows)
    assert not StoredFile.objects.exclude(pk__in=rows).exists()
