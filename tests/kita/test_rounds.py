"""A round after the deadline: who gets which place and why, the families' answers, later
rounds that fill declined places and take none away, the staff's view."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rathaus.kita import allocation
from rathaus.kita.models import Outcome, Registration, Round, UnitResult
from rathaus.kita.services import explanations, figures, responses, rounds
from tests.support import mails

from .conftest import birth, close_registration, register


@pytest.fixture
def families(period, kitas, family, other_family):
    """Anna has a sibling in Sonne; Ben (working parents) wants Sonne, then Stern; Carla is
    three and wants Mond for 35 h; David (parents not working) wants only Stern."""
    return {
        "anna": register(
            period,
            [kitas["sonne"]],
            siblings=[kitas["sonne"]],
            child_given_name="Anna",
            email="anna@beispiel.de",
            parents_working=False,
        ),
        "ben": register(
            period,
            [kitas["sonne"], kitas["stern"]],
            account=family,
            child_given_name="Ben",
            email="ben@beispiel.de",
        ),
        "carla": register(
            period,
            [kitas["mond"]],
            child_given_name="Carla",
            hours=35,
            birth_date=birth(3, 4),
            email="carla@beispiel.de",
        ),
        "david": register(
            period,
            [kitas["stern"]],
            account=other_family,
            child_given_name="David",
            email="david@beispiel.de",
            parents_working=False,
        ),
    }


def outcome(registration: Registration, number: int = 1) -> Outcome:
    return Outcome.objects.get(registration=registration, round__number=number)


def reasons(found: Outcome) -> list[allocation.Reason]:
    """The explanation as data, worked out as the family's page does."""
    registration = found.registration
    wishes = tuple(registration.wishes.order_by("rank").values_list("daycare_id", flat=True))
    siblings = registration.sibling_daycares.values_list("pk", flat=True)
    return explanations.Explainer(found.round, wishes).reasons(
        registration, wishes, siblings, found
    )


def test_no_round_before_the_deadline(period, families):
    with pytest.raises(rounds.RoundRefused, match="Die Anmeldung läuft noch"):
        rounds.run(period)
    assert not Round.objects.filter(period=period).exists()


def test_round_one_places_by_the_published_criteria_and_says_why(
    period, families, kitas, mail_dir, django_capture_on_commit_callbacks
):
    close_registration(period)
    with django_capture_on_commit_callbacks(execute=True):
        done = rounds.run(period)
    assert (done.number, done.children, done.offered, done.stable) == (1, 4, 3, True)
    anna, ben, carla, david = (outcome(families[n]) for n in ("anna", "ben", "carla", "david"))
    assert (anna.daycare, anna.wish_rank, anna.group_form, anna.hours) == (
        kitas["sonne"],
        1,
        "II",
        45,
    )
    assert (ben.daycare, ben.wish_rank) == (kitas["stern"], 2)
    assert (carla.daycare, carla.group_form, carla.hours) == (kitas["mond"], "III", 35)
    assert david.daycare is None and david.status == Outcome.Status.NONE
    assert [(r.wish, r.kita, r.reason, r.criterion) for r in reasons(ben)] == [
        (1, kitas["sonne"].pk, "full", "sibling")
    ]
    assert [(r.wish, r.kita, r.reason, r.criterion) for r in reasons(david)] == [
        (1, kitas["stern"].pk, "full", "work")
    ]
    assert reasons(anna) == [] and reasons(carla) == []
    statuses = {n: Registration.objects.get(pk=r.pk).status for n, r in families.items()}
    assert statuses == {"anna": "offered", "ben": "offered", "carla": "offered", "david": "waiting"}
    # The cut-off of Sonne's under-three place is Anna's priority: with a sibling.
    cutoff = UnitResult.objects.get(round=done, daycare=kitas["sonne"], group_form="II").cutoff
    assert cutoff["sibling"] == 0
    assert cutoff["lottery"] == allocation.lottery_ticket(period.seed, families["anna"].pk)
    period.refresh_from_db()
    assert period.seed_published_at is not None
    # Every family hears its result, with the reasons.
    bodies = {
        m["To"]: m.get_body(("plain",)).get_content()
        for m in mails(mail_dir)
        if "Kita-Platz" in m["Subject"]
    }
    assert set(bodies) == {
        "anna@beispiel.de",
        "ben@beispiel.de",
        "carla@beispiel.de",
        "david@beispiel.de",
    }
    assert (
        "Ihr Wunsch 1 (Testkita Sonnenschein) war mit Kindern mit Geschwisterkind dort voll."
        in bodies["ben@beispiel.de"]
    )
    assert "deren Eltern berufstätig oder in Ausbildung sind" in bodies["david@beispiel.de"]
    # No second round while offers wait for an answer.
    with pytest.raises(rounds.RoundRefused, match="Platzangebote ohne Antwort"):
        rounds.run(period)


