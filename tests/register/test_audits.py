"""The audit tool for staff: upload decisions, read the report as a page and a real PDF;
reports of published records are public, others stay with their office."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from rathaus.register import services
from rathaus.register.models import Audit, Record

from .conftest import form_data

NEW = "/algorithmen/pruefungen/neu/"


def decisions_csv(rate_a: float = 0.3, rate_b: float = 0.5, per_group: int = 200) -> bytes:
    """Decisions of two groups with the given selection rates (exact, no randomness)."""
    lines = ["ergebnis;geschlecht;bezirk;tatsaechlich"]
    for group, rate in (("Frau", rate_a), ("Mann", rate_b)):
        chosen = round(per_group * rate)
        for n in range(per_group):
            lines.append(f"{'ja' if n < chosen else 'nein'};{group};{1 + n % 10};{n % 2}")
    return ("\n".join(lines) + "\n").encode()


def upload(client: Client, office, content: bytes, name="entscheidungen.csv", **fields):
    data = {
        "title": "Vorprüfung Wohngeld 2026",
        "office": office.pk,
        "outcome": "ergebnis",
        "protected": "geschlecht, bezirk",
        "label": "tatsaechlich",
        "min_cases": "30",
        "file": SimpleUploadedFile(name, content, content_type="text/csv"),
        **fields,
    }
    return client.post(NEW, data)


def test_a_steward_audits_a_file_and_downloads_the_pdf(steward_client, office):
    answer = upload(steward_client, office, decisions_csv())
    assert answer.status_code == 302
    made = Audit.objects.get(title="Vorprüfung Wohngeld 2026")
    assert made.flagged and made.results["rows"] == 400
    page = steward_client.get(answer["Location"]).content.decode()
    assert "Auffällig: Die Gruppe „Frau“ wird seltener ausgewählt (30,0 %)" in page
    assert "„Mann“ (50,0 %)" in page
    assert "zu wenige Fälle" in page  # a district has 20 true cases: no error rates
    bezirk = next(a for a in made.results["attributes"] if a["name"] == "bezirk")
    assert all(group["n"] == 40 and not group["too_few"] for group in bezirk["groups"])

    pdf = steward_client.get(f"/algorithmen/pruefungen/{made.pk}/bericht.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Vorprüfung Wohngeld 2026" in text and "Auffällig" in text
    assert "Vier-Fünftel" in text


def test_the_file_is_not_kept_only_its_figures_and_hash(steward_client, office):
    import hashlib

    content = decisions_csv()
    upload(steward_client, office, content)
    made = Audit.objects.get(title="Vorprüfung Wohngeld 2026")
    assert made.file_sha256 == hashlib.sha256(content).hexdigest()
    assert not [f for f in Audit._meta.get_fields() if f.get_internal_type() == "FileField"]


def test_a_report_of_a_published_record_is_public_others_stay_with_the_office(
    steward, steward_client, office, client, other_steward
):
    record = Record.objects.create(office=office, **form_data())
    services.publish(record, by=steward, reason="Erste Veröffentlichung")
    upload(steward_client, office, decisions_csv(), record=record.pk, title="Öffentlich")
    upload(steward_client, office, decisions_csv(0.5, 0.5), title="Intern")
    public = Audit.objects.get(title="Öffentlich")
    internal = Audit.objects.get(title="Intern")

    page = client.get(record.get_absolute_url()).content.decode()
    assert "Öffentlich" in page and "auffällig" in page
    assert client.get(f"/algorithmen/{record.slug}/pruefungen/{public.pk}/").status_code == 200
    pdf = client.get(f"/algorithmen/{record.slug}/pruefungen/{public.pk}/bericht.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert client.get(f"/algorithmen/{record.slug}/pruefungen/{internal.pk}/").status_code == 404
    assert client.get(f"/algorithmen/pruefungen/{internal.pk}/").status_code == 302  # sign in

    stranger = Client()
    stranger.force_login(other_steward)
    assert stranger.get(f"/algorithmen/pruefungen/{internal.pk}/").status_code == 404
    assert stranger.get(f"/algorithmen/pruefungen/{internal.pk}/bericht.pdf").status_code == 404
    assert "Intern" not in stranger.get("/algorithmen/pruefungen/").content.decode()
    foreign = upload(Client(), office, decisions_csv())
    assert foreign.status_code == 302 and "/anmelden" in foreign["Location"]
    as_stranger = upload(stranger, office, decisions_csv(), title="Fremd")
    assert "Bitte eine gültige Auswahl treffen" in as_stranger.content.decode()
    assert not Audit.objects.filter(title="Fremd").exists()


@pytest.mark.parametrize(
    ("content", "name", "fields", "message"),
    [
        (b"", "leer.csv", {}, "Die übertragene Datei ist leer."),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "bild.png", {}, "CSV-, XLSX- oder GeoJSON-Datei"),
        (None, "x.csv", {"outcome": "entscheidung"}, "keine Spalte „entscheidung“"),
        (b"ergebnis;geschlecht\nvielleicht;Frau\n", "x.csv", {"protected": "geschlecht",
         "label": ""}, "Zeile 2"),
        (None, "x.csv", {"protected": " , "}, "mindestens ein geschütztes Merkmal"),
        (None, "x.csv", {"min_cases": "3"}, "größer oder gleich 10"),
        (None, "x.csv", {"title": ""}, "Dieses Feld ist zwingend erforderlich."),
    ],
)  # fmt: skip
def test_bad_input_gets_a_german_message_and_keeps_the_fields(
    steward_client, office, content, name, fields, message
):
    answer = upload(steward_client, office, decisions_csv() if content is None else content,
                    name=name, **fields)  # fmt: skip
    assert answer.status_code == 200
    text = answer.content.decode()
    assert message in text
    assert "Bitte wählen Sie die Datei erneut aus" in text
    if "title" not in fields:
        assert 'value="Vorprüfung Wohngeld 2026"' in text
    assert not Audit.objects.filter(office=office).exists()


def test_a_file_above_the_limit_is_refused(steward_client, office, settings):
    big = b"ergebnis;geschlecht\n" + b"ja;Frau\n" * (21 * 1024 * 1024 // 8)
    answer = upload(steward_client, office, big, protected="geschlecht", label="")
    assert answer.status_code in {200, 413}
    assert "zu groß" in answer.content.decode()
    assert not Audit.objects.filter(office=office).exists()
