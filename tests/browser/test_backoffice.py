"""The back office in Chromium: enrolment with a passkey, editing under the strict CSP."""

import pytest

from rathaus.accounts.models import Role
from rathaus.accounts.services import staff
from rathaus.catalog.models import Service
from rathaus.core.models import AuditEntry
from tests.factories import StaffFactory

from .conftest import assert_accessible, csp_violations

pytestmark = pytest.mark.browser


def test_staff_enrol_sign_in_and_edit_a_service(page, city, authenticator):
    editor = StaffFactory(
        full_name="Kai Yilmaz", staff_number="S-0303", roles=[Role.CATALOGUE_EDITOR]
    )
    raw = staff.new_enrolment(editor, by=None)
    refused = csp_violations(page)

    page.goto(f"/verwaltung/einrichten/{raw}/")
    assert_accessible(page)
    page.get_by_role("button", name="Passkey erstellen").click()
    page.wait_for_url("**/verwaltung/")
    page.get_by_role("button", name="Abmelden").first.click()
    page.goto("/verwaltung/")
    page.wait_for_url("**/verwaltung/anmelden/**")
    assert_accessible(page)
    page.get_by_role("button", name="Mit Passkey anmelden").click()
    page.wait_for_url("**/verwaltung/")

    service = Service.objects.get(slug="sperrmuell-anmelden")
    page.goto(f"/verwaltung/catalog/service/{service.pk}/change/")
    page.fill("#id_processing_time", "Abholung innerhalb von zwei Wochen")
    page.click("input[name=_save]")
    page.wait_for_url("**/verwaltung/catalog/service/")

    entry = AuditEntry.objects.get(action="rathaus.catalog.service.changed")
    assert entry.actor_label == "Kai Yilmaz (S-0303)"
    assert entry.changes["processing_time"][1] == "Abholung innerhalb von zwei Wochen"
    page.goto(f"/verwaltung/catalog/service/{service.pk}/history/")
    assert "Abholung innerhalb von zwei Wochen" in page.content()
    assert refused == []
