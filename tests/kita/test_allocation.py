"""Kita allocation: deferred acceptance over units (daycare × group form × hours).

Hand-made instances with known answers, then properties on small random instances checked
by brute force written here again from the rules (not with the module's own helpers). Every
random instance comes from a numbered seed, which a failing assertion prints.
"""

import hashlib
import hmac
import itertools
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest

from rathaus.kita.allocation import (
    GROUP_FORMS,
    HOURS,
    Child,
    Priorities,
    Reason,
    Unit,
    allocate,
    blocking_pairs,
    eligible_units,
    explain,
    group_forms,
    later_round,
    lottery_ticket,
    priority_order,
    sentence,
)

START = date(2026, 8, 1)


def kid(child_id: int, *wishes: int, age: int = 3, hours: int = 35, birth: date | None = None):
    """A child born on 1 March, ``age`` years before the start."""
    return Child(child_id, birth or date(START.year - age, 3, 1), hours, wishes)


def ranked(children, *, tie_break="lottery", seed="test", **groups) -> Priorities:
    """Priorities by named criteria: a child is in the better class of criterion ``name`` at
    a daycare if ``(child id, kita)`` is in ``groups[name]``."""
    names = tuple(groups)

    def criteria(child, kita):
        return tuple(int((child.id, kita) not in groups[name]) for name in names)

    return priority_order(children, criteria, names=names, tie_break=tie_break, seed=seed)


def in_order(children, orders: dict[int, list[int]]) -> Priorities:
    """Priorities written out per daycare, best child first."""
    return priority_order(
        children,
        lambda child, kita: (orders[kita].index(child.id),),
        names=("order",),
        tie_break="lottery",
        seed="test",
    )


def place(children, capacities, priorities, *, allow_longer_hours=False):
    result = allocate(
        children, capacities, priorities, start=START, allow_longer_hours=allow_longer_hours
    )
    return result.placement


def ticket(seed: str, child_id: int) -> str:
    return hmac.new(seed.encode(), str(child_id).encode(), hashlib.sha256).hexdigest()


def seed_favouring(first: int, second: int) -> str:
    """A seed whose lottery puts child ``first`` before child ``second``."""
    seeds = (f"seed-{n}" for n in itertools.count())
    return next(seed for seed in seeds if ticket(seed, first) < ticket(seed, second))


# --- Known answers --------------------------------------------------------------------------


def test_children_propose_so_each_gets_its_best_stable_place():
    """The textbook case with two stable matchings: the children's one is chosen."""
    a, b = kid(1, 10, 20), kid(2, 20, 10)
    x, y = Unit(10, "III", 35), Unit(20, "III", 35)
    priorities = in_order([a, b], {10: [2, 1], 20: [1, 2]})
    result = allocate([a, b], {x: 1, y: 1}, priorities, start=START, allow_longer_hours=False)
    assert result.placement == {1: x, 2: y}
    # What the daycares proposing would give is stable too, but worse for both children.
    daycares_proposing = replace(result, placement={1: y, 2: x})
    assert blocking_pairs(daycares_proposing, [a, b], priorities) == []


def test_a_daycare_with_two_places_takes_the_siblings_and_the_district_child_goes_on():
    children = [kid(n, 1, 2) for n in (1, 2, 3, 4)]
    one, two = Unit(1, "III", 35), Unit(2, "III", 35)
    priorities = ranked(children, sibling={(3, 1), (4, 1)}, district={(1, 2)})
    result = allocate(children, {one: 2, two: 1}, priorities, start=START, allow_longer_hours=False)
    assert result.placement == {1: two, 2: None, 3: one, 4: one}
    assert result.cutoffs[one][:3] == (0, 0, 1)  # exact hours, sibling, not from the district
    assert result.cutoffs[two] == (0, 1, 0, ticket("test", 1))


