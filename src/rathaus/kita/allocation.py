"""Kita places by child-proposing deferred acceptance: the pure core, no Django.

A daycare offers its places as *units*: one NRW group form (KiBiz: I two years to school age,
II under three, III three to school age) in one weekly hours band (25, 35, 45). Families list
up to ``MAX_WISHES`` daycares; each daycare orders the children who wished it by published
criteria and a tie-break the city chose (a seeded lottery, or age and then the lottery).

Why deferred acceptance with the children proposing (Gale–Shapley with capacities):

- the result is *stable*: no child is refused a place that stayed free or went to a child the
  daycare ranks lower (``blocking_pairs`` is empty), so every refusal has a reason that can be
  named (``explain``);
- it is the best stable result for every child at the same time;
- listing one's true wishes is always best, so the advice to families is "say what you want",
  and no family gains by tactics.

The lottery is fixed by a published seed (HMAC-SHA256 of the child's id, ``lottery_ticket``),
so anyone can run it again; the time of registration never counts. Children of school age are
the caller's concern: they are left out before the allocation.
"""

import hashlib
import hmac
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from heapq import heappush, heapreplace

__all__ = [
    "EXACT_HOURS",
    "GROUP_FORMS",
    "HOURS",
    "MAX_WISHES",
    "TIE_BREAKS",
    "Allocation",
    "Child",
    "Key",
    "Priorities",
    "Reason",
    "Unit",
    "allocate",
    "blocking_pairs",
    "eligible_units",
    "explain",
    "explain_all",
    "group_forms",
    "later_round",
    "lottery_ticket",
    "priority_order",
    "sentence",
]

GROUP_FORMS = ("I", "II", "III")
HOURS = (25, 35, 45)
MAX_WISHES = 10
# What the positions a tie-break adds to a priority mean.
TIE_BREAKS = {"lottery": ("lottery",), "age": ("age", "lottery")}
# The first position of a priority at a unit: does the child need the unit's hours?
EXACT_HOURS = "exact_hours"

# A priority, lower is better: the criteria's classes, then the tie-break (birth date as an
# ordinal, lottery ticket as hex).
Key = tuple[int | str, ...]


@dataclass(frozen=True, order=True)
class Unit:
    """The places of one daycare in one group form and hours band: what a child is admitted
    to (the "hospital" of the matching)."""

    kita: int
    group_form: str
    hours: int

    def __post_init__(self) -> None:
        if self.group_form not in GROUP_FORMS or self.hours not in HOURS:
            raise ValueError(f"Unknown group form or hours band: {self!r}")


@dataclass(frozen=True)
class Child:
    """A child to be placed: ``hours`` is the band the family asked for, ``wishes`` are
    daycare ids, best first; ``start`` is the month the family wants the place from, if
    later than the round's start (the child's age then decides the group form)."""

    id: int
    birth_date: date
    hours: int
    wishes: tuple[int, ...]
    start: date | None = None

    def __post_init__(self) -> None:
        if self.hours not in HOURS:
            raise ValueError(f"Child {self.id}: unknown hours band {self.hours}.")
        if len(set(self.wishes)) != len(self.wishes):
            raise ValueError(f"Child {self.id}: a daycare is wished twice.")


@dataclass(frozen=True)
class Priorities:
    """Every daycare's strict order over the children who wished it.

    ``keys[kita][child_id]`` is the child's priority there (lower is better); ``names`` says
    what each position of a key means, so a refusal can name the criterion that decided it.
    ``rank`` is the same order as 0, 1, 2, … (cheap to compare).
    """

    names: tuple[str, ...]
    keys: dict[int, dict[int, Key]]
    rank: dict[int, dict[int, int]]

    def unit_key(self, child: Child, unit: Unit) -> Key:
        """The child's priority at one unit: children who need the unit's hours come before
        those who would take it with fewer, so a longer place goes to a shorter need only
        when nobody needs the longer hours; then the daycare's order."""
        return (int(unit.hours > child.hours), *self.keys[unit.kita][child.id])

    def unit_rank(self, child: Child, unit: Unit) -> int:
        """``unit_key`` as a number."""
        ranks = self.rank[unit.kita]
        return ranks[child.id] + (len(ranks) if unit.hours > child.hours else 0)


