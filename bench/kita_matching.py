"""A synthetic Düsseldorf for the Kita allocation, and the same round solved by the ``matching``
package (``HospitalResident``) as an independent reference. No Django.

``bench/kita_allocation.py`` times the core against the package; run this module itself to
check on small random rounds and the full one that both place every child alike:

    python bench/kita_matching.py [--children 30000] [--kitas 450]
"""

import argparse
import random
import sys
import threading
import time
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from rathaus.kita.allocation import (
    GROUP_FORMS,
    HOURS,
    Child,
    Priorities,
    Unit,
    _Menu,
    allocate,
    priority_order,
)

START = date(2027, 8, 1)
NAMES = ("sibling", "district", "entitlement", "inclusion", "work")
DISTRICTS = 10
# Share of Düsseldorf's under-sixes per Stadtbezirk (roughly), used for daycares and children.
DISTRICT_WEIGHTS = (9, 11, 13, 9, 6, 12, 8, 10, 12, 10)
# Age in completed years at the start: 0–5, mostly 1–3 (the U3 places are the scarce ones).
AGE_WEIGHTS = (6, 30, 27, 20, 11, 6)
CHILD_HOURS = {25: 15, 35: 45, 45: 40}
UNIT_HOURS = {25: 15, 35: 40, 45: 45}
UNIT_FORMS = {"I": 30, "II": 40, "III": 30}
# Places of one unit before scaling: a group I or III has about twice a group II's places.
FORM_PLACES = {"I": 20, "II": 10, "III": 22}
ZIPF = 0.6  # popularity: the daycare of rank r is wished with weight 1 / r**ZIPF …
HOME = 10  # … times this in the child's own district
SCARCITY = (0.75, 0.85)  # places per child
SIBLING, INCLUSION, WORK = 0.05, 0.03, 0.70

Criteria = Callable[[Child, int], tuple[int, ...]]


@dataclass(frozen=True)
class Facts:
    """What the criteria of the synthetic round read, kept so the same round can be loaded
    into the database (``bench/kita_allocation.py``); called, it is ``criteria(child, kita)``
    in the order of ``NAMES``. Districts are 0–9, daycares 1–``kitas``."""

    kita_district: list[int]
    home: dict[int, int]
    sibling_at: dict[int, int]
    inclusion: set[int]
    working: set[int]
    entitled: set[int]

    def __call__(self, child: Child, kita: int) -> tuple[int, ...]:
        child_id = child.id
        return (
            int(self.sibling_at.get(child_id) != kita),
            int(self.home[child_id] != self.kita_district[kita - 1]),
            int(child_id not in self.entitled),
            int(child_id not in self.inclusion),
            int(child_id not in self.working),
        )


def _age(birth_date: date, start: date) -> int:
    return (
        start.year
        - birth_date.year
        - ((start.month, start.day) < (birth_date.month, birth_date.day))
    )


def _units(rng: random.Random) -> list[tuple[str, int]]:
    """2–6 distinct (group form, hours) of one daycare, drawn by how common they are."""
    combos = [(form, hours) for form in GROUP_FORMS for hours in HOURS]
    weights = [UNIT_FORMS[form] * UNIT_HOURS[hours] for form, hours in combos]
    chosen: list[tuple[str, int]] = []
    for _ in range(rng.randint(2, 6)):
        pick = rng.choices(range(len(combos)), weights)[0]
        chosen.append(combos.pop(pick))
        weights.pop(pick)
    return chosen


