"""Open data of the offices: the directory of Bürgerbüros, Ämter and other places to go.

One data set, registered from ``OfficesConfig.ready``; the opendata module builds it every
day and publishes a release whenever the directory changed. No person is in it, so nothing
is protected (``disclosure="none"``). The model keeps no coordinates and no Stadtteil of an
office, so the table is not spatial: a Stadtteil's middle would place a Bürgerbüro wrongly.
The link column names the public page by its URL name (``catalog:office``), not by an
import, so this module stays below the catalogue.
"""

from itertools import groupby

from django.conf import settings
from django.urls import reverse

from rathaus.opendata import Column, Pipeline, register_pipeline

from .models import Office, OpeningHours

__all__ = ["office_rows", "opening_hours_summary"]

WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


def opening_hours_summary(periods: list[OpeningHours]) -> str:
    """``Mo 07:30–13:00; Di 07:30–12:00, 14:00–18:00`` from the weekly opening periods."""
    ordered = sorted(periods, key=lambda period: (period.weekday, period.opens))
    return "; ".join(
        f"{WEEKDAYS[weekday]} "
        + ", ".join(f"{period.opens:%H:%M}–{period.closes:%H:%M}" for period in day)
        for weekday, day in groupby(ordered, key=lambda period: period.weekday)
    )


def office_rows() -> list[dict]:
    """Every office with its kind, address, Stadtbezirk, weekly hours and notes."""
    kinds = dict(Office.Kind.choices)
    base = settings.RATHAUS["PUBLIC_URL"]
    return [
        {
            "kennung": office.slug,
            "name": office.name,
            "art": str(kinds.get(office.kind, office.kind)),
            "strasse": office.street,
            "postleitzahl": office.postcode,
            "ort": office.city,
            "stadtbezirk": office.district.name if office.district else None,
            "stadtbezirk_nr": office.district.number if office.district else None,
            "oeffnungszeiten": opening_hours_summary(list(office.opening_hours.all())) or None,
            "hinweis_oeffnungszeiten": office.opening_hours_note or None,
            "barrierefreiheit": office.accessibility or None,
            "internetseite": base + reverse("catalog:office", args=[office.slug]),
        }
        for office in Office.objects.select_related("district")
        .prefetch_related("opening_hours")
        .order_by("slug")
    ]


PIPELINE = register_pipeline(
    Pipeline(
        key="dienststellen",
        title="Bürgerbüros, Ämter und Dienststellen der Stadt mit Anschrift und Öffnungszeiten",
        description=(
            "Alle Bürgerbüros, Ämter und weiteren Dienststellen, die Bürgerinnen und Bürger "
            "aufsuchen können, mit Art, Anschrift, Stadtbezirk, wöchentlichen Öffnungszeiten, "
            "Hinweisen zur Barrierefreiheit und dem Link zur Seite im Portal. Abweichende "
            "Öffnungszeiten an einzelnen Tagen (z. B. Feiertage) stehen nur im Portal. Die "
            "Tabelle enthält keine Angaben über Personen."
        ),
        publisher="Hauptamt",
        # .example is reserved for examples (RFC 2606): the city enters its real address.
        publisher_email="opendata-hauptamt@duesseldorf.example",
        columns=(
            Column("kennung", "string", "Kennung", "Kurzname der Dienststelle in der Adresse."),
            Column("name", "string", "Name"),
            Column("art", "string", "Art", "Bürgerbüro, Amt oder sonstige Einrichtung."),
            Column("strasse", "string", "Straße und Hausnummer"),
            Column("postleitzahl", "string", "Postleitzahl"),
            Column("ort", "string", "Ort"),
            Column("stadtbezirk", "string", "Stadtbezirk"),
            Column("stadtbezirk_nr", "integer", "Nummer des Stadtbezirks"),
            Column(
                "oeffnungszeiten",
                "string",
                "Öffnungszeiten",
                "Wöchentliche Öffnungszeiten, z. B. „Mo 07:30–13:00; Di 07:30–18:00“.",
            ),
            Column("hinweis_oeffnungszeiten", "string", "Hinweis zu den Öffnungszeiten"),
            Column("barrierefreiheit", "string", "Barrierefreiheit vor Ort"),
            Column("internetseite", "string", "Internetseite", "Die Seite der Stelle im Portal."),
        ),
        rows=office_rows,
        dimensions=("kennung",),
        public_columns={"strasse": "Anschriften der Dienststellen, keine Wohnanschriften"},
        themes=("GOVE", "REGI"),
        keywords=("Bürgerbüro", "Ämter", "Dienststellen", "Öffnungszeiten", "Verzeichnis"),
        frequency="IRREG",
        disclosure="none",
    )
)
