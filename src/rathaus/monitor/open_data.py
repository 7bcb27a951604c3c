"""The monitor's open data sets: every figure per month ("digitalmonitor"), the green-IT
account per month ("green-it-konto") and the Wi-Fi register ("freifunk-zugangspunkte").

Registered from ``MonitorConfig.ready``. The first two hold citywide monthly totals without
any attribute of a person (no district, age or service), the third public places, so no
count needs protecting (``disclosure="none"``). Only months that have ended are published.
"""

from datetime import date

from django.conf import settings

from rathaus.opendata import Column, Pipeline, register_pipeline

from .models import WifiPlace
from .services import figures, green, month_starts, wifi

__all__ = ["FIGURES", "GREEN_IT", "MONTHS", "WIFI", "figure_rows", "green_it_rows", "wifi_rows"]

MONTHS = 24
PUBLISHER = "Amt für Digitalisierung und Informationstechnik"
# .example is reserved for examples (RFC 2606): the city enters its real address.
PUBLISHER_EMAIL = "opendata-digitalisierung@duesseldorf.example"
MONTH = Column("monat", "yearmonth", "Monat")


def _ended_months() -> list[date]:
    return month_starts(MONTHS + 1)[:-1]


def figure_rows() -> list[dict]:
    ended = set(_ended_months())
    rows = []
    for figure in figures(MONTHS + 1):
        target = figure.target
        for point in figure.points:
            if point.month not in ended:
                continue
            value = point.value
            rows.append(
                {
                    "monat": f"{point.month:%Y-%m}",
                    "kennzahl": figure.key,
                    "bezeichnung": str(figure.title),
                    "wert": None if value is None else round(value, 1),
                    "einheit": "Prozent" if figure.is_share else "Anzahl",
                    "anzahl": point.part,
                    "gesamt": point.whole,
                    "ziel": None if target is None else float(target.value),
                    "ziel_jahr": None if target is None else target.year,
                }
            )
    return sorted(rows, key=lambda row: (row["kennzahl"], row["monat"]))


def green_it_rows() -> list[dict]:
    months = _ended_months()
    paper = {row.month: row for row in green.paper(months[0])}
    energy = {row.month: row for row in green.energy(months[0])}
    share = settings.RATHAUS["GREEN_IT"]["RENEWABLE_SHARE"]
    rows = []
    for month in months:
        saved = paper.get(month, green.PaperMonth(month))
        used = energy.get(month, green.EnergyMonth(month))
        rows.append(
            {
                "monat": f"{month:%Y-%m}",
                "vorgaenge_digital": saved.digital,
                "vorgaenge_ohne_annahme": saved.unassumed,
                "blatt_papier": saved.sheets,
                "papier_kg": round(saved.kilograms, 2),
                "briefe": saved.letters,
                "porto_eur": float(saved.postage),
                "anfragen": used.requests,
                "cpu_sekunden": round(used.cpu_seconds, 1),
                "db_sekunden": round(used.db_seconds, 1),
                "energie_kwh": round(used.kwh, 4),
                "anteil_erneuerbar": share,
                "co2_kg": round(used.co2_kg, 4),
            }
        )
    return rows


def wifi_rows() -> list[dict]:
    return wifi.rows(WifiPlace.objects.all())


FIGURES = register_pipeline(
    Pipeline(
        key="digitalmonitor",
        title="Digitalmonitor „Digitales Düsseldorf 2030“: Kennzahlen nach Monat",
        description=(
            "Die messbaren Ziele der Strategie „Digitales Düsseldorf 2030“ aus den laufenden "
            "Daten der Plattform: Anteil der Leistungen, die sich ganz online erledigen lassen, "
            "Anträge, Termine, Buchungen und Kita-Anmeldungen online gegenüber Papier, Telefon "
            "und Schalter, digital zugestellte Bescheide und das gesparte Papier, je Monat mit "
            "dem Ziel, das der Ausschuss für Digitalisierung gesetzt hat. Stadtweite Summen "
            f"ohne Merkmale von Personen. Veröffentlicht werden die letzten {MONTHS} "
            "abgeschlossenen Monate."
        ),
        publisher=PUBLISHER,
        publisher_email=PUBLISHER_EMAIL,
        columns=(
            MONTH,
            Column("kennzahl", "string", "Kennzahl (Schlüssel)"),
            Column("bezeichnung", "string", "Kennzahl"),
            Column("wert", "number", "Wert", "Anteil in Prozent oder Anzahl, siehe Einheit."),
            Column("einheit", "string", "Einheit", "„Prozent“ oder „Anzahl“."),
            Column("anzahl", "integer", "Anzahl digital", "Bei Anteilen: der digitale Teil."),
            Column("gesamt", "integer", "Anzahl gesamt", "Bei Anteilen: alle; sonst leer."),
            Column("ziel", "number", "Ziel", "Vom Ausschuss gesetzt; leer ohne Ziel."),
            Column("ziel_jahr", "year", "Ziel bis"),
        ),
        rows=figure_rows,
        dimensions=("monat", "kennzahl"),
        themes=("GOVE", "TECH"),
        keywords=("Digitalisierung", "Onlinezugang", "Papierlos", "Strategie 2030"),
        frequency="MONTHLY",
        disclosure="none",
    )
)

