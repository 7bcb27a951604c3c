"""The two budget rules against the reference library pabutools, on random elections: the
greedy rule equals pabutools' greedy utilitarian welfare with cost satisfaction (that is: by
votes), the Method of Equal Shares equals pabutools' MES with cost satisfaction completed by
the same greedy rule. Ties are broken by project order (pabutools: by name; the names are
zero-padded in that order). Plus small elections worked out by hand."""

import random
from fractions import Fraction

import pytest
from pabutools.election import (
    AdditiveSatisfaction,
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
    CumulativeBallot,
    CumulativeProfile,
    Instance,
)
from pabutools.election import Project as PabuProject
from pabutools.rules import (
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)

from rathaus.participation.budgeting import Project, equal_shares, greedy

SEED = 20261128


def _election(rng: random.Random):
    count = rng.randint(2, 9)
    projects = [
        Project(f"p{i:02d}", rng.choice([1, 2, 3, 5, 8, 10, 13, 20]) * 1000) for i in range(count)
    ]
    budget = rng.randint(1, 4) * 10000
    voters = rng.randint(1, 30)
    popular = [rng.random() for _ in projects]
    ballots = []
    for _ in range(voters):
        ballot = {
            p.key for p, weight in zip(projects, popular, strict=True) if rng.random() < weight
        }
        ballots.append(ballot)
    # ties on purpose: some voters copy others
    for _ in range(rng.randint(0, 5)):
        ballots.append(set(rng.choice(ballots)))
    return projects, ballots, budget


def _pabutools(projects, ballots, budget):
    voted = {key for ballot in ballots for key in ballot}
    pabu = {p.key: PabuProject(p.key, p.cost) for p in projects if p.key in voted}
    instance = Instance(pabu.values(), budget_limit=budget)
    profile = ApprovalProfile([ApprovalBallot({pabu[k] for k in b}) for b in ballots])
    by_votes = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    shares = completion_by_rule_combination(
        instance,
        profile,
        [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": Cost_Sat}, {"sat_class": Cost_Sat}],
    )
    return {p.name for p in by_votes}, {p.name for p in shares}


@pytest.mark.parametrize("round_", range(150))
def test_both_rules_agree_with_pabutools_on_random_elections(round_):
    rng = random.Random(SEED + round_)
    projects, ballots, budget = _election(rng)
    reference_greedy, reference_shares = _pabutools(projects, ballots, budget)
    ours_greedy = greedy(projects, ballots, budget)
    ours_shares = equal_shares(projects, ballots, budget)
    seed = f"seed {SEED + round_}"
    assert set(ours_greedy.funded) == reference_greedy, seed
    assert set(ours_shares.funded) == reference_shares, seed
    for outcome in (ours_greedy, ours_shares):
        assert outcome.spent == sum(p.cost for p in projects if p.key in outcome.funded) <= budget


def test_a_large_group_cannot_take_the_whole_budget():
    """Six voters want the two park projects, four want the library: greedy gives the whole
    budget to the six, equal shares lets the four decide about their part."""
    park_a, park_b, library = Project("park-a", 40), Project("park-b", 40), Project("buecherei", 40)
    ballots = [{"park-a", "park-b"}] * 6 + [{"buecherei"}] * 4
    assert greedy([park_a, park_b, library], ballots, 100).funded == ["park-a", "park-b"]
    shares = equal_shares([park_a, park_b, library], ballots, 100)
    assert shares.funded == ["park-a", "buecherei"]
    first = shares.steps[0]
    assert (first.stage, first.share, first.payers) == ("equal_shares", Fraction(40, 6), 6)
    assert (shares.steps[1].share, shares.steps[1].payers) == (10, 4)
    # 20 are left, too little for the second park: the completion skips it
    assert [(s.project, s.funded, s.stage) for s in shares.steps[2:]] == [
        ("park-b", False, "completion")
    ]


def test_greedy_skips_what_does_not_fit_and_goes_on():
    projects = [Project("gross", 80), Project("mittel", 50), Project("klein", 20)]
    ballots = [{"gross"}] * 5 + [{"mittel"}] * 4 + [{"klein"}] * 3
    outcome = greedy(projects, ballots, 100)
    assert outcome.funded == ["gross", "klein"]
    assert [(s.project, s.funded) for s in outcome.steps] == [
        ("gross", True),
        ("mittel", False),
        ("klein", True),
    ]
    assert outcome.steps[-1].left == 0


def test_ties_go_to_the_project_listed_first():
    projects = [Project("b", 60), Project("a", 60)]
    ballots = [{"a", "b"}, {"a"}, {"b"}]
    assert greedy(projects, ballots, 100).funded == ["b"]
    assert equal_shares(projects, ballots, 100).funded == ["b"]


def test_no_votes_no_money():
    projects = [Project("a", 10)]
    assert greedy(projects, [], 100).funded == []
    assert equal_shares(projects, [], 100).funded == []
    assert equal_shares(projects, [set()], 100).funded == []


class _PointsTimesCost(AdditiveSatisfaction):
    """A voter's satisfaction with a project: their points times its cost, so that pabutools'
    greedy (satisfaction per cost) orders by points – as our greedy on points ballots does."""

    def __init__(self, instance, profile, ballot) -> None:
        super().__init__(
            instance,
            profile,
            ballot,
            lambda _i, _p, b, project, _pre: b.get(project, 0) * project.cost,
        )


@pytest.mark.parametrize("round_", range(50))
def test_greedy_on_points_ballots_agrees_with_pabutools(round_):
    rng = random.Random(SEED + 1000 + round_)
    projects, approvals, budget = _election(rng)
    ballots = [{key: rng.randint(1, 5) for key in ballot} for ballot in approvals]
    pabu = {p.key: PabuProject(p.key, p.cost) for p in projects}
    instance = Instance(pabu.values(), budget_limit=budget)
    profile = CumulativeProfile(
        [CumulativeBallot({pabu[k]: v for k, v in b.items()}) for b in ballots]
    )
    expected = greedy_utilitarian_welfare(instance, profile, sat_class=_PointsTimesCost)
    voted = {p.name for p in expected if any(p.name in b for b in ballots)}
    assert set(greedy(projects, ballots, budget).funded) == voted


def test_points_count_as_given_and_one_point_each_is_approval():
    projects = [Project("a", 30), Project("b", 20), Project("c", 10)]
    ballots = [{"a": 3, "b": 1}, {"b": 2, "c": 2}]
    outcome = greedy(projects, ballots, 40)
    assert outcome.funded == ["a", "c"]  # a and b tie on 3 points: a is listed first
    approvals = [{"a"}, {"b", "c"}, {"b"}]
    as_points = [dict.fromkeys(b, 1) for b in approvals]
    assert greedy(projects, as_points, 40).funded == greedy(projects, approvals, 40).funded
