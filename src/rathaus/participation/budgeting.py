"""How a participatory budget's votes become a result: two rules, computed exactly and
explained step by step. Pure Python (no Django), so anyone can re-run a published vote.

Ballots are approval ballots: each voter names the projects they want, together within the
budget. ``projects`` is the order that breaks ties (the office's project numbers): of two
projects the rule cannot tell apart, the one listed first wins.

- ``greedy``: projects by number of votes, most first; each one is funded if it still fits
  into what is left, otherwise skipped (what CONSUL Democracy and Decidim do).
- ``equal_shares``: the Method of Equal Shares (Peters and Skowron; used in Aarau and
  Wieliczka). Every voter controls an equal share of the budget. A project is funded when
  its supporters can pay for it from their shares; each pays the same amount, or all they
  have left if that is less. Of the projects that can be paid for, the one that asks the
  least per supporter (relative to its cost) comes first. So a group of voters can decide
  about at most its share of the budget – a large group cannot take all of it. What is left
  when no further project can be paid this way is spent like ``greedy``.

Both agree with the reference library ``pabutools`` (greedy utilitarian welfare and MES with
cost satisfaction, completed by greedy) on random elections: tests/participation/test_rules.py.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

__all__ = ["Outcome", "Project", "Step", "equal_shares", "greedy", "votes"]


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


def votes(projects: Sequence[Project], ballots: Iterable[Iterable[str]]) -> dict[str, int]:
    counts = {project.key: 0 for project in projects}
    for ballot in ballots:
        for key in set(ballot):
            if key in counts:
                counts[key] += 1
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


def greedy(projects: Sequence[Project], ballots: Sequence[Iterable[str]], budget: int) -> Outcome:
    return _greedy(list(projects), votes(projects, ballots), budget, Outcome(), "greedy")


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
    outcome = Outcome()
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
