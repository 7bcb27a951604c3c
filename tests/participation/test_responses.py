"""The office answers comments publicly, one by one or a group at once; the authors are told;
staff of other offices cannot answer; comments typed in from letters and calls are marked."""

import pytest

from rathaus.participation.models import Comment
from rathaus.participation.services import NotAllowed, comments, responses
from tests.support import mails

pytestmark = pytest.mark.django_db


def test_one_answer_for_a_group_of_comments(
    client,
    process,
    section,
    resident,
    neighbour,
    moderator,
    mail_dir,
    django_capture_on_commit_callbacks,
):
    first = comments.write(section, user=resident, text="Mehr WLAN in Bilk", public_name="A")
    second = comments.write(section, user=neighbour, text="WLAN im Park", public_name="B")
    third = comments.write(section, user=neighbour, text="Anderes Thema", public_name="B")
    client.force_login(moderator)
    url = f"/verwaltung/beteiligung/{process.slug}/"
    page = client.get(url).content.decode()
    assert all(text in page for text in ("Mehr WLAN in Bilk", "WLAN im Park", "Anderes Thema"))
    missing = client.post(url, {"text": "Wir prüfen das."})
    assert missing.status_code == 400 and "mindestens einen Kommentar" in missing.content.decode()
    assert "Wir prüfen das." in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"comments": [first.pk, second.pk], "text": "Wir bauen aus."})
    assert answer.status_code == 302
    response = process.responses.get()
    assert set(response.comments.all()) == {first, second} and response.written_by == moderator
    assert list(responses.unanswered(process)) == [third]
    assert {m["To"] for m in mails(mail_dir)} == {resident.email, neighbour.email}
    page = client.get(f"/beteiligung/{process.slug}/abschnitte/{section.pk}/").content.decode()
    assert page.count("Wir bauen aus.") == 2
    # answering an answered comment again is refused
    again = client.post(url, {"comments": [first.pk, third.pk], "text": "Noch einmal"})
    assert again.status_code == 400 and process.responses.count() == 1


def test_other_offices_and_residents_cannot_answer(
    client, process, section, resident, other_office_moderator
):
    comment = comments.write(section, user=resident, text="Frage", public_name="A")
    for user in (other_office_moderator, resident):
        client.force_login(user)
        answer = client.post(
            f"/verwaltung/beteiligung/{process.slug}/", {"comments": [comment.pk], "text": "X"}
        )
        assert answer.status_code == (403 if user.is_staff else 302)
    with pytest.raises(NotAllowed):
        responses.publish(process, [comment], text="X", by=other_office_moderator)
    assert not process.responses.exists()


def test_comments_from_letters_and_events_are_typed_in_and_marked(
    client, process, section, moderator
):
    client.force_login(moderator)
    url = f"/verwaltung/beteiligung/{process.slug}/erfassen/"
    online = client.post(
        url,
        {
            "section": section.pk,
            "channel": "online",
            "public_name": "Brief",
            "stance": "neutral",
            "text": "Hallo",
        },
    )
    assert online.status_code == 400 and not Comment.objects.filter(section=section).exists()
    answer = client.post(
        url,
        {
            "section": section.pk,
            "channel": "paper",
            "public_name": "Brief aus Benrath",
            "stance": "oppose",
            "text": "Ich habe kein Smartphone. Bitte Papier behalten.",
        },
    )
    assert answer.status_code == 302
    comment = Comment.objects.get(section=section)
    assert (comment.channel, comment.entered_by, comment.author) == ("paper", moderator, None)
    page = client.get(f"/beteiligung/{process.slug}/abschnitte/{section.pk}/").content.decode()
    assert "Brief aus Benrath" in page and "von der Verwaltung erfasst" in page
    process.assisted = False
    process.save()
    refused = client.post(
        url,
        {
            "section": section.pk,
            "channel": "phone",
            "public_name": "Anruf",
            "stance": "neutral",
            "text": "Hallo",
        },
    )
    assert refused.status_code == 409 and "nicht vorgesehen" in refused.content.decode()
