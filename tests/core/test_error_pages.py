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
