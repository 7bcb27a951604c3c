"""The fairness audit flags a group that gets offers less often than the criteria explain,
and only then: a deliberately biased round, an unbiased one, and one where a group does
worse only because fewer of its children have priority."""

import random

import pytest

from rathaus.accounts.models import Role
from rathaus.kita.models import FairnessReport
from rathaus.kita.services import fairness, rounds
from tests.factories import StaffFactory

from .conftest import close_registration, register

STRATA = {"sibling": 0.9, "district": 0.7, "none": 0.4, "baby": 0.2}


def synthetic_round(*, bias: float, priority_gap: bool = False, n: int = 4000, seed: int = 7):
    """``n`` children of two nationalities; children of "other" are offered a place with
    their stratum's rate minus ``bias``. With ``priority_gap`` they are also less often in
    the good strata – a difference the criteria explain."""
    rng = random.Random(seed)
    children = []
    for _ in range(n):
        group = "other" if rng.random() < 0.3 else "de"
        weights = [1, 2, 4, 3] if group == "other" and priority_gap else [3, 3, 2, 2]
        stratum = rng.choices(list(STRATA), weights)[0]
        rate = STRATA[stratum] - (bias if group == "other" else 0)
        children.append(
            fairness.Child(
                {"nationality": group, "gender": rng.choice(["girl", "boy"]), "district": "3"},
                stratum,
                rng.random() < rate,
            )
        )
    return children


def groups(figures: dict, attribute: str) -> dict[str, dict]:
    found = next(a for a in figures["attributes"] if a["name"] == attribute)
    return {g["value"]: g for g in found["groups"]}


def test_a_biased_round_is_flagged():
    figures = fairness.report(synthetic_round(bias=0.15), threshold=0.05)
    nationality = groups(figures, "nationality")
    assert nationality["other"]["flagged"] is True
    assert nationality["other"]["gap"] < -0.1
    low, high = nationality["other"]["ci"]
    assert not low <= nationality["other"]["expected"] <= high
    assert groups(figures, "gender")["girl"]["flagged"] is False


def test_an_unbiased_round_is_not_flagged():
    figures = fairness.report(synthetic_round(bias=0.0), threshold=0.05)
    assert not any(g["flagged"] for a in figures["attributes"] for g in a["groups"])


def test_a_gap_the_criteria_explain_is_not_flagged():
    """Children of "other" get fewer offers here only because fewer have a sibling or
    live in the district: the raw gap is large, the unexplained one is not."""
    children = synthetic_round(bias=0.0, priority_gap=True)
    figures = fairness.report(children, threshold=0.05)
    other = groups(figures, "nationality")["other"]
    de = groups(figures, "nationality")["de"]
    assert de["rate"] - other["rate"] > 0.1  # the raw difference
    assert other["flagged"] is False and abs(other["gap"]) < 0.03


def test_small_groups_are_never_flagged():
    children = [fairness.Child({"gender": "diverse"}, "none", False) for _ in range(10)]
    children += [fairness.Child({"gender": "girl"}, "none", True) for _ in range(100)]
    figures = fairness.report(children, threshold=0.05)
    assert groups(figures, "gender")["diverse"]["flagged"] is False


def test_wilson_interval():
    assert fairness.wilson(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert fairness.wilson(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert fairness.wilson(0, 0) == (0.0, 1.0)


def test_every_round_is_audited_and_the_steward_reads_it(period, kitas, planner_client):
    for n in range(6):
        register(period, [kitas["wolke"]], child_given_name=f"Kind{n}")
    made = register(period, [kitas["sonne"]], child_given_name="Lena")
    from rathaus.kita.models import AuditAttributes

    AuditAttributes.objects.create(registration=made, gender="girl", home_language="other")
    close_registration(period)
    done = rounds.run(period)
    report = FairnessReport.objects.get(round=done)
    assert report.figures["children"] == 7 and report.figures["offers"] == 3
    assert groups(report.figures, "gender")["girl"]["n"] == 1
    assert next(a for a in report.figures["attributes"] if a["name"] == "gender")["unknown"] == 6
    # Counts only: no registration id, no name in the report.
    assert "Lena" not in str(report.figures) and str(made.pk) not in str(report.figures)

    from django.test import Client

    url = f"/verwaltung/kita/{period.slug}/runde/1/fairness/"
    steward = Client()
    steward.force_login(StaffFactory(email="daten@beispiel.de", roles=[Role.DATA_STEWARD]))
    page = steward.get(url)
    assert page.status_code == 200 and "Familiensprache" in page.content.decode()
    caseworker = Client()
    caseworker.force_login(StaffFactory(email="sb@beispiel.de", roles=[Role.CASEWORKER]))
    assert caseworker.get(url).status_code == 403
    assert planner_client.get(url).status_code == 200


def test_every_round_also_goes_through_the_register_audit(period, kitas, client):
    """The register record of the Kita allocation shows each round's report (raw rates,
    with the note that the round's own report explains them by the criteria)."""
    from rathaus.register.models import Audit, Record

    for n in range(8):
        register(period, [kitas["wolke"]], child_given_name=f"Kind{n}")
    close_registration(period)
    done = rounds.run(period)
    made = Audit.objects.get(
        source=Audit.Source.KITA, title=f"Kita-Platzvergabe {period}, Runde {done.number}"
    )
    assert made.record == Record.objects.get(slug="kita-platzvergabe")
    assert made.results["rows"] == 8
    names = [a["name"] for a in made.results["attributes"]]
    assert names == ["Staatsangehörigkeit", "Familiensprache", "Geschlecht", "Stadtbezirk"]
    assert not made.results["attributes"][0]["assessable"]  # 8 children: too few to compare
    assert "Kind" not in str(made.results)  # figures only
    page = client.get("/algorithmen/kita-platzvergabe/").content.decode()
    assert made.title in page
    report = client.get(f"/algorithmen/kita-platzvergabe/pruefungen/{made.pk}/").content.decode()
    assert "rohe Angebotsraten" in report and "Nicht beurteilbar" in report