def test_a_tie_goes_by_lottery_or_with_the_age_tie_break_to_the_older_child():
    older = kid(1, 10, birth=date(2023, 1, 10))
    younger = kid(2, 10, birth=date(2023, 6, 1))
    capacities = {Unit(10, "III", 35): 1}
    seed = seed_favouring(2, 1)  # the lottery favours the younger child
    by_lottery = ranked([older, younger], seed=seed)
    assert place([older, younger], capacities, by_lottery) == {1: None, 2: Unit(10, "III", 35)}
    by_age = ranked([older, younger], tie_break="age", seed=seed)
    assert place([older, younger], capacities, by_age) == {1: Unit(10, "III", 35), 2: None}


def test_with_the_age_tie_break_children_born_the_same_day_go_by_lottery():
    twins = [kid(n, 10, birth=date(2023, 4, 4)) for n in (1, 2)]
    seed = seed_favouring(2, 1)
    assert ranked(twins, tie_break="age", seed=seed).rank[10] == {2: 0, 1: 1}


def test_the_lottery_is_the_published_hmac_of_the_seed_and_the_child_id():
    children = [kid(n, 10) for n in range(1, 31)]
    priorities = ranked(children, seed="2026-kita-hauptvergabe")
    expected = sorted(range(1, 31), key=lambda n: ticket("2026-kita-hauptvergabe", n))
    assert sorted(priorities.rank[10], key=priorities.rank[10].get) == expected
    assert lottery_ticket("2026-kita-hauptvergabe", 7) == ticket("2026-kita-hauptvergabe", 7)
    assert ranked(children, seed="2026-kita-hauptvergabe") == priorities
    assert ranked(children, seed="ein-anderer-startwert").rank[10] != priorities.rank[10]


def test_the_order_of_registration_does_not_count():
    rng = random.Random(3)
    children = [kid(n, *rng.sample(range(1, 6), 3)) for n in range(1, 41)]
    capacities = {Unit(k, "III", 35): 3 for k in range(1, 6)}
    priorities = ranked(children)
    assert place(children, capacities, priorities) == place(
        children[::-1], capacities, ranked(children[::-1])
    )


def test_more_wishes_than_allowed_are_refused():
    child = kid(1, *range(1, 12))
    capacities = {Unit(1, "III", 35): 1}
    with pytest.raises(ValueError, match="More than 10 wishes"):
        allocate([child], capacities, ranked([child]), start=START, allow_longer_hours=False)
    result = allocate(
        [child], capacities, ranked([child]), start=START, allow_longer_hours=False, max_wishes=11
    )
    assert result.placement == {1: Unit(1, "III", 35)}


# --- Group forms and hours ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "start", "forms"),
    [
        (date(2025, 3, 1), date(2026, 8, 1), ("II",)),
        (date(2024, 8, 1), date(2026, 8, 1), ("II", "I")),  # two on the first of the month
        (date(2023, 8, 2), date(2026, 8, 1), ("II", "I")),  # three one day later
        (date(2023, 8, 1), date(2026, 8, 1), ("III", "I")),
        (date(2023, 8, 10), date(2026, 8, 15), ("II", "I")),  # the month counts, not the day
        (date(2024, 2, 29), date(2026, 3, 1), ("II", "I")),
        (date(2024, 2, 29), date(2026, 2, 15), ("II",)),
    ],
)
def test_group_forms_follow_the_age_on_the_first_of_the_start_month(birth, start, forms):
    assert group_forms(birth, start) == forms


KITA_UNITS = [
    Unit(10, "I", 35),
    Unit(10, "II", 35),
    Unit(10, "II", 45),
    Unit(10, "I", 45),
    Unit(10, "II", 25),
    Unit(10, "III", 35),
]


