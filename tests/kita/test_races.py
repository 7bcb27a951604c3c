"""Races through real servers: planners pressing "Runde durchführen" at the same moment get
one round, and two answers to one offer (a parent on the phone, the other online) change
it once. Each guard has its control run: switched off, the race goes wrong on PostgreSQL.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from rathaus.accounts.models import Role
from rathaus.kita.models import Outcome, Period, Registration, Round
from rathaus.kita.services import rounds
from tests.applications.conftest import verified_client
from tests.concurrency import AccountBrowser, Browser, at_once, guards_off
from tests.factories import StaffFactory, UserFactory
from tests.support import app_servers

from .conftest import close_registration, make_daycare, make_provider, places, register

PLANNERS = 6


def planners() -> list[Client]:
    clients = []
    for n in range(PLANNERS):
        client = Client()
        client.force_login(StaffFactory(email=f"planung{n}@beispiel.de", roles=[Role.KITA_PLANNER]))
        clients.append(client)
    return clients


def city(period, children: int = 40):
    """A small round: two daycares, ``children`` registrations, the deadline passed."""
    provider = make_provider("test-rennen")
    kitas = [make_daycare(provider, f"test-rennen-{n}", 3) for n in range(2)]
    for kita in kitas:
        places(period, kita, ("II", 45, 5), ("III", 45, 5))
    for n in range(children):
        register(period, kitas[n % 2 :] + kitas[: n % 2], child_given_name=f"Kind{n}")
    close_registration(period)


def press_run(base: str, period, signed_in: Client):
    def prepare():
        browser = Browser(base, signed_in_as=signed_in)
        token = browser.csrf("/verwaltung/kita/")
        return lambda: browser.post(f"/verwaltung/kita/{period.slug}/runde/", {}, token=token)

    return prepare


def race_for_the_round(period, **env):
    with app_servers(2, workers=2, env={"GUNICORN_CMD_ARGS": "--threads 4", **env}) as bases:
        return at_once(
            [press_run(bases[n % 2], period, client) for n, client in enumerate(planners())]
        )


@pytest.mark.django_db(transaction=True)
def test_planners_pressing_at_once_get_one_round(period):
    city(period)
    answers = race_for_the_round(period)
    assert all(a.status == 302 for a in answers), [(a.status, a.body[:200]) for a in answers]
    assert Round.objects.filter(period=period).count() == 1
    assert sum(a.location.endswith("/runde/1/") for a in answers) == 1
    assert Outcome.objects.filter(round__period=period).count() == 40


@pytest.mark.django_db(transaction=True)
def test_without_the_period_lock_the_round_runs_twice_or_fails(period):
    """Control run: with the row lock off, planners who press together all see no round yet
    and start one; on PostgreSQL the second insert of round 1 breaks on the unique key
    (a 500) or, if it came later, a second round starts from a stale list. SQLite takes
    its write lock at BEGIN, so there the race cannot happen and this says so."""
    city(period, children=200)
    answers = race_for_the_round(period, **guards_off(rounds.ROUND_GUARD))
    failed = [a for a in answers if a.status >= 500]
    made = Round.objects.filter(period=period).count()
    print(f"control run on {connection.vendor}: {len(failed)} errors, {made} rounds")
    if connection.vendor == "postgresql":
        assert failed or made > 1, "without the lock, planners pressing together should collide"
    else:
        assert made == 1


def answer(base: str, registration, signed_in: Client, choice: str):
    def prepare():
        browser = AccountBrowser(base, signed_in_as=signed_in)
        page = f"/konto/kita/{registration.public_id}/"
        token = browser.csrf(page)
        return lambda: browser.post(f"{page}antwort/", {"antwort": choice}, token=token)

    return prepare


def race_for_the_answer(period, registration, **env):
    family = registration.account
    # Eight answers at once: without the condition, two of them reading the offer as open
    # before either commits is then likely even on a busy machine (the control run needs it).
    clients = [verified_client(family) for _ in range(8)]
    with app_servers(2, workers=2, env={"GUNICORN_CMD_ARGS": "--threads 4", **env}) as bases:
        at_once(
            [
                answer(bases[n % 2], registration, client, "annehmen" if n % 2 else "ablehnen")
                for n, client in enumerate(clients)
            ]
        )


def offered(period, suffix: str = "") -> Registration:
    """A family with an offered place: a round of its own in a period of its own."""
    if suffix:
        period = Period.objects.create(
            **{
                f.attname: getattr(period, f.attname)
                for f in Period._meta.concrete_fields
                if f.name not in {"id", "slug"}
            },
            slug=f"{period.slug}-{suffix}",
        )
        period.registration_closes = period.registration_opens + timedelta(days=30)
        period.save()
    provider = make_provider(f"test-antwort{suffix}")
    kita = make_daycare(provider, f"test-antwort-kita{suffix}", 3)
    places(period, kita, ("II", 45, 1))
    family = UserFactory(email=f"eltern{suffix}@beispiel.de")
    made = register(period, [kita], account=family)
    close_registration(period)
    rounds.run(period)
    return made


@pytest.mark.django_db(transaction=True)
def test_answers_at_the_same_moment_count_once(period):
    made = offered(period)
    race_for_the_answer(period, made)
    outcome = Outcome.objects.get(registration=made)
    made.refresh_from_db()
    assert outcome.status in {"accepted", "declined"}
    assert made.status == outcome.status  # the registration follows the one answer that won
    from rathaus.core.models import AuditEntry

    assert AuditEntry.objects.filter(action__startswith="kita.offer_").count() == 1


@pytest.mark.django_db(transaction=True)
def test_without_the_condition_more_than_one_answer_counts(period):
    """Control run: without ``status = offered`` in the UPDATE, every answer whose request
    found the offer still open changes it – accepted and declined, one audit entry each.
    Requests that arrive after another answer committed find no open offer in the view, so
    how many collide depends on timing; the race gets up to three offers to show it."""
    from rathaus.core.models import AuditEntry

    counted = []
    for attempt in range(3):
        made = offered(period, suffix=str(attempt))
        race_for_the_answer(period, made, **guards_off("kita.answer"))
        counted.append(
            AuditEntry.objects.filter(
                action__startswith="kita.offer_", object_id=str(made.pk)
            ).count()
        )
        if counted[-1] > 1:
            break
    print(f"control run on {connection.vendor}: answers counted per offer {counted}")
    assert max(counted) > 1, "without the condition, answers at once should all count"
