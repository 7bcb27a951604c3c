"""Participatory budgets: ballots within the budget, one vote per person, the secret ballot,
points, the district check, paper ballots, the count with its published document, the
transparency log and the recount command."""

import hashlib
import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from rathaus import ledger
from rathaus.offices.models import Quarter
from rathaus.participation import budgeting
from rathaus.participation.models import Ballot, Budget, Choice, Phase, Result, Vote
from rathaus.participation.services import NotAllowed, budgets
from tests.applications.conftest import verified_client
from tests.support import mails

from .conftest import make_budget, make_process

pytestmark = pytest.mark.django_db


def ids(budget: Budget, *numbers: int, points: int = 1) -> dict[int, int]:
    return {budget.projects.get(number=n).pk: points for n in numbers}


def end_vote(process) -> None:
    """The voting phase is over (the results phase runs)."""
    now = timezone.now()
    process.phases.filter(kind=Phase.Kind.VOTING).update(
        starts_at=now - timedelta(days=10), ends_at=now - timedelta(days=1)
    )
    process.phases.filter(kind=Phase.Kind.RESULTS).update(starts_at=now - timedelta(days=1))


def test_a_ballot_within_the_budget_is_counted_and_stored_apart_from_the_voter(
    budget, resident, mail_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        vote = budgets.cast(budget, ids(budget, 1, 2), user=resident)
    assert vote.user == resident and vote.channel == "online"
    (ballot,) = Ballot.objects.filter(budget=budget)
    chosen = sorted(ballot.choices.values_list("project__number", flat=True))
    assert chosen == [1, 2]
    # nothing links the ballot to the vote: no user, no time on the ballot or its choices
    assert {f.name for f in Ballot._meta.get_fields()} == {"id", "budget", "choices"}
    assert {f.name for f in Choice._meta.get_fields()} == {"id", "ballot", "project", "points"}
    (message,) = mails(mail_dir)
    assert message["To"] == resident.email and "Stimme ist angekommen" in message["Subject"]
    assert "Projekt 1" not in message.get_content()  # what was voted stays out of the mail


def test_an_over_budget_ballot_is_refused_with_the_sums_and_nothing_is_stored(budget, resident):
    with pytest.raises(NotAllowed) as refusal:
        budgets.cast(budget, ids(budget, 1, 2, 3), user=resident)  # 65.000 € of 50.000 €
    assert "65.000,00\u00a0€" in refusal.value.message
    assert "50.000,00\u00a0€" in refusal.value.message
    assert not Vote.objects.filter(budget=budget).exists()
    assert not Ballot.objects.filter(budget=budget).exists()


def test_one_vote_per_person(budget, resident):
    budgets.cast(budget, ids(budget, 1), user=resident)
    with pytest.raises(NotAllowed, match="schon abgestimmt"):
        budgets.cast(budget, ids(budget, 2), user=resident)
    assert Ballot.objects.filter(budget=budget).count() == 1


def test_an_empty_ballot_or_a_project_of_another_budget_is_refused(budget, voting, resident):
    with pytest.raises(NotAllowed, match="mindestens ein Projekt"):
        budgets.cast(budget, {}, user=resident)
    other = make_budget(voting, [1000])
    with pytest.raises(NotAllowed, match="nicht \\(mehr\\) zur Wahl"):
        budgets.cast(budget, ids(other, 1), user=resident)


def test_voting_is_possible_only_in_the_voting_phase(office, resident):
    early = make_process(office, slug="bald", spans=[("proposals", -5, 5), ("voting", 5, 9)])
    budget = make_budget(early, [1000])
    with pytest.raises(NotAllowed, match="ab dem"):
        budgets.cast(budget, ids(budget, 1), user=resident)
    end_vote(early)
    with pytest.raises(NotAllowed, match="nicht mehr möglich"):
        budgets.cast(budget, ids(budget, 1), user=resident)


def test_points_ballots_respect_the_points_each_person_has(voting, resident, neighbour):
    budget = make_budget(voting, [20000, 15000, 30000], ballot="points", points=10)
    chosen = {budget.projects.get(number=1).pk: 7, budget.projects.get(number=3).pk: 4}
    with pytest.raises(NotAllowed, match="11 Punkte vergeben, möglich sind höchstens 10"):
        budgets.cast(budget, chosen, user=resident)
    chosen[budget.projects.get(number=3).pk] = 3
    budgets.cast(budget, chosen, user=resident)
    points = dict(
        Choice.objects.filter(ballot__budget=budget).values_list("project__number", "points")
    )
    assert points == {1: 7, 3: 3}


def test_equal_shares_cannot_be_combined_with_points(voting):
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.create(
            process=voting, title="x", amount=1000, rule="equal_shares", ballot="points"
        )


def test_the_district_check_refuses_other_districts(voting, resident):
    budget = make_budget(voting, [1000], district_check=True)
    budget.district = Quarter.objects.get(name="Bilk").district
    budget.save()
    with pytest.raises(NotAllowed, match="in welchem Stadtteil"):
        budgets.cast(budget, ids(budget, 1), user=resident)
    with pytest.raises(NotAllowed, match="Benrath gehört nicht dazu"):
        budgets.cast(
            budget, ids(budget, 1), user=resident, quarter=Quarter.objects.get(name="Benrath")
        )
    vote = budgets.cast(
        budget, ids(budget, 1), user=resident, quarter=Quarter.objects.get(name="Oberbilk")
    )
    assert vote.quarter.name == "Oberbilk"


def test_paper_ballots_by_staff_once_per_person(budget, moderator, other_office_moderator):
    person = budgets.identity(budget.process, "Jürgen", "Müller", date(1950, 3, 14))
    budgets.cast(budget, ids(budget, 4), person=person, channel="paper", entered_by=moderator)
    same = budgets.identity(budget.process, " JURGEN ", "müller", date(1950, 3, 14))
    assert same == person
    with pytest.raises(NotAllowed, match="Diese Person hat schon abgestimmt"):
        budgets.cast(budget, ids(budget, 1), person=same, channel="paper", entered_by=moderator)
    stranger = budgets.identity(budget.process, "Ida", "Roth", date(1990, 1, 1))
    with pytest.raises(NotAllowed, match="keine Stimmzettel erfassen"):
        budgets.cast(
            budget, ids(budget, 1), person=stranger, channel="paper",
            entered_by=other_office_moderator,
        )  # fmt: skip
    budget.process.assisted = False
    budget.process.save()
    with pytest.raises(NotAllowed, match="keine Stimmzettel erfassen"):
        budgets.cast(budget, ids(budget, 1), person=stranger, channel="paper", entered_by=moderator)
    assert Vote.objects.get(budget=budget).entered_by == moderator
    # the name is nowhere: only a keyed hash, different in another process
    elsewhere = make_process(budget.process.office, slug="anderswo", spans=[("voting", -1, 3)])
    assert budgets.identity(elsewhere, "Jürgen", "Müller", date(1950, 3, 14)) != person


def test_of_several_district_budgets_in_a_process_a_person_votes_on_one(
    budget, voting, resident, client
):
    other_district = make_budget(voting, [1000, 2000])
    budgets.cast(budget, ids(budget, 1), user=resident)
    with pytest.raises(NotAllowed, match="in dieser Beteiligung schon abgestimmt"):
        budgets.cast(other_district, ids(other_district, 1), user=resident)
    assert budgets.has_voted(other_district, resident)
    elsewhere = make_process(voting.office, slug="anderswo", spans=[("voting", -1, 3)])
    third = make_budget(elsewhere, [1000])
    budgets.cast(third, ids(third, 1), user=resident)  # another process: another vote


def test_counting_waits_for_the_end_then_publishes_once_with_the_log(
    budget, resident, neighbour, moderator, other_office_moderator
):
    budgets.cast(budget, ids(budget, 1, 2), user=resident)
    budgets.cast(budget, ids(budget, 2, 4), user=neighbour)
    with pytest.raises(NotAllowed, match="Ausgezählt wird, wenn"):
        budgets.count(budget, by=moderator)
    end_vote(budget.process)
    with pytest.raises(NotAllowed, match="nicht auszählen"):
        budgets.count(budget, by=other_office_moderator)
    result = budgets.count(budget, by=moderator)
    assert hashlib.sha256(result.document.encode()).hexdigest() == result.sha256
    standing = ledger.standing(result.sha256)
    assert standing.pending or standing.inclusion
    document = json.loads(result.document)
    assert document["ballots"] == [[1, 2], [2, 4]]
    assert document["result"]["votes"] == {"1": 1, "2": 2, "3": 0, "4": 1}
    # greedy: 2 (2 votes, 15.000), then 1 (20.000), then 4 (10.000): 45.000 of 50.000
    assert document["result"]["funded"] == [2, 1, 4]
    assert "anna" not in result.document and "ben" not in result.document
    assert budgeting.differences(document, budgeting.recount(document)) == []
    with pytest.raises(NotAllowed, match="schon ausgezählt"):
        budgets.count(budget, by=moderator)


def test_equal_shares_result_keeps_the_exact_shares(voting, resident, neighbour, moderator):
    budget = make_budget(voting, [30000, 20000, 20000], rule="equal_shares")
    for user, numbers in ((resident, (1, 2)), (neighbour, (3,))):
        budgets.cast(budget, ids(budget, *numbers), user=user)
    end_vote(voting)
    document = json.loads(budgets.count(budget, by=moderator).document)
    steps = document["result"]["steps"]
    # each of the two voters holds 25.000 €; the lone supporter of project 3 pays 20.000 €
    assert steps[0]["stage"] == "equal_shares"
    assert {s["project"]: s["share"] for s in steps if s["stage"] == "equal_shares"} == {
        2: "20000",
        3: "20000",
    }
    assert document["result"]["funded"] == [2, 3]


def test_the_recount_command_confirms_and_catches_a_changed_file(
    budget, resident, moderator, tmp_path
):
    budgets.cast(budget, ids(budget, 1, 4), user=resident)
    end_vote(budget.process)
    result = budgets.count(budget, by=moderator)
    path = tmp_path / "buergerbudget.json"
    path.write_text(result.document)
    out = StringIO()
    call_command("participation_count", str(path), stdout=out)
    assert "stimmt mit dieser Nachzählung überein" in out.getvalue()
    document = json.loads(result.document)
    document["result"]["funded"] = [3]
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="weichen von der Nachzählung ab"):
        call_command("participation_count", str(path), stdout=StringIO())
    document["ballots"].append([99])
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="nicht zur Wahl stand"):
        call_command("participation_count", str(path), stdout=StringIO())
    path.write_text("{nonsense")
    with pytest.raises(CommandError, match="Ungültige Datei"):
        call_command("participation_count", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="Kein ausgezähltes"):
        call_command("participation_count", budget=999999, stdout=StringIO())


