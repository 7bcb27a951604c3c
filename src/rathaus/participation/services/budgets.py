"""Participatory budgets: residents vote on accepted proposals within an amount; after the
vote the office counts by the rule it chose and publishes the result with every step.

One vote per person and process (of several district budgets, one): the database refuses a
second ``Vote`` of the same account (or, on paper, of the same name and birth date) in the
process – also when two requests arrive at once
(tests/participation/test_budget_races.py). What someone voted for is stored apart from that
they voted (``Ballot`` has a random key, no time and no link), so the ballot stays secret.
"""

import hashlib
import hmac
import json
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from rathaus import ledger
from rathaus.core import audit, mail
from rathaus.core.channels import Channel
from rathaus.core.http import public_url
from rathaus.core.templatetags.rathaus import euro
from rathaus.offices.models import Quarter

from .. import budgeting
from ..models import Ballot, Budget, Choice, Phase, Process, Project, Result, Vote
from .processes import NotAllowed, may_manage, require_open

__all__ = [
    "cast",
    "check",
    "count",
    "document",
    "encoded",
    "has_voted",
    "identity",
    "projects_of",
    "published",
    "voting_over",
]


def projects_of(budget: Budget) -> QuerySet[Project]:
    return budget.projects.select_related("proposal__district", "proposal__category")


def has_voted(budget: Budget, user) -> bool:
    """Has ``user`` voted in the budget's process (on this budget or another of it)?"""
    return (
        user.is_authenticated
        and Vote.objects.filter(process_id=budget.process_id, user=user).exists()
    )


def _plain(text: str) -> str:
    letters = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in letters if not unicodedata.combining(c)).split())


def identity(process: Process, given_name: str, family_name: str, birth_date: date) -> str:
    """Who voted on paper, as a keyed hash: the same person gives the same value within this
    process (so a second paper ballot is refused), and nothing outside it."""
    text = "|".join([_plain(given_name), _plain(family_name), birth_date.isoformat()])
    return hmac.new(process.salt.encode(), text.encode(), hashlib.sha256).hexdigest()


def _checked(budget: Budget, chosen: Mapping[int, int]) -> dict[Project, int]:
    """The ballot's projects with their points, or ``NotAllowed`` saying what is wrong."""
    projects = {project.pk: project for project in budget.projects.all()}
    picked = {pk: points for pk, points in chosen.items() if points}
    if not picked:
        raise NotAllowed(_("Bitte wählen Sie mindestens ein Projekt."))
    if not set(picked) <= set(projects):
        raise NotAllowed(
            _("Ein gewähltes Projekt steht nicht (mehr) zur Wahl. Bitte laden Sie die Seite neu.")
        )
    if any(points < 0 for points in picked.values()):
        raise NotAllowed(_("Punkte sind ganze Zahlen ab 0."))
    if budget.ballot == Budget.BallotKind.APPROVAL:
        cost = sum(projects[pk].cost for pk in picked)
        if cost > budget.amount:
            raise NotAllowed(
                _(
                    "Ihre Auswahl kostet zusammen %(cost)s, das Budget beträgt %(amount)s. "
                    "Bitte wählen Sie Projekte ab, bis die Summe in das Budget passt."
                )
                % {"cost": euro(cost), "amount": euro(budget.amount)}
            )
        return {projects[pk]: 1 for pk in picked}
    given = sum(picked.values())
    if given > budget.points:
        raise NotAllowed(
            _(
                "Sie haben %(given)s Punkte vergeben, möglich sind höchstens %(allowed)s. "
                "Bitte nehmen Sie Punkte zurück."
            )
            % {"given": given, "allowed": budget.points}
        )
    return {projects[pk]: points for pk, points in picked.items()}


