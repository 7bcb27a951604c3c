"""Open data of the programmes: who takes part in the city's offers, and how full they are.

Two data sets, registered from ``ProgramsConfig.ready``; the opendata module builds them
every day and protects the counts (``measures``). Both cover the last ``MONTHS`` completed
months: a month is published once it has ended, because a running month changes with every
booking, and two daily releases side by side would show a single booking by their
difference. Offers count in the month and the Stadtbezirk (of the venue) where they start.
"""

from collections import Counter
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from rathaus.opendata import Column, Pipeline, completed_months, register_pipeline

from .models import Booking, BookingParticipant, Category, Offer
from .services import figures

__all__ = ["MONTHS", "offer_rows", "participant_rows"]

MONTHS = 24
PUBLISHER = "Amt für Statistik und Wahlen"
# .example is reserved for examples (RFC 2606): the city enters its real address.
PUBLISHER_EMAIL = "opendata-statistik@duesseldorf.example"
PROTECTION = "Kleine Fallzahlen werden geschützt (siehe Hinweise zur Version)."


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())


def _district(name: str | None, number: int | None) -> dict:
    return {"stadtbezirk": name or figures.UNKNOWN, "stadtbezirk_nr": number}


def participant_rows(now: datetime | None = None) -> list[dict]:
    """Participants per month, category, age band and Stadtbezirk (raw counts)."""
    start, end = completed_months(now, MONTHS)
    return [
        {
            "monat": row["month"],
            "kategorie": row["category"],
            "kategorie_bezeichnung": row["category_label"],
            "altersgruppe": row["age_band"],
            **_district(row["district"], row["district_number"]),
            "teilnehmende": row["participants"],
        }
        for row in figures.participation_tally(start, end)
    ]


def offer_rows(now: datetime | None = None) -> list[dict]:
    """Published offers, their places and the places taken, per month, category and
    Stadtbezirk. Taken places are the active participants of active bookings – the same
    people ``participant_rows`` counts, so both tables agree."""
    start, end = completed_months(now, MONTHS)
    offers = Offer.objects.filter(
        status=Offer.Status.PUBLISHED,
        starts_at__gte=_midnight(start),
        starts_at__lt=_midnight(end + timedelta(days=1)),
    )
    taken = dict(
        BookingParticipant.objects.filter(
            offer__in=offers, active=True, booking__status=Booking.Status.BOOKED
        )
        .values("offer_id")
        .annotate(n=Count("pk"))
        .values_list("offer_id", "n")
    )
    cells: dict[tuple, Counter] = {}
    districts: dict[str, int | None] = {}
    for pk, starts_at, category, name, number, capacity in offers.values_list(
        "pk", "starts_at", "category", "district__name", "district__number", "capacity"
    ).iterator(chunk_size=2000):
        district = name or figures.UNKNOWN
        districts[district] = number
        key = (f"{timezone.localtime(starts_at):%Y-%m}", category, district)
        cell = cells.setdefault(key, Counter())
        cell.update(angebote=1, plaetze=capacity, teilnehmende=taken.get(pk, 0))
    labels = dict(Category.choices)
    return [
        {
            "monat": month,
            "kategorie": category,
            "kategorie_bezeichnung": str(labels.get(category, category)),
            "stadtbezirk": district,
            "stadtbezirk_nr": districts[district],
            "angebote": cells[month, category, district]["angebote"],
            "plaetze": cells[month, category, district]["plaetze"],
            "teilnehmende": cells[month, category, district]["teilnehmende"],
        }
        for month, category, district in sorted(cells)
    ]


MONTH = Column("monat", "yearmonth", "Monat", "Monat, in dem das Angebot beginnt.")
CATEGORY = Column(
    "kategorie", "string", "Kategorie (Schlüssel)", "Kurzschlüssel der Kategorie, z. B. „sport“."
)
CATEGORY_LABEL = Column("kategorie_bezeichnung", "string", "Kategorie")
DISTRICT = Column(
    "stadtbezirk",
    "string",
    "Stadtbezirk",
    "Stadtbezirk des Veranstaltungsorts; „unbekannt“ bei Angeboten ohne Ort (z. B. online).",
)
DISTRICT_NUMBER = Column(
    "stadtbezirk_nr", "integer", "Nummer des Stadtbezirks", "Leer, wenn der Ort unbekannt ist."
)