# --- pages ------------------------------------------------------------------------------


def vote_url(budget: Budget) -> str:
    return reverse("participation:vote", args=[budget.process.slug, budget.pk])


def test_the_ballot_page_needs_a_passkey_confirmation(client, budget, resident):
    assert client.get(vote_url(budget)).url.startswith(reverse("accounts:signin"))
    client.force_login(resident)
    assert client.get(vote_url(budget)).url.startswith(reverse("accounts:step_up"))


def test_choose_review_then_cast(budget, resident, mail_dir):
    browser = verified_client(resident)
    chosen = [str(budget.projects.get(number=n).pk) for n in (1, 4)]
    page = browser.post(vote_url(budget), {"projects": chosen, "schritt": "pruefen"})
    assert page.status_code == 200
    assert "Ihre Stimme prüfen" in page.content.decode()
    assert "30.000,00" in page.content.decode()  # 20.000 + 10.000
    assert not Vote.objects.filter(budget=budget).exists()
    done = browser.post(vote_url(budget), {"projects": chosen, "schritt": "abgeben"})
    assert done.status_code == 302
    assert Vote.objects.filter(budget=budget, user=resident).count() == 1
    again = browser.get(vote_url(budget))
    assert again.status_code == 302  # voted: back to the budget page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"projects": ["abc"]}, "nur Projekte aus der Liste"),
        ({"projects": ["999999"]}, "nur Projekte aus der Liste"),
        ({}, "mindestens ein Projekt"),
        ({"projects": ["<script>alert(1)</script>"]}, "nur Projekte aus der Liste"),
    ],
)
def test_nonsense_on_the_ballot_is_answered_in_german(budget, resident, data, message):
    page = verified_client(resident).post(vote_url(budget), {**data, "schritt": "abgeben"})
    assert page.status_code == 400
    assert message in page.content.decode()
    assert "<script>alert" not in page.content.decode()
    assert not Vote.objects.filter(budget=budget).exists()


