"""The published criteria by which a daycare orders the children who wished it.

The city chooses which criteria apply and in which order (``Period.criteria``); a provider
may leave out criteria it does not use (``Provider.ignored_criteria``), except the legal
entitlement, which binds everyone. Each criterion answers yes (class 0, ahead) or no
(class 1) for one child at one daycare, from what the family stated in the registration.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from .. import allocation
from ..models import Daycare, Period

__all__ = [
    "BINDING",
    "CRITERIA",
    "REGISTRATION_FACTS",
    "DaycareFacts",
    "Facts",
    "classes",
    "daycare_facts",
    "describe",
    "labels",
    "registration_facts",
]

CRITERIA: dict[str, str] = {
    "sibling": _("Geschwisterkind in derselben Kita"),
    "district": _("Wohnort im Stadtbezirk der Kita"),
    "entitlement": _("Rechtsanspruch auf einen Platz (ab dem ersten Geburtstag)"),
    "inclusion": _("Besonderer Förderbedarf und Inklusionsplätze in der Kita"),
    "work": _("Eltern berufstätig, in Ausbildung oder Studium"),
}
# A provider cannot leave these out: § 24 SGB VIII gives every child from one year a place.
BINDING = frozenset({"entitlement"})
# What the tie-break positions of a priority mean, for staff.
TIE_BREAK_LABELS = {
    allocation.EXACT_HOURS: _("Braucht genau diesen Betreuungsumfang"),
    "age": _("Geburtsdatum (ältere zuerst)"),
    "lottery": _("Los"),
}


class Facts(NamedTuple):
    """What the criteria read of one registration (a tuple: a round makes 30,000)."""

    birth_date: date
    start: date
    district_id: int
    siblings: frozenset[int]
    inclusion: bool
    working: bool


@dataclass(frozen=True)
class DaycareFacts:
    district_id: int
    inclusion_places: int
    ignored: frozenset[str]


def _age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def classes(
    names: Sequence[str],
    facts: Mapping[int, Facts],
    daycares: Mapping[int, DaycareFacts],
) -> Callable[[allocation.Child, int], tuple[int, ...]]:
    """``criteria(child, kita)`` for ``allocation.priority_order``: 0 where the criterion
    holds, 1 where not; a criterion the daycare's provider does not apply is 0 for all.
    (Called once per wish – 150,000 times in a city's round – so what depends on the child
    alone is worked out once.)"""
    if unknown := set(names) - set(CRITERIA):
        raise ValueError(f"Unknown criteria: {sorted(unknown)}.")
    entitled = {pk for pk, own in facts.items() if _age_on(own.birth_date, own.start) >= 1}
    tests: dict[str, Callable[[int, Facts, int, DaycareFacts], bool]] = {
        "sibling": lambda pk, own, kita, daycare: kita in own.siblings,
        "district": lambda pk, own, kita, daycare: own.district_id == daycare.district_id,
        "entitlement": lambda pk, own, kita, daycare: pk in entitled,
        "inclusion": lambda pk, own, kita, daycare: own.inclusion and daycare.inclusion_places > 0,
        "work": lambda pk, own, kita, daycare: own.working,
    }
    chosen = [(name, tests[name]) for name in names]

    def criteria(child: allocation.Child, kita: int) -> tuple[int, ...]:
        pk = child.id
        own, daycare = facts[pk], daycares[kita]
        ignored = daycare.ignored
        return tuple(
            [0 if name in ignored or test(pk, own, kita, daycare) else 1 for name, test in chosen]
        )

    return criteria


REGISTRATION_FACTS = (
    "pk",
    "birth_date",
    "start_month",
    "hours",
    "district_id",
    "inclusion_needs",
    "parents_working",
)


def registration_facts(
    period: Period, row: tuple, wishes: tuple[int, ...], siblings: frozenset[int]
) -> tuple[allocation.Child, Facts]:
    """The child as the allocation sees it and the facts its criteria read, from one row of
    ``REGISTRATION_FACTS`` (the round and its explanations read a child alike)."""
    pk, birth_date, start_month, hours, district_id, inclusion, working = row
    start = max(start_month, period.start)
    child = allocation.Child(
        pk, birth_date, hours, wishes, start=start if start > period.start else None
    )
    return child, Facts(birth_date, start, district_id, siblings, inclusion, working)


def daycare_facts(daycares: Iterable[int] | None = None) -> dict[int, DaycareFacts]:
    """What the criteria read of each daycare (of ``daycares``, or all)."""
    binding = BINDING
    found = Daycare.objects.all() if daycares is None else Daycare.objects.filter(pk__in=daycares)
    return {
        pk: DaycareFacts(district_id, inclusion, frozenset(ignored or ()) - binding)
        for pk, district_id, inclusion, ignored in found.values_list(
            "pk", "district_id", "inclusion_places", "provider__ignored_criteria"
        )
    }


def labels(names: Iterable[str]) -> list[tuple[str, str]]:
    return [(name, str(CRITERIA[name])) for name in names]


def describe(cutoff: Mapping[str, object]) -> list[tuple[str, str]]:
    """The cut-off of a unit in words: for each position of the priority of the last child
    admitted, its label and the value (ja/nein for the criteria)."""
    described = []
    for name, value in cutoff.items():
        label = str(CRITERIA.get(name) or TIE_BREAK_LABELS.get(name, name))
        if name in CRITERIA or name == allocation.EXACT_HOURS:
            said = str(_("ja")) if value == 0 else str(_("nein"))
        elif name == "age":
            said = date.fromordinal(int(value)).strftime("%d.%m.%Y")
        else:
            said = str(value)[:8]
        described.append((label, said))
    return described
