"""Participation as open data: per published process and draft section, how many comments
(by stance), replies, supports, answers of the office, hidden and withdrawn ones, and how
many came in through staff (letters, calls, events) – counts of public contributions, no
person and no text; for every counted participatory budget its result per project and
the anonymised ballots (the raw tallies), exactly as in the published count; and for every
ended survey the counts of its choice questions (free texts stay with the office)."""

import json
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from rathaus.opendata import Column, Pipeline, register_pipeline

from .models import Result, Section
from .services import surveys

__all__ = [
    "BALLOTS",
    "PIPELINE",
    "RESULTS",
    "SURVEYS",
    "ballot_rows",
    "consultation_rows",
    "result_rows",
    "survey_rows",
]

_TOP = Q(comments__parent=None)
_SHOWN = Q(comments__hidden_at=None, comments__withdrawn_at=None)


def consultation_rows() -> list[dict]:
    base = settings.RATHAUS["PUBLIC_URL"]
    sections = (
        Section.objects.filter(draft__process__published=True)
        .select_related("draft__process")
        .annotate(
            comments_shown=Count("comments", filter=_TOP & _SHOWN, distinct=True),
            agree=Count(
                "comments", filter=_TOP & _SHOWN & Q(comments__stance="support"), distinct=True
            ),
            disagree=Count(
                "comments", filter=_TOP & _SHOWN & Q(comments__stance="oppose"), distinct=True
            ),
            remarks=Count(
                "comments", filter=_TOP & _SHOWN & Q(comments__stance="neutral"), distinct=True
            ),
            replies=Count(
                "comments", filter=Q(comments__parent__isnull=False) & _SHOWN, distinct=True
            ),
            supports=Count("comments__supports", distinct=True),
            answered=Count("comments", filter=Q(comments__response__isnull=False), distinct=True),
            hidden=Count("comments", filter=Q(comments__hidden_at__isnull=False), distinct=True),
            withdrawn=Count(
                "comments", filter=Q(comments__withdrawn_at__isnull=False), distinct=True
            ),
            assisted=Count("comments", filter=~Q(comments__channel="online"), distinct=True),
        )
        .order_by("draft__process__slug", "draft__pk", "order", "pk")
    )
    return [
        {
            "verfahren": s.draft.process.slug,
            "verfahren_titel": s.draft.process.title,
            "abschnitt": s.number,
            "ueberschrift": s.heading,
            "kommentare": s.comments_shown,
            "zustimmung": s.agree,
            "ablehnung": s.disagree,
            "anmerkung": s.remarks,
            "antworten_teilnehmende": s.replies,
            "unterstuetzungen": s.supports,
            "beantwortet_verwaltung": s.answered,
            "ausgeblendet": s.hidden,
            "zurueckgezogen": s.withdrawn,
            "erfasst_durch_verwaltung": s.assisted,
            "internetseite": base
            + reverse("participation:section", args=[s.draft.process.slug, s.pk]),
        }
        for s in sections
    ]


def _count(name: str, title: str, description: str = "") -> Column:
    return Column(name, "integer", title, description)


def _register(**fields: Any) -> Pipeline:
    """A data set of participation: the same publisher, theme and daily refresh for all;
    counts of public contributions, so no disclosure control is needed."""
    return register_pipeline(
        Pipeline(
            publisher="Amt für Digitalisierung",
            # .example is reserved for examples (RFC 2606): the city enters its real address.
            publisher_email="opendata-beteiligung@duesseldorf.example",
            themes=("GOVE",),
            frequency="DAILY",
            disclosure="none",
            **fields,
        )
    )