def test_an_over_budget_ballot_comes_back_ticked(budget, resident):
    chosen = [str(p.pk) for p in budget.projects.all()]  # 75.000 € of 50.000 €
    page = verified_client(resident).post(
        vote_url(budget), {"projects": chosen, "schritt": "abgeben"}
    )
    text = page.content.decode()
    assert page.status_code == 409 and "Bitte wählen Sie Projekte ab" in text
    assert text.count("checked") == len(chosen)
    assert not Vote.objects.filter(budget=budget).exists()


def test_points_with_nonsense_are_refused_and_kept(voting, resident):
    budget = make_budget(voting, [1000, 2000], ballot="points", points=5)
    first, second = budget.projects.order_by("number")
    page = verified_client(resident).post(
        vote_url(budget),
        {f"punkte_{first.pk}": "-3", f"punkte_{second.pk}": "2", "schritt": "pruefen"},
    )
    assert page.status_code == 400 and "0 oder mehr Punkte" in page.content.decode()
    assert 'value="2"' in page.content.decode()


def test_result_pages_before_and_after_the_count(client, budget, resident, moderator):
    budgets.cast(budget, ids(budget, 1), user=resident)
    args = [budget.process.slug, budget.pk]
    assert (
        "noch nicht ausgezählt"
        in client.get(reverse("participation:result", args=args)).content.decode()
    )
    assert client.get(reverse("participation:result_file", args=args)).status_code == 404
    end_vote(budget.process)
    result = budgets.count(budget, by=moderator)
    page = client.get(reverse("participation:result", args=args)).content.decode()
    assert "Projekt 1" in page and "gefördert" in page and result.sha256 in page
    assert "passt in das Budget und wird gefördert" in page
    download = client.get(reverse("participation:result_file", args=args))
    assert hashlib.sha256(download.content).hexdigest() == result.sha256
    budget_page = client.get(reverse("participation:budget", args=args)).content.decode()
    assert reverse("participation:result", args=args) in budget_page


