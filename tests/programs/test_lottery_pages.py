"""The lottery through the pages: the public page (why a lottery, the commitment before,
seed and result after, how to re-run), the published list, entering and withdrawing with
the form (bad input answered in German, nothing stored), and the draw button that only the
provider's staff may press, and only after the window."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.accounts.models import Role
from rathaus.programs.models import LotteryEntry, Offer, ProviderMembership
from tests.factories import StaffFactory, UserFactory
from tests.support import mails

from .conftest import make_offer, make_provider
from .test_lottery import entrant, lottery_offer


@pytest.fixture
def raffle(provider, venue) -> Offer:
    return lottery_offer(provider, venue=venue, lottery_priorities=["duesselpass", "district"])


def close(offer: Offer) -> None:
    offer.booking_closes_at = timezone.now() - timedelta(minutes=1)
    Offer.objects.filter(pk=offer.pk).update(booking_closes_at=offer.booking_closes_at)


def kid(user, name: str):
    return user.program_participants.get(name=name)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def enter_url(offer: Offer) -> str:
    return f"/angebote/{offer.slug}/verlosung/anmelden/"


def page_url(offer: Offer) -> str:
    return f"/angebote/{offer.slug}/verlosung/"


def draw_url(offer: Offer) -> str:
    return f"/verwaltung/angebote/{offer.slug}/verlosen/"


# The public page -----------------------------------------------------------------------


def test_before_the_draw_the_page_explains_and_shows_only_the_commitment(client, raffle):
    entrant(raffle, 1)
    answer = client.get(page_url(raffle))
    assert answer.status_code == 200
    html = answer.content.decode()
    raffle.refresh_from_db()
    commitment = json.loads(client.get(f"/angebote/{raffle.slug}/verlosung.json").content)[
        "commitment"
    ]
    assert "Warum ein Losverfahren?" in html
    assert "dieselbe Chance" in html and "schnellste Verbindung" in html
    assert commitment in html and raffle.lottery_seed not in html
    assert "Inhaber*innen eines DüsselPasses" in html
    assert "Menschen, die im Stadtbezirk des Angebots wohnen" in html
    assert "python3 draw.py verlosung-test-verlosung.json" in html
    assert enter_url(raffle) in html and "1 Anmeldung" in html


def test_the_list_before_the_draw_has_no_seed_and_no_entries(client, raffle):
    entrant(raffle, 1)
    listed = client.get(f"/angebote/{raffle.slug}/verlosung.json").json()
    assert listed["seed"] == "" and listed["entries"] == [] and "result" not in listed
    assert len(listed["commitment"]) == 64


def test_after_the_draw_seed_list_and_result_are_public_without_names(client, raffle, parent):
    for n in range(12):
        entrant(raffle, n, places=2)
    mine = entrant(raffle, 99)
    close(raffle)
    staff = StaffFactory(roles=[Role.PROGRAM_MANAGER])
    ProviderMembership.objects.create(user=staff, provider=raffle.provider)
    assert client_for(staff).post(draw_url(raffle)).status_code == 303
    raffle.refresh_from_db()

    html = client.get(page_url(raffle)).content.decode()
    raw = client.get(f"/angebote/{raffle.slug}/verlosung.json").content.decode()
    listed = json.loads(raw)
    assert raffle.lottery_seed in html and listed["seed"] == raffle.lottery_seed
    assert len(listed["result"]) == len(listed["entries"]) == 13
    assert "rathaus programs_draw verlosung-test-verlosung.json" in html
    for row in listed["result"]:
        assert row["pseudonym"] in html
    for text in (html, raw):
        assert "Kind 1-0" not in text and "los1@" not in text
        assert "Person 1" not in text
    own = client_for(mine.account).get(page_url(raffle)).content.decode()
    assert f"<code>{mine.pseudonym}</code> <strong>(Ihre Losnummer)</strong>" in own


def test_pages_exist_only_for_visible_lottery_offers(client, provider, raffle):
    first_come = make_offer(provider, "test-wer-zuerst-kommt")
    draft = lottery_offer(provider, "test-verlosung-entwurf", status=Offer.Status.DRAFT)
    internal = lottery_offer(provider, "test-verlosung-intern", internal=True)
    for offer in (first_come, draft, internal):
        assert client.get(page_url(offer)).status_code == 404
        assert client.get(f"/angebote/{offer.slug}/verlosung.json").status_code == 404
    assert client.get(page_url(raffle)).status_code == 200


# Entering and withdrawing --------------------------------------------------------------


def test_a_parent_enters_two_children_and_gets_the_mail(
    parent_client, parent, raffle, mail_dir, django_capture_on_commit_callbacks
):
    form = parent_client.get(enter_url(raffle)).content.decode()
    assert "Ich wohne im Stadtbezirk 3" in form and "Bilk" in form
    assert "Ich habe einen DüsselPass" in form
    with django_capture_on_commit_callbacks(execute=True):
        answer = parent_client.post(
            enter_url(raffle),
            {
                "people": [kid(parent, "Mia Beispiel").pk, kid(parent, "Ben Beispiel").pk],
                "duesselpass": "on",
                "lives_in_district": "on",
            },
        )
    assert answer.status_code == 303 and answer["Location"] == enter_url(raffle)
    entry = LotteryEntry.objects.get(offer=raffle, account=parent)
    assert entry.places == 2 and entry.duesselpass and entry.lives_in_district
    assert entry.status == LotteryEntry.Status.ENTERED
    page = parent_client.get(enter_url(raffle)).content.decode()
    assert entry.pseudonym in page and "Teilnahme zurückziehen" in page
    assert f"Ihre Losnummer ist {entry.pseudonym}." in page
    (message,) = [m for m in mails(mail_dir) if m["To"] == parent.email]
    assert message["Subject"].strip() == "Sie nehmen an der Verlosung teil: Testferienfreizeit"
    text = message.get_body(("plain",)).get_content()
    assert entry.pseudonym in text and "Mia Beispiel, Ben Beispiel" in text


def test_entering_twice_is_refused(parent_client, parent, raffle):
    data = {"people": [kid(parent, "Mia Beispiel").pk]}
    assert parent_client.post(enter_url(raffle), data).status_code == 303
    again = parent_client.post(enter_url(raffle), {"people": [kid(parent, "Ben Beispiel").pk]})
    assert again.status_code == 409
    assert "Sie nehmen an dieser Verlosung schon teil." in again.content.decode()
    assert LotteryEntry.objects.filter(offer=raffle).count() == 1


def test_withdrawing_in_the_window_but_not_after(parent_client, parent, raffle):
    assert parent_client.post(enter_url(raffle), {"people": [kid(parent, "Mia Beispiel").pk]})
    answer = parent_client.post(enter_url(raffle), {"withdraw": "on"})
    assert answer.status_code == 303 and answer["Location"] == page_url(raffle)
    assert LotteryEntry.objects.get(offer=raffle).status == LotteryEntry.Status.WITHDRAWN
    parent_client.post(enter_url(raffle), {"people": [kid(parent, "Ben Beispiel").pk]})
    close(raffle)
    late = parent_client.post(enter_url(raffle), {"withdraw": "on"})
    assert late.status_code == 409
    assert "Die Teilnahme kann nicht mehr zurückgezogen werden." in late.content.decode()
    assert LotteryEntry.objects.filter(
        offer=raffle, status=LotteryEntry.Status.ENTERED, people__0__name="Ben Beispiel"
    ).exists()


@pytest.mark.parametrize(
    ("people", "message"),
    [
        ([], "Bitte wählen Sie mindestens eine Person aus."),
        (["99999999"], "Bitte wählen Sie nur Personen aus der Liste."),
        (["<script>alert(1)</script>"], "Bitte wählen Sie nur Personen aus der Liste."),
        (["1" * 100_000], "Bitte wählen Sie nur Personen aus der Liste."),
        (["\x00"], "Bitte wählen Sie nur Personen aus der Liste."),
    ],
)
def test_bad_input_is_answered_in_german_and_kept(parent_client, raffle, people, message):
    answer = parent_client.post(enter_url(raffle), {"people": people, "duesselpass": "on"})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert message in html
    assert "<script>alert(1)" not in html
    (checkbox,) = re.findall(r'<input[^>]*name="duesselpass"[^>]*>', html)
    assert " checked" in checkbox  # what was entered is kept
    assert not LotteryEntry.objects.filter(offer__slug__startswith="test-").exists()


def test_someone_elses_child_cannot_be_entered(parent_client, raffle):
    other = UserFactory(email="andere@beispiel.de")
    theirs = other.program_participants.create(name="Kim Anders", birth_year=2019)
    answer = parent_client.post(enter_url(raffle), {"people": [theirs.pk]})
    assert answer.status_code == 400
    assert "Bitte wählen Sie nur Personen aus der Liste." in answer.content.decode()
    assert not LotteryEntry.objects.filter(offer__slug__startswith="test-").exists()


def test_a_child_of_the_wrong_age_is_refused(parent_client, parent, provider):
    older = lottery_offer(provider, "test-verlosung-jugend", age_min=12, age_max=16)
    answer = parent_client.post(enter_url(older), {"people": [kid(parent, "Mia Beispiel").pk]})
    assert answer.status_code == 409
    assert "Mia Beispiel passt nicht in die Altersgruppe dieses Angebots." in (
        answer.content.decode()
    )
    assert not LotteryEntry.objects.filter(offer__slug__startswith="test-").exists()


def test_entering_needs_an_account_an_open_window_and_a_lottery(client, parent_client, provider):
    now = timezone.now()
    raffle = lottery_offer(provider)
    answer = client.get(enter_url(raffle))
    assert answer.status_code == 302 and "/anmelden" in answer["Location"]
    assert parent_client.get(enter_url(make_offer(provider, "test-normal"))).status_code == 404
    soon = lottery_offer(provider, "test-verlosung-bald", booking_opens_at=now + timedelta(days=1))
    page = parent_client.get(enter_url(soon)).content.decode()
    assert "Die Anmeldung zur Verlosung beginnt am" in page
    close(raffle)
    late = parent_client.post(enter_url(raffle), {"people": ["ich"]})
    assert late.status_code == 409
    assert "Die Anmeldung zur Verlosung ist geschlossen." in late.content.decode()
    assert not LotteryEntry.objects.filter(offer__slug__startswith="test-").exists()


def test_another_resident_sees_only_their_own_entry(parent_client, parent, raffle):
    parent_client.post(enter_url(raffle), {"people": [kid(parent, "Mia Beispiel").pk]})
    entry = LotteryEntry.objects.get(offer=raffle)
    other = client_for(UserFactory(email="nachbarin@beispiel.de"))
    for url in (enter_url(raffle), page_url(raffle)):
        html = other.get(url).content.decode()
        assert entry.pseudonym not in html and "Mia Beispiel" not in html
    assert other.post(enter_url(raffle), {"withdraw": "on"}).status_code == 400
    assert LotteryEntry.objects.get(pk=entry.pk).status == LotteryEntry.Status.ENTERED


# The draw ------------------------------------------------------------------------------


def test_the_providers_staff_draws_after_the_window(raffle, provider_staff):
    for n in range(14):
        entrant(raffle, n)
    staff = client_for(provider_staff)
    early = staff.post(draw_url(raffle))
    assert early.status_code == 409
    assert "Verlost werden kann erst nach dem Anmeldeschluss am" in early.content.decode()
    assert Offer.objects.get(pk=raffle.pk).lottery_drawn_at is None
    assert "Jetzt verlosen" not in staff.get(page_url(raffle)).content.decode()

    close(raffle)
    assert "Jetzt verlosen" in staff.get(page_url(raffle)).content.decode()
    answer = staff.post(draw_url(raffle), follow=True)
    assert answer.redirect_chain == [(page_url(raffle), 303)]
    html = answer.content.decode()
    assert "Die Plätze sind verlost: 10 von 14 Anmeldungen haben einen Platz" in html
    assert "Jetzt verlosen" not in html
    raffle.refresh_from_db()
    assert raffle.lottery_drawn_at is not None and raffle.taken == 10
    again = staff.post(draw_url(raffle), follow=True)
    assert "Dieses Angebot ist schon verlost." in again.content.decode()
    assert Offer.objects.get(pk=raffle.pk).taken == 10


def test_nobody_else_may_draw(client, parent_client, raffle):
    for n in range(3):
        entrant(raffle, n)
    close(raffle)
    elsewhere = StaffFactory(roles=[Role.PROGRAM_MANAGER])
    ProviderMembership.objects.create(user=elsewhere, provider=make_provider("test-anderer"))
    assistant = StaffFactory(roles=[Role.CASEWORKER])
    assert client_for(elsewhere).post(draw_url(raffle)).status_code == 403
    assert client_for(assistant).post(draw_url(raffle)).status_code == 403
    for resident in (parent_client, client):
        answer = resident.post(draw_url(raffle))
        assert answer.status_code == 302 and "/verwaltung/anmelden/" in answer["Location"]
    assert client_for(elsewhere).get(draw_url(raffle)).status_code == 405
    assert "Jetzt verlosen" not in client_for(elsewhere).get(page_url(raffle)).content.decode()
    raffle.refresh_from_db()
    assert raffle.lottery_drawn_at is None and raffle.taken == 0
    assert not raffle.lottery_entries.exclude(status=LotteryEntry.Status.ENTERED).exists()