PIPELINE = _register(
    key="beteiligung-kommentare",
    title="Bürgerbeteiligung: Kommentare zu Entwürfen je Abschnitt",
    description=(
        "Für jede veröffentlichte Beteiligung und jeden Abschnitt eines Entwurfs: Zahl der "
        "sichtbaren Kommentare nach Haltung (Zustimmung, Ablehnung, Anmerkung), Antworten "
        "von Teilnehmenden, Unterstützungen, von der Verwaltung beantwortete, von der "
        "Moderation ausgeblendete und zurückgezogene Kommentare sowie Beiträge, die per "
        "Brief, Telefon oder an Infoständen eingingen. Die Texte stehen auf den Seiten."
    ),
    columns=(
        Column("verfahren", "string", "Verfahren", "Kurzname der Beteiligung."),
        Column("verfahren_titel", "string", "Titel der Beteiligung"),
        Column("abschnitt", "string", "Abschnitt", "Nummer im Entwurf."),
        Column("ueberschrift", "string", "Überschrift des Abschnitts"),
        _count("kommentare", "Kommentare", "Sichtbare Kommentare ohne Antworten."),
        _count("zustimmung", "davon Zustimmung"),
        _count("ablehnung", "davon Ablehnung"),
        _count("anmerkung", "davon Anmerkung"),
        _count("antworten_teilnehmende", "Antworten von Teilnehmenden"),
        _count("unterstuetzungen", "Unterstützungen"),
        _count("beantwortet_verwaltung", "Von der Verwaltung beantwortet"),
        _count("ausgeblendet", "Von der Moderation ausgeblendet"),
        _count("zurueckgezogen", "Zurückgezogen"),
        _count("erfasst_durch_verwaltung", "Per Brief, Telefon oder Infostand"),
        Column("internetseite", "string", "Internetseite", "Die Seite des Abschnitts."),
    ),
    rows=consultation_rows,
    dimensions=("verfahren", "abschnitt"),
    keywords=("Bürgerbeteiligung", "Beteiligung", "Digitales Düsseldorf 2030", "Kommentare"),
)


def _counted() -> list[tuple[Any, dict]]:
    """Every counted budget of a published process with its published document."""
    results = Result.objects.filter(budget__process__published=True).select_related(
        "budget__process"
    )
    return [(r.budget, json.loads(r.document)) for r in results.order_by("budget__pk")]


def result_rows() -> list[dict]:
    base = settings.RATHAUS["PUBLIC_URL"]
    rows = []
    for budget, doc in _counted():
        votes = {int(k): v for k, v in doc["result"]["votes"].items()}
        funded = set(doc["result"]["funded"])
        page = base + reverse("participation:result", args=[budget.process.slug, budget.pk])
        rows += [
            {
                "verfahren": budget.process.slug,
                "budget": budget.title,
                "budget_euro": doc["amount"],
                "regel": doc["rule"],
                "projekt": item["number"],
                "projekt_titel": item["title"],
                "kosten_euro": item["cost"],
                "stimmen": votes.get(item["number"], 0),
                "gefoerdert": item["number"] in funded,
                "stimmzettel": len(doc["ballots"]),
                "internetseite": page,
            }
            for item in doc["projects"]
        ]
    return rows


def ballot_rows() -> list[dict]:
    """The raw tallies: one row per ballot and chosen project, ballots numbered in the fixed
    order of the published document (nothing says who voted or when)."""
    rows = []
    for budget, doc in _counted():
        for number, ballot in enumerate(doc["ballots"], start=1):
            given = ballot.items() if isinstance(ballot, dict) else ((n, 1) for n in ballot)
            rows += [
                {
                    "verfahren": budget.process.slug,
                    "budget": budget.title,
                    "stimmzettel": number,
                    "projekt": int(project),
                    "punkte": points,
                }
                for project, points in given
            ]
    return rows


