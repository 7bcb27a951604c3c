"""Bad input in the record form: clear German messages beside the fields, what was entered
stays in the form, nothing is saved half."""

import pytest

from rathaus.ledger.models import Pending
from rathaus.register.models import Record

from .conftest import form_data

NEW = "/algorithmen/verwalten/neu/"


def _refused(client, data) -> str:
    answer = client.post(NEW, data)
    assert answer.status_code == 200
    assert not Record.objects.filter(name=data.get("name", "")).exists()
    assert not Pending.objects.filter(reference__startswith="algorithmen/test-").exists()
    return answer.content.decode()


def test_missing_fields_are_named_and_the_rest_is_kept(steward_client, office):
    data = form_data(office=office.pk, aktion="veroeffentlichen", purpose="", easy_language="")
    text = _refused(steward_client, data)
    assert text.count("Dieses Feld ist zwingend erforderlich.") >= 2
    assert "Sortiert eingehende Wohngeldanträge nach Vollständigkeit vor." in text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("code_paths", "../../etc/passwd", "ist kein Pfad im Quellcode"),
        ("code_paths", "/root/.ssh/id_rsa", "ist kein Pfad im Quellcode"),
        ("test_paths", "tests/x.py; rm -rf /", "ist kein Pfad im Quellcode"),
        ("name", "Prüfung\u202eevil", "unsichtbare Steuerzeichen"),
        ("how_it_works", "x" * 8001, "höchstens 8000 Zeichen"),
        ("contact_email", "kein-postfach", "gültige E-Mail-Adresse"),
        ("phase", "geheim", "gültige Auswahl"),
        ("slug", "Leer zeichen", "Kurzname"),
    ],
)
def test_nonsense_gets_a_german_message(steward_client, office, field, value, message):
    data = form_data(office=office.pk, aktion="veroeffentlichen", **{field: value})
    if field != "name":
        data["name"] = "Eingabe bleibt stehen (Test)"
    text = _refused(steward_client, data)
    assert message in text
    assert "Sortiert eingehende Wohngeldanträge" in text


def test_a_taken_address_is_refused(steward_client, office):
    data = form_data(office=office.pk, aktion="veroeffentlichen", slug="kita-platzvergabe")
    text = _refused(steward_client, {**data, "name": "Doppelt (Test)"})
    assert "existiert bereits" in text


def test_hostile_text_is_shown_as_text(steward_client, office, client):
    data = form_data(
        office=office.pk,
        aktion="veroeffentlichen",
        summary='<script>alert("x")</script> Sortiert Anträge',
        purpose="<img src=x onerror=alert(1)>\n\nZweiter Absatz",
    )
    assert steward_client.post(NEW, data).status_code == 302
    page = client.get("/algorithmen/test-wohngeld-pruefung/").content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Sortiert Anträge" in page


def test_the_address_of_a_published_record_cannot_be_changed(steward_client, office):
    steward_client.post(NEW, form_data(office=office.pk, aktion="veroeffentlichen"))
    data = form_data(office=office.pk, slug="neuer-name", reason="Umbenannt", aktion="speichern")
    steward_client.post("/algorithmen/verwalten/test-wohngeld-pruefung/", data)
    assert Record.objects.filter(slug="test-wohngeld-pruefung").exists()
    assert not Record.objects.filter(slug="neuer-name").exists()
