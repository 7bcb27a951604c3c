"""Residents comment on a section, reply, support once and withdraw; the phase decides what is
possible; every refusal is a German sentence and keeps what was typed."""

import pytest

from rathaus.core.models import AuditEntry
from rathaus.participation.models import Comment, Participant, Support
from rathaus.participation.services import NotAllowed, comments
from tests.participation.conftest import make_process
from tests.support import mails

pytestmark = pytest.mark.django_db


def _url(section, suffix=""):
    return f"/beteiligung/{section.draft.process.slug}/abschnitte/{section.pk}/{suffix}"


def _comment(client, section, **fields):
    data = {"public_name": "Anna B.", "stance": "support", "text": "Gute Idee, bitte schneller."}
    return client.post(_url(section, "kommentieren/"), {**data, **fields})


def test_a_resident_comments_under_a_chosen_name(client, section, resident):
    client.force_login(resident)
    answer = _comment(client, section)
    comment = Comment.objects.get(section=section)
    assert answer.status_code == 302 and answer["Location"].endswith(f"#kommentar-{comment.pk}")
    assert (comment.public_name, comment.stance, comment.author.user) == (
        "Anna B.",
        "support",
        resident,
    )
    page = client.get(_url(section)).content.decode()
    assert "Gute Idee, bitte schneller." in page and "Anna B." in page
    assert resident.email not in page and "Anna Beispiel" not in page
    assert Participant.objects.get(user=resident).public_name == "Anna B."
    assert AuditEntry.objects.filter(action="rathaus.participation.comment.written").exists()
    # the name is offered again next time
    assert 'value="Anna B."' in client.get(_url(section)).content.decode()


def test_visitors_read_but_must_sign_in_to_comment(client, section):
    page = client.get(_url(section))
    assert page.status_code == 200 and "Anmelden und kommentieren" in page.content.decode()
    answer = _comment(client, section)
    assert answer.status_code == 302 and "/anmelden/" in answer["Location"]
    assert not Comment.objects.filter(section=section).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "Bitte schreiben Sie Ihren Kommentar."),
        ({"text": "  "}, "Bitte schreiben Sie Ihren Kommentar."),
        ({"text": "x" * 3001}, "Bitte kürzen Sie Ihre Eingabe auf höchstens 3000 Zeichen"),
        ({"text": "ok\x00"}, "unsichtbare Steuerzeichen"),
        ({"public_name": ""}, "unter welchem Namen"),
        ({"public_name": "anna@beispiel.de"}, "keine E-Mail-Adresse als Namen"),
        ({"public_name": "n" * 61}, "höchstens 60 Zeichen"),
        ({"stance": "begeistert"}, "Bitte wählen Sie eine der angebotenen Haltungen."),
    ],
)
def test_bad_input_is_named_and_what_was_typed_stays(client, section, resident, fields, message):
    client.force_login(resident)
    answer = _comment(client, section, **{"text": "Mein langer Gedanke", **fields})
    page = answer.content.decode()
    assert answer.status_code == 400 and message in page
    assert not Comment.objects.filter(section=section).exists()
    if "text" not in fields:
        assert "Mein langer Gedanke" in page


def test_hostile_text_is_shown_as_text(client, section, resident):
    client.force_login(resident)
    _comment(client, section, text="<script>alert(1)</script> ' OR 1=1 --")
    page = client.get(_url(section)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("spans", "message"),
    [
        ([("information", -1, 3), ("discussion", 3, 9)], "Kommentieren ist ab dem"),
        ([("discussion", -9, -1), ("results", -1, 9)], "Kommentieren ist nicht mehr möglich"),
        ([("proposals", -1, 9)], "Kommentieren ist nicht mehr möglich"),
    ],
)
def test_the_phase_decides_whether_comments_are_taken(client, office, resident, spans, message):
    process = make_process(office, spans=spans, slug="geschlossen")
    section = process.drafts.get().sections.first()
    client.force_login(resident)
    answer = _comment(client, section, text="Zu spät oder zu früh?")
    page = answer.content.decode()
    assert answer.status_code == 409 and message in page and "Zu spät oder zu früh?" in page
    assert not Comment.objects.filter(section=section).exists()
    assert "Kommentar veröffentlichen" not in client.get(_url(section)).content.decode()


