"""The fairness metrics: against hand-computed examples and against fairlearn itself; small
groups; a biased decision set is flagged, a fair one is not."""

import numpy as np
import pytest
from fairlearn.metrics import (
    demographic_parity_difference,
    demographic_parity_ratio,
    equalized_odds_difference,
)

from rathaus.register.fairness import (
    AuditError,
    Decisions,
    audit,
    decisions_from_table,
    describe,
    wilson,
)

SEED = 20261128


def table(groups: dict[str, tuple[int, int]]) -> Decisions:
    """``{group: (cases, selected)}`` as decisions with one attribute, ``gruppe``."""
    outcome, values = [], []
    for value, (cases, selected) in groups.items():
        outcome += [True] * selected + [False] * (cases - selected)
        values += [value] * cases
    return Decisions(np.array(outcome), {"gruppe": np.array(values, dtype=object)})


def test_wilson_interval_by_hand():
    # p = 0.6, n = 100, z² = 3.8415: centre 0.619207 / 1.038415 = 0.59630,
    # half-width 1.96 · √(0.0024 + 0.000096) / 1.038415 = 0.09430
    low, high = wilson(60, 100)
    assert low == pytest.approx(0.5020, abs=1e-4) and high == pytest.approx(0.6906, abs=1e-4)


def test_rates_ratio_and_difference_by_hand():
    result = audit(table({"a": (100, 60), "b": (100, 40)}), seed=SEED)
    attribute = result["attributes"][0]
    a, b = attribute["groups"]
    assert (a["rate"], b["rate"]) == (0.6, 0.4)
    assert attribute["disparate_impact"] == pytest.approx(0.4 / 0.6, abs=1e-4)  # 0.6667
    assert attribute["parity_difference"] == pytest.approx(0.2, abs=1e-4)
    assert attribute["lowest"] == "b" and attribute["highest"] == "a"
    assert attribute["four_fifths"] and attribute["flagged"] and result["flagged"]
    low, high = attribute["disparate_impact_ci"]
    assert low < 0.6667 < high


@pytest.mark.parametrize("seed", [SEED, SEED + 5])
def test_the_metrics_equal_fairlearns_own(seed):
    print(f"seed {seed}")
    random = np.random.default_rng(seed)
    groups = random.choice(["nord", "süd", "ost"], size=3000, p=[0.5, 0.3, 0.2])
    truth = random.random(3000) < 0.4
    chosen = np.where(truth, random.random(3000) < 0.8, random.random(3000) < 0.2)
    chosen[(groups == "ost") & (random.random(3000) < 0.3)] = False
    decisions = Decisions(chosen, {"gebiet": groups.astype(object)}, label=truth)
    attribute = audit(decisions, seed=seed)["attributes"][0]
    assert attribute["disparate_impact"] == pytest.approx(
        demographic_parity_ratio(truth, chosen, sensitive_features=groups), abs=1e-4
    )
    assert attribute["parity_difference"] == pytest.approx(
        demographic_parity_difference(truth, chosen, sensitive_features=groups), abs=1e-4
    )
    assert attribute["equalised_odds"] == pytest.approx(
        equalized_odds_difference(truth, chosen, sensitive_features=groups), abs=1e-4
    )
    for group in attribute["groups"]:
        mask = groups == group["value"]
        assert group["tpr"] == pytest.approx(chosen[mask & truth].mean(), abs=1e-4)
        assert group["fpr"] == pytest.approx(chosen[mask & ~truth].mean(), abs=1e-4)


def test_a_small_group_shows_too_few_cases_and_is_left_out_of_the_comparison():
    result = audit(table({"a": (100, 50), "b": (100, 48), "c": (5, 0)}), seed=SEED)
    attribute = result["attributes"][0]
    small = attribute["groups"][2]
    assert small == {"value": "c", "n": 5, "too_few": True}  # no rate that could mislead
    assert attribute["disparate_impact"] == pytest.approx(0.96, abs=1e-4)  # a and b only
    assert not attribute["flagged"]
    assert audit(table({"a": (100, 50), "c": (5, 0)}), seed=SEED)["attributes"][0] == {
        "name": "gruppe",
        "groups": [
            {"value": "a", "n": 100, "too_few": False, "selected": 50, "rate": 0.5,
             "ci": [round(wilson(50, 100)[0], 4), round(wilson(50, 100)[1], 4)]},
            {"value": "c", "n": 5, "too_few": True},
        ],
        "assessable": False,
        "flagged": False,
    }  # fmt: skip


