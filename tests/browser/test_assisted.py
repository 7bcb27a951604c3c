"""The counter in Chromium: a caseworker records a person, acts for them, prints the code
letter; every page axe-clean."""

import pytest

from rathaus.accounts.models import Person, Role
from rathaus.accounts.services import staff
from rathaus.offices.models import Office
from tests.factories import StaffFactory

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_caseworker_serves_a_person_at_the_counter(page, city, authenticator):
    bilk = Office.objects.get(slug="buergerbuero-bilk")
    caseworker = StaffFactory(
        full_name="Kübra Yılmaz", roles=[Role.CASEWORKER], roles__offices=[bilk]
    )
    page.goto(f"/verwaltung/einrichten/{staff.new_enrolment(caseworker, by=None)}/")
    page.get_by_role("button", name="Passkey erstellen").click()
    page.wait_for_url("**/verwaltung/")

    page.goto("/verwaltung/buergerservice/")
    assert_accessible(page)
    page.get_by_role("link", name="Person neu erfassen").click()
    assert_accessible(page)
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    assert_accessible(page)
    page.fill("#id_given_name", "Erika")
    page.fill("#id_family_name", "Mustermann")
    page.fill("#id_street", "Musterweg 7")
    page.fill("#id_postcode", "40225")
    page.fill("#id_city", "Düsseldorf")
    page.fill("#id_purpose", "Wohngeld am Schalter")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url("**/personen/*/")
    assert_accessible(page)
    page.get_by_role("button", name="Für diese Person handeln").click()
    page.wait_for_url("**/verwaltung/buergerservice/")
    assert "Sie handeln für Erika Mustermann" in page.content()
    assert_accessible(page)
    with page.expect_response("**/zugangscode-brief/") as letter:
        page.get_by_role("button", name="Zugangscode-Brief drucken").click()
    assert letter.value.headers["content-type"] == "application/pdf"
    page.goto("/verwaltung/buergerservice/konto-vertreten/")
    assert_accessible(page)
    assert Person.objects.get(family_name="Mustermann").office == bilk
