"""Every public page of the catalogue and the platform: axe-core clean, and usable at 400 % zoom."""

import pytest

from .conftest import assert_accessible, csp_violations

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/leistungen/",
    "/leistungen/personalausweis-beantragen/",
    "/leistungen/foerderung-dachbegruenung/",
    "/suche/",
    "/suche/?q=Ummeldung",
    "/suche/?q=Xylophonquantenschaum",
    "/lebenslagen/",
    "/lebenslagen/umzug/",
    "/dienststellen/",
    "/impressum/",
    "/datenschutz/",
    "/kontakt/",
    "/barrierefreiheit/",
    "/gibt-es-nicht/",
    "/termine/",
    "/termine/?leistung=personalausweis-beantragen&leistung=wohnsitz-anmelden&personen=2",
    "/termine/buergerbuero-bilk/?leistung=personalausweis-beantragen&personen=1",
    "/termine/regeln/",
    "/termine/anzeige/buergerbuero-bilk/",
    "/bescheid-pruefen/",
    "/transparenz/",
    "/transparenz/leichte-sprache/",
    "/transparenz/log/",
    "/algorithmen/",
    "/algorithmen/?q=Kita&stand=production",
    "/algorithmen/kita-platzvergabe/",
    "/algorithmen/kita-platzvergabe/aenderungen/",
]


def test_every_public_page_has_no_serious_axe_finding_and_no_csp_refusal(page, city):
    from rathaus.catalog.models import Topic
    from rathaus.offices.models import Office

    refused = csp_violations(page)
    paths = [
        *PAGES,
        f"/dienststellen/{Office.objects.first().slug}/",
        Topic.objects.first().get_absolute_url(),
    ]
    for path in paths:
        page.goto(path)
        assert_accessible(page)
    assert refused == []


def test_form_errors_are_accessible_and_focused(page, city):
    page.goto("/barrierefreiheit/")
    page.get_by_role("button", name="Rückmeldung senden").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    # Focus moves to the summary, so a screen reader reads it first.
    page.wait_for_function("() => document.activeElement.hasAttribute('data-error-summary')")
    assert page.locator("#id_message").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.goto("/suche/?q=" + "Pass%20" * 60)
    assert page.locator(".kern-error").is_visible()
    assert_accessible(page)


REFLOW_PAGES = [
    "/",
    "/leistungen/personalausweis-beantragen/",
    "/barrierefreiheit/",
    "/termine/?leistung=personalausweis-beantragen&personen=1",
    "/termine/buergerbuero-bilk/?leistung=personalausweis-beantragen&personen=1",
    "/termine/anzeige/buergerbuero-bilk/",
    "/transparenz/log/",
    "/transparenz/",
    "/algorithmen/",
    "/algorithmen/offene-daten-geheimhaltung/",
    "/algorithmen/offene-daten-geheimhaltung/aenderungen/",
    "/digitalmonitor/",
    "/digitalmonitor/green-it/",
    "/digitalmonitor/wlan/",
    "/ratsinfo/",
    "/ratsinfo/sitzungen/",
    "/ratsinfo/vorlagen/",
    "/beteiligung/",
    "/beteiligung/digitales-duesseldorf-2030/",
    "/beteiligung/buergerhaushalt-2027/vorschlaege/",
    "/beteiligung/regeln/",
]


def test_pages_reflow_at_400_percent_zoom(chromium, live_server, city):
    """WCAG 1.4.10: 1280 px at 400 % is 320 CSS px; nothing may need sideways scrolling.
    (One test for all pages: the demo city is loaded once, not once per page.)"""
    from rathaus.council.models import Meeting, Organization, Paper
    from rathaus.participation.models import Budget, Proposal, Section, Survey

    context = chromium.new_context(locale="de-DE", viewport={"width": 320, "height": 640})
    page = context.new_page()
    too_wide = {}
    council = [
        f"/ratsinfo/gremien/{Organization.objects.first().pk}/",
        f"/ratsinfo/sitzungen/{Meeting.objects.filter(agenda_items__isnull=False).first().pk}/",
        f"/ratsinfo/vorlagen/{Paper.objects.filter(consultations__isnull=False).first().pk}/",
    ]
    section = Section.objects.filter(comments__replies__isnull=False).first()
    participation = [
        f"/beteiligung/{section.draft.process.slug}/abschnitte/{section.pk}/",
        f"/beteiligung/vorschlaege/{Proposal.objects.filter(history__reason__gt='').first().pk}/",
        *(
            f"/beteiligung/{budget.process.slug}/budget/{budget.pk}/{tail}"
            for budget in Budget.objects.filter(result__isnull=False)[:1]
            for tail in ("", "ergebnis/")
        ),
        *(f"/beteiligung/{s.process.slug}/umfragen/{s.pk}/" for s in Survey.objects.all()[:1]),
    ]
    for path in [*REFLOW_PAGES, *council, *participation]:
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            too_wide[path] = overflow
    context.close()
    assert too_wide == {}, f"bei 320 px zu breit (px): {too_wide}"
