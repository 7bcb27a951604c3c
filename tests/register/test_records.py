"""Keeping a record: publishing makes a logged version, every later change is the next
version with its reason, the history shows what changed, drafts stay private."""

import hashlib
import json

from rathaus.core.models import AuditEntry
from rathaus.ledger.models import Pending
from rathaus.register import services
from rathaus.register.models import Record, Version

from .conftest import form_data


def test_publishing_makes_version_one_whose_file_hash_is_in_the_log(steward_client, office):
    answer = steward_client.post(
        "/algorithmen/verwalten/neu/",
        form_data(office=office.pk, aktion="veroeffentlichen"),
    )
    assert answer.status_code == 302
    record = Record.objects.get(slug="test-wohngeld-pruefung")
    version = record.current
    assert version.number == 1 and version.reason == "Erste Veröffentlichung"

    file = steward_client.get("/algorithmen/test-wohngeld-pruefung/fassung-1.json")
    assert file["Content-Type"] == "application/json"
    assert hashlib.sha256(file.content).hexdigest() == version.sha256
    body = json.loads(file.content)
    assert body["office"] == "Amt für Wohnungswesen"
    assert body["excluded_data"] == "Staatsangehörigkeit, Geschlecht, Name."
    assert body["code_paths"] == ["src/rathaus/applications/services"]

    logged = Pending.objects.get(reference="algorithmen/test-wohngeld-pruefung/fassung-1")
    assert logged.kind == "algorithm-register" and logged.sha256 == version.sha256
    assert json.loads(logged.record)["office"] == "Amt für Wohnungswesen"

    page = steward_client.get("/algorithmen/test-wohngeld-pruefung/").content.decode()
    assert "Sortiert eingehende Wohngeldanträge" in page
    assert version.sha256 in page
    assert "Staatsangehörigkeit, Geschlecht, Name." in page
    listing = steward_client.get("/algorithmen/").content.decode()
    assert "Prüfung von Wohngeldanträgen (Test)" in listing


def test_a_draft_is_in_no_page_answer_or_list(steward_client, office, client):
    steward_client.post(
        "/algorithmen/verwalten/neu/", form_data(office=office.pk, aktion="speichern")
    )
    record = Record.objects.get(slug="test-wohngeld-pruefung")
    assert record.current is None
    assert client.get("/algorithmen/test-wohngeld-pruefung/").status_code == 404
    assert client.get("/algorithmen/test-wohngeld-pruefung/aenderungen/").status_code == 404
    assert client.get("/api/v1/algorithmen/test-wohngeld-pruefung").status_code == 404
    assert "Prüfung von Wohngeldanträgen" not in client.get("/algorithmen/").content.decode()
    assert not Pending.objects.filter(reference__startswith="algorithmen/test-").exists()


def test_a_change_needs_a_reason_and_becomes_the_next_logged_version(steward_client, office):
    steward_client.post(
        "/algorithmen/verwalten/neu/", form_data(office=office.pk, aktion="veroeffentlichen")
    )
    edit = "/algorithmen/verwalten/test-wohngeld-pruefung/"
    changed = form_data(office=office.pk, risks="Ein Antrag wird <b>fälschlich</b> zurückgestellt.")
    changed.pop("slug")

    refused = steward_client.post(edit, {**changed, "aktion": "speichern", "reason": " "})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Bitte geben Sie an, was sich geändert hat und warum." in text
    assert "Ein Antrag wird &lt;b&gt;fälschlich&lt;/b&gt; zurückgestellt." in text  # kept
    record = Record.objects.get(slug="test-wohngeld-pruefung")
    assert record.risks == "Ein vollständiger Antrag wird als unvollständig markiert."
    assert record.versions.count() == 1

    saved = steward_client.post(
        edit, {**changed, "aktion": "speichern", "reason": "Neue Risikoprüfung im Juni"}
    )
    assert saved.status_code == 302
    record.refresh_from_db()
    assert record.current.number == 2 and record.current.reason == "Neue Risikoprüfung im Juni"
    assert Pending.objects.filter(reference="algorithmen/test-wohngeld-pruefung/fassung-2").exists()

    history = steward_client.get("/algorithmen/test-wohngeld-pruefung/aenderungen/").content
    history = history.decode()
    assert "Neue Risikoprüfung im Juni" in history
    assert "<ins>&lt;b&gt;fälschlich&lt;/b&gt;" in history  # new words marked, and escaped
    assert "vollständiger</del>" in history
    assert "<b>fälschlich</b>" not in history