@dataclass(frozen=True)
class Allocation:
    """The result of one round, with the rules it was made under (for ``explain`` and
    ``blocking_pairs``).

    ``placement`` has every child of the round (``None``: no place). ``cutoffs[unit]`` is the
    priority (``Priorities.unit_key``) of the last child the unit admitted – the one a child
    had to beat –, ``None`` if it has places left or none to give.
    """

    placement: dict[int, Unit | None]
    cutoffs: dict[Unit, Key | None]
    capacities: dict[Unit, int]
    start: date
    allow_longer_hours: bool


@dataclass(frozen=True)
class Reason:
    """Why a wish the family ranked above the place it got was not given.

    ``reason``: ``"full"`` (every unit there the child could take was full with children
    ranked higher), ``"age"`` (no places for the child's age) or ``"hours"`` (none with the
    hours the family asked for). For ``"full"``, ``units`` names per unit the criterion in
    which the last admitted child was ahead (``None``: no place to give in this round), and
    ``criterion`` is the one of the closest miss (the latest criterion among the units).
    """

    wish: int
    kita: int
    reason: str
    criterion: str | None = None
    units: tuple[tuple[Unit, str | None], ...] = ()


def lottery_ticket(seed: str, child_id: int) -> str:
    """The child's lottery ticket: HMAC-SHA256 with the published seed (UTF-8) as key and the
    child's id in decimal as message, in hex. Nobody can know it before the seed."""
    return hmac.new(seed.encode(), str(child_id).encode(), hashlib.sha256).hexdigest()


def _tie(child: Child, tie_break: str, seed: str) -> Key:
    ticket = lottery_ticket(seed, child.id)
    return (ticket,) if tie_break == "lottery" else (child.birth_date.toordinal(), ticket)


def priority_order(
    children: Iterable[Child],
    criteria: Callable[[Child, int], Sequence[int]],
    *,
    names: Sequence[str],
    tie_break: str,
    seed: str,
) -> Priorities:
    """Every daycare's strict order over the children who wished it.

    ``criteria(child, kita)`` gives the child's classes there, lower is better, one per entry
    of ``names`` (e.g. ``("sibling", "district", "entitlement", "inclusion", "work")``). Ties
    are broken by ``tie_break``: ``"lottery"`` (the ticket) or ``"age"`` (older first, then
    the ticket). A child has one ticket for all daycares (single tie-breaking: a separate draw
    per daycare leaves more pairs of children who would both rather swap places).
    """
    if tie_break not in TIE_BREAKS:
        raise ValueError(f"Unknown tie-break {tie_break!r}: one of {', '.join(TIE_BREAKS)}.")
    if not seed:
        raise ValueError("The lottery needs the published seed.")
    names = tuple(names)
    if len(set(names)) != len(names) or {EXACT_HOURS, "age", "lottery"} & set(names):
        raise ValueError(f"Criteria names must be distinct and not reserved: {names}.")
    keys: dict[int, dict[int, Key]] = defaultdict(dict)
    for child in children:
        tie = _tie(child, tie_break, seed)
        for kita in child.wishes:
            classes = tuple(criteria(child, kita))
            if len(classes) != len(names):
                raise ValueError(f"Child {child.id}, daycare {kita}: not {len(names)} classes.")
            keys[kita][child.id] = (*classes, *tie)
    rank = {
        kita: {child_id: n for n, child_id in enumerate(sorted(ordered, key=ordered.__getitem__))}
        for kita, ordered in keys.items()
    }
    return Priorities(names=(*names, *TIE_BREAKS[tie_break]), keys=dict(keys), rank=rank)


