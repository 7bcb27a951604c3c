"""The procurement checklist of a bought (or built) program: non-discrimination evidence,
social criteria and the ecological criteria of the Blauer Engel for resource- and
energy-efficient software (DE-UZ 215). Stored with the register record and published with
it; each criterion has a state and the evidence (a document, an audit, a measurement)."""

from django.utils.translation import gettext_lazy as _

__all__ = ["CRITERIA", "SECTIONS", "STATES", "rows", "summary"]

SECTIONS = {
    "fairness": _("Nichtdiskriminierung"),
    "social": _("Soziale Kriterien"),
    "ecological": _("Ökologische Kriterien (Blauer Engel DE-UZ 215)"),
}

# key → (section, what is asked)
CRITERIA = {
    "audit": (
        "fairness",
        _("Eine Fairness-Prüfung der Entscheidungen liegt vor (Bericht im Register)."),
    ),
    "documentation": (
        "fairness",
        _("Der Anbieter dokumentiert Daten, Merkmale und Grenzen des Verfahrens."),
    ),
    "labour": (
        "social",
        _("Faire Arbeitsbedingungen beim Anbieter und in der Lieferkette (ILO-Kernarbeitsnormen)."),
    ),
    "accessibility": (
        "social",
        _("Barrierefrei nach BITV 2.0 und EN 301 549 (Prüfbericht)."),
    ),
    "energy": (
        "ecological",
        _("Energie- und Ressourcenbedarf in einem Standardszenario gemessen und offengelegt."),
    ),
    "formats": (
        "ecological",
        _("Daten in offenen, dokumentierten Formaten; Export ohne Verlust möglich."),
    ),
    "compatibility": (
        "ecological",
        _("Läuft auf mindestens fünf Jahre alter Hardware (Abwärtskompatibilität)."),
    ),
    "autonomy": (
        "ecological",
        _(
            "Nutzerautonomie: keine Werbung, vollständig deinstallierbar, Sicherheits- von "
            "Funktionsupdates trennbar, Weiterbetrieb ohne Herstellerdienst möglich."
        ),
    ),
}

STATES = {
    "open": _("offen"),
    "met": _("erfüllt"),
    "not_met": _("nicht erfüllt"),
    "not_applicable": _("trifft nicht zu"),
}


def rows(checklist: dict) -> list[dict]:
    """Every criterion with its section, state and evidence, in order (unknown keys dropped)."""
    result = []
    for key, (section, question) in CRITERIA.items():
        entry = checklist.get(key) or {}
        state = entry.get("state") if entry.get("state") in STATES else "open"
        result.append(
            {
                "key": key,
                "section": SECTIONS[section],
                "question": question,
                "state": state,
                "state_label": STATES[state],
                "evidence": entry.get("evidence", ""),
            }
        )
    return result


def summary(checklist: dict) -> dict[str, int]:
    """How many criteria are in each state."""
    counts = dict.fromkeys(STATES, 0)
    for row in rows(checklist):
        counts[row["state"]] += 1
    return counts
