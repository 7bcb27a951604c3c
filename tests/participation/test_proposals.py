"""Proposals: submitted in the proposal phase (with district, category, place and a checked
picture), supported once per person, answered officially once they reach the threshold,
moved through their statuses with public reasons and a history; filters; moderation."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from rathaus.offices.models import District
from rathaus.participation.models import Category, Proposal, ProposalSupport, Report
from rathaus.participation.services import NotAllowed, moderation, proposals
from tests.factories import UserFactory
from tests.participation.conftest import make_process
from tests.support import mails

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas(office):
    process = make_process(office, slug="ideen", spans=[("proposals", -3, 10), ("voting", 20, 30)])
    process.support_threshold = 3
    process.save()
    Category.objects.create(process=process, name="Freies WLAN")
    return process


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "green").save(out, "PNG")
    return out.getvalue()


def _form(**fields):
    data = {
        "public_name": "Petra aus Garath",
        "title": "WLAN im Freizeitpark",
        "text": "Bitte freies WLAN am Spielplatz.",
        "district": District.objects.get(number=10).pk,
        "location": "Freizeitpark Garath",
    }
    return {**data, **fields}


def test_a_resident_submits_a_proposal_with_a_picture(client, ideas, resident):
    client.force_login(resident)
    category = ideas.categories.get()
    picture = SimpleUploadedFile("spielplatz.png", _png(), content_type="image/png")
    answer = client.post(
        "/beteiligung/ideen/vorschlaege/neu/",
        _form(category=category.pk, image=picture, image_alt="Spielplatz mit Rutsche"),
    )
    proposal = Proposal.objects.get(process=ideas)
    assert (
        answer.status_code == 302
        and answer["Location"] == f"/beteiligung/vorschlaege/{proposal.pk}/"
    )
    assert (proposal.status, proposal.category, proposal.district.number) == (
        "submitted",
        category,
        10,
    )
    assert list(proposal.history.values_list("status", flat=True)) == ["submitted"]
    page = client.get(answer["Location"]).content.decode()
    assert "WLAN im Freizeitpark" in page and 'alt="Spielplatz mit Rutsche"' in page
    picture = client.get(f"/beteiligung/vorschlaege/{proposal.pk}/bild/")
    assert picture["Content-Type"] == "image/png" and b"".join(
        picture.streaming_content
    ).startswith(b"\x89PNG")
    listing = client.get("/beteiligung/ideen/vorschlaege/").content.decode()
    assert "WLAN im Freizeitpark" in listing and "1 Vorschlag" in listing


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Bitte geben Sie Ihrem Vorschlag einen Titel."),
        ({"text": ""}, "Bitte beschreiben Sie Ihren Vorschlag."),
        ({"title": "t" * 121}, "höchstens 120 Zeichen"),
        ({"district": "99999"}, "Bitte wählen Sie einen Stadtbezirk aus der Liste."),
        ({"category": "abc"}, "Bitte wählen Sie eine Kategorie aus der Liste."),
        ({"public_name": "petra@beispiel.de"}, "keine E-Mail-Adresse"),
    ],
)
def test_bad_proposals_are_named_and_kept(client, ideas, resident, fields, message):
    client.force_login(resident)
    answer = client.post("/beteiligung/ideen/vorschlaege/neu/", _form(**fields))
    page = answer.content.decode()
    assert answer.status_code == 400 and message in page
    assert "Freizeitpark Garath" in page and not ideas.proposals.exists()


def test_a_picture_must_be_a_real_image_with_a_description(client, ideas, resident):
    client.force_login(resident)
    fake = SimpleUploadedFile("bild.png", b"<?php echo 1; ?>", content_type="image/png")
    answer = client.post("/beteiligung/ideen/vorschlaege/neu/", _form(image=fake, image_alt="x"))
    assert answer.status_code == 400 and "keine Datei der erlaubten Art" in answer.content.decode()
    real = SimpleUploadedFile("bild.png", _png(), content_type="image/png")
    answer = client.post("/beteiligung/ideen/vorschlaege/neu/", _form(image=real))
    assert answer.status_code == 400 and "was auf dem Bild zu sehen ist" in answer.content.decode()
    assert not ideas.proposals.exists()


def test_proposals_only_in_the_proposal_phase(client, office, resident):
    make_process(office, slug="spaeter", spans=[("information", -1, 3), ("proposals", 3, 9)])
    client.force_login(resident)
    answer = client.post("/beteiligung/spaeter/vorschlaege/neu/", _form())
    assert (
        answer.status_code == 409 and "Vorschläge einreichen ist ab dem" in answer.content.decode()
    )
    assert not Proposal.objects.filter(process__slug="spaeter").exists()


def test_the_threshold_makes_an_answer_due_and_the_answer_is_told(
    client, ideas, resident, moderator, mail_dir, django_capture_on_commit_callbacks
):
    proposal = proposals.submit(ideas, user=resident, title="Idee", text="Text", public_name="P")
    for number in range(3):
        assert proposals.due(ideas).count() == 0, number
        proposals.support(proposal, user=UserFactory())
    assert list(proposals.due(ideas)) == [proposal]
    assert proposals.support(proposal, user=UserFactory()) is True
    client.force_login(moderator)
    page = client.get("/verwaltung/beteiligung/ideen/vorschlaege/").content.decode()
    assert "Antwort fällig" in page and "Schwelle erreicht" in page
    url = f"/verwaltung/beteiligung/vorschlaege/{proposal.pk}/stand/"
    no_reason = client.post(url, {"status": "rejected", "reason": ""})
    assert no_reason.status_code == 409 and "Bitte begründen Sie" in no_reason.content.decode()
    bad_cost = client.post(url, {"status": "accepted", "reason": "ok", "cost": "viel"})
    assert bad_cost.status_code == 400 and "ganze Zahl in Euro" in bad_cost.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            url, {"status": "accepted", "reason": "Zur Abstimmung zugelassen.", "cost": "12000"}
        )
    assert answer.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.cost) == ("accepted", 12000)
    assert list(proposal.history.values_list("status", flat=True)) == ["submitted", "accepted"]
    assert proposals.due(ideas).count() == 0
    (notice,) = mails(mail_dir)
    assert notice["To"] == resident.email and "Zur Abstimmung zugelassen." in notice.get_content()
    assert "12.000,00" in notice.get_content()
    public = client.get(f"/beteiligung/vorschlaege/{proposal.pk}/").content.decode()
    assert "Zur Abstimmung zugelassen." in public and "angenommen" in public


def test_support_once_not_own_not_rejected(ideas, resident, neighbour, moderator):
    proposal = proposals.submit(ideas, user=resident, title="Idee", text="Text", public_name="P")
    assert proposals.support(proposal, user=neighbour) is True
    assert proposals.support(proposal, user=neighbour) is False
    assert ProposalSupport.objects.filter(proposal=proposal).count() == 1
    with pytest.raises(NotAllowed, match="eigenen Vorschlag"):
        proposals.support(proposal, user=resident)
    proposals.change_status(proposal, status="rejected", reason="Privatgrund.", by=moderator)
    with pytest.raises(NotAllowed, match="nicht mehr unterstützt"):
        proposals.support(proposal, user=UserFactory())


def test_filters_find_and_nonsense_is_named(client, ideas, resident):
    proposals.submit(
        ideas,
        user=resident,
        title="Bänke mit Steckdosen",
        text="Zum Laden",
        public_name="P",
        district=District.objects.get(number=3),
    )
    proposals.submit(ideas, user=resident, title="WLAN am Rhein", text="Ufer", public_name="P")
    three = District.objects.get(number=3).pk
    page = client.get(f"/beteiligung/ideen/vorschlaege/?bezirk={three}").content.decode()
    assert "Bänke mit Steckdosen" in page and "WLAN am Rhein" not in page
    page = client.get("/beteiligung/ideen/vorschlaege/?q=Rhein").content.decode()
    assert "WLAN am Rhein" in page and "Bänke" not in page
    answer = client.get("/beteiligung/ideen/vorschlaege/?bezirk=x&stand=weg&sortierung=';--")
    page = answer.content.decode()
    assert answer.status_code == 200 and "Diesen Stadtbezirk gibt es nicht." in page
    assert "Diesen Stand gibt es nicht." in page and "WLAN am Rhein" in page


def test_a_proposal_is_reported_hidden_and_withdrawn(client, ideas, resident, neighbour, moderator):
    proposal = proposals.submit(
        ideas, user=resident, title="Werbung", text="Kauft X", public_name="P"
    )
    client.force_login(neighbour)
    client.post(f"/beteiligung/vorschlaege/{proposal.pk}/melden/", {"reason": "advertising"})
    assert Report.objects.get(proposal=proposal).reason == "advertising"
    client.force_login(moderator)
    queue = client.get("/verwaltung/beteiligung/meldungen/").content.decode()
    assert "Kauft X" in queue
    client.post(
        f"/verwaltung/beteiligung/vorschlaege/{proposal.pk}/",
        {"entscheidung": "ausblenden", "reason": "Werbung (Regel 4)"},
    )
    proposal.refresh_from_db()
    assert proposal.hidden_reason == "Werbung (Regel 4)" and proposal.text == "Kauft X"
    assert (
        "Werbung (Regel 4)"
        in client.get(f"/beteiligung/vorschlaege/{proposal.pk}/").content.decode()
    )
    other = proposals.submit(ideas, user=resident, title="Zweite", text="Idee", public_name="P")
    with pytest.raises(NotAllowed):
        proposals.withdraw(other, user=neighbour)
    proposals.withdraw(other, user=resident)
    other.refresh_from_db()
    assert other.withdrawn_at and other.text == "" and other.title == "Zweite"
    with pytest.raises(NotAllowed):
        moderation.report(other, user=neighbour, reason="other")


def test_only_the_owning_office_decides(client, ideas, resident, other_office_moderator):
    proposal = proposals.submit(ideas, user=resident, title="Idee", text="Text", public_name="P")
    for user in (other_office_moderator, resident):
        client.force_login(user)
        answer = client.post(
            f"/verwaltung/beteiligung/vorschlaege/{proposal.pk}/stand/",
            {"status": "accepted", "reason": "x"},
        )
        assert answer.status_code == (403 if user.is_staff else 302)
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
