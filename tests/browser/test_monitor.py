"""The progress monitor in Chromium: a resident follows the footer link, reads a figure,
its chart (drawn by JavaScript from the table) and its table; a data steward sets a
target and sees the dashed target line; the green-IT account; the Wi-Fi map with its
outlines and places, and a steward entering a place. Keyboard and axe-core."""

import pytest

from rathaus.accounts.models import Role
from rathaus.monitor.models import WifiPlace
from tests.factories import StaffFactory

from .conftest import assert_accessible, csp_violations, signed_in_page

pytestmark = pytest.mark.browser


def test_a_resident_reads_the_figures_their_charts_and_tables(page, city):
    refused = csp_violations(page)
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Digitalmonitor 2030").click()
    page.wait_for_url("**/digitalmonitor/")
    figure = page.locator("#termine")
    chart = figure.locator("svg[role=img]")
    chart.wait_for()
    # The chart names the first and the last month it draws, from the table's rows.
    label = chart.get_attribute("aria-label")
    rows = figure.locator("tbody tr[data-value]:not([data-value=''])")
    assert rows.first.get_attribute("data-month") in label
    assert figure.locator(".monitor-chart__dot").count() == rows.count()
    # The table opens from the keyboard.
    figure.locator("summary").focus()
    page.keyboard.press("Enter")
    assert figure.get_by_role("table").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Green-IT-Konto: gespartes Papier und Energiebedarf").click()
    page.wait_for_url("**/digitalmonitor/green-it/")
    assert page.get_by_role("heading", name="Die Annahmen je Leistung").is_visible()
    assert_accessible(page)
    assert refused == []


def test_without_javascript_the_tables_are_the_figures(chromium, live_server, city):
    context = chromium.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.goto(live_server.url + "/digitalmonitor/")
    assert page.locator("svg.monitor-chart__svg").count() == 0
    assert page.locator("figure[data-chart]").first.is_hidden()
    page.locator("#antraege summary").click()
    assert page.locator("#antraege-table").is_visible()
    context.close()


def test_a_steward_sets_a_target_and_the_chart_shows_it(chromium, live_server, city):
    steward = StaffFactory(full_name="Dana Daten", roles=[Role.DATA_STEWARD])
    page = signed_in_page(chromium, live_server, steward)
    refused = csp_violations(page)
    page.goto("/digitalmonitor/verwalten/")
    assert_accessible(page)
    page.get_by_role("link", name="Ziel für „Angebote online gebucht“ ändern").click()
    page.get_by_label("Ziel", exact=True).fill("120")
    page.get_by_role("button", name="Ziel speichern").click()
    page.locator("[data-error-summary]").wait_for()
    assert page.get_by_label("Ziel", exact=True).input_value() == "120"
    assert_accessible(page)
    page.get_by_label("Ziel", exact=True).fill("92,5")
    with page.expect_navigation():
        page.get_by_role("button", name="Ziel speichern").click()
    page.goto("/digitalmonitor/")
    assert page.locator("#buchungen").get_by_text("92,5 % bis 2030").is_visible()
    # A horizontal line has no height: Playwright calls it hidden, so wait until it exists.
    page.locator("#buchungen .monitor-chart__target").wait_for(state="attached")
    assert refused == []


def test_a_resident_finds_free_wifi_on_the_map_and_in_the_list(page, city):
    refused = csp_violations(page)
    page.goto("/digitalmonitor/")
    page.get_by_role(
        "link", name="Mehr zu „Öffentliche Orte mit freiem WLAN“: Karte und Liste"
    ).click()
    page.wait_for_url("**/digitalmonitor/wlan/")
    # Leaflet draws the ten district outlines and one circle per place, from this server.
    page.get_by_role("status").filter(has_text="Orte auf der Karte").wait_for()
    shown = int(
        page.get_by_role("status").filter(has_text="Orte auf der Karte").inner_text().split()[0]
    )
    total = WifiPlace.objects.count()
    assert shown == total
    assert page.locator(".leaflet-overlay-pane path").count() == total + 10
    assert page.locator(".leaflet-tile").count() == 0  # no tile server by default
    # A place opens its popup; the list says the same without the map.
    active = WifiPlace.objects.filter(status="aktiv").order_by("name").first()
    page.get_by_label("Ausbaustand").select_option(label="In Betrieb")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**status=aktiv**")
    page.get_by_role("status").filter(has_text="Orte auf der Karte").wait_for()
    assert (
        page.locator(".leaflet-interactive").count()
        == WifiPlace.objects.filter(status="aktiv").count() + 10
    )
    assert page.get_by_role("row", name=active.name).first.is_visible()
    page.get_by_role("button", name="Vergrößern").click()  # German zoom controls
    assert_accessible(page)
    assert refused == []


def test_a_steward_enters_a_place_with_a_german_decimal_comma(chromium, live_server, city):
    steward = StaffFactory(full_name="Dana Daten", roles=[Role.DATA_STEWARD])
    page = signed_in_page(chromium, live_server, steward)
    page.goto("/digitalmonitor/verwalten/")
    page.get_by_role("link", name="WLAN-Orte verwalten").click()
    page.get_by_role("link", name="Neuen Ort aufnehmen").click()
    page.get_by_label("Name des Ortes").fill("Rheinbad (Test)")
    page.get_by_label("Art des Ortes").select_option(label="Sportstätte")
    page.get_by_label("Stadtteil").select_option(label="Oberkassel (Stadtbezirk 4)")
    page.get_by_label("Breitengrad").fill("6,7512")  # latitude and longitude swapped
    page.get_by_label("Längengrad").fill("51,2455")
    page.get_by_label("Ausbaustand").select_option(label="In Betrieb")
    page.get_by_label("Zugangspunkte").fill("4")
    page.get_by_label("Aufgenommen am").fill("01.03.2026")
    page.get_by_label("In Betrieb seit").fill("15.07.2026")
    page.get_by_role("button", name="Ort speichern").click()
    page.locator("[data-error-summary]").wait_for()
    assert "vertauscht" in page.locator("[data-error-summary]").inner_text()
    assert page.get_by_label("Name des Ortes").input_value() == "Rheinbad (Test)"
    assert_accessible(page)
    page.get_by_label("Breitengrad").fill("51,2455")
    page.get_by_label("Längengrad").fill("6,7512")
    with page.expect_navigation():
        page.get_by_role("button", name="Ort speichern").click()
    place = WifiPlace.objects.get(name="Rheinbad (Test)")
    assert (float(place.latitude), float(place.longitude), place.access_points) == (
        51.2455,
        6.7512,
        4,
    )
