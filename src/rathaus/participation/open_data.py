"""The consultations as an open data set: per published process and draft section, how many
comments (by stance), replies, supports, answers of the office, hidden and withdrawn ones,
and how many came in through staff (letters, calls, events). Counts of public contributions,
no person and no text (``disclosure="none"``); the texts are on the pages."""

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from rathaus.opendata import Column, Pipeline, register_pipeline

from .models import Section

__all__ = ["PIPELINE", "consultation_rows"]

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


PIPELINE = register_pipeline(
    Pipeline(
        key="beteiligung-kommentare",
        title="Bürgerbeteiligung: Kommentare zu Entwürfen je Abschnitt",
        description=(
            "Für jede veröffentlichte Beteiligung und jeden Abschnitt eines Entwurfs: Zahl der "
            "sichtbaren Kommentare nach Haltung (Zustimmung, Ablehnung, Anmerkung), Antworten "
            "von Teilnehmenden, Unterstützungen, von der Verwaltung beantwortete, von der "
            "Moderation ausgeblendete und zurückgezogene Kommentare sowie Beiträge, die per "
            "Brief, Telefon oder an Infoständen eingingen. Die Texte stehen auf den Seiten."
        ),
        publisher="Amt für Digitalisierung",
        # .example is reserved for examples (RFC 2606): the city enters its real address.
        publisher_email="opendata-beteiligung@duesseldorf.example",
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
        themes=("GOVE",),
        keywords=("Bürgerbeteiligung", "Beteiligung", "Digitales Düsseldorf 2030", "Kommentare"),
        frequency="DAILY",
        disclosure="none",
    )
)
