"""The fairness audit: does an algorithm select some groups less often, or err on them more
often, than others?

Input is one row per decision: the outcome (selected or not), optionally the true label
(what really was the case) or a score, and the protected attributes (e.g. gender,
nationality, district). Per attribute and group the report shows the selection rate with a
95 % Wilson interval; across the groups with enough cases the disparate-impact ratio (lowest
rate / highest; the four-fifths rule flags a ratio below 0.8), the demographic parity
difference and, with labels, the equalised-odds difference (the larger gap in true- or
false-positive rates). The three are computed by ``fairlearn``; their 95 % intervals come
from a seeded parametric bootstrap over the group counts, so a report can be recomputed
exactly. Groups with fewer than ``MIN_CASES`` cases show "zu wenige Fälle" and take no part
in the comparisons: a rate from a handful of cases would mislead.
"""

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from rathaus.core.templatetags.rathaus import percent

__all__ = [
    "FOUR_FIFTHS",
    "MIN_CASES",
    "AuditError",
    "Decisions",
    "audit",
    "decisions_from_table",
    "describe",
    "wilson",
]

MIN_CASES = 30
FOUR_FIFTHS = 0.8
ODDS_LIMIT = 0.1  # ten percentage points between the groups' true- or false-positive rates
MAX_ROWS = 500_000
MAX_ATTRIBUTES = 10
BOOTSTRAP = 2000
Z = 1.959964  # 95 %
NO_VALUE = "(keine Angabe)"

YES = {"1", "ja", "j", "true", "wahr", "yes", "y", "x", "positiv", "angenommen", "bewilligt"}
NO = {"0", "nein", "n", "false", "falsch", "no", "negativ", "abgelehnt", ""}


class AuditError(ValueError):
    """Decisions that cannot be audited; the message says what to change (German)."""


@dataclass
class Decisions:
    outcome: np.ndarray  # bool
    groups: dict[str, np.ndarray]  # attribute → group value per row (str)
    label: np.ndarray | None = None  # bool
    score: np.ndarray | None = None  # float
    columns: dict[str, str] = field(default_factory=dict)


