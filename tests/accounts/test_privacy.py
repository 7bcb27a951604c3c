"""Residents' rights: see and take all data (JSON, readable page, PDF), correct, delete."""

import io
import json

import pytest
from pypdf import PdfReader

from rathaus.accounts.models import AccessLogEntry, Passkey, RecoveryCode, User
from rathaus.accounts.services.access_log import log_access
from rathaus.core.models import AuditEntry
from tests.factories import StaffFactory

from .conftest import body, link_in_last_mail, mails


@pytest.mark.django_db
def test_the_json_export_holds_everything_about_the_account(resident):
    user = resident.sign_up()
    staff = StaffFactory(full_name="Petra Prüfer", staff_number="S-0815")
    log_access(
        staff,
        subject_id=user.public_id,
        record_type="Konto",
        record_id=user.pk,
        purpose="Rückfrage am Telefon",
    )
    response = resident.client.get("/konto/daten/export.json")
    assert response["Content-Disposition"].startswith('attachment; filename="meine-daten-')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["format"] == "rathaus-datenauskunft/1"
    account = next(s for s in data["sections"] if s["key"] == "account")["data"]
    assert account["account"]["email"] == resident.email
    assert account["passkeys"][0]["name"] == "Handy"
    assert account["recovery_codes"] == {
        "total": 10,
        "unused": 10,
        "note": account["recovery_codes"]["note"],
    }
    assert account["staff_access_log"][0]["by"] == "Petra Prüfer (S-0815)"
    assert account["staff_access_log"][0]["purpose"] == "Rückfrage am Telefon"
    actions = [a["action"] for a in account["own_actions"]]
    assert "rathaus.accounts.account.created" in actions


@pytest.mark.django_db
def test_the_readable_summary_and_the_pdf_say_the_same(resident):
    resident.sign_up()
    html = resident.client.get("/konto/daten/uebersicht/").content.decode()
    assert resident.email in html and "Handy" in html
    response = resident.client.get("/konto/daten/uebersicht/?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Auskunft über Ihre gespeicherten Daten" in text
    assert resident.email in text
    assert "Handy" in text


@pytest.mark.django_db
def test_changing_the_email_address_needs_the_new_address_confirmed(resident, mail_dir):
    user = resident.sign_up()
    with resident.capture(execute=True):
        resident.client.post("/konto/e-mail/", {"email": "Kim.Neu@Beispiel.de"})
    user.refresh_from_db()
    assert user.email == resident.email  # not yet
    path = link_in_last_mail(mail_dir, "kim.neu@beispiel.de")
    notice = [m for m in mails(mail_dir) if m["To"] == resident.email][-1]
    assert notice["Subject"] == "Ihre E-Mail-Adresse soll geändert werden"
    resident.client.get(path)
    user.refresh_from_db()
    assert user.email == "kim.neu@beispiel.de"
    assert resident.client.get(path).status_code == 404  # once only
    entry = AuditEntry.objects.get(action="rathaus.accounts.email.changed")
    assert "beispiel.de" not in json.dumps(entry.changes)


@pytest.mark.django_db
def test_an_address_of_another_account_cannot_be_taken(resident, other_resident, mail_dir):
    resident.sign_up()
    other_resident.sign_up()
    with resident.capture(execute=True):
        resident.client.post("/konto/e-mail/", {"email": other_resident.email})
    path = link_in_last_mail(mail_dir, other_resident.email)
    assert resident.client.get(path).status_code == 404
    assert User.objects.filter(email=resident.email).exists()


@pytest.mark.django_db
def test_deleting_the_account_removes_personal_data_and_keeps_the_log_pseudonymised(
    resident, mail_dir
):
    user = resident.sign_up()
    staff = StaffFactory()
    log_access(
        staff, subject_id=user.public_id, record_type="Konto", record_id=user.pk, purpose="Prüfung"
    )
    public_id, user_id = user.public_id, user.pk
    page = resident.client.get("/konto/loeschen/").content.decode()
    assert "Zugriffsprotokoll" in page and "bis" in page  # what stays, with its date
    missing = resident.client.post("/konto/loeschen/", {})
    assert "Bitte bestätigen Sie" in missing.content.decode()
    with resident.capture(execute=True):
        done = resident.client.post("/konto/loeschen/", {"confirm": "on"})
    assert "Ihr Konto ist gelöscht" in done.content.decode()
    assert not User.objects.filter(pk=user_id).exists()
    assert not Passkey.objects.filter(user_id=user_id).exists()
    assert not RecoveryCode.objects.filter(user_id=user_id).exists()
    entry = AccessLogEntry.objects.get(subject_id=public_id)  # kept, points at no one now
    assert resident.email not in json.dumps([entry.staff_label, entry.purpose, entry.record_id])
    for audit in AuditEntry.objects.all():
        assert resident.email not in json.dumps(
            [audit.actor_label, audit.object_repr, audit.changes, audit.data]
        )
    assert resident.client.get("/konto/").status_code == 302  # signed out
    goodbye = [m for m in mails(mail_dir) if m["To"] == resident.email][-1]
    assert goodbye["Subject"] == "Ihr Konto wurde gelöscht"
    assert "Zugriffsprotokoll" in body(goodbye)


@pytest.mark.django_db
def test_the_access_log_page_shows_staff_reads(resident):
    user = resident.sign_up()
    staff = StaffFactory(full_name="Petra Prüfer", staff_number="S-0815")
    log_access(
        staff,
        subject_id=user.public_id,
        record_type="Antrag",
        record_id=7,
        purpose="Bearbeitung DUS-2026-000007",
    )
    html = resident.client.get("/konto/zugriffe/").content.decode()
    assert "Petra Prüfer (S-0815)" in html
    assert "Bearbeitung DUS-2026-000007" in html


@pytest.mark.django_db
def test_the_readable_export_speaks_german_not_code(resident):
    """Issue 8, item 11: applications and actions in words, dates as 26.11.2026."""
    from rathaus.applications.demo import sample_application
    from rathaus.catalog.models import Service

    user = resident.sign_up()
    resident.sign_in()
    application = sample_application(Service.objects.get(slug="hundesteuer-anmelden"), user)
    html = resident.client.get("/konto/daten/uebersicht/").content.decode()
    response = resident.client.get("/konto/daten/uebersicht/?format=pdf")
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for text in (html, " ".join(pdf_text.split())):
        assert f"Antrag {application.reference}" in text
        assert "eingegangen" in text  # the status in words
        assert "Konto erstellt" in text and "Mit Passkey angemeldet" in text
        assert "Antrag eingereicht" in text
        assert application.created_at.astimezone().strftime("%d.%m.%Y") in text
        for code in ("rathaus.", "{'", "'received'", "_at", "T0", "None"):
            assert code not in text, code
    # A question of the form with its answer, as the review page shows it.
    first_label = application.form.schema["pages"][0]["fields"][0]["label"]
    assert first_label in html