def test_the_booked_hours_come_first_and_longer_ones_only_where_allowed():
    two = kid(1, 10, age=2, hours=35)
    assert eligible_units(two, KITA_UNITS, START, allow_longer_hours=False) == [
        Unit(10, "II", 35),
        Unit(10, "I", 35),
    ]
    assert eligible_units(two, KITA_UNITS, START, allow_longer_hours=True) == [
        Unit(10, "II", 35),
        Unit(10, "I", 35),
        Unit(10, "II", 45),
        Unit(10, "I", 45),
    ]
    three = kid(2, 10, age=3, hours=25)
    assert eligible_units(three, KITA_UNITS, START, allow_longer_hours=False) == []
    assert eligible_units(three, KITA_UNITS, START, allow_longer_hours=True) == [
        Unit(10, "III", 35),
        Unit(10, "I", 35),
        Unit(10, "I", 45),
    ]


def test_places_are_given_per_group_form_and_hours():
    twos = [kid(n, 10, age=2) for n in (1, 2, 3)]
    threes = [kid(4, 10), kid(5, 10, hours=45)]
    capacities = {Unit(10, "II", 35): 1, Unit(10, "I", 35): 1, Unit(10, "III", 35): 1}
    capacities[Unit(10, "III", 45)] = 1
    priorities = in_order(twos + threes, {10: [4, 1, 2, 3, 5]})
    assert place(twos + threes, capacities, priorities) == {
        1: Unit(10, "II", 35),
        2: Unit(10, "I", 35),
        3: None,
        4: Unit(10, "III", 35),
        5: Unit(10, "III", 45),
    }


def test_a_longer_place_takes_a_shorter_need_only_where_the_city_allows_it():
    child = kid(1, 10, hours=35)
    capacities = {Unit(10, "III", 45): 1}
    assert place([child], capacities, ranked([child])) == {1: None}
    assert place([child], capacities, ranked([child]), allow_longer_hours=True) == {
        1: Unit(10, "III", 45)
    }


def test_a_longer_place_goes_first_to_the_child_who_needs_its_hours():
    shorter, longer = kid(1, 10, hours=35), kid(2, 10, hours=45)
    priorities = ranked([shorter, longer], sibling={(1, 10)})
    capacities = {Unit(10, "III", 45): 1}
    result = allocate(
        [shorter, longer], capacities, priorities, start=START, allow_longer_hours=True
    )
    assert result.placement == {1: None, 2: Unit(10, "III", 45)}
    assert [r.criterion for r in explain(shorter, result, priorities)] == ["exact_hours"]


# --- Explaining a refusal -------------------------------------------------------------------


def test_explain_names_the_deciding_criterion_and_words_it_in_german():
    x = kid(1, 1, 2, 3, 4, 5, age=2)
    sibling_child, luckier = kid(2, 1, age=2), kid(3, 4, age=2)
    children = [x, sibling_child, luckier]
    capacities = {
        Unit(1, "II", 35): 1,
        Unit(2, "III", 35): 3,
        Unit(3, "II", 25): 3,
        Unit(4, "II", 35): 1,
        Unit(5, "I", 35): 1,
    }
    priorities = ranked(children, seed=seed_favouring(3, 1), sibling={(2, 1)})
    result = allocate(children, capacities, priorities, start=START, allow_longer_hours=False)
    assert result.placement[1] == Unit(5, "I", 35)
    reasons = explain(x, result, priorities)
    assert reasons[0] == Reason(1, 1, "full", "sibling", ((Unit(1, "II", 35), "sibling"),))
    assert [(r.reason, r.criterion) for r in reasons] == [
        ("full", "sibling"),
        ("age", None),
        ("hours", None),
        ("full", "lottery"),
    ]
    assert [sentence(r) for r in reasons] == [
        "Ihr Wunsch 1 (Kita 1) war mit Kindern mit Geschwisterkind dort voll.",
        "Ihr Wunsch 2 (Kita 2) hat keine Plätze für Kinder im Alter Ihres Kindes.",
        "Ihr Wunsch 3 (Kita 3) hat keine Plätze mit dem Betreuungsumfang, den Sie gewählt haben.",
        "Ihr Wunsch 4 (Kita 4) war mit Kindern gleichen Vorrangs voll; "
        "unter ihnen hat das Los entschieden.",
    ]


