"""Staff see the checker's hints where they write easy-language texts; hints never block
saving."""

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages

from rathaus.catalog.models import Service
from tests.catalog.test_backoffice import admin_form
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

HARD = "Der Antrag wird vom Amt geprüft.\nSie könnten z. B. anrufen."
EASY = "Das Amt prüft den Antrag.\nSie können anrufen."


def warnings(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level == messages.WARNING]


def test_a_service_text_with_hints_is_saved_and_the_hints_are_shown(client):
    client.force_login(StaffFactory())
    service = Service.objects.get(slug="hundesteuer-anmelden")
    url = f"/verwaltung/catalog/service/{service.pk}/change/"

    response = client.post(url, admin_form(service, easy_language=HARD))

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.easy_language == HARD
    (message,) = warnings(response)
    assert "Leichte Sprache: 3 Hinweise" in message
    page = client.get(url).content.decode()
    assert "Prüfung Leichte Sprache" in page
    assert "Zeile 1, Spalte 12: <q>wird vom Amt geprüft</q> – Passiv" in page
    assert "Zeile 2, Spalte 5: <q>könnten</q>" in page
    assert "Zeile 2, Spalte 13: <q>z. B.</q>" in page


def test_a_clean_text_says_so_and_an_empty_one_too(client):
    client.force_login(StaffFactory())
    service = Service.objects.get(slug="hundesteuer-anmelden")
    url = f"/verwaltung/catalog/service/{service.pk}/change/"

    response = client.post(url, admin_form(service, easy_language=EASY))
    assert warnings(response) == []
    assert "Keine Hinweise" in client.get(url).content.decode()

    client.post(url, admin_form(service, easy_language=""))
    assert "Noch kein Text in Leichter Sprache." in client.get(url).content.decode()


def test_hostile_text_is_shown_as_text():
    from rathaus.catalog.admin import ServiceAdmin
    from rathaus.core.admin import admin

    service = Service(easy_language='<script>alert("x")</script> Sie könnten kommen.')
    html = ServiceAdmin(Service, admin.site).easy_language_hints(service)
    assert "<script>" not in html and "<q>&lt;</q>" in html