def test_the_family_reads_the_explanation_and_accepts(
    period, families, family_client, kitas, mail_dir, django_capture_on_commit_callbacks
):
    close_registration(period)
    rounds.run(period)
    page = family_client.get(f"/konto/kita/{families['ben'].public_id}/").content.decode()
    assert (
        "In Runde 1 bieten wir Ihnen einen Platz in Ihrem Wunsch 2 an: Testkita Sternchen" in page
    )
    assert (
        "Ihr Wunsch 1 (Testkita Sonnenschein) war mit Kindern mit Geschwisterkind dort voll."
        in page
    )
    url = f"/konto/kita/{families['ben'].public_id}/antwort/"
    with django_capture_on_commit_callbacks(execute=True):
        answer = family_client.post(url, {"antwort": "annehmen"})
    assert answer.status_code == 303
    assert outcome(families["ben"]).status == Outcome.Status.ACCEPTED
    assert Registration.objects.get(pk=families["ben"].pk).status == "accepted"
    assert any(m["Subject"] == "Sie haben den Kita-Platz angenommen" for m in mails(mail_dir))
    again = family_client.post(url, {"antwort": "ablehnen"}, follow=True)
    assert "kein Platzangebot offen" in again.content.decode()
    assert outcome(families["ben"]).status == Outcome.Status.ACCEPTED
    nonsense = family_client.post(url, {"antwort": "vielleicht"}, follow=True)
    assert "Bitte wählen Sie: annehmen oder ablehnen." in nonsense.content.decode()


def test_an_answer_counts_once_and_only_in_time(period, families):
    close_registration(period)
    rounds.run(period)
    ben = outcome(families["ben"])
    responses.accept(ben)
    with pytest.raises(responses.OfferClosed):
        responses.decline(ben)
    carla = outcome(families["carla"])
    late = carla.respond_by + timedelta(seconds=1)
    with pytest.raises(responses.OfferClosed):
        responses.accept(carla, now=late)
    assert responses.expire_overdue(now=late) == 2  # Anna and Carla did not answer
    carla.refresh_from_db()
    assert carla.status == Outcome.Status.EXPIRED
    assert Registration.objects.get(pk=families["carla"].pk).status == "expired"


def test_a_later_round_fills_declined_places_and_takes_none_away(period, families, kitas):
    close_registration(period)
    rounds.run(period)
    responses.accept(outcome(families["anna"]))
    responses.decline(outcome(families["ben"]))  # Stern's place is free again
    with pytest.raises(rounds.RoundRefused, match="1 Platzangebote ohne Antwort"):
        rounds.run(period)
    responses.accept(outcome(families["carla"]))
    second = rounds.run(period)
    assert (second.number, second.children, second.offered) == (2, 1, 1)
    assert outcome(families["david"], 2).daycare == kitas["stern"]
    # Accepted places stay; the declining family takes no further part.
    assert outcome(families["anna"]).status == Outcome.Status.ACCEPTED
    assert not Outcome.objects.filter(registration=families["ben"], round=second).exists()
    # Nobody waits any more: no third round.
    responses.accept(outcome(families["david"], 2))
    with pytest.raises(rounds.RoundRefused, match="Kein Kind wartet"):
        rounds.run(period)