PARTICIPANTS = register_pipeline(
    Pipeline(
        key="angebote-teilnehmende",
        title=(
            "Teilnehmende an Kursen und Angeboten der Stadt nach Monat, Kategorie, "
            "Altersgruppe und Stadtbezirk"
        ),
        description=(
            "Wie viele Menschen an den Kursen und Angeboten auf der städtischen Plattform "
            "teilnehmen (Kultur, Sport, Familie, Jugend, Senior*innen, Bildung, Soziales, "
            "Ferienprogramm und Fortbildungen für Mitarbeitende), gezählt aus den gültigen "
            "Buchungen veröffentlichter Angebote im Monat und Stadtbezirk, in dem das Angebot "
            "beginnt. Die Altersgruppe ergibt sich aus dem Geburtsjahr; Namen oder einzelne "
            "Buchungen enthält die Tabelle nicht. "
            f"Veröffentlicht werden die letzten {MONTHS} abgeschlossenen Monate. {PROTECTION}"
        ),
        publisher=PUBLISHER,
        publisher_email=PUBLISHER_EMAIL,
        columns=(
            MONTH,
            CATEGORY,
            CATEGORY_LABEL,
            Column(
                "altersgruppe",
                "string",
                "Altersgruppe",
                "Alter im Jahr des Angebots, aus dem Geburtsjahr; „unbekannt“ ohne Angabe.",
                "Jahre",
            ),
            DISTRICT,
            DISTRICT_NUMBER,
            Column(
                "teilnehmende",
                "integer",
                "Teilnehmende",
                "Personen mit gültiger Buchung (ohne Stornierungen und abgesagte Angebote).",
                "Personen",
            ),
        ),
        rows=participant_rows,
        dimensions=("monat", "kategorie", "altersgruppe", "stadtbezirk"),
        measures=("teilnehmende",),
        themes=("EDUC", "SOCI"),
        keywords=("Kurse", "Freizeit", "Teilhabe", "Altersgruppen", "Stadtbezirke"),
        frequency="MONTHLY",
        disclosure="suppression",
    )
)

OFFERS = register_pipeline(
    Pipeline(
        key="angebote-plaetze",
        title=(
            "Kurse und Angebote der Stadt: Plätze und Teilnehmende nach Monat, Kategorie "
            "und Stadtbezirk"
        ),
        description=(
            "Wie viele Kurse und Angebote auf der städtischen Plattform veröffentlicht wurden, "
            "wie viele Plätze sie hatten und wie viele Menschen einen Platz gebucht haben – "
            "je Kategorie sowie Monat und Stadtbezirk, in dem das Angebot beginnt. Abgesagte "
            "Angebote und stornierte Buchungen zählen nicht. Veröffentlicht werden die letzten "
            f"{MONTHS} abgeschlossenen Monate. {PROTECTION}"
        ),
        publisher=PUBLISHER,
        publisher_email=PUBLISHER_EMAIL,
        columns=(
            MONTH,
            CATEGORY,
            CATEGORY_LABEL,
            DISTRICT,
            DISTRICT_NUMBER,
            Column("angebote", "integer", "Angebote", "Veröffentlichte Angebote.", "Angebote"),
            Column("plaetze", "integer", "Plätze", "Plätze aller dieser Angebote.", "Plätze"),
            Column(
                "teilnehmende",
                "integer",
                "Gebuchte Plätze",
                "Personen mit gültiger Buchung.",
                "Personen",
            ),
        ),
        rows=offer_rows,
        dimensions=("monat", "kategorie", "stadtbezirk"),
        measures=("teilnehmende",),
        themes=("EDUC", "SOCI"),
        keywords=("Kurse", "Freizeit", "Auslastung", "Plätze", "Stadtbezirke"),
        frequency="MONTHLY",
        disclosure="suppression",
    )
)
