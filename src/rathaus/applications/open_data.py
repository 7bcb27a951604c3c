"""Open data of the applications: the green-roof subsidy and how long decisions take.

Two data sets, registered from ``ApplicationsConfig.ready``; the opendata module builds them
every day and protects the counts (``measures``). Only periods that have ended are published:
a running period changes with every Bescheid, and two daily releases side by side would show
a single case – for the subsidy even its amount – by their difference.

The green-roof table counts per Stadtbezirk. The form asks for the building's address, not its
district, so the district comes from the postcode (``POSTCODE_DISTRICT``): the Stadtbezirk in
which most of the postcode area lies. Postcode areas cross district borders, so a building near
a border may be counted in the neighbouring district – the usual approximation, said so in the
column's description. Districts rather than postcodes also make the cells larger, so fewer
counts have to be withheld.

Not modelled, so not published: the amount paid out (the procedure ends with the Bescheid;
the payment after the Verwendungsnachweis is booked elsewhere).
"""

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import ExtractYear
from django.utils import timezone

from rathaus.catalog.models import Service
from rathaus.offices.models import District
from rathaus.opendata import Column, Pipeline, completed_months, register_pipeline

from .models import Application, Decision

__all__ = [
    "GREEN_ROOF",
    "MONTHS",
    "POSTCODE_DISTRICT",
    "district_of",
    "green_roof_rows",
    "processing_time_rows",
]

# The catalogue's Leistung of the Düsseldorf programme DAFIB and its form's building address.
GREEN_ROOF = "foerderung-dachbegruenung"
BUILDING_ADDRESS = "gebaeude_anschrift"
GRANTED = (Decision.Kind.APPROVAL, Decision.Kind.PARTIAL)
UNKNOWN = "unbekannt"
# Düsseldorf's postcodes and the Stadtbezirk in which most of each postcode area lies. The
# areas cross district borders: a building near one may belong to the neighbouring district.
POSTCODE_DISTRICT: dict[str, int] = {
    "40210": 1, "40211": 1, "40212": 1, "40213": 1, "40215": 3, "40217": 3, "40219": 3,
    "40221": 3, "40223": 3, "40225": 3, "40227": 3, "40229": 8, "40231": 8, "40233": 2,
    "40235": 2, "40237": 2, "40239": 6, "40468": 6, "40470": 6, "40472": 6, "40474": 5,
    "40476": 1, "40477": 1, "40479": 1, "40489": 5, "40545": 4, "40547": 4, "40549": 4,
    "40589": 9, "40591": 9, "40593": 9, "40595": 10, "40597": 9, "40599": 9, "40625": 7,
    "40627": 8, "40629": 7,
}  # fmt: skip
MONTHS = 24
PROTECTION = "Kleine Fallzahlen werden geschützt (siehe Hinweise zur Version)"
# .example is reserved for examples (RFC 2606): the city enters its real addresses.
UMWELTAMT_EMAIL = "opendata-umweltamt@duesseldorf.example"
STATISTIK_EMAIL = "opendata-statistik@duesseldorf.example"


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())


def district_of(postcode: object) -> int | None:
    """The Stadtbezirk (number) of a building by its postcode; ``None`` when the postcode is
    missing, malformed or not Düsseldorf's."""
    return POSTCODE_DISTRICT.get(str(postcode or "").replace(" ", ""))


def green_roof_rows(now: datetime | None = None) -> list[dict]:
    """Per year of the Bescheid (completed years) and Stadtbezirk of the building (from its
    postcode): applications granted (fully or in part) and refused, and the amount granted
    (raw counts)."""
    this_year = timezone.localdate(now).replace(month=1, day=1)
    granted = Q(decision__kind__in=GRANTED)
    grouped = (
        Application.objects.filter(
            service__slug=GREEN_ROOF,
            decision__isnull=False,
            decision__decided_at__lt=_midnight(this_year),
        )
        .annotate(
            year=ExtractYear("decision__decided_at"),
            postcode=KT(f"cleaned__{BUILDING_ADDRESS}__postcode"),
        )
        .values("year", "postcode")
        .annotate(
            granted=Count("pk", filter=granted),
            refused=Count("pk", filter=Q(decision__kind=Decision.Kind.REJECTION)),
            amount=Sum("decision__amount", filter=granted),
        )
        .order_by()
    )
    # Postcodes are summed into districts here: one query, whatever the number of postcodes.
    cells: dict[tuple[int, int | None], Counter] = defaultdict(Counter)
    for row in grouped:
        cells[row["year"], district_of(row["postcode"])].update(
            granted=row["granted"], refused=row["refused"], amount=row["amount"] or Decimal(0)
        )
    names = {None: UNKNOWN, **dict(District.objects.values_list("number", "name"))}
    unknown_last = 1 + max(POSTCODE_DISTRICT.values())
    return [
        {
            "jahr": year,
            "stadtbezirk": names.get(number, f"Stadtbezirk {number}"),
            "stadtbezirk_nr": number,
            "bewilligte_antraege": cells[year, number]["granted"],
            "abgelehnte_antraege": cells[year, number]["refused"],
            "bewilligter_betrag": Decimal(cells[year, number]["amount"]).quantize(Decimal("0.01")),
        }
        for year, number in sorted(cells, key=lambda k: (k[0], k[1] or unknown_last))
    ]