def group_forms(birth_date: date, start: date) -> tuple[str, ...]:
    """The group forms a child can be placed in, best first.

    The age rule: completed years on the first day of the start month (the birthday itself
    counts, as in § 187 Abs. 2 BGB: a child born on 1 August 2023 is three on 1 August 2026).
    Under two: II only (group I begins at two); two: II, then I; three or older: III, then I –
    the group made for the age before the mixed one.
    """
    first = start.replace(day=1)
    before_birthday = (first.month, first.day) < (birth_date.month, birth_date.day)
    age = first.year - birth_date.year - before_birthday
    if age < 2:
        return ("II",)
    return ("II", "I") if age < 3 else ("III", "I")


def _eligible(
    forms: tuple[str, ...], hours: int, kita_units: Iterable[Unit], allow_longer_hours: bool
) -> list[Unit]:
    fitting = [
        unit
        for unit in kita_units
        if unit.group_form in forms
        and (unit.hours == hours or (allow_longer_hours and unit.hours > hours))
    ]
    return sorted(fitting, key=lambda unit: (unit.hours, forms.index(unit.group_form)))


def eligible_units(
    child: Child, kita_units: Iterable[Unit], start: date, *, allow_longer_hours: bool
) -> list[Unit]:
    """The units of one daycare the child can take, in the child's order: the hours the
    family asked for first, then (if the city allows it) longer ones, shortest first; within
    the same hours by ``group_forms``. Shorter hours are never offered: the family needs them."""
    forms = group_forms(child.birth_date, child.start or start)
    return _eligible(forms, child.hours, kita_units, allow_longer_hours)


class _Menu:
    """The units of one round by daycare and which of them a child can take, as indices into
    ``units``; cached, because the answer depends only on the daycare, the child's group
    forms and hours (30,000 children share a few thousand answers)."""

    def __init__(self, units: Sequence[Unit], start: date, allow_longer_hours: bool) -> None:
        self.units = units
        self.start = start
        self.allow_longer_hours = allow_longer_hours
        self.position = {unit: n for n, unit in enumerate(units)}
        self.by_kita: dict[int, list[Unit]] = defaultdict(list)
        for unit in units:
            self.by_kita[unit.kita].append(unit)
        self._known: dict[tuple[int, tuple[str, ...], int], tuple[int, ...]] = {}

    def eligible(self, kita: int, forms: tuple[str, ...], hours: int) -> tuple[int, ...]:
        found = self._known.get((kita, forms, hours))
        if found is None:
            units = _eligible(forms, hours, self.by_kita.get(kita, ()), self.allow_longer_hours)
            found = self._known[kita, forms, hours] = tuple(self.position[u] for u in units)
        return found

    def preferences(self, child: Child) -> list[int]:
        """Each wish expanded into its eligible units, in order."""
        forms = group_forms(child.birth_date, child.start or self.start)
        return [n for kita in child.wishes for n in self.eligible(kita, forms, child.hours)]


def _check(children: Sequence[Child], capacities: Mapping[Unit, int], max_wishes: int) -> None:
    if len({child.id for child in children}) != len(children):
        raise ValueError("A child id occurs twice.")
    if too_many := [child.id for child in children if len(child.wishes) > max_wishes]:
        raise ValueError(f"More than {max_wishes} wishes: children {too_many}.")
    if negative := [unit for unit, places in capacities.items() if places < 0]:
        raise ValueError(f"Negative capacity: {negative}.")


# A child's proposals, best first: (unit index, the child's rank at the unit).
_Proposals = list[tuple[int, int]]


def _proposals(children: Sequence[Child], menu: _Menu, priorities: Priorities) -> list[_Proposals]:
    units = menu.units
    return [
        [(n, priorities.unit_rank(child, units[n])) for n in menu.preferences(child)]
        for child in children
    ]


def _defer(proposals: list[_Proposals], capacity: list[int]) -> list[list[tuple[int, int]]]:
    """Deferred acceptance: a free child proposes to its next unit, which keeps its best
    children so far and rejects the worst. Each unit's children are a heap with the worst
    on top (ranks negated), so a proposal costs O(log capacity)."""
    held: list[list[tuple[int, int]]] = [[] for _ in capacity]
    next_choice = [0] * len(proposals)
    free = list(range(len(proposals)))  # the order does not change the result
    while free:
        child = free.pop()
        choices, n = proposals[child], next_choice[child]
        while n < len(choices):
            unit, rank = choices[n]
            n += 1
            heap = held[unit]
            if len(heap) < capacity[unit]:
                heappush(heap, (-rank, child))
                break
            if heap and -heap[0][0] > rank:
                free.append(heapreplace(heap, (-rank, child))[1])
                break
        next_choice[child] = n
    return held


