"""The procurement checklist: kept by the office, published with the record as its next
version, shown on the public page."""

import json

from django.test import Client

from rathaus.register import services
from rathaus.register.models import Record
from rathaus.register.procurement import CRITERIA

from .conftest import form_data


def checklist_data(**changes) -> dict:
    data = {}
    for key in CRITERIA:
        data[f"{key}_state"] = "open"
        data[f"{key}_evidence"] = ""
    return data | changes


def published(steward, office) -> Record:
    record = Record.objects.create(office=office, **form_data())
    services.publish(record, by=steward, reason="Erste Veröffentlichung")
    return record


def test_the_checklist_is_published_as_the_next_version(steward, steward_client, office, client):
    record = published(steward, office)
    url = f"/algorithmen/verwalten/{record.slug}/beschaffung/"
    data = checklist_data(
        energy_state="met", energy_evidence="Messprotokoll vom 03.11.2026 (Standardszenario)"
    )
    refused = steward_client.post(url, data)
    assert "Bitte geben Sie an, was sich geändert hat und warum." in refused.content.decode()
    assert 'value="Messprotokoll vom 03.11.2026 (Standardszenario)"' in refused.content.decode()
    record.refresh_from_db()
    assert record.procurement_checklist == {} and record.current.number == 1

    assert (
        steward_client.post(url, {**data, "reason": "Energiemessung liegt vor"}).status_code == 302
    )
    record.refresh_from_db()
    assert record.current.number == 2
    body = json.loads(record.current.document)
    assert body["procurement_checklist"]["energy"] == {
        "state": "met",
        "evidence": "Messprotokoll vom 03.11.2026 (Standardszenario)",
    }
    assert body["procurement_checklist"]["labour"] == {"state": "open", "evidence": ""}
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Messprotokoll vom 03.11.2026 (Standardszenario)" in page and "erfüllt" in page
    history = client.get(f"/algorithmen/{record.slug}/aenderungen/").content.decode()
    assert "Energiemessung liegt vor" in history and "Beschaffungs-Checkliste" in history


def test_nonsense_in_the_checklist_gets_a_german_message(steward, steward_client, office):
    record = published(steward, office)
    url = f"/algorithmen/verwalten/{record.slug}/beschaffung/"
    answer = steward_client.post(
        url, checklist_data(audit_state="vielleicht", formats_evidence="x" * 501, reason="Test")
    )
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in text and "höchstens 500 Zeichen" in text
    record.refresh_from_db()
    assert record.current.number == 1


def test_only_the_office_keeps_the_checklist(steward, office, other_steward):
    record = published(steward, office)
    stranger = Client()
    stranger.force_login(other_steward)
    url = f"/algorithmen/verwalten/{record.slug}/beschaffung/"
    assert stranger.get(url).status_code == 403
    assert stranger.post(url, checklist_data(energy_state="met", reason="fremd")).status_code == 403
    record.refresh_from_db()
    assert record.procurement_checklist == {}


def test_the_demo_records_carry_their_checklist(db, client):
    page = client.get("/algorithmen/kita-platzvergabe/").content.decode()
    assert "Automatische Prüfung nach jeder Vergaberunde" in page
    assert "Eigenentwicklung der Stadt, keine Lieferkette." in page