def test_staff_pages_are_for_the_owning_office_only(
    client, budget, resident, moderator, other_office_moderator
):
    url = reverse("participation:staff_budget", args=[budget.process.slug, budget.pk])
    count = reverse("participation:count", args=[budget.process.slug, budget.pk])
    assert client.get(url).status_code == 302  # anonymous: sign in
    client.force_login(resident)
    assert client.get(url).url.startswith(reverse("accounts:staff_signin"))
    client.force_login(other_office_moderator)
    assert client.get(url).status_code == 403
    assert client.post(count).status_code == 403
    client.force_login(moderator)
    assert client.get(url).status_code == 200


def test_staff_type_in_a_paper_ballot_and_bad_input_is_kept(client, budget, moderator):
    url = reverse("participation:staff_budget", args=[budget.process.slug, budget.pk])
    client.force_login(moderator)
    project = str(budget.projects.get(number=2).pk)
    fields = {"given_name": "Jürgen", "family_name": "Müller", "channel": "paper"}
    page = client.post(url, {**fields, "birth_date": "31.02.1950", "projects": [project]})
    assert page.status_code == 400 and "14.03.1968" in page.content.decode()
    assert 'value="Jürgen"' in page.content.decode()
    done = client.post(url, {**fields, "birth_date": "14.03.1950", "projects": [project]})
    assert done.status_code == 302
    again = client.post(url, {**fields, "birth_date": "14.03.1950", "projects": [project]})
    assert again.status_code == 409 and "schon abgestimmt" in again.content.decode()
    assert Vote.objects.get(budget=budget).channel == "paper"


