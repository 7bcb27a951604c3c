"""The strategy consultation in Chromium, keyboard only: a resident finds "Mitreden" in the
main menu, opens the draft strategy, supports a comment, writes one of their own and replies
to another; then reads the next meeting of the committee that decides on the strategy. A
resident supports a proposal and casts a budget ballot. Every page is axe-clean, the
moderation pages, the office's budget page, a published result and a survey too."""

import pytest

from rathaus.accounts.models import Role
from rathaus.offices.models import Office
from rathaus.participation.models import Budget, Comment, Process, ProposalSupport, Support, Vote
from tests.factories import StaffFactory, UserFactory
from tests.participation.conftest import make_budget, make_process

from .conftest import assert_accessible, csp_violations, signed_in_page

pytestmark = pytest.mark.browser
SLUG = "digitales-duesseldorf-2030"
IDEAS = "buergerhaushalt-2027"
FINISHED = "buergerhaushalt-2026-bezirk-3"


def _focus(page, name: str, limit: int = 200) -> None:
    """Press Tab until an element whose text or label is ``name`` has the focus."""
    script = (
        "(() => { const e = document.activeElement; const label = e.labels && e.labels.length"
        " ? e.labels[0].textContent : e.textContent; return (e.getAttribute('aria-label') ||"
        " label || '').replace(/\\s+/g, ' ').trim(); })()"
    )
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(script) == name:
            return
    raise AssertionError(f"nothing focusable named {name!r} within {limit} Tab presses")


def _activate(page, name: str, limit: int = 200) -> None:
    _focus(page, name, limit)
    page.keyboard.press("Enter")