def check(
    budget: Budget,
    chosen: Mapping[int, int],
    *,
    quarter: Quarter | None = None,
    now: datetime | None = None,
) -> dict[Project, int]:
    """Could this ballot be cast now? Its projects with points, or ``NotAllowed`` saying why
    (the page's review step asks before the vote is cast; ``cast`` asks again)."""
    require_open(budget.process, "vote", now)
    picked = _checked(budget, chosen)
    if budget.district_check and budget.district_id:
        if quarter is None:
            raise NotAllowed(_("Bitte geben Sie an, in welchem Stadtteil Sie wohnen."))
        if quarter.district_id != budget.district_id:
            raise NotAllowed(
                _(
                    "Über dieses Budget stimmen nur Menschen aus dem %(district)s ab. "
                    "%(quarter)s gehört nicht dazu."
                )
                % {"district": budget.district, "quarter": quarter.name}
            )
    return picked


def cast(
    budget: Budget,
    chosen: Mapping[int, int],
    *,
    user=None,
    person: str = "",
    quarter: Quarter | None = None,
    channel: str = Channel.ONLINE,
    entered_by=None,
    now: datetime | None = None,
) -> Vote:
    """One person's vote: ``chosen`` maps project ids to points (1 each on approval ballots).
    Online ``user`` votes themselves; staff (``entered_by``) type in a paper ballot of the
    ``person`` (``identity``) received by letter or at an event."""
    now = now or timezone.now()
    if user is None and not person:
        raise NotAllowed(_("Ohne Konto nur über Mitarbeitende mit Name und Geburtsdatum."))
    if entered_by is not None and not (
        budget.process.assisted and may_manage(entered_by, budget.process)
    ):
        raise NotAllowed(_("Sie dürfen für diese Beteiligung keine Stimmzettel erfassen."))
    picked = check(budget, chosen, quarter=quarter, now=now)
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                process_id=budget.process_id,
                budget=budget,
                user=user,
                identity=person,
                quarter=quarter,
                channel=channel,
                entered_by=entered_by,
                cast_at=now,
            )
            ballot = Ballot.objects.create(budget=budget)
            Choice.objects.bulk_create(
                Choice(ballot=ballot, project=project, points=points)
                for project, points in picked.items()
            )
            if entered_by is not None:
                audit.record("rathaus.participation.vote.entered", actor=entered_by, target=vote)
    except IntegrityError as error:
        raise NotAllowed(
            _("Diese Person hat schon abgestimmt. Jede Person hat eine Stimme.")
            if entered_by is not None
            else _("Sie haben in dieser Beteiligung schon abgestimmt. Jede Person hat eine Stimme.")
        ) from error
    if user is not None and user.email:
        _confirm(budget, user)
    return vote


def _confirm(budget: Budget, user) -> None:
    """The voter is told that the vote arrived (not what it was: that stays secret)."""
    process = budget.process
    body = render_to_string(
        "participation/mail/voted.txt",
        {
            "budget": budget,
            "process": process,
            "link": public_url(reverse("participation:budget", args=[process.slug, budget.pk])),
            "city": settings.RATHAUS["CITY_NAME"],
        },
    )
    subject = _("Ihre Stimme ist angekommen: %(title)s") % {"title": budget.title}
    mail.send_after_commit(subject=subject, body=body, to=[user.email])


def voting_over(budget: Budget, now: datetime | None = None) -> bool:
    """Have all voting phases ended (and was there one)?"""
    now = now or timezone.now()
    phases = list(budget.process.phases.filter(kind=Phase.Kind.VOTING))
    return bool(phases) and not any(p.ends_at is None or p.ends_at > now for p in phases)