def allocate(
    children: Sequence[Child],
    capacities: Mapping[Unit, int],
    priorities: Priorities,
    *,
    start: date,
    allow_longer_hours: bool,
    max_wishes: int = MAX_WISHES,
) -> Allocation:
    """Place the children by child-proposing deferred acceptance over the units.

    Each wish expands into its ``eligible_units``; each unit ranks by
    ``Priorities.unit_key``. ``priorities`` must come from ``priority_order`` over (at least)
    these children. The result is stable and the best stable one for every child.
    """
    _check(children, capacities, max_wishes)
    units = list(capacities)
    capacity = [capacities[unit] for unit in units]
    menu = _Menu(units, start, allow_longer_hours)
    held = _defer(_proposals(children, menu, priorities), capacity)
    placement: dict[int, Unit | None] = {child.id: None for child in children}
    cutoffs: dict[Unit, Key | None] = {}
    for unit, heap, places in zip(units, held, capacity, strict=True):
        for _, n in heap:
            placement[children[n].id] = unit
        full = bool(heap) and len(heap) == places
        cutoffs[unit] = priorities.unit_key(children[heap[0][1]], unit) if full else None
    return Allocation(placement, cutoffs, dict(capacities), start, allow_longer_hours)


def later_round(
    children: Sequence[Child],
    capacities: Mapping[Unit, int],
    priorities: Priorities,
    accepted: Mapping[int, Unit],
    *,
    start: date,
    allow_longer_hours: bool,
    max_wishes: int = MAX_WISHES,
) -> Allocation:
    """The next round: declined and remaining places go to the children without an accepted
    place, by deferred acceptance over what is left.

    Children in ``accepted`` (child id → unit) keep their units and are not in the result:
    their places come off ``capacities`` first, so nobody who accepted can lose a place. A
    child who declined takes part with the wishes it gives now (leave the declined daycare
    out if it is not to be offered again).
    """
    taken = Counter(accepted.values())
    if unknown := [unit for unit in taken if unit not in capacities]:
        raise ValueError(f"Accepted places in unknown units: {unknown}.")
    remaining = {unit: places - taken[unit] for unit, places in capacities.items()}
    if over := [unit for unit, places in remaining.items() if places < 0]:
        raise ValueError(f"More places accepted than there are: {over}.")
    waiting = [child for child in children if child.id not in accepted]
    return allocate(
        waiting,
        remaining,
        priorities,
        start=start,
        allow_longer_hours=allow_longer_hours,
        max_wishes=max_wishes,
    )


def blocking_pairs(
    result: Allocation, children: Iterable[Child], priorities: Priorities
) -> list[tuple[int, Unit]]:
    """Each child of the round with each unit it prefers to its own that has a free place or
    holds a child it ranks lower: empty for a stable result (what ``allocate`` guarantees and
    an audit checks again)."""
    units = list(result.capacities)
    menu = _Menu(units, result.start, result.allow_longer_hours)
    by_id = {child.id: child for child in children}
    held: dict[Unit, list[int]] = defaultdict(list)
    for child_id, unit in result.placement.items():
        if unit is not None:
            held[unit].append(priorities.unit_rank(by_id[child_id], unit))
    pairs = []
    for child in by_id.values():
        own = result.placement.get(child.id)
        for unit in (units[n] for n in menu.preferences(child)):
            if unit == own:
                break
            ranks = held[unit]
            if len(ranks) < result.capacities[unit] or max(
                ranks, default=-1
            ) > priorities.unit_rank(child, unit):
                pairs.append((child.id, unit))
    return pairs