def _synthetic(rate_a: float, rate_b: float, seed: int) -> Decisions:
    random = np.random.default_rng(seed)
    groups = np.array(["Frau", "Mann"] * 1000, dtype=object)
    chosen = random.random(2000) < np.where(groups == "Frau", rate_a, rate_b)
    return Decisions(chosen, {"geschlecht": groups})


@pytest.mark.parametrize("seed", [SEED, SEED + 1, SEED + 2])
def test_a_biased_decision_set_is_flagged_and_a_fair_one_is_not(seed):
    print(f"seed {seed}")
    biased = audit(_synthetic(0.30, 0.50, seed), seed=seed)
    fair = audit(_synthetic(0.40, 0.40, seed), seed=seed)
    assert biased["flagged"] and not fair["flagged"]
    verdict = describe(biased["attributes"][0])
    assert verdict.startswith("Auffällig: Die Gruppe „Frau“ wird seltener ausgewählt")
    assert "Auch die Unsicherheit durch Zufall erklärt das nicht." in verdict
    assert describe(fair["attributes"][0]).startswith("Unauffällig")


def test_equal_selection_with_unequal_errors_is_flagged_by_equalised_odds():
    """Both groups are selected half the time, but for one the selection ignores the truth."""
    truth = np.array([True, False] * 500)
    groups = np.array(["a"] * 500 + ["b"] * 500, dtype=object)
    chosen = np.concatenate([truth[:500], np.array([True, True, False, False] * 125)])
    result = audit(Decisions(chosen, {"gruppe": groups}, label=truth), seed=SEED)
    attribute = result["attributes"][0]
    assert attribute["disparate_impact"] == pytest.approx(1.0)
    assert not attribute["four_fifths"]
    assert attribute["equalised_odds"] == pytest.approx(0.5, abs=1e-4)  # TPR 1.0 vs 0.5
    assert attribute["flagged"]
    assert "Trefferquoten oder Fehlalarme" in describe(attribute)


def test_the_same_seed_gives_the_same_report():
    decisions = _synthetic(0.3, 0.35, SEED)
    assert audit(decisions, seed=7) == audit(decisions, seed=7)


@pytest.mark.parametrize(
    ("rows", "kwargs", "message"),
    [
        ([["1", "a"]], {"outcome": "ergebnis", "protected": ["fehlt"]}, "keine Spalte „fehlt“"),
        ([["vielleicht", "a"]], {"outcome": "ergebnis", "protected": ["gruppe"]}, "Zeile 2"),
        ([["1", "a"]], {"outcome": "ergebnis", "protected": []}, "mindestens ein"),
        ([["1", "a"]], {"outcome": "ergebnis", "protected": ["ergebnis"]}, "verschiedene"),
        ([["1", "a"]], {"outcome": "ergebnis", "protected": ["gruppe"], "score": "gruppe"},
         "keine Zahl"),
    ],
)  # fmt: skip
def test_unreadable_decisions_get_a_german_message(rows, kwargs, message):
    with pytest.raises(AuditError, match=message):
        decisions_from_table(["ergebnis", "gruppe"], rows, **kwargs)


def test_values_are_read_as_people_write_them():
    header = ["Ergebnis", "Bezirk", "Wahr"]
    rows = [["Ja", "2", "1"], ["nein", "10", "0"], ["TRUE", "", "x"], ["0", "2", "nein"]]
    decisions = decisions_from_table(
        header, rows, outcome="Ergebnis", protected=["Bezirk"], label="Wahr"
    )
    assert decisions.outcome.tolist() == [True, False, True, False]
    assert decisions.label.tolist() == [True, False, True, False]
    assert decisions.groups["Bezirk"].tolist() == ["2", "10", "(keine Angabe)", "2"]
    result = audit(decisions, min_cases=1, seed=SEED)
    assert [g["value"] for g in result["attributes"][0]["groups"]] == ["2", "10", "(keine Angabe)"]
