"""Catalogue editors build, preview, publish, export and import forms without code."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rathaus.accounts.models import Role
from rathaus.applications.models import Application, DraftField, FormDefinition, FormDraft
from tests.factories import StaffFactory

from .conftest import DACH, fill_all_pages, start_application


@pytest.fixture
def editor():
    client = Client()
    client.force_login(StaffFactory(roles=[Role.CATALOGUE_EDITOR]))
    return client


@pytest.fixture
def draft():
    return FormDraft.objects.get(service__slug=DACH)


@pytest.mark.django_db
def test_editor_changes_a_question_previews_and_publishes_a_new_version(
    editor, draft, resident_client
):
    started = start_application(resident_client)  # on version 1
    field = DraftField.objects.get(draft=draft, key="dachflaeche")
    field.label = "Wie viele Quadratmeter werden begrünt?"
    field.save()
    preview = editor.get(
        f"/verwaltung/applications/formdraft/{draft.pk}/vorschau/2/"
    ).content.decode()
    assert "Wie viele Quadratmeter werden begrünt?" in preview
    checked = editor.post(
        f"/verwaltung/applications/formdraft/{draft.pk}/vorschau/2/", {"dachflaeche": "0,5"}
    ).content.decode()
    assert "mindestens" in checked
    assert (
        editor.get(f"/verwaltung/applications/formdraft/{draft.pk}/veroeffentlichen/").status_code
        == 200
    )
    editor.post(f"/verwaltung/applications/formdraft/{draft.pk}/veroeffentlichen/")
    versions = list(
        FormDefinition.objects.filter(service=draft.service).values_list("version", flat=True)
    )
    assert sorted(versions) == [1, 2]

    # The running draft keeps version 1 and can be finished and submitted with it.
    fill_all_pages(resident_client, started)
    resident_client.post(f"/antraege/{started.public_id}/pruefen/", {"confirm": "on"})
    started.refresh_from_db()
    assert started.status == Application.Status.RECEIVED
    assert started.form.version == 1
    # New applications get version 2.
    fresh = start_application(resident_client)
    assert fresh.form.version == 2
    page = resident_client.get(f"/antraege/{fresh.public_id}/seite/2/").content.decode()
    assert "Wie viele Quadratmeter werden begrünt?" in page


@pytest.mark.django_db
def test_a_broken_draft_is_not_published(editor, draft):
    DraftField.objects.filter(draft=draft, key="dachflaeche").update(
        visible_if_field="gibt_es_nicht"
    )
    html = editor.get(
        f"/verwaltung/applications/formdraft/{draft.pk}/veroeffentlichen/"
    ).content.decode()
    assert "nicht vorher im Formular" in html
    editor.post(f"/verwaltung/applications/formdraft/{draft.pk}/veroeffentlichen/")
    assert FormDefinition.objects.filter(service=draft.service).count() == 1


@pytest.mark.django_db
def test_export_and_import_round_trip(editor, draft):
    exported = editor.get(f"/verwaltung/applications/formdraft/{draft.pk}/export.json")
    schema = json.loads(exported.content)
    assert schema["pages"][0]["fields"][0]["key"] == "vorname"
    schema["pages"][0]["title"] = "Wer stellt den Antrag?"
    upload = SimpleUploadedFile("form.json", json.dumps(schema).encode())
    editor.post(f"/verwaltung/applications/formdraft/{draft.pk}/import/", {"file": upload})
    assert draft.pages.first().title == "Wer stellt den Antrag?"
    assert (
        json.loads(editor.get(f"/verwaltung/applications/formdraft/{draft.pk}/export.json").content)
        == schema
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{kein json", "kein gültiges JSON"), (b'{"pages": []}', "keine Seite")],
)
def test_bad_imports_are_explained_and_change_nothing(editor, draft, content, message):
    before = list(draft.fields.values_list("key", flat=True))
    html = editor.post(
        f"/verwaltung/applications/formdraft/{draft.pk}/import/",
        {"file": SimpleUploadedFile("f.json", content)},
    ).content.decode()
    assert message in html
    assert list(draft.fields.values_list("key", flat=True)) == before


@pytest.mark.django_db
def test_caseworkers_cannot_build_forms(draft):
    client = Client()
    client.force_login(StaffFactory(roles=[Role.CASEWORKER]))
    assert client.get(f"/verwaltung/applications/formdraft/{draft.pk}/change/").status_code == 403
    assert client.post(
        f"/verwaltung/applications/formdraft/{draft.pk}/veroeffentlichen/"
    ).status_code in {302, 403}
    assert FormDefinition.objects.filter(service=draft.service).count() == 1