def _decided_at(mine: Key, cutoff: Key | None) -> int:
    """The position of the first criterion in which the last admitted child was ahead;
    ``len(mine)`` (later than any) when the unit had no place to give."""
    if cutoff is None:
        return len(mine)
    for position, (a, b) in enumerate(zip(mine, cutoff, strict=True)):
        if a != b:
            return position
    raise ValueError("A child refused with the priority of the last child admitted.")


def explain(child: Child, result: Allocation, priorities: Priorities) -> list[Reason]:
    """Why each wish ranked above the child's place (every wish, if it got none) was not
    given: data for the decision letter; ``sentence`` words it. Use the result of the round
    the child took part in."""
    return _explain(
        child,
        result,
        priorities,
        _Menu(list(result.capacities), result.start, result.allow_longer_hours),
    )


def explain_all(
    children: Iterable[Child], result: Allocation, priorities: Priorities
) -> dict[int, list[Reason]]:
    """``explain`` for every child of a round, sharing the work that depends only on the
    round (a round of 30,000 children is explained in a fraction of a second)."""
    menu = _Menu(list(result.capacities), result.start, result.allow_longer_hours)
    return {child.id: _explain(child, result, priorities, menu) for child in children}


def _explain(child: Child, result: Allocation, priorities: Priorities, menu: _Menu) -> list[Reason]:
    own = result.placement.get(child.id)
    if child.wishes and own is not None and own.kita == child.wishes[0]:
        return []  # the first wish: nothing to explain (most children of a round)
    units, cutoffs = menu.units, result.cutoffs
    names = (EXACT_HOURS, *priorities.names)
    forms = group_forms(child.birth_date, child.start or result.start)
    reasons = []
    for wish, kita in enumerate(child.wishes, 1):
        if own is not None and own.kita == kita:
            break
        eligible = [units[n] for n in menu.eligible(kita, forms, child.hours)]
        if not eligible:
            fits_age = any(unit.group_form in forms for unit in menu.by_kita.get(kita, ()))
            reasons.append(Reason(wish, kita, "hours" if fits_age else "age"))
            continue
        positions = [_decided_at(priorities.unit_key(child, u), cutoffs[u]) for u in eligible]
        decided = tuple(
            (unit, names[n] if n < len(names) else None)
            for unit, n in zip(eligible, positions, strict=True)
        )
        latest = max(positions)
        criterion = names[latest] if latest < len(names) else None
        reasons.append(Reason(wish, kita, "full", criterion, decided))
    return reasons


_FULL = {
    EXACT_HOURS: "war mit Kindern voll, die genau diesen Betreuungsumfang brauchen",
    "sibling": "war mit Kindern mit Geschwisterkind dort voll",
    "district": "war mit Kindern aus dem Stadtbezirk der Kita voll",
    "entitlement": "war mit Kindern mit Rechtsanspruch auf einen Platz voll",
    "inclusion": "war mit Kindern mit besonderem Förderbedarf voll",
    "work": "war mit Kindern voll, deren Eltern berufstätig oder in Ausbildung sind",
    "age": "war mit älteren Kindern gleichen Vorrangs voll",
    "lottery": "war mit Kindern gleichen Vorrangs voll; unter ihnen hat das Los entschieden",
    None: "hatte in dieser Runde keinen freien Platz mehr",
}
_FULL_OTHERWISE = "war mit Kindern mit höherem Vorrang voll"
_NOT_ELIGIBLE = {
    "age": "hat keine Plätze für Kinder im Alter Ihres Kindes",
    "hours": "hat keine Plätze mit dem Betreuungsumfang, den Sie gewählt haben",
}


def sentence(reason: Reason, kita_name: str | None = None) -> str:
    """The reason as one German sentence for the family (the letter may word it otherwise)."""
    if reason.reason == "full":
        said = _FULL.get(reason.criterion, _FULL_OTHERWISE)
    else:
        said = _NOT_ELIGIBLE[reason.reason]
    return f"Ihr Wunsch {reason.wish} ({kita_name or f'Kita {reason.kita}'}) {said}."