def wilson(successes: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of a rate (good for small groups and rates near 0)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def _yes_no(value: Any, column: str, row: int) -> bool:
    text = str(value if value is not None else "").strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise AuditError(
        _(
            "Zeile %(row)s, Spalte „%(column)s“: „%(value)s“ ist weder ja noch nein "
            "(erlaubt sind z. B. 1/0, ja/nein, true/false)."
        )
        % {"row": row, "column": column, "value": text[:40]}
    )


def _number(value: Any, column: str, row: int) -> float:
    text = str(value if value is not None else "").strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise AuditError(
            _("Zeile %(row)s, Spalte „%(column)s“: „%(value)s“ ist keine Zahl.")
            % {"row": row, "column": column, "value": text[:40]}
        )
    return number


def decisions_from_table(
    header: list[str],
    rows: list[list[Any]],
    *,
    outcome: str,
    protected: list[str],
    label: str = "",
    score: str = "",
) -> Decisions:
    """Read the named columns of a table (header and rows as a file reader returns them)."""
    wanted = [outcome, *protected, *(name for name in (label, score) if name)]
    missing = [name for name in wanted if name not in header]
    if missing:
        raise AuditError(
            _("Die Datei hat keine Spalte „%(missing)s“. Vorhanden sind: %(columns)s.")
            % {"missing": missing[0], "columns": ", ".join(header)[:500]}
        )
    if not protected:
        raise AuditError(_("Bitte wählen Sie mindestens ein geschütztes Merkmal."))
    if len(protected) > MAX_ATTRIBUTES:
        raise AuditError(
            _("Bitte höchstens %(n)s Merkmale auf einmal prüfen.") % {"n": MAX_ATTRIBUTES}
        )
    if outcome in protected or (label and label in protected) or (label and label == outcome):
        raise AuditError(
            _("Ergebnis, tatsächlicher Ausgang und Merkmale müssen verschiedene Spalten sein.")
        )
    if len(rows) > MAX_ROWS:
        raise AuditError(
            _("Höchstens %(n)s Zeilen je Prüfung.")
            % {"n": number_format(MAX_ROWS, 0, force_grouping=True)}
        )
    index = {name: header.index(name) for name in wanted}
    at = index.__getitem__
    outcomes = [_yes_no(row[at(outcome)], outcome, n) for n, row in enumerate(rows, start=2)]
    groups = {
        name: np.array(
            [
                str(row[at(name)] if row[at(name)] is not None else "").strip()[:100] or NO_VALUE
                for row in rows
            ],
            dtype=object,
        )
        for name in protected
    }
    return Decisions(
        outcome=np.array(outcomes, dtype=bool),
        groups=groups,
        label=np.array(
            [_yes_no(row[at(label)], label, n) for n, row in enumerate(rows, start=2)], dtype=bool
        )
        if label
        else None,
        score=np.array([_number(row[at(score)], score, n) for n, row in enumerate(rows, start=2)])
        if score
        else None,
        columns={
            "outcome": outcome,
            "label": label,
            "score": score,
            "protected": ", ".join(protected),
        },
    )


def _interval(samples: np.ndarray) -> list[float]:
    return [
        round(float(np.percentile(samples, 2.5)), 4),
        round(float(np.percentile(samples, 97.5)), 4),
    ]


def _group_rows(decisions: Decisions, values: np.ndarray, min_cases: int) -> list[dict]:
    rows = []
    for value in sorted(set(values.tolist()), key=_in_order):
        mask = values == value
        n = int(mask.sum())
        selected = int(decisions.outcome[mask].sum())
        row: dict[str, Any] = {"value": value, "n": n, "too_few": n < min_cases}
        if not row["too_few"]:
            low, high = wilson(selected, n)
            row |= {
                "selected": selected,
                "rate": round(selected / n, 4),
                "ci": [round(low, 4), round(high, 4)],
            }
            if decisions.label is not None:
                truth = decisions.label[mask]
                chosen = decisions.outcome[mask]
                positives, negatives = int(truth.sum()), int((~truth).sum())
                for name, base, hits in (
                    ("tpr", positives, int((chosen & truth).sum())),
                    ("fpr", negatives, int((chosen & ~truth).sum())),
                ):
                    if base >= min_cases:
                        low, high = wilson(hits, base)
                        row[name] = round(hits / base, 4)
                        row[f"{name}_ci"] = [round(low, 4), round(high, 4)]
                        row[f"{name}_base"] = base
            if decisions.score is not None:
                scores = decisions.score[mask]
                mean = float(scores.mean())
                half = Z * float(scores.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
                row["score"] = round(mean, 4)
                row["score_ci"] = [round(mean - half, 4), round(mean + half, 4)]
        rows.append(row)
    return rows


def _in_order(value: str) -> tuple[int, int, str]:
    """Numbers by value (2 before 10), then words; "(keine Angabe)" last."""
    if value == NO_VALUE:
        return (2, 0, value)
    return (0, int(value), "") if value.isdigit() else (1, 0, value.lower())


def _attribute(
    decisions: Decisions, name: str, min_cases: int, random: np.random.Generator
) -> dict:
    # fairlearn (with pandas and scikit-learn) takes a second to import: only when auditing.
    from fairlearn.metrics import (
        demographic_parity_difference,
        demographic_parity_ratio,
        equalized_odds_difference,
    )

    values = decisions.groups[name]
    groups = _group_rows(decisions, values, min_cases)
    enough = [g for g in groups if not g["too_few"] and g["value"] != NO_VALUE]
    result: dict[str, Any] = {"name": name, "groups": groups, "assessable": len(enough) >= 2}
    if not result["assessable"]:
        result["flagged"] = False
        return result
    keep = np.isin(values, [g["value"] for g in enough])
    chosen, features = decisions.outcome[keep], values[keep]
    ratio = float(demographic_parity_ratio(chosen, chosen, sensitive_features=features))
    difference = float(demographic_parity_difference(chosen, chosen, sensitive_features=features))
    sizes = np.array([g["n"] for g in enough])
    rates = np.array([g["selected"] / g["n"] for g in enough])
    draws = random.binomial(sizes, rates, size=(BOOTSTRAP, len(enough))) / sizes
    highest, lowest = draws.max(axis=1), draws.min(axis=1)
    ratios = np.divide(lowest, highest, out=np.ones_like(lowest), where=highest > 0)
    low_group = min(enough, key=lambda g: g["rate"])
    high_group = max(enough, key=lambda g: g["rate"])
    result |= {
        "disparate_impact": round(ratio, 4),
        "disparate_impact_ci": _interval(ratios),
        "parity_difference": round(difference, 4),
        "parity_difference_ci": _interval(highest - lowest),
        "lowest": low_group["value"],
        "highest": high_group["value"],
        "four_fifths": ratio < FOUR_FIFTHS,
    }
    flagged = result["four_fifths"]
    odds_groups = [g for g in enough if "tpr" in g and "fpr" in g]
    if decisions.label is not None and len(odds_groups) >= 2:
        keep = np.isin(values, [g["value"] for g in odds_groups])
        odds = float(
            equalized_odds_difference(
                decisions.label[keep], decisions.outcome[keep], sensitive_features=values[keep]
            )
        )
        gaps = []
        for rate in ("tpr", "fpr"):
            bases = np.array([g[f"{rate}_base"] for g in odds_groups])
            drawn = (
                random.binomial(
                    bases,
                    np.array([g[rate] for g in odds_groups]),
                    size=(BOOTSTRAP, len(odds_groups)),
                )
                / bases
            )
            gaps.append(drawn.max(axis=1) - drawn.min(axis=1))
        result |= {
            "equalised_odds": round(odds, 4),
            "equalised_odds_ci": _interval(np.maximum(*gaps)),
            "odds_gap": odds > ODDS_LIMIT,
        }
        flagged = flagged or result["odds_gap"]
    result["flagged"] = flagged
    return result


def audit(decisions: Decisions, *, min_cases: int = MIN_CASES, seed: int = 2026) -> dict:
    """The report's figures (JSON-ready); ``seed`` makes the intervals reproducible."""
    if len(decisions.outcome) == 0:
        raise AuditError(_("Die Datei enthält keine Entscheidungen."))
    random = np.random.default_rng(seed)
    attributes = [_attribute(decisions, name, min_cases, random) for name in decisions.groups]
    return {
        "rows": len(decisions.outcome),
        "selected": int(decisions.outcome.sum()),
        "min_cases": min_cases,
        "seed": seed,
        "bootstrap": BOOTSTRAP,
        "has_labels": decisions.label is not None,
        "has_scores": decisions.score is not None,
        "columns": decisions.columns,
        "attributes": attributes,
        "flagged": any(a["flagged"] for a in attributes),
    }


def describe(attribute: dict) -> str:
    """The plain-language verdict on one attribute (German, in the active language)."""
    if not attribute["assessable"]:
        return _(
            "Nicht beurteilbar: Weniger als zwei Gruppen haben genug Fälle für einen Vergleich."
        )
    rates = {g["value"]: g["rate"] for g in attribute["groups"] if "rate" in g}
    parts = []
    if attribute["four_fifths"]:
        high = attribute["disparate_impact_ci"][1]
        parts.append(
            _(
                "Auffällig: Die Gruppe „%(low)s“ wird seltener ausgewählt (%(low_rate)s) als die "
                "Gruppe „%(high)s“ (%(high_rate)s). Das Verhältnis %(ratio)s liegt unter der "
                "Vier-Fünftel-Grenze von 0,8."
            )
            % {
                "low": attribute["lowest"],
                "high": attribute["highest"],
                "low_rate": percent(rates[attribute["lowest"]]),
                "high_rate": percent(rates[attribute["highest"]]),
                "ratio": number_format(attribute["disparate_impact"], 2),
            }
        )
        parts.append(
            _("Auch die Unsicherheit durch Zufall erklärt das nicht.")
            if high < FOUR_FIFTHS
            else _("Der Unterschied könnte auch Zufall sein; prüfen Sie mehr Fälle.")
        )
    if attribute.get("odds_gap"):
        parts.append(
            _(
                "Auffällig: Bei gleichem tatsächlichem Ausgang liegen die Trefferquoten oder "
                "Fehlalarme der Gruppen um bis zu %(gap)s Prozentpunkte auseinander."
            )
            % {"gap": number_format(attribute["equalised_odds"] * 100, 1)}
        )
    if not parts:
        parts.append(
            _(
                "Unauffällig: Die Auswahlraten liegen nahe beieinander (Verhältnis %(ratio)s, "
                "Unterschied %(difference)s Prozentpunkte)."
            )
            % {
                "ratio": number_format(attribute["disparate_impact"], 2),
                "difference": number_format(attribute["parity_difference"] * 100, 1),
            }
        )
    return " ".join(parts)