def test_explain_names_the_closest_miss_when_the_units_of_a_daycare_differ():
    x, sibling_child, neighbour = kid(1, 7, age=2), kid(2, 7, age=2), kid(3, 7, age=2)
    children = [x, sibling_child, neighbour]
    priorities = ranked(children, sibling={(2, 7)}, district={(3, 7)})
    capacities = {Unit(7, "II", 35): 1, Unit(7, "I", 35): 1}
    result = allocate(children, capacities, priorities, start=START, allow_longer_hours=False)
    assert result.placement == {1: None, 2: Unit(7, "II", 35), 3: Unit(7, "I", 35)}
    (reason,) = explain(x, result, priorities)
    assert reason.units == ((Unit(7, "II", 35), "sibling"), (Unit(7, "I", 35), "district"))
    assert sentence(reason, "Kita Sonnenschein") == (
        "Ihr Wunsch 1 (Kita Sonnenschein) war mit Kindern aus dem Stadtbezirk der Kita voll."
    )


def test_explain_names_age_when_the_age_tie_break_decided():
    older, younger = kid(1, 10, birth=date(2023, 1, 1)), kid(2, 10, birth=date(2023, 2, 1))
    priorities = ranked([older, younger], tie_break="age")
    result = allocate(
        [older, younger],
        {Unit(10, "III", 35): 1},
        priorities,
        start=START,
        allow_longer_hours=False,
    )
    (reason,) = explain(younger, result, priorities)
    assert (
        sentence(reason) == "Ihr Wunsch 1 (Kita 10) war mit älteren Kindern gleichen Vorrangs voll."
    )


# --- Later rounds ---------------------------------------------------------------------------


def test_a_later_round_refills_declined_places_and_takes_none_from_who_accepted():
    ten, twenty = Unit(10, "III", 35), Unit(20, "III", 35)
    capacities = {ten: 2, twenty: 1}
    a, b, c, d = kid(1, 10), kid(2, 10, 20), kid(3, 20), kid(4, 10, 20)
    priorities = in_order([a, b, c, d], {10: [1, 2, 4], 20: [3, 2, 4]})
    first = allocate([a, b, c, d], capacities, priorities, start=START, allow_longer_hours=False)
    assert first.placement == {1: ten, 2: ten, 3: twenty, 4: None}
    # a and c accept, b declines 10 (and now wishes 20 only); e comes late, first at 20.
    b_now, e = replace(b, wishes=(20,)), kid(5, 20)
    now = [a, b_now, c, d, e]
    priorities = in_order(now, {10: [1, 2, 4], 20: [5, 3, 2, 4]})
    accepted = {1: ten, 3: twenty}
    later = later_round(
        now, capacities, priorities, accepted, start=START, allow_longer_hours=False
    )
    assert later.placement == {2: None, 4: ten, 5: None}
    assert later.capacities == {ten: 1, twenty: 0}
    assert explain(e, later, priorities) == [Reason(1, 20, "full", None, ((twenty, None),))]
    assert sentence(explain(e, later, priorities)[0]) == (
        "Ihr Wunsch 1 (Kita 20) hatte in dieser Runde keinen freien Platz mehr."
    )


def test_a_later_round_refuses_more_accepted_places_than_there_are():
    unit = Unit(10, "III", 35)
    children = [kid(1, 10), kid(2, 10)]
    with pytest.raises(ValueError, match="More places accepted"):
        later_round(
            children,
            {unit: 1},
            ranked(children),
            {1: unit, 2: unit},
            start=START,
            allow_longer_hours=False,
        )


# --- Random instances, checked by brute force -----------------------------------------------


@dataclass
class Instance:
    children: list[Child]
    capacities: dict[Unit, int]
    priorities: Priorities
    allow_longer_hours: bool
    kitas: list[int]