def test_a_resident_comments_supports_and_replies_by_keyboard(chromium, live_server, city):
    resident = UserFactory(email="mitreden@beispiel.de")
    page = signed_in_page(chromium, live_server, resident)
    refused = csp_violations(page)
    process = Process.objects.get(slug=SLUG)
    section = process.drafts.get().sections.get(number="3")
    page.goto("/")
    _activate(page, "Mitreden")
    page.wait_for_url("**/beteiligung/")
    assert_accessible(page)
    _activate(page, process.title)
    page.wait_for_url(f"**/beteiligung/{SLUG}/")
    assert_accessible(page)
    _activate(page, f"{section.number} {section.heading}")
    page.wait_for_url(f"**/abschnitte/{section.pk}/")
    assert_accessible(page)

    # support the first comment that is shown
    target = section.comments.filter(parent=None, hidden_at=None).order_by("created_at", "pk")[0]
    _activate(page, "Unterstützen")
    page.wait_for_url(f"**/abschnitte/{section.pk}/#kommentar-{target.pk}")
    assert Support.objects.filter(comment=target, user=resident).exists()
    assert page.get_by_text("Danke! Sie unterstützen diesen Kommentar.").is_visible()

    # write a comment of one's own: name, stance (arrow keys in the radio group), text
    _focus(page, "Name, unter dem Ihr Beitrag erscheint")
    page.keyboard.type("Hanna aus Flingern")
    page.keyboard.press("Tab")  # the stance's radio group: "Anmerkung" is checked
    page.keyboard.press("ArrowUp")  # → "Ablehnung"
    page.keyboard.press("ArrowUp")  # → "Zustimmung"
    page.keyboard.press("Tab")
    page.keyboard.type("Bitte die Bürgerbüros auch samstags öffnen.")
    _activate(page, "Kommentar veröffentlichen", limit=5)  # past the link to the rules
    mine = Comment.objects.filter(author__user=resident, parent=None)
    page.get_by_text("Danke! Ihr Kommentar ist veröffentlicht.").wait_for()
    assert mine.count() == 1 and mine.get().stance == "support"
    assert (
        page.locator(f"#kommentar-{mine.get().pk}")
        .get_by_text("Bitte die Bürgerbüros")
        .is_visible()
    )
    assert_accessible(page)

    # reply to the supported comment: open "Antworten", write, send
    _focus(page, f"Antworten auf den Kommentar von {target.public_name}")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # name, already filled in
    page.keyboard.press("Tab")
    page.keyboard.type("Genau, und bitte auch abends.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text("Danke! Ihre Antwort ist veröffentlicht.").wait_for()
    reply = Comment.objects.get(author__user=resident, parent=target)
    assert reply.public_name == "Hanna aus Flingern"
    assert_accessible(page)

    # the committee that decides: its next meeting and agenda
    page.goto(f"/beteiligung/{SLUG}/")
    meeting_link = page.locator("#rat ~ p a").nth(1)
    label = meeting_link.inner_text().strip()
    _activate(page, label)
    page.wait_for_url("**/ratsinfo/sitzungen/*/")
    assert page.get_by_role("heading", name="Tagesordnung").is_visible()
    assert_accessible(page)
    assert refused == []


def test_a_resident_supports_a_proposal_by_keyboard(chromium, live_server, city):
    resident = UserFactory(email="ideen@beispiel.de")
    page = signed_in_page(chromium, live_server, resident)
    refused = csp_violations(page)
    ideas = Process.objects.get(slug=IDEAS)
    proposal = ideas.proposals.filter(status="submitted", hidden_at=None).order_by("-created_at")[0]
    page.goto(f"/beteiligung/{IDEAS}/")
    shown = ideas.proposals.filter(withdrawn_at=None, hidden_at=None).count()
    _activate(page, f"Alle {shown} Vorschläge ansehen")
    page.wait_for_url(f"**/beteiligung/{IDEAS}/vorschlaege/")
    assert_accessible(page)
    _activate(page, proposal.title)
    page.wait_for_url(f"**/beteiligung/vorschlaege/{proposal.pk}/")
    assert_accessible(page)
    _activate(page, "Vorschlag unterstützen")
    page.get_by_text("Danke! Sie unterstützen diesen Vorschlag.").wait_for()
    assert ProposalSupport.objects.filter(proposal=proposal, user=resident).exists()
    assert_accessible(page)
    page.goto(f"/beteiligung/{IDEAS}/vorschlaege/neu/")
    page.get_by_role("button", name="Vorschlag veröffentlichen").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    assert refused == []


def test_the_moderation_pages_are_accessible(chromium, live_server, city):
    process = Process.objects.get(slug=SLUG)
    moderator = StaffFactory(roles=[Role.PARTICIPATION_OFFICE], roles__offices=[process.office])
    finished = Budget.objects.get(process__slug=FINISHED)
    page = signed_in_page(chromium, live_server, moderator)
    refused = csp_violations(page)
    for path in (
        "/verwaltung/beteiligung/",
        "/verwaltung/beteiligung/meldungen/",
        f"/verwaltung/beteiligung/{SLUG}/",
        f"/verwaltung/beteiligung/{SLUG}/erfassen/",
        f"/verwaltung/beteiligung/{IDEAS}/vorschlaege/",
        "/beteiligung/regeln/",
        f"/verwaltung/beteiligung/{FINISHED}/budget/{finished.pk}/",
        f"/beteiligung/{FINISHED}/budget/{finished.pk}/ergebnis/",
        f"/beteiligung/{SLUG}/umfragen/{process.surveys.get().pk}/",
        f"/verwaltung/beteiligung/{SLUG}/umfragen/{process.surveys.get().pk}/",
    ):
        page.goto(path)
        assert_accessible(page)
    page.get_by_role("button", name="Fragebogen erfassen").click()
    assert page.locator(".error-summary").count() == 2  # the questions' and the person's
    assert_accessible(page)
    page.goto(f"/verwaltung/beteiligung/{SLUG}/")
    page.get_by_role("button", name="Antwort veröffentlichen").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    assert refused == []


def test_a_resident_casts_a_budget_ballot_by_keyboard(chromium, live_server, city):
    office = Office.objects.get(slug="amt-fuer-digitalisierung")
    process = make_process(
        office, slug="abstimmung-test", spans=[("voting", -1, 5), ("results", 5, 20)]
    )
    budget = make_budget(process, [20000, 15000, 30000, 10000])
    resident = UserFactory(email="abstimmen@beispiel.de")
    page = signed_in_page(chromium, live_server, resident)
    refused = csp_violations(page)
    page.goto(f"/beteiligung/{process.slug}/")
    _activate(page, budget.title)
    page.wait_for_url(f"**/budget/{budget.pk}/")
    assert_accessible(page)
    _activate(page, "Jetzt abstimmen")
    page.wait_for_url(f"**/budget/{budget.pk}/abstimmen/")
    assert_accessible(page)
    for label in ("1. Projekt 1 (20.000,00 €)", "3. Projekt 3 (30.000,00 €)"):
        _focus(page, label, limit=30)
        page.keyboard.press("Space")
    # 50.000 € of 50.000 €: fits; one more project would not
    page.get_by_text("Ihre Auswahl: 50.000").wait_for()
    _focus(page, "4. Projekt 4 (10.000,00 €)", limit=5)
    page.keyboard.press("Space")
    page.get_by_text("mehr als das Budget").wait_for()
    page.keyboard.press("Space")
    _activate(page, "Weiter zur Prüfung", limit=10)
    page.get_by_role("heading", name="Ihre Stimme prüfen").wait_for()
    assert not Vote.objects.filter(budget=budget).exists()
    assert_accessible(page)
    _activate(page, "Stimme verbindlich abgeben", limit=60)
    page.get_by_text("Danke! Ihre Stimme ist gezählt.").wait_for()
    vote = Vote.objects.get(budget=budget)
    assert vote.user == resident
    chosen = budget.ballots.get().choices.values_list("project__number", flat=True)
    assert sorted(chosen) == [1, 3]
    assert_accessible(page)
    assert refused == []
