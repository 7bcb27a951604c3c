"""A process of our own for each test (the demo's phases move with today): an office, a draft
with two sections, a discussion phase running now, and residents and staff around it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rathaus.accounts.models import Role
from rathaus.offices.models import Office
from rathaus.participation.models import Budget, Draft, Phase, Process, Project, Proposal, Section
from tests.factories import StaffFactory, UserFactory


def make_process(office: Office, *, spans: list[tuple[str, int, int | None]], slug: str) -> Process:
    """``spans``: (phase kind, first day, day after the last) counted from now."""
    process = Process.objects.create(
        office=office,
        slug=slug,
        title=f"Testbeteiligung {slug}",
        summary="Worum es geht.",
        description="Ausführlich.",
        published=True,
    )
    now = timezone.now()
    for kind, starts, ends in spans:
        Phase.objects.create(
            process=process,
            kind=kind,
            title=f"Phase {kind}",
            starts_at=now + timedelta(days=starts),
            ends_at=now + timedelta(days=ends) if ends is not None else None,
        )
    draft = Draft.objects.create(process=process, title="Entwurf")
    for order, heading in enumerate(("Ziele", "Wege"), start=1):
        Section.objects.create(
            draft=draft, number=str(order), heading=heading, text="Text.", order=order
        )
    return process


@pytest.fixture
def office():
    return Office.objects.get(slug="amt-fuer-digitalisierung")


@pytest.fixture
def process(office):
    return make_process(
        office,
        slug="test-diskussion",
        spans=[("information", -10, -2), ("discussion", -2, 5), ("results", 5, 30)],
    )


@pytest.fixture
def section(process):
    return Section.objects.filter(draft__process=process).order_by("order").first()


@pytest.fixture
def resident():
    return UserFactory(email="anna@beispiel.de", full_name="Anna Beispiel")


@pytest.fixture
def neighbour():
    return UserFactory(email="ben@beispiel.de", full_name="Ben Beispiel")


@pytest.fixture
def moderator(office):
    return StaffFactory(roles=[Role.PARTICIPATION_OFFICE], roles__offices=[office])


@pytest.fixture
def other_office_moderator():
    other = Office.objects.get(slug="stadtplanungsamt")
    return StaffFactory(roles=[Role.PARTICIPATION_OFFICE], roles__offices=[other])


def make_budget(process: Process, costs: list[int], **fields) -> Budget:
    """A budget over accepted proposals costing ``costs``, numbered 1, 2, …"""
    budget = Budget.objects.create(
        process=process, title="Bürgerbudget Test", amount=fields.pop("amount", 50000), **fields
    )
    for number, cost in enumerate(costs, start=1):
        proposal = Proposal.objects.create(
            process=process,
            title=f"Projekt {number}",
            text="Beschreibung.",
            public_name="Demo",
            status=Proposal.Status.ACCEPTED,
            cost=cost,
        )
        Project.objects.create(budget=budget, proposal=proposal, number=number, cost=cost)
    return budget


@pytest.fixture
def voting(office):
    """A process whose vote is running."""
    return make_process(
        office,
        slug="test-abstimmung",
        spans=[("proposals", -30, -10), ("voting", -2, 5), ("results", 5, 30)],
    )


@pytest.fixture
def budget(voting):
    return make_budget(voting, [20000, 15000, 30000, 10000])