def random_instance(seed: int, *, children: int, kitas: int, plain: bool = False) -> Instance:
    """Daycares with a few units of random group forms and hours, children of every age and
    hours band; ``plain``: one unit per daycare that every child fits – the textbook market,
    where more than one stable placement is common."""
    rng = random.Random(seed)
    ids = list(range(1, kitas + 1))
    combinations = [(form, hours) for form in GROUP_FORMS for hours in HOURS]
    if plain:
        capacities = {Unit(kita, "III", 35): rng.choice([1, 1, 2]) for kita in ids}
    else:
        capacities = {
            Unit(kita, form, hours): rng.choice([0, 1, 1, 2])
            for kita in ids
            for form, hours in rng.sample(combinations, rng.randint(1, 3))
        }
    people = [
        Child(
            n,
            START - timedelta(days=rng.randint(*((1100, 1800) if plain else (200, 1800)))),
            35 if plain else rng.choice([25, 35, 35, 45]),
            tuple(rng.sample(ids, rng.randint(2, kitas))),
        )
        for n in range(1, children + 1)
    ]
    classes = {(c.id, k): (rng.randrange(2), rng.randrange(10)) for c in people for k in ids}
    # Priorities at every daycare, so that a child may also report daycares it did not wish.
    priorities = priority_order(
        [replace(c, wishes=tuple(ids)) for c in people],
        lambda child, kita: classes[child.id, kita],
        names=("sibling", "distance"),
        tie_break=rng.choice(["lottery", "age"]),
        seed=f"random-{seed}",
    )
    return Instance(people, capacities, priorities, rng.random() < 0.5, ids)


def acceptable(child: Child, inst: Instance) -> list[Unit]:
    """The child's true order over units, written out again from the rules: age in completed
    months on the first of the start month, exact hours, then longer ones, per wish."""
    born = child.birth_date
    months = (START.year - born.year) * 12 + START.month - born.month - (born.day > 1)
    forms = ["II"] if months < 24 else ["II", "I"] if months < 36 else ["III", "I"]
    longer = [h for h in HOURS if h > child.hours] if inst.allow_longer_hours else []
    return [
        Unit(kita, form, hours)
        for kita in child.wishes
        for hours in [child.hours, *longer]
        for form in forms
        if Unit(kita, form, hours) in inst.capacities
    ]


def priority_at(inst: Instance, child: Child, unit: Unit) -> tuple:
    return (unit.hours > child.hours, inst.priorities.rank[unit.kita][child.id])


def check(inst: Instance, placement: dict, capacities: dict | None = None) -> list[str]:
    """Everything wrong with ``placement``: infeasible places and blocking pairs."""
    capacities = inst.capacities if capacities is None else capacities
    problems = []
    if set(placement) != {c.id for c in inst.children}:
        problems.append("not every child has an entry")
    held = defaultdict(list)
    for child in inst.children:
        unit = placement.get(child.id)
        if unit is not None:
            held[unit].append(child)
            if unit not in acceptable(child, inst):
                problems.append(f"child {child.id} at {unit}, not wished or not eligible")
    for unit, holders in held.items():
        if len(holders) > capacities[unit]:
            problems.append(f"{unit} over capacity")
    return problems + [
        f"blocking: {pair}" for pair in sorted(blocking(inst, placement, capacities))
    ]


def blocking(inst: Instance, placement: dict, capacities: dict) -> set:
    held = defaultdict(list)
    for child in inst.children:
        if placement.get(child.id) is not None:
            held[placement[child.id]].append(child)
    pairs = set()
    for child in inst.children:
        order = acceptable(child, inst)
        own = placement.get(child.id)
        for unit in order[: order.index(own)] if own in order else order:
            worse = [
                d for d in held[unit] if priority_at(inst, d, unit) > priority_at(inst, child, unit)
            ]
            if len(held[unit]) < capacities[unit] or worse:
                pairs.add((child.id, unit))
    return pairs


def run(inst: Instance, children: list[Child] | None = None):
    return allocate(
        inst.children if children is None else children,
        inst.capacities,
        inst.priorities,
        start=START,
        allow_longer_hours=inst.allow_longer_hours,
    )


