"""The council's back office (/verwaltung/council/): the staff of the council's office enter
meetings with their agenda, papers and documents; staff of another office, residents and
visitors get nothing; "Löschen" withdraws instead of deleting; uploads must be real PDFs."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from rathaus.accounts.models import Role
from rathaus.core.models import AuditEntry
from rathaus.council.models import Body, File, Meeting, Paper
from rathaus.offices.models import Office
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client):
    office = Body.objects.get().office
    client.force_login(StaffFactory(roles=[Role.COUNCIL_OFFICE], roles__offices=[office]))
    return client


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_council_office_sees_its_meetings_and_others_see_nothing(client, clerk):
    meeting = Meeting.objects.filter(deleted=False).first()
    page = clerk.get("/verwaltung/council/meeting/")
    assert page.status_code == 200 and meeting.name in page.content.decode()
    assert clerk.get(f"/verwaltung/council/meeting/{meeting.pk}/change/").status_code == 200
    other = Office.objects.exclude(pk=Body.objects.get().office_id).first()
    for user in (
        StaffFactory(roles=[Role.COUNCIL_OFFICE], roles__offices=[other]),
        StaffFactory(roles=[Role.CASEWORKER], roles__offices=[Body.objects.get().office]),
        UserFactory(),
    ):
        client.force_login(user)
        listing = client.get("/verwaltung/council/meeting/")
        change = client.get(f"/verwaltung/council/meeting/{meeting.pk}/change/")
        assert listing.status_code != 200 or meeting.name not in listing.content.decode(), user
        assert change.status_code != 200, user
    client.logout()
    assert client.get("/verwaltung/council/meeting/").status_code == 302


def test_deleting_a_paper_withdraws_it_with_an_audit_entry(clerk):
    paper = Paper.objects.filter(deleted=False).first()
    answer = clerk.post(f"/verwaltung/council/paper/{paper.pk}/delete/", {"post": "yes"})
    assert answer.status_code == 302
    paper.refresh_from_db()
    assert paper.deleted is True  # the row stays for the OParl clients
    assert AuditEntry.objects.filter(action="rathaus.council.paper.withdrawn").exists()


def _file_form(**changes) -> dict:
    return {
        "body": Body.objects.order_by("pk").first().pk,
        "name": "Vorlage zur Digitalstrategie",
        "file_name": "vorlage-digitalstrategie.pdf",
        "date": "26.11.2026",
        "text": "",
        "_save": "Sichern",
        **changes,
    }


def test_a_document_must_be_a_real_pdf_with_a_plain_name(clerk):
    fake = SimpleUploadedFile("vorlage.pdf", b"<html>keine PDF</html>", "application/pdf")
    answer = clerk.post("/verwaltung/council/file/add/", {**_file_form(), "upload": fake})
    assert answer.status_code == 200
    assert "keine Datei der erlaubten Art" in answer.content.decode()
    assert "Vorlage zur Digitalstrategie" in answer.content.decode()  # entered text kept
    bad_name = clerk.post(
        "/verwaltung/council/file/add/",
        {**_file_form(file_name="../../etc/passwd"), "upload": SimpleUploadedFile("a.pdf", _pdf())},
    )
    assert "Endung .pdf" in bad_name.content.decode()
    missing = clerk.post("/verwaltung/council/file/add/", _file_form())
    assert "Bitte wählen Sie die Datei aus." in missing.content.decode()
    assert not File.objects.filter(name="Vorlage zur Digitalstrategie").exists()


def test_an_uploaded_pdf_is_kept_with_its_size_and_checksum(clerk):
    data = _pdf()
    answer = clerk.post(
        "/verwaltung/council/file/add/",
        {**_file_form(), "upload": SimpleUploadedFile("x.pdf", data, "application/pdf")},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    stored = File.objects.get(name="Vorlage zur Digitalstrategie")
    assert stored.size == len(data) and stored.sha512 == hashlib.sha512(data).hexdigest()
    assert stored.archival == ""  # a plain PDF, not PDF/A
    served = clerk.get(f"/ratsinfo/dateien/{stored.pk}/vorlage-digitalstrategie.pdf")
    assert b"".join(served.streaming_content) == data


def test_choices_are_limited_to_the_office_s_own_body(client):
    other_office = Office.objects.exclude(pk=Body.objects.get().office_id).first()
    other_body = Body.objects.create(name="Kreis Demo", office=other_office)
    office = Body.objects.exclude(pk=other_body.pk).get().office
    client.force_login(StaffFactory(roles=[Role.COUNCIL_OFFICE], roles__offices=[office]))
    answer = client.post(
        "/verwaltung/council/file/add/",
        {
            **_file_form(body=other_body.pk),
            "upload": SimpleUploadedFile("x.pdf", _pdf(), "application/pdf"),
        },
    )
    assert answer.status_code == 200
    assert "Dies ist keine gültige Auswahl." in answer.content.decode()
    assert not File.objects.filter(body=other_body).exists()