def nearest_rank(values: list[int], percent: int) -> int:
    """The ``percent`` percentile by the nearest-rank method: a value that really occurred,
    defined for a single value too (in integers, so 90 % of 10 is rank 9, not 9.000…1)."""
    ordered = sorted(values)
    rank = -(-len(ordered) * percent // 100)  # ceil(n · p / 100)
    return ordered[max(rank, 1) - 1]


def processing_time_rows(now: datetime | None = None) -> list[dict]:
    """Per month of the Bescheid (the last ``MONTHS`` completed months) and Leistung: cases
    decided, how many within the service's deadline, and the days from receipt (the day the
    application came in, online or on paper) to the Bescheid."""
    start, end = completed_months(now, MONTHS)
    decided = Application.objects.filter(
        decided_at__gte=_midnight(start), decided_at__lt=_midnight(end + timedelta(days=1))
    ).values_list("service_id", "received_on", "submitted_at", "decided_at")
    durations: dict[tuple[str, int], list[int]] = defaultdict(list)
    for service_id, received_on, submitted_at, decided_at in decided.iterator(chunk_size=2000):
        day = timezone.localdate(decided_at)
        received = received_on or timezone.localdate(submitted_at or decided_at)
        durations[f"{day:%Y-%m}", service_id].append(max(0, (day - received).days))
    services = {
        s.pk: s
        for s in Service.objects.filter(pk__in={pk for _month, pk in durations}).only(
            "slug", "title", "leika", "target_days"
        )
    }
    rows = []
    for month, service_id in sorted(durations, key=lambda k: (k[0], services[k[1]].slug)):
        days, service = durations[month, service_id], services[service_id]
        rows.append(
            {
                "monat": month,
                "leistung": service.slug,
                "leistung_bezeichnung": service.title,
                "leika_schluessel": service.leika,
                "frist_tage": service.target_days,
                "entschiedene_antraege": len(days),
                "innerhalb_frist": sum(1 for d in days if d <= service.target_days),
                "median_tage": float(statistics.median(days)),
                "mittelwert_tage": round(statistics.fmean(days), 1),
                "p90_tage": nearest_rank(days, 90),
            }
        )
    return rows


GREEN_ROOF_PIPELINE = register_pipeline(
    Pipeline(
        key="dachbegruenung-foerderung",
        title="Förderung von Dachbegrünungen: Bewilligungen und Fördersummen nach Jahr und "
        "Stadtbezirk",
        description=(
            "Wie viele Anträge auf einen Zuschuss für die Begrünung eines Dachs (Förderprogramm "
            "DAFIB) das Umweltamt bewilligt oder abgelehnt hat und wie viel Geld es bewilligt "
            "hat, je Jahr des Bescheids und Stadtbezirk des Gebäudes, gezählt aus den "
            "Bescheiden des Antragsverfahrens. Den Stadtbezirk bestimmt die Postleitzahl des "
            "Gebäudes: gezählt wird im Stadtbezirk, in dem der größte Teil des "
            "Postleitzahlgebiets liegt; da Postleitzahlgebiete Bezirksgrenzen überschreiten, "
            "kann ein Gebäude nahe einer Grenze im Nachbarbezirk gezählt sein. Ausgezahlte "
            "Beträge erfasst das Verfahren nicht: gezeigt wird der bewilligte Betrag, "
            "veröffentlicht werden abgeschlossene Jahre. "
            f"{PROTECTION}; ist die Zahl der Bewilligungen geschützt, fehlt auch der Betrag."
        ),
        publisher="Umweltamt",
        publisher_email=UMWELTAMT_EMAIL,
        columns=(
            Column("jahr", "year", "Jahr", "Jahr des Bescheids."),
            Column(
                "stadtbezirk",
                "string",
                "Stadtbezirk",
                "Stadtbezirk des Gebäudes, dessen Dach begrünt wird, ermittelt aus seiner "
                "Postleitzahl: der Bezirk, in dem der größte Teil des Postleitzahlgebiets liegt "
                "(Postleitzahlgebiete überschreiten Bezirksgrenzen, die Zuordnung ist daher "
                "eine Näherung); „unbekannt“, wenn die Postleitzahl fehlt oder nicht in "
                "Düsseldorf liegt.",
            ),
            Column(
                "stadtbezirk_nr",
                "integer",
                "Nummer des Stadtbezirks",
                "Leer, wenn der Stadtbezirk unbekannt ist.",
            ),
            Column(
                "bewilligte_antraege",
                "integer",
                "Bewilligte Anträge",
                "Bescheide mit Bewilligung oder Teilbewilligung.",
                "Anträge",
            ),
            Column(
                "abgelehnte_antraege",
                "integer",
                "Abgelehnte Anträge",
                "Bescheide mit Ablehnung.",
                "Anträge",
            ),
            Column(
                "bewilligter_betrag",
                "number",
                "Bewilligter Betrag",
                "Summe der bewilligten Zuschüsse dieser Bescheide (nicht die ausgezahlten "
                "Beträge); leer, wenn die Zahl der Bewilligungen geschützt ist.",
                "EUR",
            ),
        ),
        rows=green_roof_rows,
        dimensions=("jahr", "stadtbezirk"),
        measures=("bewilligte_antraege", "abgelehnte_antraege"),
        themes=("ENVI", "ECON"),
        keywords=(
            "Dachbegrünung",
            "Förderprogramm",
            "DAFIB",
            "Klimaanpassung",
            "Zuschuss",
            "Stadtbezirke",
        ),
        frequency="ANNUAL",
        disclosure="suppression",
        extra={"dependent": {"bewilligte_antraege": ["bewilligter_betrag"]}},
    )
)

PROCESSING_TIMES = register_pipeline(
    Pipeline(
        key="antraege-bearbeitungsdauer",
        title="Bearbeitungsdauer von Anträgen nach Leistung und Monat",
        description=(
            "Wie lange die Stadt für die Entscheidung über einen Antrag braucht: je Leistung "
            "und Monat des Bescheids die Zahl der entschiedenen Anträge, wie viele davon "
            "innerhalb der Frist der Leistung entschieden wurden, und die Tage vom Eingang "
            "(online oder auf Papier) bis zum Bescheid als Median, Mittelwert und "
            f"90-%-Wert. Veröffentlicht werden die letzten {MONTHS} abgeschlossenen Monate. "
            f"{PROTECTION}; ist die Zahl der Anträge geschützt, fehlen auch die Tage."
        ),
        publisher="Amt für Statistik und Wahlen",
        publisher_email=STATISTIK_EMAIL,
        columns=(
            Column("monat", "yearmonth", "Monat", "Monat des Bescheids."),
            Column("leistung", "string", "Leistung (Kennung)", "Kurzname der Leistung."),
            Column("leistung_bezeichnung", "string", "Leistung"),
            Column(
                "leika_schluessel",
                "string",
                "LeiKa-Schlüssel",
                "Schlüssel der Leistung im Leistungskatalog (LeiKa/FIM).",
            ),
            Column(
                "frist_tage",
                "integer",
                "Frist",
                "Bis wann ein Antrag entschieden sein soll (heutige Frist der Leistung).",
                "Tage",
            ),
            Column(
                "entschiedene_antraege",
                "integer",
                "Entschiedene Anträge",
                "Anträge mit Bescheid in diesem Monat.",
                "Anträge",
            ),
            Column(
                "innerhalb_frist",
                "integer",
                "Innerhalb der Frist entschieden",
                "Davon Anträge, die spätestens am letzten Tag der Frist entschieden wurden.",
                "Anträge",
            ),
            Column(
                "median_tage",
                "number",
                "Bearbeitungsdauer (Median)",
                "Kalendertage vom Eingang bis zum Bescheid: die Hälfte der Anträge war "
                "schneller entschieden.",
                "Tage",
            ),
            Column(
                "mittelwert_tage",
                "number",
                "Bearbeitungsdauer (Mittelwert)",
                "Kalendertage vom Eingang bis zum Bescheid im Durchschnitt.",
                "Tage",
            ),
            Column(
                "p90_tage",
                "integer",
                "Bearbeitungsdauer (90-%-Wert)",
                "9 von 10 Anträgen waren nach so vielen Kalendertagen entschieden "
                "(Rangwert-Methode).",
                "Tage",
            ),
        ),
        rows=processing_time_rows,
        dimensions=("monat", "leistung"),
        measures=("entschiedene_antraege", "innerhalb_frist"),
        themes=("GOVE",),
        keywords=("Bearbeitungsdauer", "Anträge", "Verwaltungsleistungen", "Bescheide"),
        frequency="MONTHLY",
        disclosure="suppression",
        extra={
            "dependent": {
                "entschiedene_antraege": [
                    "innerhalb_frist",
                    "median_tage",
                    "mittelwert_tage",
                    "p90_tage",
                ]
            }
        },
    )
)
