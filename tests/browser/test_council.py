"""The council information system in Chromium: a resident reaches the committee for
digitalisation from the footer with the keyboard only, reads its next meeting and the
agenda, opens a paper and its document; every council page is axe-clean."""

import pytest
from django.utils import timezone

from rathaus.council import services
from rathaus.council.models import Organization, Paper

from .conftest import assert_accessible, csp_violations

pytestmark = pytest.mark.browser
COMMITTEE = "Ausschuss für Digitalisierung und Netzpolitik"


def _tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the link ``name`` has the focus, then Enter."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            page.keyboard.press("Enter")
            return
    raise AssertionError(f"no focusable link {name!r} within {limit} Tab presses")


def test_a_resident_reads_the_next_committee_meeting_and_its_agenda_by_keyboard(page, city):
    refused = csp_violations(page)
    committee = Organization.objects.get(name=COMMITTEE)
    meeting = services.upcoming(organization=committee).first()
    page.goto("/")
    _tab_to(page, "Rat und Ausschüsse", limit=200)
    page.wait_for_url("**/ratsinfo/")
    assert_accessible(page)
    _tab_to(page, COMMITTEE)
    page.wait_for_url(f"**/ratsinfo/gremien/{committee.pk}/")
    assert page.get_by_role("heading", name="Mitglieder").is_visible()
    assert_accessible(page)
    _tab_to(page, meeting.name)
    page.wait_for_url(f"**/ratsinfo/sitzungen/{meeting.pk}/")
    assert page.get_by_role("heading", name="Tagesordnung").is_visible()
    assert meeting.start.astimezone(timezone.get_current_timezone()).strftime("%d.%m.%Y") in (
        page.locator(".council-facts").inner_text()
    )
    agenda = page.locator(".council-agenda > li")
    assert agenda.count() == services.agenda(meeting).count()
    assert_accessible(page)
    paper = services.agenda(meeting).filter(consultation__isnull=False).first().consultation.paper
    _tab_to(page, f"{paper.paper_type} {paper.reference}")
    page.wait_for_url(f"**/ratsinfo/vorlagen/{paper.pk}/")
    assert page.get_by_role("heading", name=paper.name).is_visible()
    assert page.get_by_role("table").is_visible()  # Beratungsfolge
    assert_accessible(page)
    document = page.locator(".council-files a").first
    answer = page.request.get(document.get_attribute("href"))
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF-")
    assert refused == []


def test_the_lists_with_their_filters_are_accessible(page, city):
    refused = csp_violations(page)
    page.goto("/ratsinfo/sitzungen/?jahr=zwanzig")
    assert page.locator(".kern-error").is_visible()
    assert_accessible(page)
    page.goto("/ratsinfo/vorlagen/")
    page.get_by_label("Suchbegriff oder Drucksachennummer").fill("WLAN")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_url("**/ratsinfo/vorlagen/?*")
    found = Paper.objects.filter(name__icontains="WLAN").first()
    assert page.get_by_role("link", name=found.name).is_visible()
    assert_accessible(page)
    assert refused == []
