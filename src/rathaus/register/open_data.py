"""The register as an open data set: one row per published record, in its current version.

Registered from ``RegisterConfig.ready``; the open data module builds it every day and
publishes a release when the register changed. No person is in it: contacts are the
offices' team mailboxes (``disclosure="none"``).
"""

from django.conf import settings
from django.utils import timezone

from rathaus.opendata import Column, Pipeline, register_pipeline

from .services import published

__all__ = ["PIPELINE", "register_rows"]


def register_rows() -> list[dict]:
    base = settings.RATHAUS["PUBLIC_URL"]
    return [
        {
            "kennung": record.slug,
            "name": record.name,
            "kurzbeschreibung": record.summary,
            "dienststelle": record.office.name,
            "kontakt": record.contact_email,
            "stand": record.get_phase_display(),
            "rolle": record.get_decision_role_display(),
            "herkunft": record.supplier,
            "zweck": record.purpose,
            "funktionsweise": record.how_it_works,
            "leichte_sprache": record.easy_language,
            "daten": record.data_used,
            "ausgeschlossene_daten": record.excluded_data,
            "aufsicht": record.human_oversight,
            "widerspruch": record.appeal,
            "risiken": record.risks,
            "gegenmassnahmen": record.mitigations,
            "fassung": record.current.number,
            "veroeffentlicht_am": timezone.localtime(record.current.published_at).date(),
            "sha256": record.current.sha256,
            "internetseite": base + record.get_absolute_url(),
        }
        for record in published().order_by("slug")
    ]


PIPELINE = register_pipeline(
    Pipeline(
        key="algorithmenregister",
        title="Algorithmenregister: Programme der Stadt, die Menschen betreffen",
        description=(
            "Jedes Programm der Stadtverwaltung, das Entscheidungen über Menschen trifft, "
            "vorbereitet oder Plätze und Termine verteilt: Zweck, Funktionsweise (auch in "
            "Leichter Sprache), verwendete und ausgeschlossene Daten, Aufsicht durch Menschen, "
            "Widerspruch, Risiken und Gegenmaßnahmen, jeweils in der aktuellen Fassung mit "
            "ihrem SHA-256-Fingerabdruck aus dem Transparenzlog. Die Felder folgen, wo es passt, "
            "dem britischen Algorithmic Transparency Recording Standard."
        ),
        publisher="Amt für Statistik und Wahlen",
        # .example is reserved for examples (RFC 2606): the city enters its real address.
        publisher_email="opendata-statistik@duesseldorf.example",
        columns=(
            Column("kennung", "string", "Kennung", "Kurzname des Eintrags in der Adresse."),
            Column("name", "string", "Name"),
            Column("kurzbeschreibung", "string", "Kurzbeschreibung"),
            Column("dienststelle", "string", "Verantwortliche Dienststelle"),
            Column("kontakt", "string", "Kontakt", "Funktionspostfach der Dienststelle."),
            Column(
                "stand", "string", "Stand", "In Planung, in Erprobung, im Einsatz, außer Betrieb."
            ),
            Column("rolle", "string", "Rolle in der Entscheidung"),
            Column("herkunft", "string", "Herkunft der Software"),
            Column("zweck", "string", "Zweck"),
            Column("funktionsweise", "string", "Funktionsweise"),
            Column("leichte_sprache", "string", "Erklärung in Leichter Sprache"),
            Column("daten", "string", "Verwendete Daten"),
            Column("ausgeschlossene_daten", "string", "Daten, die nicht verwendet werden dürfen"),
            Column("aufsicht", "string", "Aufsicht durch Menschen"),
            Column("widerspruch", "string", "Widerspruch und Überprüfung"),
            Column("risiken", "string", "Risiken"),
            Column("gegenmassnahmen", "string", "Gegenmaßnahmen"),
            Column("fassung", "integer", "Fassung", "Nummer der aktuellen Fassung."),
            Column("veroeffentlicht_am", "date", "Veröffentlicht am"),
            Column("sha256", "string", "SHA-256", "Fingerabdruck der Fassung im Transparenzlog."),
            Column("internetseite", "string", "Internetseite", "Die Seite des Eintrags."),
        ),
        rows=register_rows,
        dimensions=("kennung",),
        public_columns={"kontakt": "Funktionspostfächer der Dienststellen, keine Personen"},
        themes=("GOVE", "TECH"),
        keywords=("Algorithmen", "Transparenz", "Künstliche Intelligenz", "Register", "Fairness"),
        frequency="IRREG",
        disclosure="none",
    )
)