RESULTS = _register(
    key="buergerbudget-ergebnisse",
    title="Bürgerbudget: Ergebnisse der Abstimmungen",
    description=(
        "Für jedes ausgezählte Bürgerbudget und jedes Projekt: Kosten, Stimmen (oder "
        "Punkte), ob es gefördert wird, die Regel und die Zahl der Stimmzettel. Die "
        "Schritte der Regel stehen auf der Ergebnisseite."
    ),
    columns=(
        Column("verfahren", "string", "Verfahren", "Kurzname der Beteiligung."),
        Column("budget", "string", "Budget"),
        _count("budget_euro", "Budget in Euro"),
        Column("regel", "string", "Regel", "greedy oder equal_shares."),
        _count("projekt", "Projektnummer"),
        Column("projekt_titel", "string", "Projekt"),
        _count("kosten_euro", "Kosten in Euro"),
        _count("stimmen", "Stimmen oder Punkte"),
        Column("gefoerdert", "boolean", "Gefördert"),
        _count("stimmzettel", "Stimmzettel insgesamt"),
        Column("internetseite", "string", "Internetseite", "Die Ergebnisseite."),
    ),
    rows=result_rows,
    dimensions=("verfahren", "budget", "projekt"),
    keywords=("Bürgerbeteiligung", "Bürgerbudget", "Abstimmung", "Ergebnis"),
)

BALLOTS = _register(
    key="buergerbudget-stimmzettel",
    title="Bürgerbudget: alle Stimmzettel ohne Namen",
    description=(
        "Die Rohdaten jeder ausgezählten Abstimmung: je Stimmzettel und gewähltem Projekt "
        "eine Zeile, mit den Punkten (bei Zustimmung 1). Die Stimmzettel sind ohne Namen "
        "und ohne Zeitpunkt in fester Reihenfolge nummeriert; damit lässt sich das "
        "Ergebnis nachrechnen."
    ),
    columns=(
        Column("verfahren", "string", "Verfahren", "Kurzname der Beteiligung."),
        Column("budget", "string", "Budget"),
        _count("stimmzettel", "Stimmzettel", "Laufende Nummer in der Auszählung."),
        _count("projekt", "Projektnummer"),
        _count("punkte", "Punkte", "1 bei Stimmzetteln mit Auswahl."),
    ),
    rows=ballot_rows,
    dimensions=("verfahren", "budget", "stimmzettel", "projekt"),
    keywords=("Bürgerbeteiligung", "Bürgerbudget", "Stimmzettel", "Rohdaten"),
)


def survey_rows() -> list[dict]:
    """One row per ended survey, counted question and option, as on the survey's page."""
    base = settings.RATHAUS["PUBLIC_URL"]
    rows = []
    for survey in surveys.finished().order_by("pk"):
        counted = surveys.results(survey)
        page = base + reverse("participation:survey", args=[survey.process.slug, survey.pk])
        rows += [
            {
                "verfahren": survey.process.slug,
                "umfrage": survey.title,
                "frage": question["spec"]["label"],
                "antwort": option["label"],
                "anzahl": option["count"],
                "frage_beantwortet": question["answered"],
                "teilnehmende": counted["total"],
                "internetseite": page,
            }
            for question in counted["questions"]
            for option in question["options"]
        ]
    return rows


SURVEYS = _register(
    key="umfrage-ergebnisse",
    title="Bürgerbeteiligung: Ergebnisse der Umfragen",
    description=(
        "Für jede beendete Umfrage einer Beteiligung und jede Auswahlfrage: wie oft jede "
        "Antwort gewählt wurde, wie viele die Frage beantwortet und wie viele an der "
        "Umfrage teilgenommen haben. Antworten in eigenen Worten werden nicht "
        "veröffentlicht; die Antworten sind ohne Konto und ohne Zeitpunkt gespeichert."
    ),
    columns=(
        Column("verfahren", "string", "Verfahren", "Kurzname der Beteiligung."),
        Column("umfrage", "string", "Umfrage"),
        Column("frage", "string", "Frage"),
        Column("antwort", "string", "Antwort"),
        _count("anzahl", "Anzahl", "Wie oft diese Antwort gewählt wurde."),
        _count("frage_beantwortet", "Frage beantwortet", "Antworten auf diese Frage."),
        _count("teilnehmende", "Teilnehmende", "Alle, die die Umfrage beantwortet haben."),
        Column("internetseite", "string", "Internetseite", "Die Seite der Umfrage."),
    ),
    rows=survey_rows,
    dimensions=("verfahren", "umfrage", "frage", "antwort"),
    keywords=("Bürgerbeteiligung", "Umfrage", "Ergebnis"),
)
