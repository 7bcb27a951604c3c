"""How a participatory budget's votes become a result: two rules, computed exactly and
explained step by step. Pure Python (no Django), so anyone can re-run a published vote.

A ballot is an approval ballot (the projects a voter wants, together within the budget) or,
where the office chose points, a mapping of projects to the points a voter gave them.
``projects`` is the order that breaks ties (the office's project numbers): of two projects
the rule cannot tell apart, the one listed first wins.

- ``greedy``: projects by number of votes (or points), most first; each one is funded if it
  still fits into what is left, otherwise skipped (what CONSUL Democracy and Decidim do).
- ``equal_shares``: the Method of Equal Shares (Peters and Skowron; used in Aarau and
  Wieliczka). Every voter controls an equal share of the budget. A project is funded when
  its supporters can pay for it from their shares; each pays the same amount, or all they
  have left if that is less. Of the projects that can be paid for, the one that asks the
  least per supporter (relative to its cost) comes first. So a group of voters can decide
  about at most its share of the budget – a large group cannot take all of it. What is left
  when no further project can be paid this way is spent like ``greedy``. Approval ballots
  only: points say how much a voter prefers a project, not who shares in paying for it.

Both agree with the reference library ``pabutools`` (greedy utilitarian welfare and MES with
cost satisfaction, completed by greedy) on random elections: tests/participation/test_rules.py.

``recount`` takes the document a result page publishes (``abstimmung.json``: projects,
anonymised ballots, rule and result) and counts again; ``rathaus participation_count``
runs it on a downloaded file and says whether the published result is the same.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

__all__ = [
    "FORMAT",
    "InputError",
    "Outcome",
    "Project",
    "Step",
    "differences",
    "equal_shares",
    "greedy",
    "recount",
    "votes",
]

FORMAT = "rathaus-buergerbudget/1"
RULES = ("greedy", "equal_shares")
BALLOTS = ("approval", "points")

Ballot = Iterable[str] | Mapping[str, int]


@dataclass(frozen=True)
class Project:
    key: str
    cost: int


@dataclass(frozen=True)
class Step:
    """One decision of the rule, for the published explanation."""

    project: str
    funded: bool
    votes: int
    cost: int
    left: Fraction  # budget left after this step
    stage: str  # "greedy", "equal_shares" or "completion"
    # Equal shares: what each supporter paid (those with less left paid all they had).
    share: Fraction | None = None
    payers: int = 0


@dataclass
class Outcome:
    funded: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    spent: int = 0
    votes: dict[str, int] = field(default_factory=dict)  # per project: votes or points


def votes(projects: Sequence[Project], ballots: Iterable[Ballot]) -> dict[str, int]:
    """Votes per project: one per approval ballot naming it, or the points given to it."""
    counts = {project.key: 0 for project in projects}
    for ballot in ballots:
        given = ballot.items() if isinstance(ballot, Mapping) else ((k, 1) for k in set(ballot))
        for key, points in given:
            if key in counts:
                counts[key] += points
    return counts


def _greedy(
    projects: Sequence[Project],
    counts: dict[str, int],
    budget: int,
    outcome: Outcome,
    stage: str,
) -> Outcome:
    order = sorted(
        (p for p in projects if p.key not in outcome.funded and counts[p.key] > 0),
        key=lambda p: (-counts[p.key], projects.index(p)),
    )
    for project in order:
        fits = outcome.spent + project.cost <= budget
        if fits:
            outcome.funded.append(project.key)
            outcome.spent += project.cost
        outcome.steps.append(
            Step(
                project.key,
                fits,
                counts[project.key],
                project.cost,
                Fraction(budget - outcome.spent),
                stage,
            )
        )
    return outcome


def greedy(projects: Sequence[Project], ballots: Sequence[Ballot], budget: int) -> Outcome:
    counts = votes(projects, ballots)
    return _greedy(list(projects), counts, budget, Outcome(votes=counts), "greedy")


def _price(shares: list[Fraction], cost: int) -> Fraction | None:
    """The smallest equal payment ``q`` with sum(min(share, q)) = cost, or None if the
    supporters together cannot pay ``cost``."""
    if sum(shares) < cost:
        return None
    paid, rest = Fraction(0), len(shares)
    for share in sorted(shares):
        q = (cost - paid) / rest
        if share >= q:
            return q
        paid += share
        rest -= 1
    return None  # unreachable: the sum covered the cost


def equal_shares(
    projects: Sequence[Project], ballots: Sequence[Iterable[str]], budget: int
) -> Outcome:
    projects = list(projects)
    ballots = [frozenset(b) for b in ballots]
    counts = votes(projects, ballots)
    outcome = Outcome(votes=counts)
    if not ballots:
        return outcome
    shares = [Fraction(budget, len(ballots))] * len(ballots)
    supporters = {p.key: [i for i, b in enumerate(ballots) if p.key in b] for p in projects}
    open_projects = [p for p in projects if counts[p.key] > 0 and p.cost > 0]
    while open_projects:
        best: tuple[Fraction, int, Project, Fraction] | None = None
        for project in list(open_projects):
            q = _price([shares[i] for i in supporters[project.key]], project.cost)
            if q is None:
                open_projects.remove(project)  # shares only shrink: it never becomes payable
                continue
            rho = q / project.cost  # per unit of benefit (a supporter's benefit = the cost)
            candidate = (rho, projects.index(project), project, q)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
        if best is None:
            break
        _rho, _index, project, q = best
        for i in supporters[project.key]:
            shares[i] -= min(shares[i], q)
        open_projects.remove(project)
        outcome.funded.append(project.key)
        outcome.spent += project.cost
        outcome.steps.append(
            Step(
                project.key,
                True,
                counts[project.key],
                project.cost,
                Fraction(budget - outcome.spent),
                "equal_shares",
                share=q,
                payers=len(supporters[project.key]),
            )
        )
    return _greedy(projects, counts, budget, outcome, "completion")


class InputError(ValueError):
    """A published document that is not what ``recount`` expects; the message says what."""


def _number(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{what} muss eine ganze Zahl ab 0 sein.")
    return value


def recount(document: Any) -> Outcome:
    """Count a published vote again from its document (see ``rathaus.participation.tally``)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(f"Kein Dokument im Format {FORMAT}.")
    rule, kind = document.get("rule"), document.get("ballot")
    if rule not in RULES or kind not in BALLOTS:
        raise InputError("Unbekannte Regel oder unbekannte Art von Stimmzettel.")
    if rule == "equal_shares" and kind != "approval":
        raise InputError("Die Methode der gleichen Anteile braucht Stimmzettel ohne Punkte.")
    amount = _number(document.get("amount"), "Das Budget")
    listed = document.get("projects")
    if not isinstance(listed, list):
        raise InputError("Die Liste der Projekte fehlt.")
    projects = []
    for item in listed:
        if not isinstance(item, dict):
            raise InputError("Jedes Projekt braucht Nummer und Kosten.")
        number = _number(item.get("number"), "Die Nummer eines Projekts")
        projects.append(Project(str(number), _number(item.get("cost"), "Die Kosten")))
    keys = {p.key for p in projects}
    if len(keys) != len(projects):
        raise InputError("Eine Projektnummer kommt doppelt vor.")
    ballots: list[Ballot] = []
    for ballot in document.get("ballots") or []:
        if kind == "approval":
            if not isinstance(ballot, list):
                raise InputError("Ein Stimmzettel ist eine Liste von Projektnummern.")
            chosen = [str(_number(n, "Eine Projektnummer")) for n in ballot]
        else:
            if not isinstance(ballot, dict):
                raise InputError("Ein Stimmzettel mit Punkten ordnet Nummern Punkte zu.")
            chosen = {str(k): _number(v, "Die Punkte") for k, v in ballot.items()}
        if not set(chosen) <= keys:
            raise InputError("Ein Stimmzettel nennt ein Projekt, das nicht zur Wahl stand.")
        ballots.append(chosen)
    count = equal_shares if rule == "equal_shares" else greedy
    return count(projects, ballots, amount)


def differences(document: dict, outcome: Outcome) -> list[str]:
    """Where the published result differs from a recount (empty: it is the same)."""
    published = document.get("result") or {}
    problems = []
    if [str(n) for n in published.get("funded", [])] != outcome.funded:
        problems.append("Die veröffentlichten geförderten Projekte weichen von der Nachzählung ab.")
    totals = {str(k): v for k, v in (published.get("votes") or {}).items()}
    if totals != outcome.votes:
        problems.append("Die veröffentlichten Stimmenzahlen weichen von der Nachzählung ab.")
    return problems
