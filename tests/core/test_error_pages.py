import pytest
from django.test import Client


@pytest.mark.django_db
def test_unknown_page_gets_the_german_404_in_the_layout(client):
    response = client.get("/diese-seite-gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Diese Seite gibt es nicht" in html
    assert 'action="/suche/"' in html  # the way on: a search box
    assert 'lang="de"' in html


@pytest.mark.django_db
def test_server_error_gets_a_calm_page_without_details(settings):
    settings.ROOT_URLCONF = "tests.core.broken_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/kaputt/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Entschuldigung" in html
    assert "Traceback" not in html
    assert "ZeroDivisionError" not in html


@pytest.mark.django_db
def test_the_demo_mailbox_exists_only_in_the_demo(
    client, settings, mail_dir, django_capture_on_commit_callbacks
):
    assert client.get("/demo/postfach/").status_code == 404
    settings.RATHAUS = {**settings.RATHAUS, "DEMO_MAILBOX": True}
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/konto/registrieren/", {"email": "demo@beispiel.de"})
    html = client.get("/demo/postfach/").content.decode()
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in html
    assert 'href="http://testserver/konto/registrieren/' in html
