"""The algorithm register in Chromium: a resident reads the Kita allocation's record in
Leichte Sprache; a data steward changes a record (refused without a reason, then published
as the next version) and reads the change in the history."""

import pytest

from rathaus.accounts.models import Role
from rathaus.offices.models import Office
from rathaus.register.models import Record
from tests.factories import StaffFactory

from .conftest import assert_accessible, csp_violations, signed_in_page

pytestmark = pytest.mark.browser


def test_a_resident_reads_the_kita_allocation_in_easy_language(page, city):
    record = Record.objects.get(slug="kita-platzvergabe")
    first = record.easy_language.split("\n\n")[0].strip().splitlines()[0]
    refused = csp_violations(page)
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Algorithmenregister").click()
    page.wait_for_url("**/algorithmen/")
    assert_accessible(page)
    page.get_by_role("link", name=record.name).click()
    page.wait_for_url("**/algorithmen/kita-platzvergabe/")
    assert page.get_by_text(first).count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name="Leichte Sprache").click()
    assert page.get_by_role("region", name="Leichte Sprache").get_by_text(first).is_visible()
    assert_accessible(page)
    assert refused == []


def test_a_steward_publishes_a_change_with_its_reason(chromium, live_server, city):
    office = Office.objects.get(slug="jugendamt")
    steward = StaffFactory(
        full_name="Dana Daten", roles=[Role.DATA_STEWARD], roles__offices=[office]
    )
    page = signed_in_page(chromium, live_server, steward)
    refused = csp_violations(page)
    page.goto("/algorithmen/verwalten/")
    assert_accessible(page)
    page.get_by_role("link", name="Kita-Platzvergabe").click()
    page.get_by_label("Gegenmaßnahmen").fill("Jährliche Prüfung durch den Fairness-Bericht.")
    page.get_by_role("button", name="Speichern und veröffentlichen").click()
    page.wait_for_load_state()
    page.locator("[data-error-summary]").wait_for()
    assert page.get_by_label("Gegenmaßnahmen").input_value().startswith("Jährliche Prüfung")
    assert_accessible(page)
    page.get_by_label("Grund der Änderung").fill("Gegenmaßnahmen ergänzt")
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern und veröffentlichen").click()
    assert "Fassung 2 ist veröffentlicht" in page.content()
    page.goto("/algorithmen/kita-platzvergabe/aenderungen/")
    assert page.locator("ins", has_text="Jährliche").count() == 1
    assert page.get_by_text("Gegenmaßnahmen ergänzt").is_visible()
    assert_accessible(page)
    assert refused == []


def test_a_data_steward_audits_uploaded_decisions_and_downloads_the_pdf(
    chromium, live_server, city, tmp_path
):
    office = Office.objects.get(slug="jugendamt")
    steward = StaffFactory(
        full_name="Dana Daten", roles=[Role.DATA_STEWARD], roles__offices=[office]
    )
    lines = ["ergebnis,familiensprache"]
    for language, chosen in (("Deutsch", 90), ("Türkisch", 45)):
        lines += [f"{int(n < chosen)},{language}" for n in range(150)]
    decisions = tmp_path / "vergabe-2026.csv"
    decisions.write_text("\n".join(lines) + "\n", encoding="utf-8")

    page = signed_in_page(chromium, live_server, steward)
    refused = csp_violations(page)
    page.goto("/algorithmen/pruefungen/neu/")
    assert_accessible(page)
    page.get_by_label("Titel der Prüfung").fill("Kita-Vergabe 2026 nach Familiensprache")
    page.get_by_label("Dienststelle").select_option(label="Jugendamt")
    page.get_by_label("Eintrag im Register (freiwillig)").select_option(label="Kita-Platzvergabe")
    page.get_by_label("Entscheidungen (CSV oder XLSX)").set_input_files(str(decisions))
    page.get_by_label("Spalte mit dem Ergebnis").fill("ergebnis")
    page.get_by_label("Spalten mit geschützten Merkmalen").fill("familiensprache")
    with page.expect_navigation():
        page.get_by_role("button", name="Prüfen").click()
    assert page.get_by_text(
        "Auffällig: Die Gruppe „Türkisch“ wird seltener ausgewählt"
    ).is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Bericht als PDF herunterladen").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert download.value.path().read_bytes()[:5] == b"%PDF-"

    page.goto("/algorithmen/kita-platzvergabe/")
    page.get_by_role("link", name="Kita-Vergabe 2026 nach Familiensprache").click()
    page.wait_for_url("**/algorithmen/kita-platzvergabe/pruefungen/*/")
    assert_accessible(page)
    assert refused == []