def synthetic_city(
    children: int = 30_000, kitas: int = 450, wishes: int = 5, seed: int = 20271101
) -> tuple[list[Child], dict[Unit, int], Facts, tuple[str, ...], date]:
    """A plausible round of Düsseldorf: ``kitas`` daycares in 10 districts with 2–6 units each,
    places for 75–85 % of the children, wishes skewed to popular daycares and to the home
    district, and the published criteria. The same seed gives the same city.

    Returns the children, the capacities per unit, ``criteria(child, kita)`` (lower is
    better, one class per name), the names and the start date."""
    rng = random.Random(seed)
    kita_district = rng.choices(range(DISTRICTS), DISTRICT_WEIGHTS, k=kitas)
    raw: dict[Unit, float] = {}
    for kita in range(1, kitas + 1):
        size = rng.uniform(0.6, 1.5)
        for form, hours in _units(rng):
            raw[Unit(kita, form, hours)] = FORM_PLACES[form] * size * rng.uniform(0.7, 1.3)
    places = children * rng.uniform(*SCARCITY)
    scale = places / sum(raw.values())
    capacities = {unit: max(1, round(weight * scale)) for unit, weight in raw.items()}

    # Popularity: a random daycare gets each Zipf rank; families look near home first.
    ranks = list(range(1, kitas + 1))
    rng.shuffle(ranks)
    popularity = [1 / rank**ZIPF for rank in ranks]
    cumulative = [
        list(
            accumulate(
                weight * (HOME if kita_district[k] == district else 1)
                for k, weight in enumerate(popularity)
            )
        )
        for district in range(DISTRICTS)
    ]
    wishes = min(wishes, kitas)
    ages, hours = range(len(AGE_WEIGHTS)), list(CHILD_HOURS)
    result: list[Child] = []
    home: dict[int, int] = {}
    sibling_at: dict[int, int] = {}
    inclusion: set[int] = set()
    working: set[int] = set()
    entitled: set[int] = set()
    for child_id in range(1, children + 1):
        district = rng.choices(range(DISTRICTS), DISTRICT_WEIGHTS)[0]
        age = rng.choices(ages, AGE_WEIGHTS)[0]
        # Born within the year that gives ``age`` on the start; babies by spring before it.
        days = rng.randrange(240 if age == 0 else 365)
        birth = date(START.year - age - 1, START.month, START.day) + timedelta(days=1 + days)
        weights, total = cumulative[district], cumulative[district][-1]
        chosen: list[int] = []
        while len(chosen) < wishes:
            kita = bisect_left(weights, rng.random() * total) + 1
            if kita not in chosen:
                chosen.append(kita)
        child = Child(child_id, birth, rng.choices(hours, CHILD_HOURS.values())[0], tuple(chosen))
        result.append(child)
        home[child_id] = district
        if rng.random() < SIBLING:
            sibling_at[child_id] = chosen[0] if rng.random() < 0.7 else rng.choice(chosen)
        if rng.random() < INCLUSION:
            inclusion.add(child_id)
        if rng.random() < WORK:
            working.add(child_id)
        if _age(birth, START) >= 1:
            entitled.add(child_id)

    criteria = Facts(kita_district, home, sibling_at, inclusion, working, entitled)
    return result, capacities, criteria, NAMES, START


def _unit_name(unit: Unit) -> str:
    return f"{unit.kita}:{unit.group_form}:{unit.hours}"


def _game_dictionaries(
    children: Sequence[Child],
    capacities: dict[Unit, int],
    priorities: Priorities,
    start: date,
    allow_longer_hours: bool,
) -> tuple[dict[int, list[str]], dict[str, list[int]], dict[str, int], dict[str, Unit]]:
    """The round as the package wants it. It cannot take a child without an eligible unit
    (``get_favourite`` of an empty list) nor a unit without places (it would drop its "worst"
    of none); both never change hands in the core either, so they are left out here."""
    units = list(capacities)
    menu = _Menu(units, start, allow_longer_hours)
    open_units = [capacities[unit] > 0 for unit in units]
    resident_prefs: dict[int, list[str]] = {}
    listed: dict[int, list[tuple[int, int]]] = {}
    for child in children:
        preferences = [n for n in menu.preferences(child) if open_units[n]]
        if not preferences:
            continue
        resident_prefs[child.id] = [_unit_name(units[n]) for n in preferences]
        for n in preferences:
            listed.setdefault(n, []).append((priorities.unit_rank(child, units[n]), child.id))
    hospital_prefs = {
        _unit_name(units[n]): [child_id for _, child_id in sorted(ranked)]
        for n, ranked in listed.items()
    }
    by_name = {_unit_name(units[n]): units[n] for n in listed}
    hospital_capacities = {name: capacities[unit] for name, unit in by_name.items()}
    return resident_prefs, hospital_prefs, hospital_capacities, by_name