def test_open_data_publishes_results_and_ballots_only_after_the_count(
    budget, resident, neighbour, moderator
):
    from rathaus.opendata.pipelines import get

    budgets.cast(budget, ids(budget, 1, 2), user=resident)
    budgets.cast(budget, ids(budget, 2), user=neighbour)

    def mine(key: str) -> list[dict]:
        return [r for r in get(key).rows() if r["verfahren"] == budget.process.slug]

    assert mine("buergerbudget-ergebnisse") == [] and mine("buergerbudget-stimmzettel") == []
    end_vote(budget.process)
    budgets.count(budget, by=moderator)
    results = {
        r["projekt"]: (r["stimmen"], r["gefoerdert"]) for r in mine("buergerbudget-ergebnisse")
    }
    assert results == {1: (1, True), 2: (2, True), 3: (0, False), 4: (0, False)}
    ballots = sorted((r["stimmzettel"], r["projekt"]) for r in mine("buergerbudget-stimmzettel"))
    assert ballots == [(1, 1), (1, 2), (2, 2)]
    assert not any("anna" in str(r) for r in mine("buergerbudget-stimmzettel"))


def test_the_demo_vote_recounts_to_its_published_result():
    result = Result.objects.get(budget__process__slug="buergerhaushalt-2026-bezirk-3")
    document = json.loads(result.document)
    assert len(document["ballots"]) > 200
    assert budgeting.differences(document, budgeting.recount(document)) == []
    standing = ledger.standing(result.sha256)
    assert standing.pending or standing.inclusion


def test_the_export_says_that_one_voted_not_what_and_the_vote_outlives_the_account(
    budget, resident
):
    from rathaus.accounts.services import privacy

    budgets.cast(budget, ids(budget, 3), user=resident)
    (part,) = [s for s in privacy.export_data(resident)["sections"] if s["key"] == "participation"]
    assert [v["budget"] for v in part["data"]["votes"]] == [budget.title]
    assert "Projekt 3" not in str(part)
    kept = privacy.retained_on_deletion(resident)
    assert any("Stimme bleibt gezählt" in item.why for item in kept)
    privacy.delete_account(resident)
    assert Vote.objects.get(budget=budget).user is None
    assert Ballot.objects.filter(budget=budget).count() == 1


def test_the_office_sets_up_a_budget_with_accepted_proposals_only(
    client, voting, budget, moderator, other_office_moderator
):
    client.force_login(moderator)
    assert budget.title in client.get("/verwaltung/participation/budget/").content.decode()
    # the parts are on their pages for the office's staff (not only for administrators)
    change = client.get(f"/verwaltung/participation/budget/{budget.pk}/change/").content.decode()
    assert 'name="projects-TOTAL_FORMS"' in change
    process_page = client.get(f"/verwaltung/participation/process/{voting.pk}/change/")
    assert 'name="phases-TOTAL_FORMS"' in process_page.content.decode()
    submitted = budget.projects.get(number=1).proposal
    submitted.status = "submitted"
    submitted.save()
    page = client.post(
        "/verwaltung/participation/budget/add/",
        {
            "process": voting.pk,
            "title": "Noch ein Budget",
            "amount": "10000",
            "rule": "greedy",
            "ballot": "approval",
            "points": "10",
            "projects-TOTAL_FORMS": "1",
            "projects-INITIAL_FORMS": "0",
            "projects-0-number": "1",
            "projects-0-proposal": str(submitted.pk),
            "projects-0-cost": "1000",
        },
    )
    assert page.status_code == 200 and not Budget.objects.filter(title="Noch ein Budget").exists()
    client.force_login(other_office_moderator)
    listing = client.get("/verwaltung/participation/budget/")
    assert budget.title not in listing.content.decode()
    elsewhere = client.get(f"/verwaltung/participation/budget/{budget.pk}/change/")
    assert elsewhere.status_code == 302 and elsewhere.url == "/verwaltung/"  # "does not exist"


def test_the_steps_speak_of_points_on_a_points_ballot(client, voting, resident, moderator):
    budget = make_budget(voting, [30000, 40000], ballot="points", points=10)
    first, second = budget.projects.order_by("number")
    budgets.cast(budget, {first.pk: 3, second.pk: 7}, user=resident)
    end_vote(voting)
    budgets.count(budget, by=moderator)
    page = client.get(reverse("participation:result", args=[voting.slug, budget.pk]))
    text = page.content.decode()
    assert "„Projekt 2“ – 7 Punkte, 40.000,00" in text and "wird gefördert" in text
    assert "„Projekt 1“ – 3 Punkte, 30.000,00" in text and "wird übersprungen" in text
