"""Why a family got its place or none, worked out from what the round kept: the cut-off of
every unit (``UnitResult``: the priority of the last child it admitted) and the family's
own registration, read with the same criteria and the same published seed – so the child
has the priority it had in the round. Registrations cannot change once the first round has
run, so the explanation is the round's; the allocation itself never runs again.

``Explainer`` serves one page (the daycares the family wished) or a whole round's mails.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from .. import allocation
from ..models import Daycare, Outcome, Registration, Round, UnitResult
from . import criteria

__all__ = ["Explainer", "cutoffs", "headline", "sentences"]


class Explainer:
    """The facts of one round needed to explain it: cut-offs and places per unit, the
    daycares' criteria facts and names (for ``daycares`` only, or all of the round)."""

    def __init__(self, round_: Round, daycares: Iterable[int] | None = None) -> None:
        self.round = round_
        period = round_.period
        self.period = period
        self.names = (
            allocation.EXACT_HOURS,
            *period.criteria,
            *allocation.TIE_BREAKS[period.tie_break],
        )
        units = UnitResult.objects.filter(round=round_)
        if daycares is not None:
            daycares = list(daycares)
            units = units.filter(daycare_id__in=daycares)
        self.capacities: dict[allocation.Unit, int] = {}
        self.cutoffs: dict[allocation.Unit, allocation.Key | None] = {}
        for kita, form, hours, places, cutoff in units.values_list(
            "daycare_id", "group_form", "hours", "places", "cutoff"
        ):
            unit = allocation.Unit(kita, form, hours)
            self.capacities[unit] = places
            self.cutoffs[unit] = tuple(cutoff[name] for name in self.names) if cutoff else None
        self.daycares = criteria.daycare_facts(daycares)
        self.daycare_names = dict(
            Daycare.objects.filter(
                **({"pk__in": daycares} if daycares is not None else {})
            ).values_list("pk", "name")
        )

    def reasons(
        self,
        registration: Registration,
        wishes: tuple[int, ...],
        siblings: Iterable[int],
        outcome: Outcome,
    ) -> list[allocation.Reason]:
        child, facts = criteria.registration_facts(
            self.period,
            (
                registration.pk,
                registration.birth_date,
                registration.start_month,
                registration.hours,
                registration.district_id,
                registration.inclusion_needs,
                registration.parents_working,
            ),
            wishes,
            frozenset(siblings),
        )
        priorities = allocation.priority_order(
            [child],
            criteria.classes(self.period.criteria, {child.id: facts}, self.daycares),
            names=self.period.criteria,
            tie_break=self.period.tie_break,
            seed=self.period.seed,
        )
        own = (
            allocation.Unit(outcome.daycare_id, outcome.group_form, outcome.hours)
            if outcome.daycare_id
            else None
        )
        result = allocation.Allocation(
            {child.id: own},
            self.cutoffs,
            self.capacities,
            self.period.start,
            self.period.allow_longer_hours,
        )
        return allocation.explain(child, result, priorities)

    def sentences(
        self,
        registration: Registration,
        wishes: tuple[int, ...],
        siblings: Iterable[int],
        outcome: Outcome,
    ) -> list[str]:
        return [
            allocation.sentence(reason, self.daycare_names.get(reason.kita))
            for reason in self.reasons(registration, wishes, siblings, outcome)
        ]


def _wishes(registration: Registration) -> tuple[int, ...]:
    return tuple(registration.wishes.order_by("rank").values_list("daycare_id", flat=True))


def sentences(outcome: Outcome) -> list[str]:
    """Why the family's wishes above its place (all of them, without a place) were not
    given, one sentence each."""
    registration = outcome.registration
    wishes = _wishes(registration)
    explainer = Explainer(outcome.round, wishes)
    siblings = registration.sibling_daycares.values_list("pk", flat=True)
    return explainer.sentences(registration, wishes, siblings, outcome)


def headline(outcome: Outcome) -> str:
    if outcome.daycare_id is None:
        return _("In Runde %(round)d konnten wir Ihnen noch keinen Platz anbieten.") % {
            "round": outcome.round.number
        }
    return _(
        "In Runde %(round)d bieten wir Ihnen einen Platz in Ihrem Wunsch %(wish)d an: "
        "%(daycare)s, %(form)s, %(hours)d Stunden pro Woche."
    ) % {
        "round": outcome.round.number,
        "wish": outcome.wish_rank,
        "daycare": outcome.daycare.name,
        "form": outcome.get_group_form_display(),
        "hours": outcome.hours,
    }


def cutoffs(units: list[UnitResult]) -> list[dict]:
    """Per unit: places, admitted and the cut-off in words, for the staff's list."""
    return [
        {"unit": unit, "full": bool(unit.cutoff), "cutoff": criteria.describe(unit.cutoff)}
        for unit in units
    ]
