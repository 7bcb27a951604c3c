"""Tampered hidden fields and query values get a 400 or a German form error, never a 500."""

import pytest

from rathaus.applications.models import Application

from .conftest import page_data, start_application


@pytest.fixture
def dog_page(resident_client):
    """The Hundesteuer application on its page with the repeating group of dogs."""
    application = start_application(resident_client, "hundesteuer-anmelden")
    resident_client.post(f"/antraege/{application.public_id}/seite/1/", page_data(application, 0))
    application.refresh_from_db()
    return application


def post_dogs(client, application, **overrides):
    return client.post(
        f"/antraege/{application.public_id}/seite/2/", page_data(application, 1, **overrides)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("rows", ["100000", "abc", "²", "-3", "1e3", "9" * 40])
@pytest.mark.parametrize("action", ["weiter", "add:hunde", "speichern"])
def test_a_forged_row_count_is_a_form_error_or_capped(resident_client, dog_page, rows, action):
    response = post_dogs(resident_client, dog_page, **{"hunde-rows": rows, "_aktion": action})
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        html = response.content.decode()
        assert html.count('name="hunde-rows"') == 1
        assert 'name="hunde-20-hund_name"' not in html  # never more rows than the form allows
    if action == "weiter":
        html = response.content.decode()
        assert "Die Anzahl der Einträge" in html
        dog_page.refresh_from_db()
        assert "hunde-0-hund_name" not in dog_page.answers  # nothing stored from a forged page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action",
    [
        "remove:hunde:²",
        "remove:hunde:99999999999999999999999",
        "remove:hunde:-1",
        "remove:unbekannt:0",
        "add:unbekannt",
        "remove-file:abmeldung_vorher:²",
        "remove-file:hunde:1",
        "remove-file:fotos:99999999999999999999999",
        "irgendwas",
        "weiter\x00",
        "add:hunde:1",
    ],
)
def test_a_forged_action_is_a_bad_request(resident_client, dog_page, action):
    response = post_dogs(resident_client, dog_page, _aktion=action)
    assert response.status_code == 400
    assert "nicht verstanden" in response.content.decode()


@pytest.mark.django_db
def test_removing_a_row_by_its_number_still_works(resident_client, dog_page):
    response = post_dogs(
        resident_client,
        dog_page,
        **{
            "hunde-rows": "2",
            "hunde-0-hund_name": "Bello",
            "hunde-1-hund_name": "Luna",
            "_aktion": "remove:hunde:1",
        },
    )
    html = response.content.decode()
    assert 'value="Bello"' in html and 'value="Luna"' not in html


@pytest.mark.django_db
def test_a_forged_row_index_in_an_input_name_is_ignored(resident_client, dog_page):
    response = post_dogs(
        resident_client, dog_page, **{"hunde-²-hund_name": "Geist", "_aktion": "speichern"}
    )
    assert response.status_code == 302
    dog_page.refresh_from_db()
    assert "Geist" not in str(dog_page.answers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"q": "²"},
        {"q": "²²²"},
        {"q": "9" * 49},
        {"q": "a\x00b"},
        {"seite": "²"},
        {"seite": "99999999999999999999999"},
        {"seite": "-1"},
        {"status": "unsinn"},
        {"leistung": "\x00"},
        {"meine": "²"},
        {"frist": "\u202e"},
    ],
)
def test_forged_inbox_filters_never_fail(submitted, caseworker_client, params):
    response = caseworker_client.get("/verwaltung/vorgaenge/", params)
    assert response.status_code in {200, 400}


@pytest.mark.django_db
def test_a_null_byte_in_the_reference_search_is_explained(submitted, caseworker_client):
    response = caseworker_client.get("/verwaltung/vorgaenge/", {"q": "DUS\x00"})
    assert response.status_code == 400
    assert "Steuerzeichen" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("assignee", ["²", "abc", "99999999999999999999999", "-1", "\x00"])
def test_a_forged_assignee_is_refused(submitted, caseworker_client, assignee):
    response = caseworker_client.post(
        f"/verwaltung/vorgaenge/{submitted.public_id}/zuweisen/", {"assignee": assignee}
    )
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.assignee is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [{"status": "²"}, {"status": "in_progress", "kommentar": "a\x00b"}, {}]
)
def test_a_forged_status_change_is_refused(submitted, caseworker_client, data):
    response = caseworker_client.post(f"/verwaltung/vorgaenge/{submitted.public_id}/status/", data)
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.RECEIVED