def test_saving_an_unchanged_record_makes_no_version(steward, office):
    record = Record.objects.create(office=office, **form_data())
    services.publish(record, by=steward, reason="Erste Veröffentlichung")
    assert services.save(record, by=steward, reason="Nur gespeichert") is None
    assert record.versions.count() == 1
    assert Pending.objects.filter(reference__startswith="algorithmen/test-wohngeld").count() == 1


def test_the_document_holds_exactly_the_public_fields(steward, office):
    """The version file is what the public reads: no editor, no internal key."""
    record = Record.objects.create(office=office, **form_data())
    version = services.publish(record, by=steward, reason="Erste Veröffentlichung")
    body = json.loads(version.document)
    assert set(body) == {
        *("register", "slug", "version", "published", "reason", "office", "name", "summary"),
        *("contact_email", "phase", "decision_role", "supplier", "easy_language", "purpose"),
        *("how_it_works", "data_used", "excluded_data", "human_oversight", "appeal", "risks"),
        *("mitigations", "procurement", "code_paths", "test_paths", "procurement_checklist"),
    }
    assert steward.email not in version.document and "Dana Daten" not in version.document
    assert version.document == json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def test_every_save_and_version_is_in_the_audit_trail(steward, office):
    record = Record.objects.create(office=office, **form_data())
    services.publish(record, by=steward, reason="Erste Veröffentlichung")
    record.phase = Record.Phase.PRODUCTION
    services.save(record, by=steward, reason="Im Einsatz seit Juli")
    entries = AuditEntry.objects.filter(
        object_id=str(record.pk), action__startswith="rathaus.register"
    )
    actions = list(entries.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "rathaus.register.version.published",
        "rathaus.register.record.saved",
        "rathaus.register.version.published",
    ]
    saved = entries.get(action="rathaus.register.record.saved")
    assert saved.changes == {"phase": ["pilot", "production"]}
    assert saved.actor == steward


def test_a_version_file_of_a_draft_or_unknown_number_is_not_found(client, steward, office):
    record = Record.objects.create(office=office, **form_data())
    assert client.get("/algorithmen/test-wohngeld-pruefung/fassung-1.json").status_code == 404
    services.publish(record, by=steward, reason="Erste Veröffentlichung")
    assert client.get("/algorithmen/test-wohngeld-pruefung/fassung-1.json").status_code == 200
    assert client.get("/algorithmen/test-wohngeld-pruefung/fassung-2.json").status_code == 404
    assert Version.objects.filter(record=record).count() == 1


def test_search_and_filters_find_published_records(client, steward, office):
    record = Record.objects.create(office=office, **form_data())
    services.publish(record, by=steward, reason="Erste Veröffentlichung")
    found = client.get("/algorithmen/", {"q": "Wohngeld vollständigkeit"}).content.decode()
    assert "Prüfung von Wohngeldanträgen (Test)" in found
    other = client.get("/algorithmen/", {"q": "Wohngeld", "stand": "production"}).content.decode()
    assert "Prüfung von Wohngeldanträgen (Test)" not in other
    by_office = client.get("/algorithmen/", {"stelle": "amt-fuer-wohnungswesen"}).content.decode()
    assert "Prüfung von Wohngeldanträgen (Test)" in by_office
    assert "Kita-Platzvergabe" not in by_office
    nonsense = client.get("/algorithmen/", {"stand": "<script>", "stelle": "x" * 300})
    assert nonsense.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in nonsense.content.decode()
