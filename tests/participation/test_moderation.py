"""Reporting and moderation: residents report once, enough reports hide a comment until a
moderator decides, moderators of the owning office hide (with a public reason), keep or
restore – and nobody can change a resident's words."""

import pytest

from rathaus.core.models import AuditEntry
from rathaus.participation.models import Comment, Report
from rathaus.participation.services import NotAllowed, comments, moderation
from tests.factories import UserFactory
from tests.support import mails

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(section, resident):
    return comments.write(section, user=resident, text="Kauft alle bei Firma X!", public_name="A")


def _section_page(client, comment):
    process = comment.section.draft.process
    return client.get(f"/beteiligung/{process.slug}/abschnitte/{comment.section_id}/")


def test_a_report_is_taken_once_per_person_with_a_reason(client, comment, neighbour):
    client.force_login(neighbour)
    url = f"/beteiligung/kommentare/{comment.pk}/melden/"
    assert "Warum melden Sie" in client.get(url).content.decode()
    missing = client.post(url, {"note": "Werbung"})
    assert (
        missing.status_code == 400 and "Bitte wählen Sie einen Grund." in missing.content.decode()
    )
    assert "Werbung" in missing.content.decode()
    assert client.post(url, {"reason": "advertising", "note": "Werbung"}).status_code == 302
    again = client.post(url, {"reason": "advertising"})
    assert again.status_code == 409 and "bereits gemeldet" in again.content.decode()
    assert Report.objects.filter(comment=comment).count() == 1


def test_own_comments_are_not_reported(comment, resident):
    with pytest.raises(NotAllowed, match="eigenen Beitrag"):
        moderation.report(comment, user=resident, reason="other")


def test_enough_reports_hide_a_comment_until_the_moderation_decides(
    client, comment, moderator, settings
):
    settings.RATHAUS = {
        **settings.RATHAUS,
        "PARTICIPATION": {"HIDE_AFTER_REPORTS": 3, "COMMENTS_PER_HOUR": 20},
    }
    for number in range(3):
        comment.refresh_from_db()
        assert comment.hidden_at is None, number
        moderation.report(comment, user=UserFactory(), reason="advertising")
    comment.refresh_from_db()
    assert comment.hidden_at is not None and "Mehrere Personen" in comment.hidden_reason
    page = _section_page(client, comment).content.decode()
    assert "Kauft alle" not in page and "Mehrere Personen haben den Beitrag gemeldet" in page
    # the moderator finds the reports unfounded: the comment is back
    moderation.keep(comment, by=moderator)
    comment.refresh_from_db()
    assert comment.hidden_at is None
    assert set(comment.reports.values_list("decision", flat=True)) == {"kept"}
    assert "Kauft alle" in _section_page(client, comment).content.decode()


def test_a_moderator_hides_with_a_public_reason_and_the_author_is_told(
    client, comment, neighbour, moderator, resident, mail_dir, django_capture_on_commit_callbacks
):
    moderation.report(comment, user=neighbour, reason="advertising")
    client.force_login(moderator)
    queue = client.get("/verwaltung/beteiligung/meldungen/").content.decode()
    assert "Kauft alle bei Firma X!" in queue and "Werbung oder Spam" in queue
    waiting = len(moderation.queue(moderator))
    assert moderation.waiting(moderator) == waiting >= 1
    home = client.get("/verwaltung/beteiligung/").content.decode()
    assert f"{waiting} gemeldete" in home or f"{waiting} gemeldeter" in home
    url = f"/verwaltung/beteiligung/kommentare/{comment.pk}/"
    empty = client.post(url, {"entscheidung": "ausblenden", "reason": " "})
    assert empty.status_code == 400 and "Bitte nennen Sie den Grund" in empty.content.decode()
    reason = "Werbung für ein Unternehmen (Regel 4)"
    with django_capture_on_commit_callbacks(execute=True):
        hidden = client.post(url, {"entscheidung": "ausblenden", "reason": reason})
    assert hidden.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_reason == reason and comment.hidden_by == moderator
    assert comment.text == "Kauft alle bei Firma X!"  # hidden, never changed
    page = _section_page(client, comment).content.decode()
    assert reason in page and "Kauft alle" not in page
    (notice,) = mails(mail_dir)
    assert notice["To"] == resident.email and reason in notice.get_content()
    assert (
        "Keine offenen Meldungen"
        in client.get("/verwaltung/beteiligung/meldungen/").content.decode()
    )
    entry = AuditEntry.objects.get(action="rathaus.participation.comment.hidden")
    assert entry.data == {"reason": reason} and entry.actor == moderator
    # and back again
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"entscheidung": "wieder_zeigen"})
    comment.refresh_from_db()
    assert comment.hidden_at is None and len(mails(mail_dir)) == 2


def test_only_the_owning_office_moderates(client, comment, neighbour, other_office_moderator):
    moderation.report(comment, user=neighbour, reason="insult")
    for user in (other_office_moderator, neighbour):
        client.force_login(user)
        queue = client.get("/verwaltung/beteiligung/meldungen/")
        assert queue.status_code == 403 or "Kauft alle" not in queue.content.decode()
        answer = client.post(
            f"/verwaltung/beteiligung/kommentare/{comment.pk}/",
            {"entscheidung": "ausblenden", "reason": "weg damit"},
        )
        assert answer.status_code == (403 if user.is_staff else 302)
    client.logout()
    assert client.get("/verwaltung/beteiligung/meldungen/").status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_at is None
    with pytest.raises(NotAllowed):
        moderation.hide(comment, by=other_office_moderator, reason="weg")


def test_no_page_lets_staff_change_a_comment(client, comment, moderator):
    client.force_login(moderator)
    assert client.get(f"/verwaltung/participation/comment/{comment.pk}/change/").status_code == 404
    client.post(
        f"/verwaltung/beteiligung/kommentare/{comment.pk}/",
        {"entscheidung": "behalten", "text": "Geändert"},
    )
    assert Comment.objects.get(pk=comment.pk).text == "Kauft alle bei Firma X!"
