import io

import pytest
from pypdf import PdfReader

from rathaus.accounts.models import AccessLogEntry
from rathaus.applications.models import Application, Document, Event, StoredFile
from rathaus.applications.services import cases

from .conftest import pdf_upload


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_the_office_inbox_lists_the_case_and_filters_it(submitted, caseworker_client):
    html = caseworker_client.get("/verwaltung/vorgaenge/").content.decode()
    assert submitted.reference in html
    assert (
        submitted.reference
        in caseworker_client.get(
            "/verwaltung/vorgaenge/",
            {"leistung": "foerderung-dachbegruenung", "q": submitted.reference[-6:]},
        ).content.decode()
    )
    assert (
        submitted.reference
        not in caseworker_client.get(
            "/verwaltung/vorgaenge/", {"status": "decided"}
        ).content.decode()
    )
    assert (
        submitted.reference
        not in caseworker_client.get("/verwaltung/vorgaenge/", {"meine": "1"}).content.decode()
    )


@pytest.mark.django_db
def test_opening_a_case_is_logged_for_the_applicant(submitted, caseworker_client, resident_client):
    html = caseworker_client.get(f"/verwaltung/vorgaenge/{submitted.public_id}/").content.decode()
    assert "Mustermann" in html
    entry = AccessLogEntry.objects.get(subject_id=submitted.applicant.public_id)
    assert submitted.reference in entry.purpose
    assert "Lea Grün" in resident_client.get("/konto/zugriffe/").content.decode()


@pytest.mark.django_db
def test_whole_caseworker_flow_with_query_and_decision(
    submitted, caseworker_client, resident_client, mail_dir, django_capture_on_commit_callbacks
):
    url = f"/verwaltung/vorgaenge/{submitted.public_id}/"
    caseworker_client.post(url + "zuweisen/")
    caseworker_client.post(url + "status/", {"status": "in_progress"})
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.IN_PROGRESS
    assert submitted.assignee == caseworker_client.user

    caseworker_client.post(url + "notiz/", {"text": "Statik plausibel, Kosten prüfen."})
    with django_capture_on_commit_callbacks(execute=True):
        caseworker_client.post(
            url + "rueckfrage/", {"text": "Bitte senden Sie ein Foto der Dachfläche."}
        )
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.QUERY
    question = submitted.questions.get()
    mail = [p.read_text() for p in mail_dir.iterdir() if "Rückfrage" in p.read_text()]
    assert mail and f"/antraege/{submitted.public_id}/" in mail[0]

    detail = resident_client.get(f"/antraege/{submitted.public_id}/").content.decode()
    assert "Bitte senden Sie ein Foto der Dachfläche." in detail
    assert "Statik plausibel" not in detail  # internal notes stay internal
    resident_client.post(
        f"/antraege/{submitted.public_id}/rueckfrage/{question.pk}/",
        {"answer": "Foto anbei.", "dateien": [pdf_upload("dach.pdf")]},
    )
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.IN_PROGRESS
    assert submitted.attention is True
    assert StoredFile.objects.filter(question=question).count() == 1
    inbox = caseworker_client.get("/verwaltung/vorgaenge/").content.decode()
    assert "Antwort eingegangen" in inbox

    with django_capture_on_commit_callbacks(execute=True):
        response = caseworker_client.post(
            url + "bescheid/",
            {
                "kind": "partial",
                "amount": "1.250,00",
                "reasoning": "Förderfähig sind 25 m² der beantragten Fläche.",
                "legal_remedy": "Gegen diesen Bescheid können Sie Klage erheben.",
            },
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.DECIDED
    document = Document.objects.get(application=submitted, kind=Document.Kind.DECISION)
    response = resident_client.get(f"/antraege/{submitted.public_id}/dokumente/{document.pk}/")
    text = pdf_text(b"".join(response.streaming_content))
    assert "Bescheid" in text
    assert submitted.reference in text
    assert "1.250,00" in text
    assert document.verification_code in text
    assert "Erika Mustermann" in text and "40225 Düsseldorf" in text  # the address window

    verify = resident_client.get(
        f"/bescheid-pruefen/{document.verification_code}/"
    ).content.decode()
    assert submitted.reference in verify and document.sha256 in verify
    document.file.open("rb")
    original = document.file.read()
    ok = resident_client.post(
        f"/bescheid-pruefen/{document.verification_code}/",
        {
            "datei": __import__(
                "django.core.files.uploadedfile", fromlist=["x"]
            ).SimpleUploadedFile("b.pdf", original)
        },
    ).content.decode()
    assert "unverändert" in ok
    forged = resident_client.post(
        f"/bescheid-pruefen/{document.verification_code}/",
        {
            "datei": __import__(
                "django.core.files.uploadedfile", fromlist=["x"]
            ).SimpleUploadedFile("b.pdf", original + b"x")
        },
    ).content.decode()
    assert "stimmt nicht" in forged

    caseworker_client.post(url + "status/", {"status": "closed"})
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.CLOSED
    assert submitted.retain_until is not None
    kinds = list(submitted.events.values_list("kind", flat=True))
    for kind in ["status", "assigned", "note", "question", "answer", "decision"]:
        assert kind in kinds


@pytest.mark.django_db
def test_steps_the_workflow_does_not_have_are_refused(submitted, caseworker_client):
    url = f"/verwaltung/vorgaenge/{submitted.public_id}/"
    caseworker_client.post(url + "status/", {"status": "closed"}, follow=True)
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.RECEIVED
    response = caseworker_client.post(url + "status/", {"status": "unsinn"})
    assert response.status_code == 400  # only a forged form sends a status that does not exist
    with pytest.raises(cases.CaseError):
        cases.change_status(submitted, Application.Status.DECIDED, by=caseworker_client.user)


@pytest.mark.django_db
def test_a_decision_needs_reasoning(submitted, caseworker_client):
    html = caseworker_client.post(
        f"/verwaltung/vorgaenge/{submitted.public_id}/bescheid/",
        {"kind": "approval", "reasoning": "", "legal_remedy": "x"},
    ).content.decode()
    assert "Ein Bescheid braucht eine Begründung." in html
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.RECEIVED


@pytest.mark.django_db
def test_residents_can_withdraw(submitted, resident_client):
    resident_client.post(f"/antraege/{submitted.public_id}/zurueckziehen/")
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.WITHDRAWN
    assert submitted.events.filter(kind=Event.Kind.STATUS, to_status="withdrawn").exists()


@pytest.mark.django_db
def test_processing_times_per_service(submitted, caseworker_client):
    html = caseworker_client.get("/verwaltung/vorgaenge/auswertung/").content.decode()
    assert "Förderung für Dachbegrünung beantragen" in html
