"""The fairness audit after each round: do children of some nationality, home language,
gender or district get offers less often than the published criteria explain?

For every child the round knows its *stratum*: its criteria at its first wish (sibling,
district, entitlement, …) and its age group. A group's *expected* offer rate is the mean,
over its children, of the offer rate in their stratum (direct standardisation): what the
priorities explain. The report shows each group's observed rate with a 95 % Wilson
interval, the expected rate and the gap; a group is flagged when it has at least
``MIN_GROUP`` children, the gap exceeds the threshold and the interval does not reach the
expected rate. The attributes are voluntary and stored apart; the report keeps counts only.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rathaus.register import fairness as register_fairness
from rathaus.register import services as register
from rathaus.register.fairness import wilson
from rathaus.register.models import Audit

from ..models import AuditAttributes, FairnessReport, Outcome, Round

__all__ = ["ATTRIBUTES", "Child", "audit", "labelled", "report", "wilson"]

MIN_GROUP = 30

ATTRIBUTES = {
    "nationality": (_("Staatsangehörigkeit"), dict(AuditAttributes.Nationality.choices)),
    "home_language": (_("Familiensprache"), dict(AuditAttributes.HomeLanguage.choices)),
    "gender": (_("Geschlecht"), dict(AuditAttributes.Gender.choices)),
    "district": (_("Stadtbezirk"), {}),
}


@dataclass(frozen=True)
class Child:
    """One child of the round as the audit sees it: no name, no id."""

    attributes: Mapping[str, str]
    stratum: Hashable
    offered: bool


def _in_order(item: tuple[str, object]) -> tuple[int, str]:
    """Districts by number (2 before 10), other values alphabetically."""
    value = item[0]
    return (int(value), "") if value.isdigit() else (0, value)


def report(children: Iterable[Child], threshold: float) -> dict:
    """The figures of the audit (JSON-ready) for ``children`` of one round."""
    children = list(children)
    by_stratum: dict[Hashable, list[int]] = defaultdict(lambda: [0, 0])
    for child in children:
        counts = by_stratum[child.stratum]
        counts[0] += child.offered
        counts[1] += 1
    stratum_rate = {s: offered / n for s, (offered, n) in by_stratum.items()}
    attributes = []
    for name in ATTRIBUTES:
        groups: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
        unknown = 0
        for child in children:
            value = child.attributes.get(name) or ""
            if not value:
                unknown += 1
                continue
            group = groups[value]
            group[0] += child.offered
            group[1] += 1
            group[2] += stratum_rate[child.stratum]
        rows = []
        for value, (offered, n, expected_sum) in sorted(groups.items(), key=_in_order):
            n = int(n)
            rate, expected = offered / n, expected_sum / n
            low, high = wilson(int(offered), n)
            gap = rate - expected
            flagged = n >= MIN_GROUP and abs(gap) > threshold and not low <= expected <= high
            rows.append(
                {
                    "value": value,
                    "n": n,
                    "offers": int(offered),
                    "rate": round(rate, 4),
                    "ci": [round(low, 4), round(high, 4)],
                    "expected": round(expected, 4),
                    "gap": round(gap, 4),
                    "flagged": flagged,
                }
            )
        attributes.append({"name": name, "unknown": unknown, "groups": rows})
    return {
        "children": len(children),
        "offers": sum(child.offered for child in children),
        "strata": len(by_stratum),
        "attributes": attributes,
    }


def audit(round_: Round, strata: Mapping[int, Hashable]) -> FairnessReport:
    """Audit a round that has just been written; ``strata`` maps registration id → stratum
    (``rounds`` knows them from the priorities)."""
    attributes: dict[int, dict[str, str]] = defaultdict(dict)
    for registration_id, nationality, language, gender in AuditAttributes.objects.filter(
        registration__outcomes__round=round_
    ).values_list("registration_id", "nationality", "home_language", "gender"):
        attributes[registration_id] = {
            "nationality": nationality,
            "home_language": language,
            "gender": gender,
        }
    children = [
        Child(
            {**attributes.get(registration_id, {}), "district": str(district)},
            strata[registration_id],
            daycare is not None,
        )
        for registration_id, daycare, district in Outcome.objects.filter(round=round_)
        .values_list("registration_id", "daycare_id", "registration__district__number")
        .iterator(chunk_size=5000)
    ]
    threshold = settings.KITA_FAIRNESS_THRESHOLD
    figures = report(children, threshold)
    flagged = any(g["flagged"] for a in figures["attributes"] for g in a["groups"])
    made = FairnessReport.objects.create(
        round=round_, threshold=threshold, figures=figures, flagged=flagged
    )
    _to_register(round_, children)
    return made


# How to read the register's report of a round: raw rates, which the criteria may explain.
REGISTER_NOTE = (
    "Automatisch nach der Runde geprüft: rohe Angebotsraten je Gruppe, ohne Rücksicht auf die "
    "Vergabekriterien. Ob die Kriterien einen Unterschied erklären, zeigt der Fairness-Bericht "
    "der Runde (standardisiert nach Kriterien und Altersgruppe), den das Jugendamt prüft."
)


def _shown(name: str, value: str, values: Mapping) -> str:
    if not value:
        return register_fairness.NO_VALUE
    return f"Stadtbezirk {value}" if name == "district" else str(values.get(value, value))


def _to_register(round_: Round, children: list[Child]) -> None:
    """The same children through the register's audit tool, so the register record of the
    Kita allocation shows each round's report (German labels: the record is German)."""
    with translation.override("de"):
        groups = {
            str(label): np.array(
                [_shown(name, child.attributes.get(name) or "", values) for child in children],
                dtype=object,
            )
            for name, (label, values) in ATTRIBUTES.items()
        }
    register.audit_decisions(
        "kita-platzvergabe",
        title=f"Kita-Platzvergabe {round_.period}, Runde {round_.number}",
        source=Audit.Source.KITA,
        decisions=register_fairness.Decisions(
            np.array([child.offered for child in children], dtype=bool), groups
        ),
        note=REGISTER_NOTE,
    )


def labelled(figures: dict) -> list[dict]:
    """The report's attributes with German labels, for the page."""
    result = []
    for attribute in figures["attributes"]:
        label, values = ATTRIBUTES[attribute["name"]]
        groups = [
            {**group, "label": str(values.get(group["value"], group["value"]))}
            for group in attribute["groups"]
        ]
        if attribute["name"] == "district":
            for group in groups:
                group["label"] = gettext("Stadtbezirk %(number)s") % {"number": group["value"]}
        result.append({**attribute, "label": str(label), "groups": groups})
    return result