def _deep(call: Callable[[], object], stack: int = 512 * 1024 * 1024) -> object:
    """Run ``call`` in a thread with a large stack and recursion limit: the package deep-copies
    its players, which recurses along the preference lists through the whole round."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:
            outcome["error"] = error

    old_limit, old_stack = sys.getrecursionlimit(), threading.stack_size(stack)
    sys.setrecursionlimit(10**6)
    try:
        thread = threading.Thread(target=run, name="matching-package")
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("value")


def solve_with_matching(
    children: Sequence[Child],
    capacities: dict[Unit, int],
    priorities: Priorities,
    *,
    start: date,
    allow_longer_hours: bool,
) -> tuple[dict[int, Unit | None], float, float]:
    """The same round by ``matching.games.HospitalResident`` (resident-optimal): one hospital
    per unit, each child's eligible units as the core expands its wishes, each unit's
    children by ``Priorities.unit_rank``. Returns the placement and the seconds spent building
    the game (from the round) and solving it."""
    from matching.games import HospitalResident

    def build_and_solve() -> tuple[dict[int, Unit | None], float, float]:
        started = time.perf_counter()
        residents, hospitals, places, by_name = _game_dictionaries(
            children, capacities, priorities, start, allow_longer_hours
        )
        game = HospitalResident.create_from_dictionaries(residents, hospitals, places)
        built = time.perf_counter()
        matching = game.solve(optimal="resident")
        solved = time.perf_counter()
        placement: dict[int, Unit | None] = {child.id: None for child in children}
        for hospital, matched in matching.items():
            for resident in matched:
                placement[resident.name] = by_name[hospital.name]
        return placement, built - started, solved - built

    return _deep(build_and_solve)  # type: ignore[return-value]


def core(
    children: Sequence[Child],
    capacities: dict[Unit, int],
    criteria: Criteria,
    names: Sequence[str],
    start: date,
    *,
    tie_break: str = "lottery",
    seed: str = "bench",
    allow_longer_hours: bool = True,
) -> tuple[Priorities, dict[int, Unit | None]]:
    """``priority_order`` then ``allocate``, as a city runs a round."""
    priorities = priority_order(children, criteria, names=names, tie_break=tie_break, seed=seed)
    result = allocate(
        children, capacities, priorities, start=start, allow_longer_hours=allow_longer_hours
    )
    return priorities, result.placement


def check(children: int, kitas: int, small: int = 20) -> None:
    """Both solvers place every child alike: ``small`` random small rounds under every rule
    combination (every other one with some units without places), then one of ``children`` ×
    ``kitas``. Raises ``AssertionError`` naming the first round that differs."""
    for n in range(small):
        children_, capacities, *rules = synthetic_city(200, 20, seed=n)
        if n % 2:  # units without places (the package cannot take them)
            capacities = {u: 0 if i % 5 == 0 else c for i, (u, c) in enumerate(capacities.items())}
        city = (children_, capacities, *rules)
        for tie_break in ("lottery", "age"):
            for longer in (False, True):
                priorities, placement = core(
                    *city, tie_break=tie_break, seed=f"s{n}", allow_longer_hours=longer
                )
                reference = solve_with_matching(
                    city[0], city[1], priorities, start=city[4], allow_longer_hours=longer
                )[0]
                assert placement == reference, f"seed {n}, {tie_break}, longer hours {longer}"
    print(f"{small} small rounds x 4 rule sets: identical", file=sys.stderr, flush=True)
    city = synthetic_city(children, kitas)
    priorities, placement = core(*city)
    reference, build_s, solve_s = solve_with_matching(
        city[0], city[1], priorities, start=city[4], allow_longer_hours=True
    )
    placed = sum(unit is not None for unit in placement.values())
    assert placement == reference, f"{children} children, {kitas} daycares"
    print(
        f"{children} children, {kitas} daycares: identical, {placed} placed "
        f"(package: build {build_s:.1f} s, solve {solve_s:.1f} s)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=30_000)
    parser.add_argument("--kitas", type=int, default=450)
    args = parser.parse_args()
    check(args.children, args.kitas)
