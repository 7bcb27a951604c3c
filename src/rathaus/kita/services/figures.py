"""Figures of an allocation procedure for open data: per Stadtbezirk and age group, the
free places, the registrations and the offers of each round – counts only.

``kita/open_data.py`` publishes it as the data set ``kita-platzvergabe``; the open-data
module suppresses small cells there, as it does for every pipeline. Age groups follow the
group forms: under three (Gruppenform II), three to school age (III), and the mixed group I,
which takes both.
"""

from collections import Counter

from .. import allocation
from ..models import Outcome, Period, Places, Registration

__all__ = ["AGE_GROUPS", "allocation_figures"]

AGE_GROUPS = {"II": "unter 3 Jahre", "III": "3 Jahre bis Schuleintritt", "I": "gemischt (I)"}


def _age_group(birth_date, start) -> str:
    """A child's age group: the group form its age calls for first (II or III)."""
    return allocation.group_forms(birth_date, start)[0]


def allocation_figures(period: Period) -> list[dict]:
    """One row per Stadtbezirk (number) and age group: ``places``, ``registrations`` and
    ``offers_round_<n>`` for every round run so far."""
    places = Counter()
    for district, form, count in Places.objects.filter(period=period).values_list(
        "daycare__district__number", "group_form", "places"
    ):
        places[district, form] += count
    registrations = Counter()
    group_of: dict[int, tuple[int, str]] = {}
    for pk, district, birth_date, start_month in (
        Registration.objects.filter(period=period)
        .exclude(status=Registration.Status.WITHDRAWN)
        .values_list("pk", "district__number", "birth_date", "start_month")
    ):
        key = (district, _age_group(birth_date, max(start_month, period.start)))
        group_of[pk] = key
        registrations[key] += 1
    offers: dict[int, Counter] = {}
    for number, registration_id in Outcome.objects.filter(
        round__period=period, daycare__isnull=False
    ).values_list("round__number", "registration_id"):
        if registration_id in group_of:
            offers.setdefault(number, Counter())[group_of[registration_id]] += 1
    keys = sorted(set(places) | set(registrations))
    return [
        {
            "period": period.name,
            "district": district,
            "age_group": AGE_GROUPS[form],
            "places": places.get((district, form), 0),
            "registrations": registrations.get((district, form), 0),
            **{
                f"offers_round_{n}": counted.get((district, form), 0)
                for n, counted in sorted(offers.items())
            },
        }
        for district, form in keys
    ]