def test_replies_go_one_level_deep_and_tell_the_author(
    client, section, resident, neighbour, mail_dir, django_capture_on_commit_callbacks
):
    first = comments.write(section, user=resident, text="Erster Gedanke", public_name="Anna B.")
    client.force_login(neighbour)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"/beteiligung/kommentare/{first.pk}/antworten/",
            {"antwort-public_name": "Ben", "antwort-text": "Sehe ich auch so."},
        )
    reply = Comment.objects.get(parent=first)
    assert answer.status_code == 302 and answer["Location"].endswith(f"#kommentar-{first.pk}")
    assert (reply.section, reply.public_name) == (section, "Ben")
    (notice,) = mails(mail_dir)
    assert notice["To"] == resident.email and "Sehe ich auch so." in notice.get_content()
    assert f"#kommentar-{first.pk}" in notice.get_content()
    # no reply to a reply
    refused = client.post(
        f"/beteiligung/kommentare/{reply.pk}/antworten/",
        {"antwort-public_name": "Ben", "antwort-text": "Noch tiefer"},
    )
    assert refused.status_code == 409 and "nur auf Kommentare" in refused.content.decode()
    # an empty reply comes back in place, with the error next to it
    empty = client.post(
        f"/beteiligung/kommentare/{first.pk}/antworten/",
        {"antwort-public_name": "Ben", "antwort-text": ""},
    )
    assert (
        empty.status_code == 400 and "Bitte schreiben Sie Ihre Antwort." in empty.content.decode()
    )
    assert Comment.objects.filter(parent=first).count() == 1


def test_support_counts_once_per_person_and_can_be_taken_back(client, section, resident, neighbour):
    comment = comments.write(section, user=resident, text="Unterstützenswert", public_name="A")
    client.force_login(neighbour)
    url = f"/beteiligung/kommentare/{comment.pk}/unterstuetzen/"
    for _ in range(3):
        assert client.post(url).status_code == 302
    assert Support.objects.filter(comment=comment).count() == 1
    page = client.get(_url(section)).content.decode()
    assert "1 Unterstützung" in page and "Unterstützung zurücknehmen" in page
    client.post(url, {"zuruecknehmen": "1"})
    assert not Support.objects.filter(comment=comment).exists()
    # nobody supports their own comment
    with pytest.raises(NotAllowed, match="eigenen Kommentar"):
        comments.support(comment, user=resident)


def test_support_is_closed_with_the_discussion(office, resident, neighbour):
    process = make_process(office, spans=[("discussion", -5, 1)], slug="bald-zu")
    section = process.drafts.get().sections.first()
    comment = comments.write(section, user=resident, text="Noch offen", public_name="A")
    process.phases.update(ends_at=comment.created_at)
    with pytest.raises(NotAllowed, match="beendet"):
        comments.support(comment, user=neighbour)


def test_the_author_withdraws_a_comment_and_only_the_author(client, section, resident, neighbour):
    comment = comments.write(section, user=resident, text="Doch nicht", public_name="A")
    client.force_login(neighbour)
    client.post(f"/beteiligung/kommentare/{comment.pk}/zurueckziehen/")
    comment.refresh_from_db()
    assert comment.withdrawn_at is None and comment.text == "Doch nicht"
    client.force_login(resident)
    client.post(f"/beteiligung/kommentare/{comment.pk}/zurueckziehen/")
    comment.refresh_from_db()
    assert comment.withdrawn_at is not None and comment.text == ""
    page = client.get(_url(section)).content.decode()
    assert "zurückgezogen" in page and "Doch nicht" not in page


def test_flooding_is_stopped_with_a_sentence(section, resident, settings):
    limits = {**settings.RATHAUS["PARTICIPATION"], "COMMENTS_PER_HOUR": 2}
    settings.RATHAUS = {**settings.RATHAUS, "PARTICIPATION": limits}
    for number in range(2):
        comments.write(section, user=resident, text=f"Nummer {number}", public_name="A")
    with pytest.raises(NotAllowed, match="sehr viele Beiträge"):
        comments.write(section, user=resident, text="Nummer 3", public_name="A")
    assert Comment.objects.filter(section=section).count() == 2


def test_an_unpublished_process_is_only_for_its_office(client, process, section, moderator):
    process.published = False
    process.save()
    assert client.get(f"/beteiligung/{process.slug}/").status_code == 404
    assert client.get(_url(section)).status_code == 404
    client.force_login(moderator)
    page = client.get(f"/beteiligung/{process.slug}/")
    assert page.status_code == 200 and "Noch nicht veröffentlicht" in page.content.decode()