def document(budget: Budget, now: datetime) -> dict[str, Any]:
    """The published count: projects, every ballot (anonymised, in a fixed order), and the
    result with its steps – what ``budgeting.recount`` takes to count again."""
    projects = list(budget.projects.select_related("proposal"))
    number = {project.pk: project.number for project in projects}
    ballots: dict[Any, dict[int, int]] = {}
    for ballot_id, project_id, points in Choice.objects.filter(ballot__budget=budget).values_list(
        "ballot_id", "project_id", "points"
    ):
        ballots.setdefault(ballot_id, {})[number[project_id]] = points
    if budget.ballot == Budget.BallotKind.APPROVAL:
        listed: list[Any] = sorted(sorted(b) for b in ballots.values())
    else:
        listed = sorted(
            ({str(n): p for n, p in sorted(b.items())} for b in ballots.values()),
            key=lambda b: json.dumps(b),
        )
    doc: dict[str, Any] = {
        "format": budgeting.FORMAT,
        "process": budget.process.slug,
        "title": budget.title,
        "district": str(budget.district or ""),
        "amount": budget.amount,
        "rule": budget.rule,
        "ballot": budget.ballot,
        "points": budget.points if budget.ballot == Budget.BallotKind.POINTS else None,
        "counted_at": now.isoformat(),
        "projects": [
            {"number": p.number, "title": p.proposal.title, "cost": p.cost} for p in projects
        ],
        "ballots": listed,
    }
    outcome = budgeting.recount(doc)
    doc["result"] = {
        "funded": [int(key) for key in outcome.funded],
        "spent": outcome.spent,
        "votes": outcome.votes,
        "steps": [
            {
                "project": int(step.project),
                "funded": step.funded,
                "votes": step.votes,
                "cost": step.cost,
                "left": int(step.left),
                "stage": step.stage,
                # exact, as a fraction of euros ("1000/3"); the page shows it in cents
                "share": str(step.share) if step.share is not None else None,
                "payers": step.payers,
            }
            for step in outcome.steps
        ],
    }
    return doc


def encoded(doc: dict[str, Any]) -> bytes:
    """The bytes people download and the log's SHA-256 is taken of."""
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False).encode()


def count(budget: Budget, *, by, now: datetime | None = None) -> Result:
    """Count once the vote has ended, publish the document and put its SHA-256 into the
    transparency log in the same transaction: the published result cannot change unnoticed."""
    now = now or timezone.now()
    process = budget.process
    if not may_manage(by, process):
        raise NotAllowed(_("Sie dürfen diese Abstimmung nicht auszählen."))
    if not voting_over(budget, now):
        raise NotAllowed(
            _("Ausgezählt wird, wenn die Abstimmung beendet ist. Sie läuft noch oder fehlt.")
        )
    raw = encoded(document(budget, now))
    digest = hashlib.sha256(raw).hexdigest()
    try:
        with transaction.atomic():
            result = Result.objects.create(
                budget=budget,
                document=raw.decode(),
                sha256=digest,
                counted_at=now,
                counted_by=by,
            )
            ledger.record(
                "participation-result",
                f"Bürgerbudget {process.slug}/{budget.pk}",
                digest,
                office=process.office.name,
                issued_at=now,
            )
            audit.record(
                "rathaus.participation.budget.counted",
                actor=by,
                target=budget,
                data={"sha256": digest},
            )
    except IntegrityError as error:
        raise NotAllowed(_("Diese Abstimmung ist schon ausgezählt.")) from error
    return result


def published(budget: Budget) -> dict[str, Any] | None:
    """The result for its page: projects with votes and whether funded, the steps of the
    rule with each project's title, and where the log stands; None before the count."""
    result = Result.objects.filter(budget=budget).first()
    if result is None:
        return None
    doc = json.loads(result.document)
    projects = {p.number: p for p in projects_of(budget)}
    votes = {int(k): v for k, v in doc["result"]["votes"].items()}
    funded = set(doc["result"]["funded"])
    rows = sorted(
        (
            {
                "project": projects.get(item["number"]),
                "number": item["number"],
                "title": item["title"],
                "cost": item["cost"],
                "votes": votes.get(item["number"], 0),
                "funded": item["number"] in funded,
            }
            for item in doc["projects"]
        ),
        key=lambda row: (-row["votes"], row["number"]),
    )
    titles = {item["number"]: item["title"] for item in doc["projects"]}
    steps = []
    for step in doc["result"]["steps"]:
        share = step["share"]
        steps.append(
            {
                **step,
                "title": titles.get(step["project"], ""),
                "share": None if share is None else float(Fraction(share)),
            }
        )
    return {
        "result": result,
        "rows": rows,
        "steps": steps,
        "ballots": len(doc["ballots"]),
        "spent": doc["result"]["spent"],
        "standing": ledger.standing(result.sha256),
        "counted_on": formats.date_format(timezone.localtime(result.counted_at), "d.m.Y"),
    }
