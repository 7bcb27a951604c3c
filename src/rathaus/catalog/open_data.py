"""Open data of the catalogue: the published Leistungen with their key, office and access.

One data set, registered from ``CatalogConfig.ready``; the opendata module builds it every
day and publishes a release whenever the catalogue changed. No person is in it, so nothing
is protected (``disclosure="none"``). The office is named by its ``kennung`` as well, the
key of the data set ``dienststellen``, so both tables can be joined.
"""

from django.conf import settings

from rathaus.opendata import Column, Pipeline, register_pipeline

from .models import Service, ServiceChannel

__all__ = ["service_rows"]

K = ServiceChannel.Kind


def service_rows() -> list[dict]:
    """Every published service with its LeiKa key, topic, office, ways of access and fee."""
    labels = dict(K.choices)
    rows = []
    for service in (
        Service.objects.published()
        .select_related("topic", "office")
        .prefetch_related("channels")
        .order_by("slug")
    ):
        kinds = list(dict.fromkeys(channel.kind for channel in service.channels.all()))
        rows.append(
            {
                "kennung": service.slug,
                "leika_schluessel": service.leika,
                "titel": service.title,
                "kurzbeschreibung": service.summary,
                "themenbereich": service.topic.title if service.topic else None,
                "zustaendige_stelle": service.office.name,
                "zustaendige_stelle_kennung": service.office.slug,
                "online_beantragen": K.ONLINE in kinds,
                "termin_buchen": K.APPOINTMENT in kinds,
                "zugangswege": "; ".join(str(labels.get(kind, kind)) for kind in kinds) or None,
                "gebuehr": service.fee_amount,
                "bearbeitungsdauer": service.processing_time or None,
                "frist_tage": service.target_days,
                "internetseite": settings.RATHAUS["PUBLIC_URL"] + service.get_absolute_url(),
            }
        )
    return rows


PIPELINE = register_pipeline(
    Pipeline(
        key="leistungen",
        title="Verwaltungsleistungen der Stadt (Leistungskatalog) mit Zuständigkeit und "
        "Zugangswegen",
        description=(
            "Alle veröffentlichten Leistungen der Stadtverwaltung mit dem Schlüssel des "
            "Leistungskatalogs (LeiKa/FIM), der zuständigen Dienststelle, den Zugangswegen "
            "(online, Termin, Papier, Telefon, vor Ort), der Gebühr und der Bearbeitungsdauer. "
            "Die Kennung der Dienststelle verbindet die Tabelle mit dem Datensatz der "
            "Dienststellen. Die Tabelle enthält keine Angaben über Personen."
        ),
        publisher="Hauptamt",
        # .example is reserved for examples (RFC 2606): the city enters its real address.
        publisher_email="opendata-hauptamt@duesseldorf.example",
        columns=(
            Column("kennung", "string", "Kennung", "Kurzname der Leistung in der Adresse."),
            Column(
                "leika_schluessel",
                "string",
                "LeiKa-Schlüssel",
                "14-stelliger Schlüssel im Leistungskatalog (LeiKa/FIM).",
            ),
            Column("titel", "string", "Leistung"),
            Column("kurzbeschreibung", "string", "Kurzbeschreibung"),
            Column("themenbereich", "string", "Themenbereich"),
            Column("zustaendige_stelle", "string", "Zuständige Dienststelle"),
            Column(
                "zustaendige_stelle_kennung",
                "string",
                "Kennung der zuständigen Dienststelle",
                "Verweist auf die Spalte „kennung“ des Datensatzes der Dienststellen.",
            ),
            Column("online_beantragen", "boolean", "Online beantragen", "Online möglich."),
            Column("termin_buchen", "boolean", "Termin buchen", "Online buchbarer Termin."),
            Column("zugangswege", "string", "Zugangswege", "Alle Wege zur Leistung."),
            Column(
                "gebuehr",
                "number",
                "Gebühr",
                "Regelgebühr; leer, wenn keine feste Gebühr hinterlegt ist (Staffelung, "
                "Gebührenfreiheit: siehe Internetseite).",
                "EUR",
            ),
            Column("bearbeitungsdauer", "string", "Bearbeitungsdauer", "Angabe der Stelle."),
            Column(
                "frist_tage",
                "integer",
                "Frist",
                "Bis wann ein Antrag entschieden sein soll.",
                "Tage",
            ),
            Column("internetseite", "string", "Internetseite", "Die Seite der Leistung."),
        ),
        rows=service_rows,
        dimensions=("kennung",),
        themes=("GOVE",),
        keywords=("Leistungskatalog", "LeiKa", "Verwaltungsleistungen", "Onlinezugang", "OZG"),
        frequency="IRREG",
        disclosure="none",
    )
)
