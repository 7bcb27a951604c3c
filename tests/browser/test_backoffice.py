"""The back office works under the strict Content-Security-Policy, with the keyboard-free path."""

import pytest

from rathaus.catalog.models import Service
from rathaus.core.models import AuditEntry
from tests.factories import StaffFactory

from .conftest import csp_violations

pytestmark = pytest.mark.browser


def test_staff_edit_a_service_and_see_the_history(page, city):
    StaffFactory(username="k.yilmaz", password="sicheres-Passwort-2026")
    violations = csp_violations(page)

    page.goto("/verwaltung/")
    page.fill("#id_username", "k.yilmaz")
    page.fill("#id_password", "sicheres-Passwort-2026")
    page.click("input[type=submit]")
    service = Service.objects.get(slug="sperrmuell-anmelden")
    page.goto(f"/verwaltung/catalog/service/{service.pk}/change/")
    page.fill("#id_processing_time", "Abholung innerhalb von zwei Wochen")
    page.click("input[name=_save]")
    page.wait_for_url("**/verwaltung/catalog/service/")

    entry = AuditEntry.objects.get(action="rathaus.catalog.service.changed")
    assert entry.actor_label == "k.yilmaz"
    assert entry.changes["processing_time"][1] == "Abholung innerhalb von zwei Wochen"
    page.goto(f"/verwaltung/catalog/service/{service.pk}/history/")
    assert "Abholung innerhalb von zwei Wochen" in page.content()
    assert violations == []