def test_the_result_is_feasible_and_stable_on_random_instances():
    for seed in range(400):
        inst = random_instance(seed, children=8, kitas=4)
        result = run(inst)
        assert check(inst, result.placement) == [], f"seed {seed}"
        assert blocking_pairs(result, inst.children, inst.priorities) == [], f"seed {seed}"


def test_blocking_pairs_finds_what_the_brute_force_finds():
    for seed in range(200):
        inst = random_instance(seed, children=8, kitas=4)
        rng = random.Random(seed)
        placement, taken = {}, Counter()
        for child in inst.children:
            free = [u for u in acceptable(child, inst) if taken[u] < inst.capacities[u]]
            placement[child.id] = rng.choice([None, *free])
            taken[placement[child.id]] += 1
        result = replace(run(inst), placement=placement)
        found = blocking_pairs(result, inst.children, inst.priorities)
        assert set(found) == blocking(inst, placement, inst.capacities), f"seed {seed}"


def stable_placements(inst: Instance) -> list[dict]:
    """Every stable placement, by trying all feasible ones."""
    options = [[*acceptable(child, inst), None] for child in inst.children]
    found = []
    for choice in itertools.product(*options):
        taken = Counter(unit for unit in choice if unit is not None)
        if any(n > inst.capacities[unit] for unit, n in taken.items()):
            continue
        placement = {child.id: unit for child, unit in zip(inst.children, choice, strict=True)}
        if not blocking(inst, placement, inst.capacities):
            found.append(placement)
    return found


def test_every_child_gets_its_best_stable_place():
    contested = 0  # instances with more than one stable placement, where this can fail
    for seed in range(160):
        inst = random_instance(seed, children=5, kitas=4 if seed % 2 else 3, plain=seed % 2)
        placement = run(inst).placement
        stable = stable_placements(inst)
        assert placement in stable, f"seed {seed}"
        contested += len(stable) > 1
        for child in inst.children:
            order = [*acceptable(child, inst), None]
            best = min((p[child.id] for p in stable), key=order.index)
            assert placement[child.id] == best, f"seed {seed}, child {child.id}"
    assert contested >= 8


def test_no_child_gains_by_misreporting_its_wishes():
    for seed in range(60):
        inst = random_instance(seed, children=6, kitas=3, plain=seed % 2)
        truthful = run(inst).placement
        rng = random.Random(seed)
        for child in rng.sample(inst.children, 2):
            order = [*acceptable(child, inst), None]
            for size in range(4):
                for wishes in itertools.permutations(inst.kitas, size):
                    told = [replace(c, wishes=wishes) if c is child else c for c in inst.children]
                    got = run(inst, told).placement[child.id]
                    truly_better = got in order and order.index(got) < order.index(
                        truthful[child.id]
                    )
                    assert not truly_better, f"seed {seed}, child {child.id}, wishes {wishes}"


def test_later_rounds_keep_accepted_places_and_stay_stable_on_random_instances():
    for seed in range(150):
        inst = random_instance(seed, children=8, kitas=4)
        first = run(inst).placement
        rng = random.Random(seed)
        accepted, now = {}, []
        for child in inst.children:
            unit = first[child.id]
            if unit is not None and rng.random() < 0.6:
                accepted[child.id] = unit
            elif unit is not None:  # declined: that daycare is no longer wished
                child = replace(child, wishes=tuple(k for k in child.wishes if k != unit.kita))
            now.append(child)
        later = later_round(
            now,
            inst.capacities,
            inst.priorities,
            accepted,
            start=START,
            allow_longer_hours=inst.allow_longer_hours,
        )
        assert set(later.placement).isdisjoint(accepted), f"seed {seed}"
        taken = Counter(accepted.values())
        remaining = {unit: n - taken[unit] for unit, n in inst.capacities.items()}
        waiting = replace(inst, children=[c for c in now if c.id not in accepted])
        assert check(waiting, later.placement, remaining) == [], f"seed {seed}"
