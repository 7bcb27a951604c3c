"""A draft keeps only what passes each input's length and character rules, says what it did
not keep, and starts with the e-mail address the city already knows."""

import pytest

from .conftest import page_data, start_application


def save(client, application, index: int = 0, **overrides):
    return client.post(
        f"/antraege/{application.public_id}/seite/{index + 1}/",
        page_data(application, index, _aktion="speichern", **overrides),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("A" * 100_000, "höchstens 100 Zeichen"),
        ("Er\x00ika", "Steuerzeichen"),
        ("Erika\u202e", "Steuerzeichen"),
    ],
)
def test_saving_for_later_keeps_the_valid_inputs_and_names_the_rest(
    resident_client, value, message
):
    application = start_application(resident_client)
    response = save(resident_client, application, vorname=value, nachname="Muster")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte prüfen Sie Ihre Angaben" in html
    assert "Vorname" in html and message in html
    application.refresh_from_db()
    assert application.answers["nachname"] == "Muster"
    assert "vorname" not in application.answers


@pytest.mark.django_db
def test_every_kind_of_input_gets_its_limit_in_a_draft(resident_client):
    application = start_application(resident_client)
    save(
        resident_client,
        application,
        email="x" * 300 + "@beispiel.de",
        anschrift__postcode="4" * 200,
        telefon="0211 123456",
    )
    application.refresh_from_db()
    assert application.answers["email"] == "erika@beispiel.de"  # the earlier value stays
    assert "anschrift__postcode" not in application.answers
    assert application.answers["telefon"] == "0211 123456"


@pytest.mark.django_db
def test_a_draft_keeps_only_offered_choices(resident_client):
    application = start_application(resident_client)
    resident_client.post(f"/antraege/{application.public_id}/seite/1/", page_data(application, 0))
    application.refresh_from_db()
    response = save(resident_client, application, 1, begruenungsart="unsinn", dachflaeche="1" * 40)
    html = response.content.decode()
    assert "Bitte wählen Sie eine der Möglichkeiten." in html
    application.refresh_from_db()
    assert "begruenungsart" not in application.answers
    assert "dachflaeche" not in application.answers
    assert application.answers["eigentum"] == "ja"


@pytest.mark.django_db
def test_going_back_also_keeps_only_what_is_valid(resident_client):
    application = start_application(resident_client)
    resident_client.post(f"/antraege/{application.public_id}/seite/1/", page_data(application, 0))
    application.refresh_from_db()
    response = resident_client.post(
        f"/antraege/{application.public_id}/seite/2/",
        page_data(application, 1, _aktion="zurueck", dachflaeche="x" * 5000),
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert "x" * 5000 not in str(application.answers)


@pytest.mark.django_db
def test_an_input_of_a_question_that_does_not_apply_is_not_stored_unchecked(resident_client):
    application = start_application(resident_client, "hundesteuer-anmelden")
    resident_client.post(f"/antraege/{application.public_id}/seite/1/", page_data(application, 0))
    application.refresh_from_db()
    response = resident_client.post(
        f"/antraege/{application.public_id}/seite/2/",
        page_data(application, 1, weitere_hunde="nein", weitere_hunde_anzahl="\x00" * 1000),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert "\x00" not in application.answers.get("weitere_hunde_anzahl", "")


@pytest.mark.django_db
def test_the_accounts_address_is_filled_in_and_what_was_typed_stays(resident_client):
    application = start_application(resident_client)
    html = resident_client.get(f"/antraege/{application.public_id}/seite/1/").content.decode()
    assert 'value="erika@beispiel.de"' in html
    save(resident_client, application, email="andere@beispiel.de")
    html = resident_client.get(f"/antraege/{application.public_id}/seite/1/").content.decode()
    assert 'value="andere@beispiel.de"' in html
    assert 'value="erika@beispiel.de"' not in html
