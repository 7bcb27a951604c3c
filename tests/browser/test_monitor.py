"""The progress monitor in Chromium: a resident follows the footer link, reads a figure,
its chart (drawn by JavaScript from the table) and its table; a data steward sets a
target and sees the dashed target line; the green-IT account. Keyboard and axe-core."""

import pytest

from rathaus.accounts.models import Role
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