def test_longer_hours_go_to_a_shorter_need_only_where_the_city_allows(period, kitas, family):
    """Sonne has a 45 h place for three-year-olds; Carla needs 35 h."""
    carla = register(
        period, [kitas["sonne"]], child_given_name="Carla", hours=35, birth_date=birth(3, 4)
    )
    period.allow_longer_hours = False
    period.save()
    close_registration(period)
    rounds.run(period)
    assert outcome(carla).daycare is None
    assert reasons(outcome(carla))[0].reason == "hours"


def test_staff_run_the_round_and_see_cutoffs_and_children(
    period, families, kitas, planner_client, manager_client, manager
):
    close_registration(period)
    run = f"/verwaltung/kita/{period.slug}/runde/"
    assert manager_client.post(run).status_code == 403
    home = planner_client.get("/verwaltung/kita/").content.decode()
    assert "Runde 1 jetzt durchführen" in home
    answer = planner_client.post(run)
    assert answer.status_code == 302 and answer["Location"] == f"{run}1/"
    summary = planner_client.get(answer["Location"]).content.decode()
    assert "ja, geprüft" in summary and "Fairness-Prüfung" in summary
    again = planner_client.post(run, follow=True).content.decode()
    assert "Platzangebote ohne Antwort" in again
    assert Round.objects.filter(period=period).count() == 1

    page = manager_client.get("/verwaltung/kita/einrichtung/test-sonne/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Anna Muster" in text and "Geschwisterkind in derselben Kita: ja" in text
    assert page["Cache-Control"] == "no-store, private"
    from rathaus.accounts.models import AccessLogEntry

    assert AccessLogEntry.objects.filter(
        staff=manager, subject_id=families["anna"].public_id
    ).exists()
    # Another provider's Kita does not exist for this manager.
    assert manager_client.get("/verwaltung/kita/einrichtung/test-wolke/").status_code == 404
    assert manager_client.get(f"{run}1/").status_code == 403
    assert manager_client.get(f"{run}1/fairness/").status_code == 403
    assert planner_client.get(f"{run}1/fairness/").status_code == 200


def test_the_tie_break_is_the_published_lottery(period, kitas):
    """Three children of equal priority for one place: the lowest ticket wins, and anyone
    can recompute the tickets from the published seed."""
    children = [
        register(period, [kitas["stern"]], child_given_name=name, parents_working=False)
        for name in ("Ela", "Finn", "Gül")
    ]
    close_registration(period)
    rounds.run(period, now=timezone.now())
    winner = min(children, key=lambda r: allocation.lottery_ticket(period.seed, r.pk))
    assert outcome(winner).daycare == kitas["stern"]
    assert all(reasons(outcome(c))[0].criterion == "lottery" for c in children if c != winner)


def test_figures_for_open_data_count_places_registrations_and_offers(period, families):
    close_registration(period)
    rounds.run(period)
    rows = {(r["district"], r["age_group"]): r for r in figures.allocation_figures(period)}
    under_three, older = rows[3, "unter 3 Jahre"], rows[3, "3 Jahre bis Schuleintritt"]
    assert (under_three["places"], under_three["registrations"]) == (1, 3)
    assert under_three["offers_round_1"] == 2
    assert (older["places"], older["registrations"], older["offers_round_1"]) == (3, 1, 1)
    assert (
        rows[1, "unter 3 Jahre"]["places"] == 3 and rows[1, "unter 3 Jahre"]["registrations"] == 0
    )
    assert not any("Muster" in str(row) for row in rows.values())
