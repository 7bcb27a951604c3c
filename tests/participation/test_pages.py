"""The residents' pages with the demo consultation, the links to the council, the data export
and account deletion."""

import pytest
from django.utils import timezone

from rathaus.accounts.services import privacy
from rathaus.council.models import Paper
from rathaus.participation.models import Comment, Participant, Process, Support
from rathaus.participation.services import comments

pytestmark = pytest.mark.django_db
SLUG = "digitales-duesseldorf-2030"


def test_the_demo_consultation_is_running_with_answers_and_a_hidden_comment(client):
    process = Process.objects.get(slug=SLUG)
    assert process.phase_at().kind == "discussion"
    index = client.get("/beteiligung/").content.decode()
    assert "Jetzt mitmachen" in index and process.title in index
    page = client.get(f"/beteiligung/{SLUG}/").content.decode()
    assert "läuft jetzt" in page and process.committee.name in page
    sections = process.drafts.get().sections.all()
    assert sections.count() == 8
    all_comments = Comment.objects.filter(section__draft__process=process)
    assert all_comments.filter(parent=None, response__isnull=False).count() >= 8
    assert all_comments.filter(parent=None, response=None, hidden_at=None).exists()
    assert all_comments.filter(parent__isnull=False).exists()
    assert all_comments.filter(created_at__gt=timezone.now()).count() == 0
    hidden = all_comments.get(hidden_at__isnull=False)
    section_page = client.get(f"/beteiligung/{SLUG}/abschnitte/{hidden.section_id}/")
    assert hidden.hidden_reason in section_page.content.decode()
    assert hidden.text not in section_page.content.decode()


def test_the_demo_processes_speak_easy_language():
    from rathaus.language.easy_language import check

    for process in Process.objects.filter(published=True):
        assert process.easy_language and check(process.easy_language) == [], process.slug


def test_sorting_by_support_puts_the_most_supported_first(client):
    process = Process.objects.get(slug=SLUG)
    section = max(
        process.drafts.get().sections.all(),
        key=lambda s: s.comments.filter(parent=None).count(),
    )
    top = max(
        section.comments.filter(parent=None, hidden_at=None),
        key=lambda c: (c.supports.count(), -c.created_at.timestamp(), -c.pk),
    )
    page = client.get(
        f"/beteiligung/{SLUG}/abschnitte/{section.pk}/?sortierung=unterstuetzung"
    ).content.decode()
    first = page.index('class="participation-comment')
    assert page.index(f'id="kommentar-{top.pk}"') < page.index(
        'class="participation-comment', first + 1
    )
    assert (
        client.get(f"/beteiligung/{SLUG}/abschnitte/{section.pk}/?sortierung=';--").status_code
        == 200
    )


def test_the_council_paper_links_to_the_process_and_back(client):
    process = Process.objects.get(slug=SLUG)
    paper = process.papers.first()
    assert paper is not None and isinstance(paper, Paper)
    council_page = client.get(f"/ratsinfo/vorlagen/{paper.pk}/").content.decode()
    assert (
        f'href="/beteiligung/{SLUG}/"' in council_page and "Beteiligungsverfahren" in council_page
    )
    page = client.get(f"/beteiligung/{SLUG}/").content.decode()
    assert f'href="/ratsinfo/vorlagen/{paper.pk}/"' in page
    assert "Nächste Sitzung" in page


def test_unknown_things_are_404(client):
    assert client.get("/beteiligung/gibt-es-nicht/").status_code == 404
    assert client.get(f"/beteiligung/{SLUG}/abschnitte/999999/").status_code == 404
    assert client.get("/beteiligung/kommentare/999999/melden/").status_code in (302, 404)


def test_export_and_deletion_keep_the_thread_but_not_the_name(section, resident, neighbour):
    mine = comments.write(section, user=resident, text="Mein Beitrag", public_name="Anna B.")
    withdrawn = comments.write(section, user=resident, text="Weg damit", public_name="Anna B.")
    comments.withdraw(withdrawn, user=resident)
    theirs = comments.write(section, user=neighbour, text="Fremd", public_name="Ben")
    comments.support(theirs, user=resident)
    exported = privacy.export_data(resident)
    (part,) = [s for s in exported["sections"] if s["key"] == "participation"]
    assert part["data"]["public_name"] == "Anna B."
    assert [c["text"] for c in part["data"]["comments"]] == ["Mein Beitrag", ""]
    assert part["data"]["supported_comments"] == [theirs.pk]
    assert "Fremd" not in str(part)
    kept = privacy.retained_on_deletion(resident)
    assert any("ohne Ihren Namen" in item.why for item in kept)
    privacy.delete_account(resident)
    mine.refresh_from_db()
    assert (mine.author, mine.public_name, mine.text) == (None, "", "Mein Beitrag")
    assert not Participant.objects.filter(public_name="Anna B.").exists()
    assert not Support.objects.filter(comment=theirs).exists()


def test_open_data_counts_contributions_without_persons(
    section, process, resident, neighbour, moderator
):
    from rathaus.opendata.pipelines import get
    from rathaus.participation.services import moderation

    first = comments.write(
        section, user=resident, text="Ja", public_name="Anna B.", stance="support"
    )
    second = comments.write(section, user=neighbour, text="Nein", public_name="B", stance="oppose")
    comments.write(section, user=neighbour, text="Antwort", public_name="B", parent=first)
    comments.support(first, user=neighbour)
    comments.support(second, user=resident)
    moderation.hide(second, by=moderator, reason="Regel 1")
    pipeline = get("beteiligung-kommentare")
    rows = [r for r in pipeline.rows() if r["verfahren"] == process.slug]
    assert [r["abschnitt"] for r in rows] == ["1", "2"]
    counts = {key: value for key, value in rows[0].items() if isinstance(value, int)}
    assert counts == {
        "kommentare": 1,
        "zustimmung": 1,
        "ablehnung": 0,
        "anmerkung": 0,
        "antworten_teilnehmende": 1,
        "unterstuetzungen": 2,
        "beantwortet_verwaltung": 0,
        "ausgeblendet": 1,
        "zurueckgezogen": 0,
        "erfasst_durch_verwaltung": 0,
    }
    assert "Anna" not in str(rows) and "Ja" not in [str(v) for v in rows[0].values()]
    process.published = False
    process.save()
    assert not [r for r in pipeline.rows() if r["verfahren"] == process.slug]
