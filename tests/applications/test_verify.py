"""/bescheid-pruefen/: by code or by the PDF alone, with what the transparency log says;
modified files, foreign files, nonsense and oversize uploads get a clear answer."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rathaus import ledger
from rathaus.applications.models import Document
from rathaus.applications.services import decisions
from rathaus.ledger.models import Entry
from rathaus.ledger.services import sequencer
from tests.applications.test_decisions_pdf import decide, submitted
from tests.support import modified_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def bescheid() -> Document:
    application = submitted("foerderung-dachbegruenung")
    decide(application)
    return Document.objects.get(application=application, kind=Document.Kind.DECISION)


def pdf_of(document: Document) -> bytes:
    with document.file.open("rb") as file:
        return file.read()


def test_the_bescheid_is_recorded_in_the_log_with_hash_and_aktenzeichen_only(bescheid):
    standing = ledger.standing(bescheid.sha256)
    assert standing.pending  # in the outbox with the decision, sequenced after the commit
    sequencer.sequence_all()
    entry = Entry.objects.get(sha256=bescheid.sha256)
    assert entry.kind == "bescheid" and entry.reference == bescheid.application.reference
    assert bescheid.application.office.name in entry.record
    assert "Mustermann" not in entry.record and "Erika" not in entry.record
    assert bescheid.verification_code not in entry.record


def test_by_code_the_page_says_genuine_issued_by_whom_and_entry_number(client, bescheid):
    sequencer.sequence_all()
    entry = Entry.objects.get(sha256=bescheid.sha256)
    page = client.get(f"/bescheid-pruefen/{bescheid.verification_code}/").content.decode()
    date = bescheid.created_at.astimezone().strftime("%d.%m.%Y")
    assert (
        f"Echt: ausgestellt am {date} von {bescheid.application.office.name}, enthalten im "
        f"Transparenzlog, Eintrag Nr. {entry.index}." in page
    )


def test_before_sequencing_the_page_says_the_entry_is_coming(client, bescheid):
    page = client.get(f"/bescheid-pruefen/{bescheid.verification_code}/").content.decode()
    assert "in den nächsten Minuten in das Transparenzlog aufgenommen" in page


def test_the_pdf_alone_is_recognised_as_exactly_this_bescheid(client, bescheid):
    sequencer.sequence_all()
    answer = client.post(
        "/bescheid-pruefen/", {"datei": SimpleUploadedFile("bescheid.pdf", pdf_of(bescheid))}
    )
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Die Datei ist genau dieser Bescheid, unverändert." in page
    assert "Echt: ausgestellt am" in page and bescheid.application.reference in page


def test_a_modified_copy_is_flagged_and_the_real_bescheid_named_by_its_printed_code(
    client, bescheid
):
    sequencer.sequence_all()
    copy = modified_pdf(pdf_of(bescheid))
    assert decisions.code_in_pdf(copy) == bescheid.verification_code
    answer = client.post("/bescheid-pruefen/", {"datei": SimpleUploadedFile("b.pdf", copy)})
    page = answer.content.decode()
    assert "Achtung: Die Datei stimmt nicht mit dem Bescheid überein." in page
    assert bescheid.verification_code in page


def test_a_foreign_file_is_no_bescheid_of_the_city(client):
    for content in (b"%PDF-1.4 nothing", b"\x00\xff" * 100, "Bescheid ✓".encode()):
        answer = client.post("/bescheid-pruefen/", {"datei": SimpleUploadedFile("x.pdf", content)})
        assert answer.status_code == 404
        assert "Diese Datei ist kein Bescheid der Stadt" in answer.content.decode()


def test_an_empty_form_and_a_wrong_code_get_clear_german_answers(client):
    empty = client.post("/bescheid-pruefen/", {"code": ""}).content.decode()
    assert "Bitte geben Sie den Prüfcode ein oder wählen Sie die PDF-Datei." in empty
    long = client.post("/bescheid-pruefen/", {"code": "<script>" * 5}).content.decode()
    assert "&lt;script&gt;" in long and "<script><script>" not in long
    missing = client.get("/bescheid-pruefen/AAAA-BBBB-CCCC/")
    assert missing.status_code == 404
    assert "Zum Prüfcode AAAA-BBBB-CCCC gibt es keinen Bescheid." in missing.content.decode()


def test_an_oversize_upload_is_refused_with_the_code_kept(client, bescheid, monkeypatch):
    from rathaus.applications.views import public

    monkeypatch.setattr(public, "MAX_PDF", 1000)
    answer = client.post(
        "/bescheid-pruefen/",
        {"code": bescheid.verification_code, "datei": SimpleUploadedFile("b.pdf", b"x" * 2000)},
    )
    page = answer.content.decode()
    assert "Die Datei ist zu groß" in page
    assert f'value="{bescheid.verification_code}"' in page


def test_the_api_names_the_bescheid_s_hash_for_verifiers(client, bescheid):
    code = bescheid.verification_code.lower().replace("-", "")
    answer = client.get(f"/api/v1/bescheide/{code}").json()
    assert answer["sha256"] == bescheid.sha256
    assert answer["reference"] == bescheid.application.reference
    assert "Mustermann" not in str(answer)
    assert client.get("/api/v1/bescheide/AAAA-BBBB-CCCC").status_code == 404