GREEN_IT = register_pipeline(
    Pipeline(
        key="green-it-konto",
        title="Green-IT-Konto: gespartes Papier und Energiebedarf der Plattform nach Monat",
        description=(
            "Wie viel Papier, Briefe und Porto digital erledigte Vorgänge gegenüber dem Weg "
            "auf Papier gespart haben – gezählt aus den tatsächlich digital gestellten Anträgen, "
            "Buchungen, Kita-Anmeldungen und Bescheiden, mal den veröffentlichten Annahmen je "
            "Leistung –, und wie viel Rechenzeit und Datenbankzeit die Plattform dafür gemessen "
            "hat, umgerechnet in Energie mit der eingestellten Leistungsaufnahme, dem PUE des "
            "Rechenzentrums, dem Anteil erneuerbaren Stroms und dem CO₂-Faktor. Stadtweite "
            f"Summen ohne Merkmale von Personen; die letzten {MONTHS} abgeschlossenen Monate."
        ),
        publisher=PUBLISHER,
        publisher_email=PUBLISHER_EMAIL,
        columns=(
            MONTH,
            Column("vorgaenge_digital", "integer", "Digitale Vorgänge", unit="Vorgänge"),
            Column(
                "vorgaenge_ohne_annahme",
                "integer",
                "Davon ohne Annahme",
                "Vorgänge, für deren Leistung keine Papier-Annahme hinterlegt ist: zählen nicht.",
                "Vorgänge",
            ),
            Column("blatt_papier", "integer", "Gespartes Papier", "Blatt DIN A4.", "Blatt"),
            Column("papier_kg", "number", "Gespartes Papier (Gewicht)", unit="kg"),
            Column("briefe", "integer", "Gesparte Briefe", unit="Briefe"),
            Column("porto_eur", "number", "Gespartes Porto", unit="EUR"),
            Column("anfragen", "integer", "Anfragen an die Plattform", unit="Anfragen"),
            Column("cpu_sekunden", "number", "Rechenzeit", unit="Sekunden"),
            Column("db_sekunden", "number", "Datenbankzeit", unit="Sekunden"),
            Column("energie_kwh", "number", "Energie", unit="kWh"),
            Column("anteil_erneuerbar", "number", "Anteil erneuerbarer Strom", "0 bis 1."),
            Column("co2_kg", "number", "CO₂", unit="kg"),
        ),
        rows=green_it_rows,
        dimensions=("monat",),
        themes=("GOVE", "ENVI", "TECH"),
        keywords=("Green IT", "Papierlos", "Energie", "Nachhaltigkeit"),
        frequency="MONTHLY",
        disclosure="none",
    )
)

WIFI = register_pipeline(
    Pipeline(
        key=wifi.OPEN_DATA,
        title="Freies WLAN (Freifunk) an öffentlichen Orten",
        description=(
            "Alle öffentlichen Orte im Ausbauplan für freies WLAN nach dem Freifunk-Standard – "
            "Verwaltungsgebäude, Schulen, Sportstätten, Plätze und Haltestellen – mit Lage, "
            "Ausbaustand (geplant, im Aufbau, in Betrieb), Zahl der Zugangspunkte und den Tagen "
            "der Aufnahme in den Plan und der Inbetriebnahme. Das Amt für Digitalisierung pflegt "
            "das Verzeichnis; die Karte steht unter /digitalmonitor/wlan/. Keine Angaben über "
            "Personen."
        ),
        publisher=PUBLISHER,
        publisher_email=PUBLISHER_EMAIL,
        columns=(
            Column("standort_id", "string", "Kennung"),
            Column("ort", "string", "Ort"),
            Column("art", "string", "Art des Ortes"),
            Column("anschrift", "string", "Anschrift"),
            Column("stadtteil", "string", "Stadtteil"),
            Column("stadtbezirk", "string", "Stadtbezirk"),
            Column("breitengrad", "number", "Breitengrad", "WGS 84.", "Grad"),
            Column("laengengrad", "number", "Längengrad", "WGS 84.", "Grad"),
            Column("status", "string", "Ausbaustand", "Geplant, Im Aufbau oder In Betrieb."),
            Column("zugangspunkte", "integer", "Zugangspunkte", unit="Router"),
            Column("aufgenommen_am", "date", "Aufgenommen am", "Tag der Aufnahme in den Plan."),
            Column("in_betrieb_seit", "date", "In Betrieb seit", "Leer, solange nicht in Betrieb."),
        ),
        rows=wifi_rows,
        public_columns={"anschrift": "Anschriften öffentlicher Orte, keine Wohnanschriften"},
        dimensions=("standort_id",),
        themes=("TECH", "REGI"),
        keywords=("Freifunk", "WLAN", "Internet", "Digitalisierung", "Geodaten"),
        frequency="IRREG",
        disclosure="none",
        coordinates=("breitengrad", "laengengrad"),
    )
)
