"""External demo data sets: what the city of Düsseldorf uploads to its open-data portal.

Forty data sets of the kind a German city publishes – statistics of the Amt für Statistik und
Wahlen, counts of the Bundesagentur für Arbeit, lists of places with GeoJSON points, budgets,
measurements – each with the history of its uploads (``ExternalRelease``) over the two years
before ``today``. Every value is invented and generated deterministically: the random numbers
of a data set are seeded with its slug (and the period they describe), so two runs – and two
releases describing the same month – give the same figures.

A few things the demo is meant to show:

* six data sets count people in small cells (``disclosure="suppression"``: births and deaths,
  Wohngeld, Grundsicherung per Stadtteil, Einbürgerungen, Inobhutnahmen, Arbeitslose) and one
  is perturbed with the Cell Key Method (inhabitants by Stadtteil, age group and sex);
* the latest release of ``vereinsregister-sportvereine-demo`` adds a column of e-mail
  addresses, so the personal-data scanner holds it for a data steward;
* addresses are street names without house numbers, so no other release is held.

``scale`` multiplies the rows of the lists of places (playgrounds, charging stations …), not
the number of data sets.
"""

import calendar
import json
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any, TypeVar

from rathaus.opendata.pipelines import Column

__all__ = ["DEMO_NOTE", "External", "ExternalRelease", "external_datasets"]

DEMO_NOTE = "Demodaten: erfunden für die Vorführung, keine amtlichen Zahlen."
WINDOW_DAYS = 720  # releases lie in the two years before ``today`` (with a little margin)
# Where the points go: Düsseldorf's bounding box, a little inside.
LAT_RANGE = (51.133, 51.347)
LON_RANGE = (6.683, 6.937)

P = TypeVar("P")
LONG_AGO = date(2000, 1, 1)  # "has always been there" for places of a list
AUTO = "auto"


@dataclass(frozen=True)
class ExternalRelease:
    """One upload of an external data set."""

    issued: date  # when the release was published
    rows: list[dict]  # keys = column names; values int/float/str/date
    geometries: list[dict | None] | None = None  # GeoJSON geometry per row (spatial sets)
    source_name: str = ""  # e.g. "arbeitsmarkt-2025-06.csv"
    # The release's own columns where they differ from the data set's (``External.columns``
    # then describes the newest release): a column added later is absent from earlier rows.
    columns: tuple[Column, ...] | None = None


@dataclass(frozen=True)
class External:
    """An external data set: its metadata and the history of its uploads."""

    slug: str
    title: str
    description: str
    publisher: str
    publisher_email: str
    themes: tuple[str, ...]
    keywords: tuple[str, ...]
    frequency: str  # a key of models.FREQUENCIES
    licence: str  # a key of models.LICENCES
    columns: tuple[Column, ...]
    dimensions: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()  # counts of people that disclosure control protects
    disclosure: str = "none"  # "none" | "suppression" | "cell_key"
    temporal_start: date | None = None
    temporal_end: date | None = None
    releases: tuple[ExternalRelease, ...] = ()


# --- Publishers ------------------------------------------------------------------------------

STATISTIK = ("Amt für Statistik und Wahlen", "statistik@duesseldorf.example")
ARBEITSAGENTUR = (
    "Bundesagentur für Arbeit, Agentur für Arbeit Düsseldorf",
    "duesseldorf.statistik@arbeitsagentur.example",
)
GARTENAMT = ("Garten-, Friedhofs- und Forstamt", "gartenamt@duesseldorf.example")
UMWELTAMT = ("Umweltamt", "umweltamt@duesseldorf.example")
VERKEHRSAMT = ("Amt für Verkehrsmanagement", "verkehrsmanagement@duesseldorf.example")
POLIZEI = ("Polizeipräsidium Düsseldorf", "verkehrsunfallstatistik@polizei-duesseldorf.example")
STRASSENVERKEHRSAMT = ("Straßenverkehrsamt", "strassenverkehrsamt@duesseldorf.example")
BUECHEREIEN = ("Stadtbüchereien Düsseldorf", "stadtbuechereien@duesseldorf.example")
KULTURAMT = ("Kulturamt", "kulturamt@duesseldorf.example")
VHS = ("Volkshochschule Düsseldorf", "vhs@duesseldorf.example")
SCHULAMT = ("Amt für Schule und Bildung", "schulverwaltung@duesseldorf.example")
SPORTAMT = ("Sportamt", "sportamt@duesseldorf.example")
ABFALL = ("Amt für Abfallwirtschaft und Stadtreinigung", "abfall@duesseldorf.example")
KAEMMEREI = ("Stadtkämmerei", "kaemmerei@duesseldorf.example")
BAUAUFSICHT = ("Bauaufsichtsamt", "bauaufsicht@duesseldorf.example")
WIRTSCHAFT = ("Amt für Wirtschaftsförderung", "wirtschaftsfoerderung@duesseldorf.example")
TOURISMUS = ("Düsseldorf Tourismus", "statistik@duesseldorf-tourismus.example")
WOHNUNGSAMT = ("Amt für Wohnungswesen", "wohnungsamt@duesseldorf.example")
MIGRATION = ("Amt für Migration und Integration", "einbuergerung@duesseldorf.example")
WSA = ("Wasserstraßen- und Schifffahrtsamt Rhein", "pegeldaten@wsa-rhein.example")
DIGITAL = ("Amt für Digitalisierung und IT", "digitalisierung@duesseldorf.example")
JUGENDAMT = ("Jugendamt", "jugendamt@duesseldorf.example")
SOZIALAMT = ("Amt für Soziale Sicherung und Integration", "sozialamt@duesseldorf.example")
GEBAEUDE = ("Amt für Gebäudemanagement", "gebaeudemanagement@duesseldorf.example")
ORDNUNGSAMT = ("Ordnungsamt", "ordnungsamt@duesseldorf.example")
STEUERAMT = ("Steueramt", "steueramt@duesseldorf.example")

DL_BY = "dl-by-de/2.0"
DL_ZERO = "dl-zero-de/2.0"
CC_BY = "cc-by/4.0"

# --- The city ---------------------------------------------------------------------------------

# Inhabitants per Stadtteil, rounded; invented near the real order of magnitude (≈ 637,000).
EINWOHNER: dict[str, int] = {
    "011": 2_400, "012": 2_300, "013": 15_500, "014": 30_000, "015": 23_000, "016": 12_500,
    "021": 9_000, "022": 22_500, "023": 27_000,
    "031": 20_000, "032": 18_000, "033": 900, "034": 5_000, "035": 3_200, "036": 35_000,
    "037": 29_000, "038": 6_500,
    "041": 18_000, "042": 13_000, "043": 10_000, "044": 6_000,
    "051": 6_000, "052": 8_000, "053": 8_000, "054": 7_000, "055": 6_000, "056": 2_000,
    "061": 6_000, "062": 21_000, "063": 20_000, "064": 18_000,
    "071": 30_000, "072": 6_000, "073": 8_000, "074": 1_600, "075": 2_700,
    "081": 9_000, "082": 30_000, "083": 10_000, "084": 8_000,
    "091": 27_000, "092": 2_000, "093": 15_000, "094": 5_000, "095": 22_000, "096": 10_000,
    "097": 2_500, "098": 12_000,
    "101": 19_000, "102": 6_000,
}  # fmt: skip
# Social need per Stadtbezirk (1 = city average): unemployment, Wohngeld, Grundsicherung …
SOCIAL = {1: 0.95, 2: 1.1, 3: 1.2, 4: 0.6, 5: 0.5, 6: 1.1, 7: 0.85, 8: 1.2, 9: 0.95, 10: 1.6}
# How young a Stadtbezirk is (−1 old … +1 young); each Stadtteil varies around it.
YOUTH = {1: 0.6, 2: 0.5, 3: 0.4, 4: 0.0, 5: -0.5, 6: 0.1, 7: -0.3, 8: 0.0, 9: -0.2, 10: -0.4}
AREA_KM2 = {1: 13.8, 2: 7.1, 3: 25.0, 4: 16.1, 5: 51.0, 6: 17.7, 7: 28.6, 8: 23.5, 9: 24.6, 10: 9.5}
CENTRE = (51.225, 6.782)
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})

# Street names without house numbers and without people's names.
STREETS = (
    "Hauptstraße", "Kirchstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße",
    "Lindenstraße", "Ahornweg", "Birkenweg", "Eichenweg", "Buchenweg", "Kastanienallee",
    "Mühlenweg", "Wiesenweg", "Feldstraße", "Parkstraße", "Am Sportplatz", "Am Mühlenbach",
    "Bergstraße", "Talstraße", "Rheinallee", "Uferstraße", "Kirchplatz", "Marktplatz",
    "Am Wasserturm", "Brunnenstraße", "Schloßstraße", "Burgstraße", "Hofstraße", "Waldweg",
    "Heideweg", "Auf dem Kamp", "Im Grund", "Lerchenweg", "Amselweg", "Finkenweg",
    "Drosselweg", "Kiefernweg", "Ulmenstraße", "Eschenweg", "Weidenweg", "Kölner Straße",
    "Berliner Allee", "Aachener Straße", "Am Wehrhahn", "Mittelstraße", "Poststraße",
    "Kurze Straße", "Breite Straße", "Neue Straße", "Friedhofstraße",
)  # fmt: skip


@dataclass(frozen=True)
class _Quarter:
    number: str  # "036"
    name: str  # "Bilk"
    district: str  # "Stadtbezirk 3"
    district_number: int
    latitude: float
    longitude: float
    population: int
    youth: float  # −1 old … +1 young


@cache
def _city() -> tuple[_Quarter, ...]:
    """The Stadtteile from the offices' demo data (``offices/demo/districts.json``)."""
    path = resources.files("rathaus") / "offices" / "demo" / "districts.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    quarters = []
    for district in data:
        number = int(district["number"])
        for quarter in district["quarters"]:
            jitter = _rng("stadtteil", quarter["number"]).uniform(-0.25, 0.25)
            quarters.append(
                _Quarter(
                    number=quarter["number"],
                    name=quarter["name"],
                    district=district["name"],
                    district_number=number,
                    latitude=float(quarter.get("latitude") or CENTRE[0]),
                    longitude=float(quarter.get("longitude") or CENTRE[1]),
                    population=EINWOHNER.get(quarter["number"], 10_000),
                    youth=max(-1.0, min(1.0, YOUTH.get(number, 0.0) + jitter)),
                )
            )
    return tuple(quarters)


@cache
def _districts() -> tuple[tuple[int, str, int], ...]:
    """(number, name, inhabitants) of the Stadtbezirke."""
    found: dict[int, tuple[str, int]] = {}
    for q in _city():
        name, people = found.get(q.district_number, (q.district, 0))
        found[q.district_number] = (name, people + q.population)
    return tuple((number, *found[number]) for number in sorted(found))


def _quarter(number: str) -> _Quarter:
    for q in _city():
        if q.number == number:
            return q
    return _city()[0]


# --- Helpers ----------------------------------------------------------------------------------


def _rng(*parts: object) -> random.Random:
    """A random generator seeded with the data set's slug and the period it describes."""
    return random.Random(":".join(str(part) for part in parts))  # noqa: S311 -- demo data


def _describe(text: str) -> str:
    return f"{text} {DEMO_NOTE}"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _months(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = _add_months(month, 1)
    return months


def _ym(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def _month_end(month: date) -> date:
    return _add_months(month, 1) - timedelta(days=1)


def _window_start(today: date) -> date:
    return today - timedelta(days=WINDOW_DAYS)


def _in_window(today: date, day: date) -> bool:
    return _window_start(today) < day <= today


def _cuts(today: date, *, every: int = 3, lag: int = 20, limit: int = 8) -> list[tuple[date, date]]:
    """(issued, last month covered) of a monthly series published every ``every`` months
    (3: after the end of each quarter), ``lag`` days after the month; the newest ``limit``
    inside the window, oldest first."""
    found: list[tuple[date, date]] = []
    month = _add_months(today.replace(day=1), -1)
    while len(found) < limit:
        issued = _add_months(month, 1) + timedelta(days=lag)
        if issued <= _window_start(today):
            break
        if month.month % every == 0 and issued <= today:
            found.append((issued, month))
        month = _add_months(month, -1)
    return found[::-1]


def _yearly(today: date, month: int, day: int, limit: int = 2) -> list[date]:
    """A release on the same day every year, inside the window (one or two)."""
    dates = [date(year, month, day) for year in range(today.year - 2, today.year + 1)]
    return [d for d in dates if _in_window(today, d)][-limit:]


def _spread(today: date, count: int, offset: int = 0) -> list[date]:
    """``count`` irregular releases spread over the window."""
    step = WINDOW_DAYS // (count + 1)
    return [_window_start(today) + timedelta(days=step * (k + 1) + offset) for k in range(count)]


def _clamp_issue(today: date, day: date) -> date:
    return max(_window_start(today) + timedelta(days=1), min(day, today))


def _season(month: int, peak: int, amplitude: float) -> float:
    return 1 + amplitude * math.cos(2 * math.pi * (month - peak) / 12)


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _vary(rng: random.Random, value: float, relative: float) -> float:
    return value * max(0.0, 1 + rng.gauss(0, relative))


def _split(rng: random.Random, total: int, weights: Sequence[float], noise: float) -> list[int]:
    """``total`` split over ``weights`` (with noise), summing exactly to ``total``."""
    noisy = [max(w * (1 + rng.gauss(0, noise)), 0.0) for w in weights]
    whole = sum(noisy) or 1.0
    raw = [total * w / whole for w in noisy]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _percentages(values: Sequence[float]) -> list[float]:
    """Shares in % with one decimal that add up to exactly 100.0."""
    whole = sum(values) or 1.0
    raw = [1000 * v / whole for v in values]
    tenths = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - tenths[i], reverse=True)
    for i in order[: 1000 - sum(tenths)]:
        tenths[i] += 1
    return [t / 10 for t in tenths]


def _point(rng: random.Random, latitude: float, longitude: float, spread: float = 0.006) -> dict:
    """A GeoJSON point near a place, jittered, inside Düsseldorf's box."""
    lat = min(max(latitude + rng.uniform(-spread, spread), LAT_RANGE[0]), LAT_RANGE[1])
    lon = min(max(longitude + rng.uniform(-1.6 * spread, 1.6 * spread), LON_RANGE[0]), LON_RANGE[1])
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


def _pick_quarter(rng: random.Random, weight: Callable[[_Quarter], float]) -> _Quarter:
    quarters = _city()
    return rng.choices(quarters, weights=[weight(q) for q in quarters])[0]


def _yes(rng: random.Random, probability: float) -> str:
    return "ja" if rng.random() < probability else "nein"


def _periodic(
    cuts: Sequence[tuple[date, P]],
    periods: Sequence[P],
    rows_for: Callable[[P], list[dict]],
    prefix: str,
    label: Callable[[date, P], str] | None = None,
    geometry: Callable[[dict], dict] | None = None,
) -> tuple[ExternalRelease, ...]:
    """Releases of a time series: each holds every period up to its cut."""
    rows_by_period = {period: rows_for(period) for period in periods}
    releases = []
    for issued, last in cuts:
        rows = [
            dict(row)
            for period in periods
            if period <= last  # type: ignore[operator]  # months, years, (year, quarter)
            for row in rows_by_period[period]
        ]
        name = label(issued, last) if label else f"{issued:%Y-%m}"
        releases.append(
            ExternalRelease(
                issued=issued,
                rows=rows,
                geometries=[geometry(row) for row in rows] if geometry else None,
                source_name=f"{prefix}-{name}.{'geojson' if geometry else 'csv'}",
            )
        )
    return tuple(releases)


def _monthly(
    today: date,
    rows_for: Callable[[date], list[dict]],
    prefix: str,
    *,
    every: int = 3,
    lag: int = 20,
    limit: int = 8,
    geometry: Callable[[dict], dict] | None = None,
) -> tuple[ExternalRelease, ...]:
    """A monthly series since January of the first release's year, published every ``every``
    months."""
    cuts = _cuts(today, every=every, lag=lag, limit=limit)
    months = _months(date(cuts[0][1].year, 1, 1), cuts[-1][1]) if cuts else []
    return _periodic(cuts, months, rows_for, prefix, lambda _, last: _ym(last), geometry)


@dataclass
class _Place:
    """A row of a list of places, with its point and the time it exists."""

    row: dict
    geometry: dict
    since: date = LONG_AGO
    until: date | None = None
    extra: dict = field(default_factory=dict)


def _lists(
    places: Sequence[_Place], dates: Sequence[date], prefix: str
) -> tuple[ExternalRelease, ...]:
    """Releases of a list of places: those that exist on the day of each release."""
    releases = []
    for issued in dates:
        there = [p for p in places if p.since <= issued and (p.until is None or issued < p.until)]
        releases.append(
            ExternalRelease(
                issued=issued,
                rows=[dict(p.row) for p in there],
                geometries=[dict(p.geometry) for p in there],
                source_name=f"{prefix}-{issued:%Y-%m-%d}.geojson",
            )
        )
    return tuple(releases)


def _time_bounds(value: Any, kind: str) -> tuple[date, date] | None:
    if kind == "date" and isinstance(value, date):
        return value, value
    if kind == "year" and isinstance(value, int):
        return date(value, 1, 1), date(value, 12, 31)
    if kind == "yearmonth" and isinstance(value, str) and len(value) == 7:
        month = date(int(value[:4]), int(value[5:7]), 1)
        return month, _month_end(month)
    return None


def _dataset(
    slug: str,
    title: str,
    description: str,
    publisher: tuple[str, str],
    *,
    themes: tuple[str, ...],
    keywords: tuple[str, ...],
    frequency: str,
    columns: tuple[Column, ...],
    releases: tuple[ExternalRelease, ...],
    licence: str = DL_BY,
    dimensions: tuple[str, ...] = (),
    measures: tuple[str, ...] = (),
    disclosure: str = "none",
    temporal: tuple[date, date] | str | None = AUTO,
) -> External:
    """An ``External``; its temporal coverage from its first time column unless given
    (``None``: a list of places, no time coverage)."""
    if temporal == AUTO:
        temporal = None
        time_column = next((c for c in columns if c.type in ("yearmonth", "year", "date")), None)
        bounds = [
            found
            for release in releases
            for row in release.rows
            if time_column is not None
            and (found := _time_bounds(row.get(time_column.name), time_column.type))
        ]
        if bounds:
            temporal = (min(b[0] for b in bounds), max(b[1] for b in bounds))
    return External(
        slug=slug,
        title=title,
        description=_describe(description),
        publisher=publisher[0],
        publisher_email=publisher[1],
        themes=themes,
        keywords=keywords,
        frequency=frequency,
        licence=licence,
        columns=columns,
        dimensions=dimensions,
        measures=measures,
        disclosure=disclosure,
        temporal_start=temporal[0] if isinstance(temporal, tuple) else None,
        temporal_end=temporal[1] if isinstance(temporal, tuple) else None,
        releases=releases,
    )


# --- Shared columns ---------------------------------------------------------------------------

MONAT = Column("monat", "yearmonth", "Monat", "Berichtsmonat (JJJJ-MM).")
JAHR = Column("jahr", "year", "Jahr", "Berichtsjahr.")
STADTBEZIRK = Column("stadtbezirk", "string", "Stadtbezirk", "Einer der zehn Stadtbezirke.")
STADTTEIL_NR = Column(
    "stadtteil_nr",
    "string",
    "Stadtteil-Nr.",
    "Dreistellige Nummer des Stadtteils; die ersten beiden Ziffern nennen den Stadtbezirk.",
)
STADTTEIL = Column("stadtteil", "string", "Stadtteil")
LAGE = Column("lage", "string", "Lage", "Straße oder Platz, ohne Hausnummer.")


def _area(q: _Quarter) -> dict:
    return {"stadtteil": q.name, "stadtbezirk": q.district}


def _area_nr(q: _Quarter) -> dict:
    return {"stadtteil_nr": q.number, "stadtteil": q.name, "stadtbezirk": q.district}


def _count(name: str, title: str, description: str = "", unit: str | None = None) -> Column:
    return Column(name, "integer", title, description, unit)


def _number(name: str, title: str, description: str = "", unit: str | None = None) -> Column:
    return Column(name, "number", title, description, unit)


def _text(name: str, title: str, description: str = "") -> Column:
    return Column(name, "string", title, description)


# --- Bevölkerung ------------------------------------------------------------------------------

AGE_GROUPS = (
    ("unter 6 Jahre", 0.056, -0.1, 0.487),
    ("6 bis unter 18 Jahre", 0.112, -0.1, 0.487),
    ("18 bis unter 30 Jahre", 0.165, 0.3, 0.505),
    ("30 bis unter 45 Jahre", 0.235, 0.25, 0.49),
    ("45 bis unter 65 Jahre", 0.262, -0.05, 0.497),
    ("65 bis unter 80 Jahre", 0.115, -0.35, 0.53),
    ("80 Jahre und älter", 0.055, -0.35, 0.62),
)  # label, share, response to youth, share of women


def _einwohner(today: date, scale: int) -> External:
    slug = "einwohner-stadtteil-altersgruppe-geschlecht"

    def rows_for(year: int) -> list[dict]:
        rows = []
        for q in _city():
            rng = _rng(slug, year, q.number)
            people = _vary(rng, q.population * (1 + 0.003 * (year - 2024)), 0.004)
            shares = [share * (1 + response * q.youth) for _, share, response, _ in AGE_GROUPS]
            whole = sum(shares)
            for (label, _, _, women), share in zip(AGE_GROUPS, shares, strict=True):
                group = people * share / whole
                for sex, part in (("weiblich", women), ("männlich", 1 - women)):
                    rows.append(
                        {
                            "stichtag": date(year, 12, 31),
                            **_area_nr(q),
                            "altersgruppe": label,
                            "geschlecht": sex,
                            "einwohner": round(_vary(rng, group * part, 0.02)),
                        }
                    )
        return rows

    releases = tuple(
        ExternalRelease(
            issued, rows_for(issued.year - 1), None, f"bevoelkerung-{issued.year - 1}.csv"
        )
        for issued in _yearly(today, 3, 20)
    )
    return _dataset(
        slug,
        "Einwohnerinnen und Einwohner nach Stadtteil, Altersgruppe und Geschlecht",
        "Bevölkerung mit Hauptwohnsitz in Düsseldorf am 31. Dezember, nach Stadtteil, sieben "
        "Altersgruppen und Geschlecht, aus dem Melderegister. Die Zahlen sind mit dem "
        "Cell-Key-Verfahren geringfügig überlagert, wie beim Zensus 2022; Summen über Zeilen "
        "können daher leicht von veröffentlichten Gesamtzahlen abweichen.",
        STATISTIK,
        themes=("SOCI", "REGI"),
        keywords=("Bevölkerung", "Einwohner", "Altersstruktur", "Stadtteil", "Melderegister"),
        frequency="ANNUAL",
        columns=(
            Column("stichtag", "date", "Stichtag"),
            STADTTEIL_NR,
            STADTTEIL,
            STADTBEZIRK,
            _text("altersgruppe", "Altersgruppe"),
            _text("geschlecht", "Geschlecht"),
            _count("einwohner", "Einwohnerinnen und Einwohner", unit="Personen"),
        ),
        releases=releases,
        dimensions=("stadtteil_nr", "altersgruppe", "geschlecht"),
        measures=("einwohner",),
        disclosure="cell_key",
    )


def _geburten(today: date, scale: int) -> External:
    slug = "geburten-sterbefaelle-stadtteil"

    def rows_for(year: int) -> list[dict]:
        rows = []
        for q in _city():
            rng = _rng(slug, year, q.number)
            births = q.population * 0.0105 * (1 + 0.3 * q.youth)
            deaths = q.population * 0.0105 * (1 - 0.45 * q.youth)
            for sex, share in (("weiblich", 0.487), ("männlich", 0.513)):
                rows.append(
                    {
                        "jahr": year,
                        **_area_nr(q),
                        "geschlecht": sex,
                        "lebendgeborene": _poisson(rng, births * share),
                        "gestorbene": _poisson(rng, deaths / 2),
                    }
                )
        return rows

    issues = _yearly(today, 4, 28)
    cuts = [(issued, issued.year - 1) for issued in issues]
    years = list(range(2021, issues[-1].year)) if issues else []
    return _dataset(
        slug,
        "Geburten und Sterbefälle nach Stadtteil und Geschlecht",
        "Lebendgeborene (nach Wohnort der Mutter) und Gestorbene (nach letztem Wohnort) je "
        "Stadtteil, Jahr und Geschlecht. Fallzahlen unter 5 werden gesperrt, ebenso so viele "
        "weitere Felder, dass sich die gesperrten nicht aus Summen errechnen lassen.",
        STATISTIK,
        themes=("SOCI", "HEAL"),
        keywords=("Geburten", "Sterbefälle", "natürliche Bevölkerungsbewegung", "Stadtteil"),
        frequency="ANNUAL",
        columns=(
            JAHR,
            STADTTEIL_NR,
            STADTTEIL,
            STADTBEZIRK,
            _text("geschlecht", "Geschlecht", "Geschlecht des Kindes bzw. der gestorbenen Person."),
            _count("lebendgeborene", "Lebendgeborene", unit="Personen"),
            _count("gestorbene", "Gestorbene", unit="Personen"),
        ),
        releases=_periodic(cuts, years, rows_for, "geburten-sterbefaelle", lambda _, y: str(y)),
        dimensions=("jahr", "stadtteil_nr", "geschlecht"),
        measures=("lebendgeborene", "gestorbene"),
        disclosure="suppression",
    )


def _wanderungen(today: date, scale: int) -> External:
    slug = "zu-und-fortzuege-stadtbezirk-quartal"
    youth = {n: YOUTH.get(n, 0.0) for n, _, _ in _districts()}
    total = sum(people for _, _, people in _districts())

    def rows_for(period: tuple[int, int]) -> list[dict]:
        year, quarter = period
        season = {1: 0.93, 2: 0.95, 3: 1.06, 4: 1.06}[quarter]
        rows = []
        for number, name, people in _districts():
            rng = _rng(slug, year, quarter, number)
            share = people / total * (1 + 0.35 * youth[number])
            arrivals = round(_vary(rng, 10_600 * share * season, 0.05))
            departures = round(_vary(rng, 9_700 * share * season, 0.05))
            rows.append(
                {
                    "quartal": f"{year}-Q{quarter}",
                    "stadtbezirk": name,
                    "zuzuege": arrivals,
                    "fortzuege": departures,
                    "wanderungssaldo": arrivals - departures,
                    "umzuege_innerhalb": round(_vary(rng, 15_500 * share, 0.05)),
                }
            )
        return rows

    cuts = [(issued, (m.year, (m.month - 1) // 3 + 1)) for issued, m in _cuts(today, lag=45)]
    last = cuts[-1][1] if cuts else (today.year, 1)
    first = cuts[0][1][0] if cuts else today.year
    periods = [(y, q) for y in range(first, last[0] + 1) for q in range(1, 5)]
    periods = [p for p in periods if p <= last]
    return _dataset(
        slug,
        "Zu- und Fortzüge nach Stadtbezirk und Quartal",
        "Wanderungen über die Stadtgrenze (Zuzüge nach und Fortzüge aus Düsseldorf) sowie "
        "Umzüge innerhalb der Stadt, je Stadtbezirk und Quartal, nach dem Melderegister. "
        "Umzüge innerhalb der Stadt sind dem Stadtbezirk der neuen Wohnung zugeordnet.",
        STATISTIK,
        themes=("SOCI", "REGI"),
        keywords=("Wanderung", "Zuzüge", "Fortzüge", "Umzüge", "Melderegister"),
        frequency="QUARTERLY",
        columns=(
            _text("quartal", "Quartal", "Berichtsquartal (JJJJ-Qn)."),
            STADTBEZIRK,
            _count("zuzuege", "Zuzüge", "Zuzüge von außerhalb Düsseldorfs.", "Personen"),
            _count("fortzuege", "Fortzüge", "Fortzüge aus Düsseldorf.", "Personen"),
            _count("wanderungssaldo", "Wanderungssaldo", "Zuzüge minus Fortzüge.", "Personen"),
            _count("umzuege_innerhalb", "Umzüge innerhalb der Stadt", unit="Personen"),
        ),
        releases=_periodic(cuts, periods, rows_for, "wanderungen", lambda _, p: f"{p[0]}-q{p[1]}"),
        temporal=(date(first, 1, 1), _month_end(date(last[0], last[1] * 3, 1))),
    )


def _haushalte(today: date, scale: int) -> External:
    slug = "haushalte-stadtbezirk-groesse"
    size = {1: 1.62, 2: 1.72, 3: 1.75, 4: 1.95, 5: 2.15, 6: 1.9, 7: 2.0, 8: 1.95, 9: 1.95, 10: 2.05}
    labels = ("1 Person", "2 Personen", "3 Personen", "4 Personen", "5 und mehr Personen")

    def rows_for(year: int) -> list[dict]:
        rows = []
        for number, name, people in _districts():
            rng = _rng(slug, year, number)
            average = size.get(number, 1.85)
            households = people / average
            single = 1.15 - 0.38 * average
            couple = 0.29 + rng.uniform(-0.01, 0.01)
            rest = max(0.0, 1 - single - couple)
            shares = (single, couple, rest * 0.45, rest * 0.37, rest * 0.18)
            counts = [round(_vary(rng, households * s, 0.01)) for s in shares]
            percent = _percentages(counts)
            for label, count, share in zip(labels, counts, percent, strict=True):
                rows.append(
                    {
                        "stichtag": date(year, 12, 31),
                        "stadtbezirk": name,
                        "haushaltsgroesse": label,
                        "haushalte": count,
                        "anteil_prozent": share,
                    }
                )
        return rows

    releases = tuple(
        ExternalRelease(issued, rows_for(issued.year - 1), None, f"haushalte-{issued.year - 1}.csv")
        for issued in _yearly(today, 5, 15)
    )
    return _dataset(
        slug,
        "Privathaushalte nach Stadtbezirk und Haushaltsgröße",
        "Privathaushalte am 31. Dezember nach Zahl der Personen, je Stadtbezirk. Die Haushalte "
        "werden aus dem Melderegister generiert (Haushaltegenerierungsverfahren).",
        STATISTIK,
        themes=("SOCI",),
        keywords=("Haushalte", "Haushaltsgröße", "Einpersonenhaushalte", "Stadtbezirk"),
        frequency="ANNUAL",
        columns=(
            Column("stichtag", "date", "Stichtag"),
            STADTBEZIRK,
            _text("haushaltsgroesse", "Haushaltsgröße"),
            _count("haushalte", "Haushalte", unit="Haushalte"),
            _number("anteil_prozent", "Anteil", "Anteil an allen Haushalten des Bezirks.", "%"),
        ),
        releases=releases,
    )


def _kommunalwahl(today: date, scale: int) -> External:
    slug = "kommunalwahl-2025-wahlbeteiligung"
    elections = (
        ("Ratswahl", date(2025, 9, 14), 0.53, 0.012),
        ("Oberbürgermeisterwahl", date(2025, 9, 14), 0.53, 0.009),
        ("Stichwahl Oberbürgermeisterwahl", date(2025, 9, 28), 0.41, 0.008),
    )
    rows = []
    for election, day, turnout, invalid in elections:
        for number, name, people in _districts():
            rng = _rng(slug, election, number)
            electorate = round(people * 0.745 * (1 - 0.08 * SOCIAL.get(number, 1.0)))
            local = turnout * (1.35 - 0.35 * SOCIAL.get(number, 1.0))
            voters = round(electorate * min(0.9, _vary(rng, local, 0.02)))
            rows.append(
                {
                    "wahl": election,
                    "wahltag": day,
                    "stadtbezirk": name,
                    "wahlberechtigte": electorate,
                    "waehlende": voters,
                    "briefwaehlende": round(voters * rng.uniform(0.41, 0.49)),
                    "ungueltige_stimmen": round(_vary(rng, voters * invalid, 0.15)),
                    "wahlbeteiligung_prozent": round(100 * voters / electorate, 1),
                }
            )
    issued = _clamp_issue(today, date(2025, 10, 2))
    return _dataset(
        slug,
        "Kommunalwahl 2025: Wahlbeteiligung nach Stadtbezirk",
        "Wahlberechtigte, Wählende, Briefwählende und ungültige Stimmen der Ratswahl, der "
        "Oberbürgermeisterwahl vom 14. September 2025 und der Stichwahl vom 28. September 2025, "
        "je Stadtbezirk (endgültiges Ergebnis).",
        STATISTIK,
        themes=("GOVE",),
        keywords=("Kommunalwahl", "Wahlbeteiligung", "Wahlen", "Oberbürgermeisterwahl", "2025"),
        frequency="IRREG",
        columns=(
            _text("wahl", "Wahl"),
            Column("wahltag", "date", "Wahltag"),
            STADTBEZIRK,
            _count("wahlberechtigte", "Wahlberechtigte", unit="Personen"),
            _count("waehlende", "Wählende", unit="Personen"),
            _count("briefwaehlende", "Briefwählende", unit="Personen"),
            _count("ungueltige_stimmen", "Ungültige Stimmen", unit="Stimmen"),
            _number("wahlbeteiligung_prozent", "Wahlbeteiligung", unit="%"),
        ),
        releases=(ExternalRelease(issued, rows, None, "kommunalwahl-2025-endgueltig.csv"),),
        dimensions=("wahl", "stadtbezirk"),
    )


# --- Arbeit und Soziales --------------------------------------------------------------------


def _arbeitslose(today: date, scale: int) -> External:
    slug = "arbeitslose-stadtbezirk-monat"
    start = date(today.year - 2, 1, 1)

    def rows_for(month: date) -> list[dict]:
        rows = []
        years = (month - start).days / 365.25
        for number, name, people in _districts():
            rng = _rng(slug, _ym(month), number)
            social = SOCIAL.get(number, 1.0)
            level = people * 0.041 * social * (1 + 0.025 * years) * _season(month.month, 1, 0.035)
            total = round(_vary(rng, level, 0.008))
            sgb3 = round(total * _vary(rng, 0.36 - 0.06 * social, 0.02))
            rows.append(
                {
                    "monat": _ym(month),
                    "stadtbezirk": name,
                    "arbeitslose": total,
                    "rechtskreis_sgb_iii": sgb3,
                    "rechtskreis_sgb_ii": total - sgb3,
                    "frauen": round(total * _vary(rng, 0.44, 0.02)),
                    "unter_25_jahre": round(total * _vary(rng, 0.085, 0.05)),
                    "langzeitarbeitslose": round(total * _vary(rng, 0.34 + 0.05 * social, 0.02)),
                    "auslaenderinnen_und_auslaender": round(total * _vary(rng, 0.37, 0.04)),
                }
            )
        return rows

    return _dataset(
        slug,
        "Arbeitslose nach Stadtbezirk und Monat",
        "Bestand an Arbeitslosen am Zähltag Mitte des Monats, nach Wohnort-Stadtbezirk, "
        "Rechtskreis (SGB III: Agentur für Arbeit, SGB II: Jobcenter) und ausgewählten "
        "Personengruppen. Die Statistik der Bundesagentur für Arbeit liefert die Tabelle "
        "monatlich; die Stadt lädt sie nach jedem Quartal unverändert hoch.",
        ARBEITSAGENTUR,
        themes=("ECON", "SOCI"),
        keywords=("Arbeitsmarkt", "Arbeitslosigkeit", "SGB II", "SGB III", "Jobcenter"),
        frequency="QUARTERLY",
        columns=(
            MONAT,
            STADTBEZIRK,
            _count("arbeitslose", "Arbeitslose", unit="Personen"),
            _count("rechtskreis_sgb_iii", "davon Rechtskreis SGB III", unit="Personen"),
            _count("rechtskreis_sgb_ii", "davon Rechtskreis SGB II", unit="Personen"),
            _count("frauen", "darunter Frauen", unit="Personen"),
            _count("unter_25_jahre", "darunter unter 25 Jahre", unit="Personen"),
            _count(
                "langzeitarbeitslose",
                "darunter Langzeitarbeitslose",
                "Seit einem Jahr oder länger arbeitslos.",
                "Personen",
            ),
            _count(
                "auslaenderinnen_und_auslaender",
                "darunter Ausländerinnen und Ausländer",
                unit="Personen",
            ),
        ),
        releases=_monthly(today, rows_for, "arbeitsmarkt", lag=8),
        dimensions=("monat", "stadtbezirk"),
        measures=(
            "arbeitslose",
            "rechtskreis_sgb_iii",
            "rechtskreis_sgb_ii",
            "frauen",
            "unter_25_jahre",
            "langzeitarbeitslose",
            "auslaenderinnen_und_auslaender",
        ),
        disclosure="suppression",
    )


def _wohngeld(today: date, scale: int) -> External:
    slug = "wohngeld-haushalte-stadtteil"
    sizes = (
        ("1 Person", 0.52),
        ("2 Personen", 0.16),
        ("3 Personen", 0.11),
        ("4 Personen", 0.11),
        ("5 und mehr Personen", 0.10),
    )

    def rows_for(year: int) -> list[dict]:
        rows = []
        for q in _city():
            rng = _rng(slug, year, q.number)
            level = q.population * 0.0165 * SOCIAL.get(q.district_number, 1.0) ** 1.3
            level *= 1 + 0.04 * (year - 2024)
            for label, share in sizes:
                rows.append(
                    {
                        "jahr": year,
                        **_area_nr(q),
                        "haushaltsgroesse": label,
                        "haushalte": _poisson(rng, level * share),
                    }
                )
        return rows

    releases = tuple(
        ExternalRelease(issued, rows_for(issued.year - 1), None, f"wohngeld-{issued.year - 1}.csv")
        for issued in _yearly(today, 6, 30)
    )
    return _dataset(
        slug,
        "Wohngeld-Haushalte nach Stadtteil und Haushaltsgröße",
        "Haushalte, die am 31. Dezember Wohngeld (Mietzuschuss oder Lastenzuschuss) bezogen, "
        "je Stadtteil und Zahl der Haushaltsmitglieder. Fallzahlen unter 5 und die zu ihrem "
        "Schutz nötigen weiteren Felder werden gesperrt.",
        WOHNUNGSAMT,
        themes=("SOCI", "ECON"),
        keywords=("Wohngeld", "Mietzuschuss", "Wohngeld-Plus", "Sozialleistungen", "Stadtteil"),
        frequency="ANNUAL",
        columns=(
            JAHR,
            STADTTEIL_NR,
            STADTTEIL,
            STADTBEZIRK,
            _text("haushaltsgroesse", "Haushaltsgröße"),
            _count("haushalte", "Wohngeld-Haushalte", unit="Haushalte"),
        ),
        releases=releases,
        dimensions=("jahr", "stadtteil_nr", "haushaltsgroesse"),
        measures=("haushalte",),
        disclosure="suppression",
    )


def _grundsicherung(today: date, scale: int) -> External:
    slug = "grundsicherung-stadtteil-geschlecht"
    kinds = (("Grundsicherung im Alter", 0.55, 0.56), ("bei Erwerbsminderung", 0.45, 0.45))

    def rows_for(year: int) -> list[dict]:
        rows = []
        for q in _city():
            rng = _rng(slug, year, q.number)
            level = q.population * 0.0225 * SOCIAL.get(q.district_number, 1.0) ** 1.2
            level *= (1 - 0.2 * q.youth) * (1 + 0.03 * (year - 2024))
            for kind, share, women in kinds:
                for sex, part in (("weiblich", women), ("männlich", 1 - women)):
                    rows.append(
                        {
                            "jahr": year,
                            **_area_nr(q),
                            "leistung": kind,
                            "geschlecht": sex,
                            "empfaengerinnen_und_empfaenger": _poisson(rng, level * share * part),
                        }
                    )
        return rows

    releases = tuple(
        ExternalRelease(issued, rows_for(issued.year - 1), None, f"grusi-{issued.year - 1}.csv")
        for issued in _yearly(today, 9, 15)
    )
    return _dataset(
        slug,
        "Grundsicherung im Alter und bei Erwerbsminderung nach Stadtteil",
        "Empfängerinnen und Empfänger von Grundsicherung im Alter und bei Erwerbsminderung "
        "(4. Kapitel SGB XII) am 31. Dezember, je Stadtteil, Leistungsart und Geschlecht. "
        "Fallzahlen unter 5 und die zu ihrem Schutz nötigen weiteren Felder werden gesperrt.",
        SOZIALAMT,
        themes=("SOCI",),
        keywords=("Grundsicherung", "SGB XII", "Altersarmut", "Sozialleistungen", "Stadtteil"),
        frequency="ANNUAL",
        columns=(
            JAHR,
            STADTTEIL_NR,
            STADTTEIL,
            STADTBEZIRK,
            _text("leistung", "Leistungsart"),
            _text("geschlecht", "Geschlecht"),
            _count(
                "empfaengerinnen_und_empfaenger", "Empfängerinnen und Empfänger", unit="Personen"
            ),
        ),
        releases=releases,
        dimensions=("jahr", "stadtteil_nr", "leistung", "geschlecht"),
        measures=("empfaengerinnen_und_empfaenger",),
        disclosure="suppression",
    )


EINBUERGERUNGEN = {
    2000: 2620, 2001: 2410, 2002: 2150, 2003: 1980, 2004: 1720, 2005: 1540, 2006: 1610,
    2007: 1390, 2008: 1260, 2009: 1310, 2010: 1350, 2011: 1420, 2012: 1480, 2013: 1460,
    2014: 1390, 2015: 1420, 2016: 1530, 2017: 1610, 2018: 1720, 2019: 1860, 2020: 1540,
    2021: 2280, 2022: 2630, 2023: 3240, 2024: 4380, 2025: 4720,
}  # fmt: skip
NATIONALITY_GROUPS = (
    ("Syrien", 0.24),
    ("Türkei", 0.11),
    ("Irak", 0.07),
    ("Afghanistan", 0.06),
    ("Iran", 0.04),
    ("EU-Staaten", 0.10),
    ("übriges Europa", 0.12),
    ("übriges Asien", 0.14),
    ("Afrika", 0.08),
    ("Amerika und Ozeanien", 0.03),
    ("staatenlos oder ungeklärt", 0.01),
)


def _einbuergerungen_total(year: int) -> int:
    if year in EINBUERGERUNGEN:
        return EINBUERGERUNGEN[year]
    return round(_vary(_rng("einbuergerungen", year), 4720 * 1.03 ** (year - 2025), 0.04))


def _einbuergerungen_zeitreihe(today: date, scale: int) -> External:
    slug = "einbuergerungen-zeitreihe"

    def rows_for(year: int) -> list[dict]:
        rng = _rng(slug, year)
        total = _einbuergerungen_total(year)
        dual = 0.97 if year >= 2024 else min(0.75, 0.45 + 0.02 * (year - 2005))
        return [
            {
                "jahr": year,
                "einbuergerungen": total,
                "darunter_frauen": round(total * _vary(rng, 0.49, 0.02)),
                "darunter_minderjaehrige": round(total * _vary(rng, 0.21, 0.05)),
                "darunter_mehrstaatigkeit": round(total * max(0.3, dual)),
            }
        ]

    issues = _yearly(today, 2, 28)
    cuts = [(issued, issued.year - 1) for issued in issues]
    years = list(range(2000, issues[-1].year)) if issues else []
    return _dataset(
        slug,
        "Einbürgerungen in Düsseldorf seit 2000",
        "Einbürgerungen je Kalenderjahr, darunter Frauen, Minderjährige und Einbürgerungen "
        "unter Beibehaltung der bisherigen Staatsangehörigkeit. Seit dem 27. Juni 2024 ist "
        "Mehrstaatigkeit allgemein zugelassen.",
        MIGRATION,
        themes=("SOCI", "INTR"),
        keywords=("Einbürgerung", "Staatsangehörigkeit", "Migration", "Zeitreihe"),
        frequency="ANNUAL",
        columns=(
            JAHR,
            _count("einbuergerungen", "Einbürgerungen", unit="Personen"),
            _count("darunter_frauen", "darunter Frauen", unit="Personen"),
            _count("darunter_minderjaehrige", "darunter Minderjährige", unit="Personen"),
            _count(
                "darunter_mehrstaatigkeit",
                "darunter unter Beibehaltung der bisherigen Staatsangehörigkeit",
                unit="Personen",
            ),
        ),
        releases=_periodic(cuts, years, rows_for, "einbuergerungen-zeitreihe", lambda _, y: str(y)),
    )


def _einbuergerungen_bezirk(today: date, scale: int) -> External:
    slug = "einbuergerungen-stadtbezirk-staatsangehoerigkeit"

    def rows_for(year: int) -> list[dict]:
        rng = _rng(slug, year)
        cells = [
            (name, group, people * SOCIAL.get(number, 1.0) * share)
            for number, name, people in _districts()
            for group, share in NATIONALITY_GROUPS
        ]
        counts = _split(rng, _einbuergerungen_total(year), [c[2] for c in cells], 0.35)
        return [
            {"jahr": year, "stadtbezirk": name, "staatsangehoerigkeit": group, "einbuergerungen": n}
            for (name, group, _), n in zip(cells, counts, strict=True)
        ]

    releases = tuple(
        ExternalRelease(issued, rows_for(issued.year - 1), None, f"einb-{issued.year - 1}.csv")
        for issued in _yearly(today, 3, 31)
    )
    return _dataset(
        slug,
        "Einbürgerungen nach Stadtbezirk und früherer Staatsangehörigkeit",
        "Einbürgerungen eines Jahres nach Wohnort-Stadtbezirk und Gruppe der früheren "
        "Staatsangehörigkeit. Fallzahlen unter 5 und die zu ihrem Schutz nötigen weiteren "
        "Felder werden gesperrt.",
        MIGRATION,
        themes=("SOCI", "INTR"),
        keywords=("Einbürgerung", "Staatsangehörigkeit", "Migration", "Stadtbezirk"),
        frequency="ANNUAL",
        columns=(
            JAHR,
            STADTBEZIRK,
            _text("staatsangehoerigkeit", "Frühere Staatsangehörigkeit (Gruppe)"),
            _count("einbuergerungen", "Einbürgerungen", unit="Personen"),
        ),
        releases=releases,
        dimensions=("jahr", "stadtbezirk", "staatsangehoerigkeit"),
        measures=("einbuergerungen",),
        disclosure="suppression",
    )


def _inobhutnahmen(today: date, scale: int) -> External:
    slug = "inobhutnahmen-stadtbezirk-altersgruppe"
    ages = (
        ("unter 6 Jahre", 0.20, 0.0),
        ("6 bis unter 12 Jahre", 0.18, 0.0),
        ("12 bis unter 14 Jahre", 0.12, 0.1),
        ("14 bis unter 18 Jahre", 0.50, 0.4),
    )
    weights = {n: people * SOCIAL.get(n, 1.0) ** 1.5 for n, _, people in _districts()}
    whole = sum(weights.values())

    def rows_for(year: int) -> list[dict]:
        rows = []
        for number, name, _ in _districts():
            rng = _rng(slug, year, number)
            for label, share, unaccompanied in ages:
                count = _poisson(rng, 640 * weights[number] / whole * share)
                rows.append(
                    {
                        "jahr": year,
                        "stadtbezirk": name,
                        "altersgruppe": label,
                        "inobhutnahmen": count,
                        "darunter_unbegleitet_eingereist": sum(
                            rng.random() < unaccompanied for _ in range(count)
                        ),
                    }
                )
        return rows

    issues = _yearly(today, 7, 1)
    cuts = [(issued, issued.year - 1) for issued in issues]
    years = list(range(2022, issues[-1].year)) if issues else []
    return _dataset(
        slug,
        "Inobhutnahmen nach Stadtbezirk und Altersgruppe",
        "Vorläufige Schutzmaßnahmen des Jugendamts für Kinder und Jugendliche (§ 42 SGB VIII) "
        "je Jahr, Stadtbezirk des gewöhnlichen Aufenthalts und Altersgruppe, darunter "
        "unbegleitet eingereiste Minderjährige. Fallzahlen unter 5 und die zu ihrem Schutz "
        "nötigen weiteren Felder werden gesperrt.",
        JUGENDAMT,
        themes=("SOCI", "JUST"),
        keywords=("Inobhutnahme", "Kinderschutz", "Jugendhilfe", "SGB VIII"),
        frequency="ANNUAL",
        columns=(
            JAHR,
            STADTBEZIRK,
            _text("altersgruppe", "Altersgruppe"),
            _count("inobhutnahmen", "Inobhutnahmen", unit="Fälle"),
            _count(
                "darunter_unbegleitet_eingereist",
                "darunter unbegleitet eingereiste Minderjährige",
                unit="Fälle",
            ),
        ),
        releases=_periodic(cuts, years, rows_for, "inobhutnahmen", lambda _, y: str(y)),
        dimensions=("jahr", "stadtbezirk", "altersgruppe"),
        measures=("inobhutnahmen", "darunter_unbegleitet_eingereist"),
        disclosure="suppression",
    )


def _kita_quote(today: date, scale: int) -> External:
    slug = "kita-betreuungsquote-stadtbezirk"
    groups = (("unter 3 Jahre", 0.029, 0.44), ("3 Jahre bis Schuleintritt", 0.031, 0.965))

    def rows_for(year: int) -> list[dict]:
        rows = []
        for number, name, people in _districts():
            rng = _rng(slug, year, number)
            youth = YOUTH.get(number, 0.0)
            for label, share, quote in groups:
                children = round(_vary(rng, people * share * (1 + 0.15 * youth), 0.02))
                local = quote * (1 + 0.01 * (year - 2022)) * (1.1 - 0.1 * SOCIAL.get(number, 1.0))
                places = round(children * min(1.02, _vary(rng, local, 0.03)))
                rows.append(
                    {
                        "kindergartenjahr": f"{year}/{(year + 1) % 100:02d}",
                        "stadtbezirk": name,
                        "altersgruppe": label,
                        "kinder": children,
                        "betreuungsplaetze": places,
                        "betreuungsquote_prozent": round(100 * places / children, 1),
                    }
                )
        return rows

    issues = _yearly(today, 11, 3)
    cuts = [(issued, issued.year) for issued in issues]
    years = list(range(2022, issues[-1].year + 1)) if issues else []
    return _dataset(
        slug,
        "Kindertagesbetreuung: Betreuungsquote nach Stadtbezirk",
        "Kinder im Alter unter drei Jahren und von drei Jahren bis zum Schuleintritt, Plätze in "
        "Kindertageseinrichtungen und Kindertagespflege und die Betreuungsquote je Stadtbezirk, "
        "zum Beginn des Kindergartenjahres (1. August).",
        JUGENDAMT,
        themes=("EDUC", "SOCI"),
        keywords=("Kita", "Kindertagesbetreuung", "Betreuungsquote", "U3", "Kindertagespflege"),
        frequency="ANNUAL",
        columns=(
            _text("kindergartenjahr", "Kindergartenjahr", "Vom 1. August bis zum 31. Juli."),
            STADTBEZIRK,
            _text("altersgruppe", "Altersgruppe"),
            _count("kinder", "Kinder", unit="Kinder"),
            _count("betreuungsplaetze", "Betreuungsplätze", unit="Plätze"),
            _number("betreuungsquote_prozent", "Betreuungsquote", "Plätze je 100 Kinder.", "%"),
        ),
        releases=_periodic(cuts, years, rows_for, "kita-quote", lambda _, y: str(y)),
        temporal=(date(2022, 8, 1), date(years[-1] + 1, 7, 31)) if years else None,
    )


# --- Verkehr und Umwelt -----------------------------------------------------------------------


def _verkehrsunfaelle(today: date, scale: int) -> External:
    slug = "verkehrsunfaelle-stadtbezirk-monat"
    weights = {n: people * (1.5 if n == 1 else 1.0) for n, _, people in _districts()}
    whole = sum(weights.values())

    def rows_for(month: date) -> list[dict]:
        rows = []
        for number, name, _ in _districts():
            rng = _rng(slug, _ym(month), number)
            share = weights[number] / whole
            injuries = _poisson(rng, 280 * share * _season(month.month, 6, 0.15))
            rows.append(
                {
                    "monat": _ym(month),
                    "stadtbezirk": name,
                    "unfaelle": round(
                        _vary(rng, 2_550 * share * _season(month.month, 12, 0.06), 0.04)
                    ),
                    "unfaelle_mit_personenschaden": injuries,
                    "leichtverletzte": _poisson(rng, injuries * 1.15),
                    "schwerverletzte": _poisson(rng, injuries * 0.14),
                    "getoetete": _poisson(rng, injuries * 0.0035),
                    "darunter_mit_radfahrenden": _poisson(
                        rng, injuries * 0.3 * _season(month.month, 7, 0.3)
                    ),
                }
            )
        return rows

    return _dataset(
        slug,
        "Verkehrsunfälle nach Stadtbezirk und Monat",
        "Polizeilich erfasste Straßenverkehrsunfälle je Stadtbezirk und Monat, Unfälle mit "
        "Personenschaden und Verunglückte nach Schwere der Verletzung.",
        POLIZEI,
        themes=("TRAN", "JUST"),
        keywords=("Verkehrsunfall", "Verkehrssicherheit", "Verunglückte", "Radverkehr"),
        frequency="QUARTERLY",
        columns=(
            MONAT,
            STADTBEZIRK,
            _count("unfaelle", "Unfälle insgesamt", unit="Unfälle"),
            _count("unfaelle_mit_personenschaden", "Unfälle mit Personenschaden", unit="Unfälle"),
            _count("leichtverletzte", "Leichtverletzte", unit="Personen"),
            _count("schwerverletzte", "Schwerverletzte", unit="Personen"),
            _count("getoetete", "Getötete", unit="Personen"),
            _count(
                "darunter_mit_radfahrenden",
                "Unfälle mit Personenschaden unter Beteiligung Radfahrender",
                unit="Unfälle",
            ),
        ),
        releases=_monthly(today, rows_for, "verkehrsunfaelle", lag=40),
        dimensions=("monat", "stadtbezirk"),
    )


def _kfz(today: date, scale: int) -> External:
    slug = "kfz-bestand-pkw-antriebsart"
    density = {1: 0.42, 2: 0.44, 3: 0.46, 4: 0.58, 5: 0.65, 6: 0.52, 7: 0.6, 8: 0.55, 9: 0.58}
    electric = {4: 1.3, 5: 1.35, 7: 1.1, 10: 0.7, 3: 0.85}
    fuels = (  # label, share on 1 January 2024, change per year (percentage points)
        ("Diesel", 28.5, -1.6),
        ("Hybrid (ohne Plug-in)", 8.0, 2.2),
        ("Plug-in-Hybrid", 3.0, 0.8),
        ("Elektro (BEV)", 4.0, 1.8),
        ("Gas (LPG/CNG)", 0.7, -0.05),
        ("Sonstige", 0.2, 0.0),
    )

    def rows_for(year: int) -> list[dict]:
        rows = []
        for number, name, people in _districts():
            rng = _rng(slug, year, number)
            cars = people * density.get(number, 0.55) * (1 + 0.005 * (year - 2024))
            shares = []
            for label, share, change in fuels:
                factor = electric.get(number, 1.0) if "Elektro" in label or "Plug" in label else 1
                shares.append((label, max(0.05, (share + change * (year - 2024)) * factor)))
            shares.insert(0, ("Benzin", 100 - sum(s for _, s in shares)))
            for label, share in shares:
                rows.append(
                    {
                        "stichtag": date(year, 1, 1),
                        "stadtbezirk": name,
                        "antriebsart": label,
                        "pkw": round(_vary(rng, cars * share / 100, 0.015)),
                    }
                )
        return rows

    releases = tuple(
        ExternalRelease(issued, rows_for(issued.year), None, f"kfz-bestand-{issued.year}.csv")
        for issued in _yearly(today, 3, 10)
    )
    return _dataset(
        slug,
        "Kfz-Bestand: Personenkraftwagen nach Stadtbezirk und Antriebsart",
        "Zugelassene Pkw am 1. Januar nach Halteranschrift (Stadtbezirk) und Antriebsart, "
        "ohne vorübergehend stillgelegte Fahrzeuge.",
        STRASSENVERKEHRSAMT,
        themes=("TRAN", "ENER"),
        keywords=("Kfz-Bestand", "Pkw", "Elektromobilität", "Antriebsart", "Zulassung"),
        frequency="ANNUAL",
        columns=(
            Column("stichtag", "date", "Stichtag"),
            STADTBEZIRK,
            _text("antriebsart", "Antriebsart"),
            _count("pkw", "Personenkraftwagen", unit="Fahrzeuge"),
        ),
        releases=releases,
        dimensions=("stichtag", "stadtbezirk", "antriebsart"),
    )


RAD_STATIONS = (  # id, name, Stadtteil, cyclists per day, installed (years before today)
    ("RZ01", "Rheinuferpromenade", "011", 4_200, 9),
    ("RZ02", "Luegallee", "041", 3_600, 9),
    ("RZ03", "Kaiserswerther Straße", "016", 2_900, 9),
    ("RZ04", "Bilker Allee", "032", 3_300, 9),
    ("RZ05", "Kölner Straße", "037", 2_500, 9),
    ("RZ06", "Grafenberger Allee", "023", 2_700, 9),
    ("RZ07", "Münsterstraße", "015", 2_200, 9),
    ("RZ08", "Benrather Schloßallee", "095", 1_600, 9),
    ("RZ09", "Völklinger Straße", "033", 1_900, 1),
)


def _radzaehlstellen(today: date, scale: int) -> External:
    slug = "radverkehr-zaehlstellen-monat"
    points = {
        sid: _point(_rng(slug, sid), _quarter(q).latitude, _quarter(q).longitude, 0.003)
        for sid, _, q, _, _ in RAD_STATIONS
    }
    start = date(today.year - 2, 1, 1)

    def rows_for(month: date) -> list[dict]:
        rows = []
        days = calendar.monthrange(month.year, month.month)[1]
        for sid, name, q, daily, age in RAD_STATIONS:
            if month < date(today.year - age, 5, 1):
                continue
            rng = _rng(slug, _ym(month), sid)
            growth = 1 + 0.03 * (month - start).days / 365.25
            per_day = _vary(rng, daily * growth * _season(month.month, 7, 0.35), 0.06)
            rows.append(
                {
                    "monat": _ym(month),
                    "zaehlstelle_id": sid,
                    "zaehlstelle": name,
                    "stadtteil": _quarter(q).name,
                    "fahrten": round(per_day * days),
                    "tagesmittel": round(per_day, 1),
                }
            )
        return rows

    return _dataset(
        slug,
        "Radverkehr: Fahrten je Zählstelle und Monat",
        "Gezählte Fahrräder an den automatischen Dauerzählstellen (Induktionsschleifen, beide "
        "Richtungen zusammen) je Monat und als Mittel je Tag. Die Zählstelle Völklinger "
        "Straße zählt erst seit Mai des Vorjahres.",
        VERKEHRSAMT,
        themes=("TRAN",),
        keywords=("Radverkehr", "Fahrrad", "Zählstelle", "Verkehrszählung", "Mobilität"),
        frequency="QUARTERLY",
        columns=(
            MONAT,
            _text("zaehlstelle_id", "Zählstellen-Nr."),
            _text("zaehlstelle", "Zählstelle", "Straße, an der gezählt wird."),
            STADTTEIL,
            _count("fahrten", "Fahrten", unit="Fahrräder"),
            _number(
                "tagesmittel", "Fahrten je Tag", "Mittel über die Tage des Monats.", "Fahrräder"
            ),
        ),
        releases=_monthly(
            today,
            rows_for,
            "radzaehlung",
            lag=15,
            geometry=lambda row: points[row["zaehlstelle_id"]],
        ),
        dimensions=("monat", "zaehlstelle_id"),
        licence=DL_ZERO,
    )


NO2_STATIONS = (  # id, name, Stadtteil, type, annual mean on 1 January two years back
    ("DUE-STMI", "Stadtmitte (verkehrsnah)", "013", "verkehrsnah", 35.0),
    ("DUE-MOER", "Mörsenbroich (verkehrsnah)", "064", "verkehrsnah", 32.0),
    ("DUE-BILK", "Bilk (verkehrsnah)", "036", "verkehrsnah", 30.5),
    ("DUE-OBKA", "Oberkassel", "041", "städtischer Hintergrund", 22.0),
    ("DUE-REIS", "Reisholz", "094", "Industrie", 24.0),
    ("DUE-LOER", "Lörick", "043", "vorstädtischer Hintergrund", 19.5),
    ("DUE-LUDE", "Ludenberg", "073", "ländlicher Hintergrund", 14.5),
)


def _no2(today: date, scale: int) -> External:
    slug = "luftqualitaet-no2-monatsmittel"
    points = {
        sid: _point(_rng(slug, sid), _quarter(q).latitude, _quarter(q).longitude, 0.003)
        for sid, _, q, _, _ in NO2_STATIONS
    }
    start = date(today.year - 2, 1, 1)

    def rows_for(month: date) -> list[dict]:
        rows = []
        for sid, name, q, kind, mean in NO2_STATIONS:
            rng = _rng(slug, _ym(month), sid)
            years = (month - start).days / 365.25
            level = (mean - 1.2 * years) * _season(month.month, 1, 0.22)
            rows.append(
                {
                    "monat": _ym(month),
                    "station_id": sid,
                    "station": name,
                    "stationstyp": kind,
                    "stadtteil": _quarter(q).name,
                    "no2_mittel": round(_vary(rng, level, 0.07), 1),
                    "verfuegbarkeit_prozent": round(min(100.0, rng.uniform(88, 101)), 1),
                }
            )
        return rows

    return _dataset(
        slug,
        "Luftqualität: Stickstoffdioxid (NO₂), Monatsmittel je Messstation",
        "Monatsmittelwerte der Stickstoffdioxid-Konzentration an den Messstationen im "
        "Stadtgebiet, mit dem Anteil gültiger Stundenwerte. Der Jahresgrenzwert der "
        "EU-Luftqualitätsrichtlinie liegt bei 40 µg/m³, ab 2030 bei 20 µg/m³. Vorläufige "
        "Werte, nicht validiert.",
        UMWELTAMT,
        themes=("ENVI", "HEAL"),
        keywords=("Luftqualität", "Stickstoffdioxid", "NO2", "Luftreinhaltung", "Messstation"),
        frequency="QUARTERLY",
        columns=(
            MONAT,
            _text("station_id", "Stationskennung"),
            _text("station", "Messstation"),
            _text("stationstyp", "Stationstyp"),
            STADTTEIL,
            _number("no2_mittel", "NO₂-Monatsmittel", unit="µg/m³"),
            _number(
                "verfuegbarkeit_prozent",
                "Datenverfügbarkeit",
                "Anteil der gültigen Stundenwerte des Monats.",
                "%",
            ),
        ),
        releases=_monthly(
            today,
            rows_for,
            "no2-monatsmittel",
            lag=30,
            geometry=lambda row: points[row["station_id"]],
        ),
        dimensions=("monat", "station_id"),
        licence=DL_ZERO,
    )


def _rhein(today: date, scale: int) -> External:
    slug = "rhein-pegel-duesseldorf-tageswerte"

    def rows_for(year: int) -> list[dict]:
        rng = _rng(slug, year)
        first = date(year, 1, 1)
        days = (date(year + 1, 1, 1) - first).days
        events = [
            (
                rng.randint(0, 140) if rng.random() < 0.75 else rng.randint(300, 360),
                rng.uniform(150, 400),
                rng.uniform(5, 12),
            )
            for _ in range(rng.randint(2, 4))
        ]
        dry = rng.uniform(0, 80)  # how much lower late summer is this year
        rows, noise = [], 0.0
        for i in range(days):
            noise = 0.93 * noise + rng.gauss(0, 9)
            base = 360 + 140 * math.cos(2 * math.pi * (i - 50) / 365.25)
            base -= dry * math.exp(-(((i - 250) / 45) ** 2))
            flood = sum(h * math.exp(-(((i - c) / w) ** 2)) for c, h, w in events)
            level = max(55, round(base + 2 * noise + flood))
            temperature = 12.5 - 8.5 * math.cos(2 * math.pi * (i - 15) / 365.25)
            rows.append(
                {
                    "datum": first + timedelta(days=i),
                    "messstelle": "Pegel Düsseldorf (Rhein-km 744,2)",
                    "wasserstand_cm": level,
                    "abfluss_m3_s": round(300 + 4.6 * level + 0.003 * level**2),
                    "wassertemperatur_c": round(temperature + rng.gauss(0, 0.3), 1),
                }
            )
        return rows

    releases = tuple(
        ExternalRelease(issued, rows_for(issued.year - 1), None, f"pegel-{issued.year - 1}.csv")
        for issued in _yearly(today, 1, 20)
    )
    return _dataset(
        slug,
        "Rhein: Wasserstand und Abfluss am Pegel Düsseldorf (Tageswerte)",
        "Tagesmittel des Wasserstands (bezogen auf den Pegelnullpunkt), des Abflusses und der "
        "Wassertemperatur am Pegel Düsseldorf, je Kalenderjahr geprüft veröffentlicht. Der "
        "Pegel liegt am Rheinufer in der Altstadt.",
        WSA,
        themes=("ENVI", "TRAN"),
        keywords=("Rhein", "Pegel", "Wasserstand", "Hochwasser", "Niedrigwasser", "Abfluss"),
        frequency="ANNUAL",
        columns=(
            Column("datum", "date", "Datum"),
            _text("messstelle", "Messstelle"),
            _count("wasserstand_cm", "Wasserstand", "Tagesmittel über Pegelnullpunkt.", "cm"),
            _number("abfluss_m3_s", "Abfluss", "Tagesmittel.", "m³/s"),
            _number("wassertemperatur_c", "Wassertemperatur", "Tagesmittel.", "°C"),
        ),
        releases=releases,
        licence=DL_ZERO,
    )


def _photovoltaik(today: date, scale: int) -> External:
    slug = "photovoltaik-anlagen-stadtbezirk"
    roofs = {1: 0.4, 2: 0.5, 3: 0.6, 4: 1.3, 5: 2.2, 6: 0.9, 7: 1.6, 8: 1.0, 9: 1.4, 10: 1.3}
    whole = sum(people * roofs.get(n, 1.0) for n, _, people in _districts())
    inhabitants = sum(people for _, _, people in _districts())

    def rows_for(month: date) -> list[dict]:
        quarters = ((month.year - 2024) * 12 + month.month - 3) / 3  # since March 2024
        rows = []
        for number, name, people in _districts():
            rng = _rng(slug, _ym(month), number)
            share = people * roofs.get(number, 1.0) / whole
            roof = round(_vary(rng, 7_200 * share * (1 + 0.055 * quarters), 0.01))
            balconies = 2_100 * people / inhabitants * max(0.2, 1 + 0.2 * quarters)  # everywhere
            balcony = round(_vary(rng, balconies, 0.02))
            rows.append(
                {
                    "stichtag": _month_end(month),
                    "stadtbezirk": name,
                    "anlagen": roof + balcony,
                    "darunter_steckersolargeraete": balcony,
                    "leistung_kwp": round(roof * _vary(rng, 10.5, 0.03) + balcony * 0.78, 1),
                }
            )
        return rows

    cuts = _cuts(today, lag=45)
    first = date(cuts[0][1].year, 1, 1)
    months = [m for m in _months(first, cuts[-1][1]) if m.month % 3 == 0]
    return _dataset(
        slug,
        "Photovoltaik-Anlagen nach Stadtbezirk",
        "In Betrieb befindliche Photovoltaik-Anlagen und ihre installierte Leistung je "
        "Stadtbezirk am Quartalsende, darunter Steckersolargeräte („Balkonkraftwerke“), "
        "ausgewertet aus dem Marktstammdatenregister.",
        UMWELTAMT,
        themes=("ENER", "ENVI"),
        keywords=("Photovoltaik", "Solarenergie", "Balkonkraftwerk", "Energiewende", "MaStR"),
        frequency="QUARTERLY",
        columns=(
            Column("stichtag", "date", "Stichtag", "Letzter Tag des Quartals."),
            STADTBEZIRK,
            _count("anlagen", "Anlagen", unit="Anlagen"),
            _count("darunter_steckersolargeraete", "darunter Steckersolargeräte", unit="Anlagen"),
            _number("leistung_kwp", "Installierte Leistung", unit="kWp"),
        ),
        releases=_periodic(cuts, months, rows_for, "pv-anlagen", lambda _, m: _ym(m)),
        dimensions=("stichtag", "stadtbezirk"),
        licence=CC_BY,
    )


def _gruenflaechen(today: date, scale: int) -> External:
    slug = "gruenflaechen-stadtbezirk"
    green = {  # forest, parks, allotments, cemeteries, agriculture (ha)
        1: (0, 160, 8, 62, 0),
        2: (0, 48, 12, 4, 0),
        3: (20, 185, 40, 60, 260),
        4: (30, 110, 35, 14, 280),
        5: (520, 90, 25, 25, 1650),
        6: (240, 70, 45, 20, 180),
        7: (1150, 60, 30, 35, 520),
        8: (310, 95, 50, 25, 310),
        9: (160, 140, 40, 30, 520),
        10: (120, 40, 10, 8, 150),
    }
    rng = _rng(slug)
    rows = []
    for number, name, people in _districts():
        values = [round(_vary(rng, v, 0.03), 1) for v in green.get(number, (50, 50, 10, 10, 50))]
        total = round(sum(values), 1)
        rows.append(
            {
                "stadtbezirk": name,
                "flaeche_ha": round(AREA_KM2.get(number, 20.0) * 100, 1),
                "wald_ha": values[0],
                "parkanlagen_ha": values[1],
                "kleingaerten_ha": values[2],
                "friedhoefe_ha": values[3],
                "landwirtschaft_ha": values[4],
                "gruen_gesamt_ha": total,
                "gruen_je_einwohner_m2": round(total * 10_000 / people, 1),
            }
        )
    issued = _spread(today, 1, offset=40)[0]
    return _dataset(
        slug,
        "Grün- und Freiflächen je Stadtbezirk",
        "Flächen von Wald, öffentlichen Parkanlagen, Kleingärten, Friedhöfen und "
        "Landwirtschaft je Stadtbezirk in Hektar, aus dem Grünflächenkataster, und die "
        "Grünfläche je Einwohnerin und Einwohner.",
        GARTENAMT,
        themes=("ENVI", "REGI"),
        keywords=("Grünflächen", "Parks", "Wald", "Kleingärten", "Stadtklima"),
        frequency="IRREG",
        columns=(
            STADTBEZIRK,
            _number("flaeche_ha", "Fläche des Stadtbezirks", unit="ha"),
            _number("wald_ha", "Wald", unit="ha"),
            _number("parkanlagen_ha", "Parkanlagen", unit="ha"),
            _number("kleingaerten_ha", "Kleingärten", unit="ha"),
            _number("friedhoefe_ha", "Friedhöfe", unit="ha"),
            _number("landwirtschaft_ha", "Landwirtschaft", unit="ha"),
            _number("gruen_gesamt_ha", "Grün- und Freiflächen zusammen", unit="ha"),
            _number("gruen_je_einwohner_m2", "Grünfläche je Einwohnerin und Einwohner", unit="m²"),
        ),
        releases=(ExternalRelease(issued, rows, None, "gruenflaechenkataster-auszug.csv"),),
    )


TREES = (
    ("Ahorn", "Acer", 0.18),
    ("Linde", "Tilia", 0.17),
    ("Platane", "Platanus", 0.12),
    ("Eiche", "Quercus", 0.08),
    ("Hainbuche", "Carpinus", 0.06),
    ("Rosskastanie", "Aesculus", 0.05),
    ("Robinie", "Robinia", 0.05),
    ("Baumhasel", "Corylus", 0.04),
    ("Kirsche", "Prunus", 0.04),
    ("Esche", "Fraxinus", 0.03),
    ("Birke", "Betula", 0.03),
    ("Ulme", "Ulmus", 0.02),
    ("Sonstige Gattungen", "verschiedene", 0.13),
)


def _strassenbaeume(today: date, scale: int) -> External:
    slug = "strassenbaeume-stadtbezirk-gattung"
    weights = {n: people**0.7 * AREA_KM2.get(n, 20.0) ** 0.3 for n, _, people in _districts()}
    whole = sum(weights.values())
    planted = {"Baumhasel": 0.05, "Platane": 0.02, "Sonstige Gattungen": 0.03}
    felled = {"Esche": 0.035, "Rosskastanie": 0.02, "Birke": 0.015}

    def rows_for(year: int) -> list[dict]:
        rows = []
        for number, name, _ in _districts():
            rng = _rng(slug, year, number)
            for german, botanical, share in TREES:
                trees = round(_vary(rng, 76_000 * weights[number] / whole * share, 0.08))
                trees = round(trees * (1 + 0.004 * (year - 2024)))
                rows.append(
                    {
                        "jahr": year,
                        "stadtbezirk": name,
                        "gattung": german,
                        "gattung_botanisch": botanical,
                        "baeume": trees,
                        "neupflanzungen": _poisson(rng, trees * planted.get(german, 0.01)),
                        "faellungen": _poisson(rng, trees * felled.get(german, 0.008)),
                    }
                )
        return rows

    releases = tuple(
        ExternalRelease(
            issued, rows_for(issued.year - 1), None, f"baumkataster-{issued.year - 1}.csv"
        )
        for issued in _yearly(today, 3, 5)
    )
    return _dataset(
        slug,
        "Straßenbäume nach Stadtbezirk und Gattung",
        "Bäume an Straßen und Plätzen aus dem Baumkataster am 31. Dezember, je Stadtbezirk und "
        "Gattung, mit den Neupflanzungen und Fällungen des Jahres. Bäume in Parks und Wäldern "
        "sind nicht enthalten.",
        GARTENAMT,
        themes=("ENVI",),
        keywords=("Bäume", "Straßenbäume", "Baumkataster", "Stadtgrün", "Klimaanpassung"),
        frequency="ANNUAL",
        columns=(
            JAHR,
            STADTBEZIRK,
            _text("gattung", "Gattung"),
            _text("gattung_botanisch", "Gattung (botanisch)"),
            _count("baeume", "Bäume", "Bestand am 31. Dezember.", "Bäume"),
            _count("neupflanzungen", "Neupflanzungen", unit="Bäume"),
            _count("faellungen", "Fällungen", unit="Bäume"),
        ),
        releases=releases,
        dimensions=("jahr", "stadtbezirk", "gattung"),
    )


# --- Kultur, Bildung, Sport -----------------------------------------------------------------

LIBRARIES = (  # branch, Stadtteil, loans per month, visits per month
    ("Zentralbibliothek", "013", 95_000, 105_000),
    ("Benrath", "095", 14_000, 9_000),
    ("Bilk", "036", 16_000, 10_000),
    ("Derendorf", "015", 9_000, 6_000),
    ("Eller", "082", 13_000, 8_500),
    ("Flingern", "022", 11_000, 7_500),
    ("Garath", "101", 7_000, 5_000),
    ("Gerresheim", "071", 12_500, 8_000),
    ("Hassels", "098", 4_500, 3_500),
    ("Holthausen", "093", 5_500, 4_000),
    ("Kaiserswerth", "053", 8_500, 5_500),
    ("Oberkassel", "041", 12_000, 7_500),
    ("Rath", "063", 7_500, 5_200),
    ("Unterrath", "062", 8_000, 5_400),
    ("Wersten", "091", 8_500, 5_800),
)


def _weekdays(month: date, days: set[int]) -> int:
    total = calendar.monthrange(month.year, month.month)[1]
    return sum(date(month.year, month.month, d).weekday() in days for d in range(1, total + 1))


def _buechereien(today: date, scale: int) -> External:
    slug = "stadtbuechereien-ausleihen-besuche"
    closed = {_add_months(date(today.year - 1, 6, 1), k) for k in range(3)}

    def rows_for(month: date) -> list[dict]:
        rows = []
        for branch, q, loans, visits in LIBRARIES:
            rng = _rng(slug, _ym(month), branch)
            central = branch == "Zentralbibliothek"
            days = _weekdays(month, {0, 1, 2, 3, 4, 5} if central else {1, 2, 3, 4, 5})
            shut = branch == "Derendorf" and month in closed
            factor = days / (25 if central else 21) * (0.9 if month.month == 12 else 1.0)
            rows.append(
                {
                    "monat": _ym(month),
                    "zweigstelle": branch,
                    "stadtbezirk": _quarter(q).district,
                    "oeffnungstage": 0 if shut else days,
                    "ausleihen": 0
                    if shut
                    else round(_vary(rng, loans * factor * _season(month.month, 1, 0.05), 0.05)),
                    "besuche": 0
                    if shut
                    else round(_vary(rng, visits * factor * _season(month.month, 1, 0.08), 0.06)),
                    "veranstaltungen": 0 if shut else _poisson(rng, 40 if central else 6),
                }
            )
        return rows

    return _dataset(
        slug,
        "Stadtbüchereien: Ausleihen und Besuche je Zweigstelle und Monat",
        "Ausleihen (einschließlich Verlängerungen, ohne digitale Medien), gezählte Besuche, "
        "Öffnungstage und Veranstaltungen der Zentralbibliothek und der Stadtteilbüchereien. "
        "Die Stadtteilbücherei Derendorf war im Sommer des Vorjahres wegen Umbaus drei Monate "
        "geschlossen.",
        BUECHEREIEN,
        themes=("EDUC",),
        keywords=("Bibliothek", "Stadtbücherei", "Ausleihen", "Besuche", "Kultur"),
        frequency="QUARTERLY",
        columns=(
            MONAT,
            _text("zweigstelle", "Zweigstelle"),
            STADTBEZIRK,
            _count("oeffnungstage", "Öffnungstage", unit="Tage"),
            _count("ausleihen", "Ausleihen", unit="Medien"),
            _count("besuche", "Besuche", unit="Besuche"),
            _count("veranstaltungen", "Veranstaltungen", unit="Veranstaltungen"),
        ),
        releases=_monthly(today, rows_for, "buechereien", lag=14),
        dimensions=("monat", "zweigstelle"),
        licence=CC_BY,
    )


MUSEUMS = (  # name, visits per month, month of the peak, amplitude
    ("Kunstpalast", 26_000, 11, 0.15),
    ("Schloss Benrath", 11_000, 6, 0.3),
    ("Aquazoo Löbbecke Museum", 28_000, 1, 0.2),
    ("Filmmuseum", 4_200, 1, 0.15),
    ("Stadtmuseum", 3_500, 11, 0.1),
    ("Theatermuseum", 1_600, 2, 0.1),
    ("Hetjens – Deutsches Keramikmuseum", 2_100, 10, 0.1),
    ("Goethe-Museum", 1_500, 4, 0.1),
    ("SchifffahrtMuseum im Schlossturm", 2_600, 7, 0.25),
    ("Kunsthalle", 5_200, 3, 0.15),
)


def _museen(today: date, scale: int) -> External:
    slug = "museen-besuche-monat"
    exhibitions = {
        (name, _add_months(date(today.year - 2, 1, 1), start + k))
        for name, start in (("Kunstpalast", 2), ("Kunstpalast", 17), ("Kunsthalle", 9))
        for k in range(4)
    }

    def rows_for(month: date) -> list[dict]:
        rows = []
        for name, visits, peak, amplitude in MUSEUMS:
            rng = _rng(slug, _ym(month), name)
            days = _weekdays(month, {1, 2, 3, 4, 5, 6})
            boost = 1.55 if (name, month) in exhibitions else 1.0
            count = round(_vary(rng, visits * boost * _season(month.month, peak, amplitude), 0.08))
            rows.append(
                {
                    "monat": _ym(month),
                    "museum": name,
                    "oeffnungstage": days,
                    "besuche": count,
                    "darunter_unter_18_jahre": round(count * _vary(rng, 0.22, 0.15)),
                    "veranstaltungen": _poisson(rng, 3 + visits / 2_500),
                }
            )
        return rows

    return _dataset(
        slug,
        "Museen: Besuche je Haus und Monat",
        "Besuche der städtischen Museen und Ausstellungshäuser je Monat, darunter Kinder und "
        "Jugendliche unter 18 Jahren (freier Eintritt), mit Öffnungstagen und Veranstaltungen. "
        "Große Sonderausstellungen heben die Zahlen einzelner Monate deutlich.",
        KULTURAMT,
        themes=("EDUC",),
        keywords=("Museum", "Kultur", "Besucherzahlen", "Ausstellung"),
        frequency="QUARTERLY",
        columns=(
            MONAT,
            _text("museum", "Museum"),
            _count("oeffnungstage", "Öffnungstage", unit="Tage"),
            _count("besuche", "Besuche", unit="Besuche"),
            _count("darunter_unter_18_jahre", "darunter unter 18 Jahre", unit="Besuche"),
            _count("veranstaltungen", "Veranstaltungen", unit="Veranstaltungen"),
        ),
        releases=_monthly(today, rows_for, "museen", lag=21),
        dimensions=("monat", "museum"),
    )


VHS_AREAS = (  # area, courses per term, hours per course, participants per course, women
    ("Politik, Gesellschaft, Umwelt", 260, 8, 11, 0.6),
    ("Kultur und Gestalten", 420, 16, 9, 0.78),
    ("Gesundheit", 520, 14, 10, 0.82),
    ("Sprachen", 780, 30, 10, 0.64),
    ("Arbeit, Beruf und digitale Bildung", 300, 18, 9, 0.55),
    ("Grundbildung und Schulabschlüsse", 60, 160, 14, 0.5),
    ("Deutsch als Fremdsprache und Integrationskurse", 240, 140, 15, 0.58),
)


def _vhs(today: date, scale: int) -> External:
    slug = "vhs-kurse-belegungen-fachbereich"

    def rows_for(term: tuple[int, int]) -> list[dict]:
        year, half = term
        rows = []
        for area, courses, hours, people, women in VHS_AREAS:
            rng = _rng(slug, year, half, area)
            count = round(_vary(rng, courses * (1.05 if half == 2 else 1.0), 0.05))
            rows.append(
                {
                    "semester": f"{year}/{half}",
                    "fachbereich": area,
                    "kurse": count,
                    "unterrichtsstunden": round(count * _vary(rng, hours, 0.05)),
                    "belegungen": round(count * _vary(rng, people, 0.05)),
                    "anteil_frauen_prozent": round(100 * _vary(rng, women, 0.03), 1),
                }
            )
        return rows

    candidates = [
        (date(year, month, 15), (year - 1 if half == 2 else year, half))
        for year in range(today.year - 2, today.year + 1)
        for month, half in ((2, 2), (8, 1))
    ]
    cuts = sorted(c for c in candidates if _in_window(today, c[0]))[-4:]
    terms = [(y, h) for y in range(today.year - 3, today.year + 1) for h in (1, 2)]
    terms = [t for t in terms if cuts and t <= cuts[-1][1]]
    return _dataset(
        slug,
        "Volkshochschule: Kurse und Belegungen je Fachbereich",
        "Durchgeführte Kurse, Unterrichtsstunden und Belegungen der Volkshochschule je "
        "Semester und Fachbereich, mit dem Anteil der Frauen an den Belegungen. Semester "
        "„JJJJ/1“ ist das Frühjahrssemester (Februar bis Juli), „JJJJ/2“ das Herbstsemester.",
        VHS,
        themes=("EDUC",),
        keywords=("Volkshochschule", "Weiterbildung", "Kurse", "Integrationskurse", "Sprachen"),
        frequency="IRREG",
        columns=(
            _text("semester", "Semester"),
            _text("fachbereich", "Fachbereich"),
            _count("kurse", "Kurse", unit="Kurse"),
            _count("unterrichtsstunden", "Unterrichtsstunden", "Zu 45 Minuten.", "Stunden"),
            _count("belegungen", "Belegungen", unit="Belegungen"),
            _number("anteil_frauen_prozent", "Anteil Frauen", unit="%"),
        ),
        releases=_periodic(cuts, terms, rows_for, "vhs-statistik", lambda _, t: f"{t[0]}-{t[1]}"),
        dimensions=("semester", "fachbereich"),
        temporal=_terms_covered(terms),
    )


def _terms_covered(terms: Sequence[tuple[int, int]]) -> tuple[date, date] | None:
    if not terms:
        return None
    (first, _), (year, half) = terms[0], terms[-1]
    return date(first, 2, 1), date(year, 7, 31) if half == 1 else date(year + 1, 1, 31)


SCHOOL_TYPES = (  # form, count, pupils, name prefixes
    ("Grundschule", 88, 250, ("Gemeinschaftsgrundschule", "Katholische Grundschule")),
    ("Hauptschule", 4, 300, ("Städtische Hauptschule",)),
    ("Realschule", 11, 600, ("Städtische Realschule",)),
    ("Sekundarschule", 2, 500, ("Städtische Sekundarschule",)),
    ("Gesamtschule", 9, 1_100, ("Städtische Gesamtschule",)),
    ("Gymnasium", 18, 900, ("Städtisches Gymnasium", "Privates Gymnasium")),
    ("Förderschule", 12, 140, ("Förderschule Lernen", "Förderschule Sprache")),
    ("Berufskolleg", 9, 2_500, ("Städtisches Berufskolleg",)),
)


def _schulen(today: date, scale: int) -> External:
    slug = "schulen-standorte"
    rng = _rng(slug)
    numbers = rng.sample(range(100_000, 200_000), 300 * scale)
    places: list[_Place] = []
    weights: dict[bool, Callable[[_Quarter], float]] = {
        False: lambda q: q.population,
        True: lambda q: q.population * (3 if q.youth > 0.3 else 1),  # Berufskollegs: central
    }
    for form, count, pupils, prefixes in SCHOOL_TYPES:
        for _ in range(count * scale):
            q = _pick_quarter(rng, weights[form == "Berufskolleg"])
            prefix = (
                rng.choice(prefixes) if form != "Grundschule" or rng.random() < 0.3 else prefixes[0]
            )
            lage = rng.choice(STREETS)
            number = str(numbers[len(places)])
            size = _vary(rng, pupils, 0.25)
            places.append(
                _Place(
                    row={
                        "schulnummer": number,
                        "schulname": f"{prefix} {lage}",
                        "schulform": form,
                        "traegerschaft": "privat" if prefix.startswith("Privat") else "Stadt",
                        **_area(q),
                        "lage": lage,
                        "ganztag": _yes(rng, 0.95 if form == "Grundschule" else 0.6),
                    },
                    geometry=_point(rng, q.latitude, q.longitude),
                    extra={"pupils": size, "per_class": 24 if form != "Förderschule" else 11},
                )
            )
    places.sort(key=lambda p: p.row["schulnummer"])
    releases = []
    for issued in _yearly(today, 11, 5):
        year = issued.year
        rows, geometries = [], []
        for place in places:
            prng = _rng(slug, place.row["schulnummer"], year)
            pupils = max(40, round(_vary(prng, place.extra["pupils"], 0.03)))
            rows.append(
                {
                    **place.row,
                    "schuljahr": f"{year}/{(year + 1) % 100:02d}",
                    "schuelerinnen_und_schueler": pupils,
                    "klassen": max(2, round(pupils / place.extra["per_class"])),
                }
            )
            geometries.append(dict(place.geometry))
        releases.append(ExternalRelease(issued, rows, geometries, f"schulen-{year}.geojson"))
    return _dataset(
        slug,
        "Schulen: Standorte, Schulformen und Schülerzahlen",
        "Allgemeinbildende Schulen und Berufskollegs mit Schulform, Trägerschaft, Lage, "
        "Ganztagsangebot und der Zahl der Schülerinnen und Schüler und Klassen zum Stichtag "
        "der amtlichen Schulstatistik (15. Oktober).",
        SCHULAMT,
        themes=("EDUC",),
        keywords=("Schulen", "Schulform", "Schülerzahlen", "Grundschule", "Gymnasium"),
        frequency="ANNUAL",
        columns=(
            _text("schulnummer", "Schulnummer", "Sechsstellige Schulnummer des Landes."),
            _text("schulname", "Schulname"),
            _text("schulform", "Schulform"),
            _text("traegerschaft", "Trägerschaft"),
            STADTTEIL,
            STADTBEZIRK,
            LAGE,
            _text("ganztag", "Ganztagsangebot", "ja oder nein."),
            _text("schuljahr", "Schuljahr"),
            _count("schuelerinnen_und_schueler", "Schülerinnen und Schüler", unit="Personen"),
            _count("klassen", "Klassen", unit="Klassen"),
        ),
        releases=tuple(releases),
    )


SPORT_TYPES = (  # kind, weight, area range (m²), surfaces
    ("Sporthalle", 0.42, (400, 1_300), ("Sportboden",)),
    ("Sportplatz", 0.24, (5_000, 9_000), ("Kunstrasen", "Naturrasen", "Tennenbelag")),
    ("Bezirkssportanlage", 0.05, (15_000, 45_000), ("Kunstrasen und Laufbahn",)),
    ("Hallenbad", 0.03, (800, 2_500), ("Wasserfläche",)),
    ("Freibad", 0.02, (8_000, 30_000), ("Wasserfläche",)),
    ("Tennisanlage", 0.07, (2_000, 8_000), ("Sand", "Kunststoff")),
    ("Skateanlage", 0.04, (300, 2_000), ("Beton",)),
    ("Bolzplatz", 0.09, (600, 2_500), ("Kunstrasen", "Asphalt", "Rasen")),
    ("Gymnastikraum", 0.04, (100, 300), ("Sportboden",)),
)


def _sportstaetten(today: date, scale: int) -> External:
    slug = "sportstaetten"
    rng = _rng(slug)
    dates = _spread(today, 2, offset=17)
    places = []
    for i in range(130 * scale):
        kind, _, (low, high), surfaces = rng.choices(SPORT_TYPES, [t[1] for t in SPORT_TYPES])[0]
        q = _pick_quarter(rng, lambda q: q.population**0.8)
        lage = rng.choice(STREETS)
        new = rng.random() < 0.04
        places.append(
            _Place(
                row={
                    "sportstaette_id": f"SPS-{i + 1:04d}",
                    "bezeichnung": f"{kind} {lage}",
                    "art": kind,
                    **_area(q),
                    "lage": lage,
                    "flaeche_m2": round(rng.uniform(low, high), -1),
                    "belag": rng.choice(surfaces),
                    "baujahr": dates[-1].year if new else rng.randint(1955, today.year - 2),
                    "vereinsnutzung": _yes(rng, 0.8),
                },
                geometry=_point(rng, q.latitude, q.longitude),
                since=dates[-1] - timedelta(days=30) if new else LONG_AGO,
            )
        )
    return _dataset(
        slug,
        "Sportstätten",
        "Städtische Sporthallen, Sportplätze, Bäder und weitere Sportanlagen mit Art, Lage, "
        "Größe, Belag, Baujahr und der Angabe, ob Vereine sie nutzen.",
        SPORTAMT,
        themes=("EDUC", "REGI"),
        keywords=("Sport", "Sporthalle", "Sportplatz", "Schwimmbad", "Vereinssport"),
        frequency="IRREG",
        columns=(
            _text("sportstaette_id", "Kennung"),
            _text("bezeichnung", "Bezeichnung"),
            _text("art", "Art"),
            STADTTEIL,
            STADTBEZIRK,
            LAGE,
            _number("flaeche_m2", "Nutzfläche", unit="m²"),
            _text("belag", "Belag"),
            Column("baujahr", "year", "Baujahr"),
            _text("vereinsnutzung", "Vereinsnutzung", "ja oder nein."),
        ),
        releases=_lists(places, dates, "sportstaetten"),
        temporal=None,
    )


def _sportvereine(today: date, scale: int) -> External:
    slug = "vereinsregister-sportvereine-demo"
    rng = _rng(slug)
    kinds = (
        ("Turn- und Sportverein", "Turnen, Fußball, Leichtathletik", "tus"),
        ("Sportfreunde", "Fußball, Tischtennis", "sf"),
        ("Ballspielverein", "Fußball, Handball", "bv"),
        ("Schwimmverein", "Schwimmen, Wasserball", "sv"),
        ("Tennisclub", "Tennis", "tc"),
        ("Tischtennisclub", "Tischtennis", "ttc"),
        ("Ruderverein", "Rudern", "rv"),
        ("Kanu-Club", "Kanu", "kc"),
        ("Reitverein", "Reiten", "rfv"),
        ("Schachklub", "Schach", "sk"),
        ("Judo-Club", "Judo, Ju-Jutsu", "jc"),
        ("Basketballverein", "Basketball", "bbv"),
        ("Hockeyclub", "Hockey", "hc"),
        ("Turnverein", "Turnen, Gymnastik", "tv"),
    )
    clubs, used = [], set()
    while len(clubs) < 60:
        kind, sports, short = rng.choice(kinds)
        q = _pick_quarter(rng, lambda q: q.population**0.6)
        name = f"{kind} {q.name} e. V."
        if name in used:
            continue
        used.add(name)
        members = round(rng.lognormvariate(5.6, 0.8))
        ascii_name = q.name.lower().translate(UMLAUTS)
        clubs.append(
            {
                "verein_id": f"VR-{len(clubs) + 1:03d}",
                "verein": name,
                **_area(q),
                "sportarten": sports,
                "mitglieder": members,
                "darunter_kinder_und_jugendliche": round(members * rng.uniform(0.15, 0.55)),
                "gruendungsjahr": round(rng.triangular(1860, 2022, 1968)),
                "kontakt_email": f"{short}-{ascii_name}@example.org",
            }
        )
    columns = (
        _text("verein_id", "Kennung"),
        _text("verein", "Verein"),
        STADTTEIL,
        STADTBEZIRK,
        _text("sportarten", "Sportarten"),
        _count("mitglieder", "Mitglieder", unit="Personen"),
        _count(
            "darunter_kinder_und_jugendliche", "darunter Kinder und Jugendliche", unit="Personen"
        ),
        Column("gruendungsjahr", "year", "Gründungsjahr"),
        _text("kontakt_email", "Kontakt (E-Mail)", "Vom Verein angegebene Kontaktadresse."),
    )
    earlier = columns[:-1]
    dates = [_window_start(today) + timedelta(days=150), _window_start(today) + timedelta(days=450)]
    releases = []
    for index, issued in enumerate(dates):
        shown = clubs[: 52 + 4 * index]
        rows = [{c.name: club[c.name] for c in earlier} for club in shown]
        for row in rows:
            row["mitglieder"] = round(row["mitglieder"] * (0.94 + 0.03 * index))
            row["darunter_kinder_und_jugendliche"] = min(
                row["mitglieder"], row["darunter_kinder_und_jugendliche"]
            )
        releases.append(
            ExternalRelease(issued, rows, None, f"sportvereine-{issued:%Y-%m}.csv", earlier)
        )
    latest = today - timedelta(days=12)
    releases.append(
        ExternalRelease(latest, [dict(c) for c in clubs], None, f"sportvereine-{latest:%Y-%m}.xlsx")
    )
    return _dataset(
        slug,
        "Sportvereine in Düsseldorf (Auszug aus dem Vereinsregister)",
        "Eingetragene Sportvereine mit Sitz in Düsseldorf, Sportarten, Mitgliederzahlen und "
        "Gründungsjahr, nach der Bestandserhebung des Sportamts. Die neueste Lieferung enthält "
        "zusätzlich eine Spalte mit Kontaktadressen der Vereine; sie wird vor der "
        "Veröffentlichung von einer Datenverantwortlichen geprüft.",
        SPORTAMT,
        themes=("EDUC", "SOCI"),
        keywords=("Sportvereine", "Vereinsregister", "Ehrenamt", "Sport"),
        frequency="IRREG",
        columns=columns,
        releases=tuple(releases),
        temporal=None,
    )


# --- Orte (GeoJSON) ---------------------------------------------------------------------------

PLAY_GROUPS = ("Kleinkinder (0–6 Jahre)", "Kinder (6–12 Jahre)", "Kinder und Jugendliche")
PLAY_THINGS = (
    "Sandkasten", "Schaukel", "Rutsche", "Klettergerüst", "Wippe", "Wasserspiel", "Seilbahn",
    "Tischtennisplatte", "Trampolin", "Karussell", "Balancierbalken", "Spielhaus",
)  # fmt: skip


def _spielplaetze(today: date, scale: int) -> External:
    slug = "spielplaetze"
    rng = _rng(slug)
    dates = _spread(today, 2, offset=11)
    places = []
    for i in range(150 * scale):
        q = _pick_quarter(rng, lambda q: q.population**0.8)
        lage = rng.choice(STREETS)
        new = rng.random() < 0.05
        gone = not new and rng.random() < 0.02
        since = dates[0] + timedelta(days=rng.randint(20, 300)) if new else LONG_AGO
        things = rng.sample(PLAY_THINGS, rng.randint(2, 5))
        places.append(
            _Place(
                row={
                    "spielplatz_id": f"SP-{i + 1:04d}",
                    "bezeichnung": f"Spielplatz {lage}",
                    **_area(q),
                    "lage": lage,
                    "zielgruppe": rng.choices((*PLAY_GROUPS, "alle Altersgruppen"), (3, 3, 2, 2))[
                        0
                    ],
                    "flaeche_m2": round(min(12_000, rng.lognormvariate(7.3, 0.6)), -1),
                    "spielgeraete": rng.randint(len(things), 16),
                    "ausstattung": ", ".join(things),
                    "barrierearm": _yes(rng, 0.25),
                    "eroeffnet": since.year if new else rng.randint(1965, today.year - 3),
                },
                geometry=_point(rng, q.latitude, q.longitude, 0.008),
                since=since,
                until=dates[0] + timedelta(days=rng.randint(20, 300)) if gone else None,
            )
        )
    return _dataset(
        slug,
        "Spielplätze",
        "Öffentliche Spielplätze mit Lage, Zielgruppe, Fläche, Zahl der Spielgeräte und "
        "Ausstattung. Punkte liegen ungefähr in der Mitte der Anlage.",
        GARTENAMT,
        themes=("SOCI", "REGI"),
        keywords=("Spielplatz", "Kinder", "Freizeit", "Familie", "Geodaten"),
        frequency="IRREG",
        columns=(
            _text("spielplatz_id", "Kennung"),
            _text("bezeichnung", "Bezeichnung"),
            STADTTEIL,
            STADTBEZIRK,
            LAGE,
            _text("zielgruppe", "Zielgruppe"),
            _number("flaeche_m2", "Fläche", unit="m²"),
            _count("spielgeraete", "Spielgeräte", unit="Geräte"),
            _text("ausstattung", "Ausstattung (Auswahl)"),
            _text("barrierearm", "Barrierearm", "ja oder nein."),
            Column("eroeffnet", "year", "Eröffnet", "Jahr der Eröffnung oder Neugestaltung."),
        ),
        releases=_lists(places, dates, "spielplaetze"),
        temporal=None,
    )


def _toiletten(today: date, scale: int) -> External:
    slug = "oeffentliche-toiletten"
    rng = _rng(slug)
    kinds = (
        ("City-Toilette", 0.35, "rund um die Uhr", (0.5,)),
        ("Toilettenpavillon", 0.2, "6 bis 22 Uhr", (0.5, 1.0)),
        ("Toilette im öffentlichen Gebäude", 0.25, "zu den Öffnungszeiten des Gebäudes", (0.0,)),
        ("Nette Toilette (Gastronomie)", 0.2, "zu den Öffnungszeiten des Betriebs", (0.0,)),
    )
    spots = ("Marktplatz", "Stadtbahnhaltestelle", "Rheinufer", "Park", "Bürgerbüro", "Friedhof")
    dates = _spread(today, 2, offset=3)
    places = []
    for i in range(60 * scale):
        kind, _, hours, fees = rng.choices(kinds, [k[1] for k in kinds])[0]
        q = _pick_quarter(rng, lambda q: q.population * (4 if q.district_number == 1 else 1))
        new = rng.random() < 0.06
        places.append(
            _Place(
                row={
                    "toilette_id": f"WC-{i + 1:03d}",
                    "standort": f"{rng.choice(spots)} {q.name}",
                    **_area(q),
                    "lage": rng.choice(STREETS),
                    "art": kind,
                    "barrierefrei": _yes(rng, 0.6),
                    "wickeltisch": _yes(rng, 0.4),
                    "geoeffnet": hours,
                    "entgelt_eur": rng.choice(fees),
                },
                geometry=_point(rng, q.latitude, q.longitude),
                since=dates[0] + timedelta(days=60) if new else LONG_AGO,
            )
        )
    return _dataset(
        slug,
        "Öffentliche Toiletten",
        "Öffentlich zugängliche Toiletten: City-Toiletten, Pavillons, Toiletten in städtischen "
        "Gebäuden und Betriebe der „Netten Toilette“, mit Öffnungszeiten, Entgelt und Angaben "
        "zu Barrierefreiheit und Wickeltisch.",
        GEBAEUDE,
        themes=("HEAL", "REGI"),
        keywords=("Toiletten", "Barrierefreiheit", "Nette Toilette", "Geodaten"),
        frequency="IRREG",
        columns=(
            _text("toilette_id", "Kennung"),
            _text("standort", "Standort"),
            STADTTEIL,
            STADTBEZIRK,
            LAGE,
            _text("art", "Art"),
            _text("barrierefrei", "Barrierefrei", "ja oder nein."),
            _text("wickeltisch", "Wickeltisch", "ja oder nein."),
            _text("geoeffnet", "Geöffnet"),
            _number("entgelt_eur", "Entgelt", "Je Benutzung.", "EUR"),
        ),
        releases=_lists(places, dates, "toiletten"),
        temporal=None,
        licence=CC_BY,
    )


def _ladesaeulen(today: date, scale: int) -> External:
    slug = "ladesaeulen-elektromobilitaet"
    rng = _rng(slug)
    operators = (
        "Stadtwerke (Demo)",
        "Rheinstrom Laden GmbH (Demo)",
        "Schnelllade-Netz AG (Demo)",
        "Parkhausbetrieb (Demo)",
        "Handelskette (Demo)",
    )
    types = (
        (11, 2, "Typ 2", 0.3),
        (22, 2, "Typ 2", 0.45),
        (50, 2, "Typ 2, CCS", 0.1),
        (150, 4, "CCS", 0.1),
        (300, 6, "CCS, CHAdeMO", 0.05),
    )
    places = []
    for i in range(200 * scale):
        power, points, plugs, _ = rng.choices(types, [t[3] for t in types])[0]
        q = _pick_quarter(rng, lambda q: q.population)
        since = today - timedelta(days=int(3_300 * rng.random() ** 1.8) + 3)
        places.append(
            _Place(
                row={
                    "ladestation_id": f"LS-{i + 1:04d}",
                    "betreiber": rng.choice(operators),
                    **_area(q),
                    "lage": rng.choice(STREETS),
                    "ladepunkte": points,
                    "ladeleistung_kw": float(power),
                    "steckertypen": plugs,
                    "zugang": rng.choices(("öffentlich", "Kundenparkplatz"), (4, 1))[0],
                    "inbetriebnahme": since,
                },
                geometry=_point(rng, q.latitude, q.longitude, 0.007),
                since=since,
            )
        )
    dates = [issued for issued, _ in _cuts(today, lag=12)]
    return _dataset(
        slug,
        "Ladesäulen für Elektrofahrzeuge",
        "Öffentlich zugängliche Ladestationen mit Betreiber, Lage, Zahl der Ladepunkte, "
        "höchster Ladeleistung, Steckertypen und Tag der Inbetriebnahme. Die Liste wächst mit "
        "jeder Lieferung.",
        VERKEHRSAMT,
        themes=("TRAN", "ENER"),
        keywords=("Elektromobilität", "Ladesäulen", "Ladeinfrastruktur", "E-Auto", "Geodaten"),
        frequency="QUARTERLY",
        columns=(
            _text("ladestation_id", "Kennung"),
            _text("betreiber", "Betreiber"),
            STADTTEIL,
            STADTBEZIRK,
            LAGE,
            _count("ladepunkte", "Ladepunkte", unit="Ladepunkte"),
            _number("ladeleistung_kw", "Höchste Ladeleistung", unit="kW"),
            _text("steckertypen", "Steckertypen"),
            _text("zugang", "Zugang"),
            Column("inbetriebnahme", "date", "Inbetriebnahme"),
        ),
        releases=_lists(places, dates, "ladesaeulen"),
        temporal=None,
    )


def _parkhaeuser(today: date, scale: int) -> External:
    slug = "parkhaeuser-stellplaetze"
    rng = _rng(slug)
    central = {"011", "012", "013", "014", "015", "031", "032", "036", "041", "095"}
    suffixes = ("Nord", "Süd", "Ost", "West", "Mitte", "am Markt", "am Bahnhof")
    dates = _spread(today, 2, offset=23)
    places, used = [], set()
    while len(places) < 40 * scale:
        q = _pick_quarter(rng, lambda q: q.population * (8 if q.number in central else 0.3))
        if q.number in central:
            kind = rng.choice(("Parkhaus", "Tiefgarage"))
        else:
            kind = "Park-and-ride-Platz"
        name = f"{kind} {q.name} {rng.choice(suffixes)}"
        if name in used:
            # Scale 1 draws again; larger cities number the copies, because the
            # distinct names (about 400) run out long before 40 × scale places.
            if scale == 1:
                continue
            name = f"{name} {len(places) + 1}"
        used.add(name)
        low, high = {"Parkhaus": (250, 900), "Tiefgarage": (150, 650)}.get(kind, (60, 400))
        spaces = rng.randint(low, high)
        ride = kind == "Park-and-ride-Platz"
        places.append(
            _Place(
                row={
                    "parkhaus_id": f"PH-{len(places) + 1:03d}",
                    "name": name,
                    "art": kind,
                    **_area(q),
                    "lage": rng.choice(STREETS),
                    "stellplaetze": spaces,
                    "davon_behindertenstellplaetze": max(1, round(spaces * 0.02)),
                    "davon_frauenparkplaetze": 0 if ride else round(spaces * 0.05),
                    "davon_e_ladeplaetze": round(spaces * rng.uniform(0.0, 0.08)),
                    "geoeffnet": "rund um die Uhr"
                    if ride or rng.random() < 0.4
                    else "6 bis 24 Uhr",
                    "tarif_eur_je_stunde": 0.0 if ride else rng.choice((2.0, 2.5, 3.0, 3.5)),
                },
                geometry=_point(rng, q.latitude, q.longitude, 0.004),
            )
        )
    return _dataset(
        slug,
        "Parkhäuser, Tiefgaragen und Park-and-ride-Plätze",
        "Parkhäuser und Tiefgaragen in der Innenstadt und den Stadtteilzentren sowie "
        "Park-and-ride-Plätze am Stadtrand, mit Zahl der Stellplätze, besonderen Stellplätzen, "
        "Öffnungszeiten und Stundentarif.",
        VERKEHRSAMT,
        themes=("TRAN",),
        keywords=("Parken", "Parkhaus", "Park and Ride", "Stellplätze", "Geodaten"),
        frequency="IRREG",
        columns=(
            _text("parkhaus_id", "Kennung"),
            _text("name", "Bezeichnung"),
            _text("art", "Art"),
            STADTTEIL,
            STADTBEZIRK,
            LAGE,
            _count("stellplaetze", "Stellplätze", unit="Stellplätze"),
            _count("davon_behindertenstellplaetze", "davon für Menschen mit Behinderung"),
            _count("davon_frauenparkplaetze", "davon Frauenparkplätze"),
            _count("davon_e_ladeplaetze", "davon mit Ladepunkt"),
            _text("geoeffnet", "Geöffnet"),
            _number("tarif_eur_je_stunde", "Tarif je Stunde", unit="EUR"),
        ),
        releases=_lists(places, dates, "parkhaeuser"),
        temporal=None,
    )


CEMETERIES = (
    ("Nordfriedhof", "016", 70.0),
    ("Südfriedhof", "038", 40.0),
    ("Waldfriedhof Gerresheim", "073", 31.0),
    ("Stoffeler Friedhof", "036", 25.0),
    ("Friedhof Eller", "082", 12.0),
    ("Friedhof Benrath", "095", 9.5),
    ("Friedhof Heerdt", "042", 8.0),
    ("Friedhof Unterrath", "062", 11.0),
    ("Friedhof Itter", "097", 2.5),
    ("Friedhof Kaiserswerth", "053", 4.0),
    ("Friedhof Wittlaer", "054", 2.8),
    ("Friedhof Urdenbach", "096", 5.0),
    ("Friedhof Hubbelrath", "074", 1.6),
    ("Alter Friedhof Gerresheim", "071", 2.0),
    ("Friedhof Unterbach", "084", 3.2),
    ("Friedhof Garath", "101", 6.0),
    ("Friedhof Lohausen", "052", 2.4),
    ("Friedhof Himmelgeist", "092", 1.2),
    ("Friedhof Angermund", "055", 2.1),
    ("Friedhof Vennhausen", "083", 3.0),
    ("Friedhof Hamm", "034", 1.8),
    ("Friedhof Wersten", "091", 4.5),
)


def _friedhoefe(today: date, scale: int) -> External:
    slug = "friedhoefe"
    rng = _rng(slug)
    places = []
    for copy in range(1, scale + 1):
        for name, number, hectares in CEMETERIES:
            q = _quarter(number)
            kinds = ["Sarg", "Urne"]
            if hectares > 5 or rng.random() < 0.3:
                kinds.append("Baumbestattung")
            if hectares > 20:
                kinds.append("muslimisches Grabfeld")
            places.append(
                _Place(
                    row={
                        "friedhof_id": f"FH-{len(places) + 1:03d}",
                        "name": name if copy == 1 else f"{name} (Demo {copy})",
                        **_area(q),
                        "flaeche_ha": round(_vary(rng, hectares, 0.03), 1),
                        "grabstaetten": round(hectares * rng.uniform(900, 1_300)),
                        "bestattungsarten": ", ".join(kinds),
                        "trauerhalle": "ja" if hectares > 3 else _yes(rng, 0.3),
                        "geoeffnet": rng.choice(
                            ("7 bis 20 Uhr (Winter bis 17 Uhr)", "8 bis 19 Uhr")
                        ),
                    },
                    geometry=_point(rng, q.latitude, q.longitude, 0.004),
                )
            )
    return _dataset(
        slug,
        "Friedhöfe",
        "Städtische Friedhöfe mit Fläche, Zahl der Grabstätten, angebotenen Bestattungsarten, "
        "Trauerhalle und Öffnungszeiten.",
        GARTENAMT,
        themes=("REGI", "SOCI"),
        keywords=("Friedhof", "Bestattung", "Grabstätten", "Geodaten"),
        frequency="IRREG",
        columns=(
            _text("friedhof_id", "Kennung"),
            _text("name", "Name"),
            STADTTEIL,
            STADTBEZIRK,
            _number("flaeche_ha", "Fläche", unit="ha"),
            _count("grabstaetten", "Grabstätten", unit="Grabstätten"),
            _text("bestattungsarten", "Bestattungsarten"),
            _text("trauerhalle", "Trauerhalle", "ja oder nein."),
            _text("geoeffnet", "Geöffnet"),
        ),
        releases=_lists(places, _spread(today, 1, offset=-60), "friedhoefe"),
        temporal=None,
    )


def _wertstoffe(today: date, scale: int) -> External:
    slug = "wertstoffhoefe-containerstandorte"
    rng = _rng(slug)
    dates = _spread(today, 3, offset=9)
    places = []
    for number in ("037", "042", "063", "082", "095"):
        q = _quarter(number)
        places.append(
            _Place(
                row={
                    "standort_id": f"WS-{len(places) + 1:04d}",
                    "art": "Wertstoffhof",
                    **_area(q),
                    "lage": rng.choice(STREETS),
                    "altglas": "ja",
                    "altpapier": "ja",
                    "altkleider": "ja",
                    "elektrokleingeraete": "ja",
                    "einwurfzeiten": "Mo bis Fr 8 bis 18 Uhr, Sa 8 bis 14 Uhr",
                },
                geometry=_point(rng, q.latitude, q.longitude, 0.004),
            )
        )
    for _ in range(250 * scale):
        q = _pick_quarter(rng, lambda q: q.population)
        underground = rng.random() < 0.12
        change = rng.random()
        places.append(
            _Place(
                row={
                    "standort_id": f"WS-{len(places) + 1:04d}",
                    "art": "Unterflurcontainer" if underground else "Containerstandort",
                    **_area(q),
                    "lage": rng.choice(STREETS),
                    "altglas": "ja",
                    "altpapier": _yes(rng, 0.55),
                    "altkleider": _yes(rng, 0.35),
                    "elektrokleingeraete": _yes(rng, 0.1),
                    "einwurfzeiten": "werktags 7 bis 20 Uhr",
                },
                geometry=_point(rng, q.latitude, q.longitude, 0.008),
                since=dates[1] - timedelta(days=20) if change < 0.04 else LONG_AGO,
                until=dates[2] - timedelta(days=20) if 0.04 <= change < 0.06 else None,
            )
        )
    return _dataset(
        slug,
        "Wertstoffhöfe und Containerstandorte",
        "Wertstoffhöfe und Standorte von Depotcontainern für Altglas, Altpapier, Altkleider "
        "und Elektrokleingeräte, mit Einwurfzeiten.",
        ABFALL,
        themes=("ENVI",),
        keywords=("Abfall", "Recycling", "Altglas", "Wertstoffhof", "Container", "Geodaten"),
        frequency="IRREG",
        columns=(
            _text("standort_id", "Kennung"),
            _text("art", "Art"),
            STADTTEIL,
            STADTBEZIRK,
            LAGE,
            _text("altglas", "Altglas", "ja oder nein."),
            _text("altpapier", "Altpapier", "ja oder nein."),
            _text("altkleider", "Altkleider", "ja oder nein."),
            _text("elektrokleingeraete", "Elektrokleingeräte", "ja oder nein."),
            _text("einwurfzeiten", "Einwurf- bzw. Öffnungszeiten"),
        ),
        releases=_lists(places, dates, "wertstoffe"),
        temporal=None,
    )


MARKETS = (
    ("012", "Carlstadt", "Di bis Sa"),
    ("036", "Bilk", "Mi, Sa"),
    ("095", "Benrath", "Di, Fr"),
    ("071", "Gerresheim", "Mi, Sa"),
    ("082", "Eller", "Do"),
    ("041", "Oberkassel", "Di, Fr"),
    ("053", "Kaiserswerth", "Fr"),
    ("063", "Rath", "Mi"),
    ("062", "Unterrath", "Sa"),
    ("022", "Flingern", "Mi, Sa"),
    ("015", "Derendorf", "Do"),
    ("014", "Pempelfort", "Di, Fr"),
    ("091", "Wersten", "Sa"),
    ("101", "Garath", "Do"),
    ("042", "Heerdt", "Fr"),
    ("093", "Holthausen", "Mi"),
    ("098", "Hassels", "Sa"),
    ("043", "Lörick", "Do"),
    ("016", "Golzheim", "Sa"),
    ("031", "Friedrichstadt", "Di, Fr"),
    ("032", "Unterbilk", "Do"),
    ("023", "Düsseltal", "Mi"),
)


def _wochenmaerkte(today: date, scale: int) -> External:
    slug = "wochenmaerkte"
    rng = _rng(slug)
    spots = ("Marktplatz", "Kirchplatz", "Am Markt", "Stadtteilplatz", "Platz vor der Kirche")
    places = []
    for copy in range(1, scale + 1):
        for number, name, days in MARKETS:
            q = _quarter(number)
            places.append(
                _Place(
                    row={
                        "markt_id": f"WM-{len(places) + 1:03d}",
                        "bezeichnung": f"Wochenmarkt {name}"
                        + ("" if copy == 1 else f" (Demo {copy})"),
                        **_area(q),
                        "lage": rng.choice(spots),
                        "markttage": days,
                        "marktzeit": rng.choice(("7 bis 13 Uhr", "8 bis 13 Uhr", "14 bis 18 Uhr")),
                        "staende": rng.randint(6, 60 if name == "Carlstadt" else 30),
                    },
                    geometry=_point(rng, q.latitude, q.longitude, 0.003),
                )
            )
    return _dataset(
        slug,
        "Wochenmärkte",
        "Wochenmärkte mit Lage, Markttagen, Marktzeit und der ungefähren Zahl der Stände. "
        "An Feiertagen kann ein Markt ausfallen oder verlegt werden.",
        ORDNUNGSAMT,
        themes=("ECON", "AGRI"),
        keywords=("Wochenmarkt", "Markt", "regionale Lebensmittel", "Geodaten"),
        frequency="IRREG",
        columns=(
            _text("markt_id", "Kennung"),
            _text("bezeichnung", "Bezeichnung"),
            STADTTEIL,
            STADTBEZIRK,
            LAGE,
            _text("markttage", "Markttage"),
            _text("marktzeit", "Marktzeit"),
            _count("staende", "Stände", "Ungefähre Zahl an einem Markttag.", "Stände"),
        ),
        releases=_lists(places, _spread(today, 1, offset=-50), "wochenmaerkte"),
        temporal=None,
        licence=CC_BY,
    )


# --- Wirtschaft und Verwaltung --------------------------------------------------------------

BUDGET = (  # number, product area, expenses, income (million EUR, plan 2024)
    ("01", "Innere Verwaltung", 430, 70),
    ("02", "Sicherheit und Ordnung", 270, 95),
    ("03", "Schulträgeraufgaben", 390, 65),
    ("04", "Kultur und Wissenschaft", 235, 38),
    ("05", "Soziale Leistungen", 910, 470),
    ("06", "Kinder-, Jugend- und Familienhilfe", 860, 360),
    ("07", "Gesundheitsdienste", 48, 12),
    ("08", "Sportförderung", 58, 9),
    ("09", "Räumliche Planung und Entwicklung, Geoinformationen", 42, 11),
    ("10", "Bauen und Wohnen", 62, 28),
    ("11", "Ver- und Entsorgung", 185, 205),
    ("12", "Verkehrsflächen und -anlagen, ÖPNV", 335, 62),
    ("13", "Natur- und Landschaftspflege", 72, 8),
    ("14", "Umweltschutz", 27, 6),
    ("15", "Wirtschaft und Tourismus", 36, 9),
    ("16", "Allgemeine Finanzwirtschaft", 395, 2_850),
    ("17", "Stiftungen", 6, 5),
)


def _haushaltsplan(today: date, scale: int) -> External:
    slug = "haushaltsplan-produktbereiche"

    def rows_for(year: int) -> list[dict]:
        rows = []
        for number, area, expenses, income in BUDGET:
            rng = _rng(slug, year, number)
            spend = round(_vary(rng, expenses * 1e6 * 1.035 ** (year - 2024), 0.02), -3)
            earn = round(_vary(rng, income * 1e6 * 1.03 ** (year - 2024), 0.02), -3)
            rows.append(
                {
                    "haushaltsjahr": year,
                    "produktbereich_nr": number,
                    "produktbereich": area,
                    "ertraege_eur": int(earn),
                    "aufwendungen_eur": int(spend),
                    "saldo_eur": int(earn - spend),
                }
            )
        return rows

    issues = _yearly(today, 12, 18)
    cuts = [(issued, issued.year + 1) for issued in issues]
    years = list(range(2023, issues[-1].year + 2)) if issues else []
    return _dataset(
        slug,
        "Haushaltsplan: Erträge und Aufwendungen je Produktbereich",
        "Ansätze des Ergebnisplans der vom Rat beschlossenen Haushaltspläne, je "
        "Haushaltsjahr und Produktbereich nach dem Neuen Kommunalen Finanzmanagement (NKF), "
        "in Euro. Jede Lieferung enthält den neu beschlossenen Plan und die Pläne der Vorjahre.",
        KAEMMEREI,
        themes=("ECON", "GOVE"),
        keywords=("Haushalt", "Haushaltsplan", "Finanzen", "NKF", "Produktbereich"),
        frequency="ANNUAL",
        columns=(
            Column("haushaltsjahr", "year", "Haushaltsjahr"),
            _text("produktbereich_nr", "Produktbereich-Nr."),
            _text("produktbereich", "Produktbereich"),
            _count("ertraege_eur", "Ordentliche Erträge", unit="EUR"),
            _count("aufwendungen_eur", "Ordentliche Aufwendungen", unit="EUR"),
            _count("saldo_eur", "Saldo", "Erträge minus Aufwendungen.", "EUR"),
        ),
        releases=_periodic(cuts, years, rows_for, "haushaltsplan", lambda _, y: str(y)),
        dimensions=("haushaltsjahr", "produktbereich_nr"),
    )


BUILDING = (  # project, applications per quarter, dwellings per permit
    ("Neubau Wohngebäude", 95, 9.0),
    ("Umbau und Erweiterung Wohngebäude", 210, 0.6),
    ("Neubau Nichtwohngebäude", 45, 0.0),
    ("Umbau und Erweiterung Nichtwohngebäude", 160, 0.0),
    ("Nutzungsänderung", 120, 0.3),
    ("Werbeanlagen", 90, 0.0),
)


def _bauantraege(today: date, scale: int) -> External:
    slug = "bauantraege-baugenehmigungen-quartal"

    def rows_for(period: tuple[int, int]) -> list[dict]:
        year, quarter = period
        rows = []
        for project, applications, dwellings in BUILDING:
            rng = _rng(slug, year, quarter, project)
            filed = round(_vary(rng, applications * (0.93 if quarter == 1 else 1.02), 0.08))
            permits = round(filed * _vary(rng, 0.86, 0.04))
            rows.append(
                {
                    "quartal": f"{year}-Q{quarter}",
                    "vorhaben": project,
                    "bauantraege": filed,
                    "baugenehmigungen": permits,
                    "ablehnungen": _poisson(rng, filed * 0.03),
                    "genehmigte_wohnungen": round(permits * _vary(rng, dwellings, 0.3)),
                    "bearbeitungsdauer_tage": round(_vary(rng, 95, 0.12), 1),
                }
            )
        return rows

    cuts = [(issued, (m.year, (m.month - 1) // 3 + 1)) for issued, m in _cuts(today, lag=30)]
    last = cuts[-1][1] if cuts else (today.year, 1)
    first = cuts[0][1][0] if cuts else today.year
    periods = [(y, q) for y in range(first, last[0] + 1) for q in range(1, 5)]
    periods = [p for p in periods if p <= last]
    return _dataset(
        slug,
        "Bauanträge und Baugenehmigungen je Quartal",
        "Eingegangene Bauanträge, erteilte Baugenehmigungen, Ablehnungen, genehmigte "
        "Wohnungen und die mittlere Bearbeitungsdauer (Median, Kalendertage vom vollständigen "
        "Antrag bis zum Bescheid) je Quartal und Art des Vorhabens.",
        BAUAUFSICHT,
        themes=("REGI", "ECON"),
        keywords=("Bauantrag", "Baugenehmigung", "Wohnungsbau", "Bauaufsicht"),
        frequency="QUARTERLY",
        columns=(
            _text("quartal", "Quartal", "Berichtsquartal (JJJJ-Qn)."),
            _text("vorhaben", "Art des Vorhabens"),
            _count("bauantraege", "Bauanträge", unit="Anträge"),
            _count("baugenehmigungen", "Baugenehmigungen", unit="Bescheide"),
            _count("ablehnungen", "Ablehnungen", unit="Bescheide"),
            _count("genehmigte_wohnungen", "Genehmigte Wohnungen", unit="Wohnungen"),
            _number("bearbeitungsdauer_tage", "Bearbeitungsdauer (Median)", unit="Tage"),
        ),
        releases=_periodic(cuts, periods, rows_for, "bauantraege", lambda _, p: f"{p[0]}-q{p[1]}"),
        dimensions=("quartal", "vorhaben"),
        temporal=(date(first, 1, 1), _month_end(date(last[0], last[1] * 3, 1))),
    )


def _gewerbe(today: date, scale: int) -> External:
    slug = "gewerbeanzeigen-monat"

    def rows_for(month: date) -> list[dict]:
        rng = _rng(slug, _ym(month))
        registered = _vary(rng, 780 * {1: 1.25, 12: 0.8}.get(month.month, 1.0), 0.06)
        closed = _vary(rng, 690 * {1: 1.2, 12: 1.35}.get(month.month, 1.0), 0.06)
        return [
            {
                "monat": _ym(month),
                "gewerbeanmeldungen": round(registered),
                "darunter_neuerrichtungen": round(registered * _vary(rng, 0.82, 0.03)),
                "gewerbeummeldungen": round(_vary(rng, 260, 0.08)),
                "gewerbeabmeldungen": round(closed),
                "darunter_aufgaben": round(closed * _vary(rng, 0.8, 0.03)),
            }
        ]

    return _dataset(
        slug,
        "Gewerbeanmeldungen und -abmeldungen je Monat",
        "Gewerbeanzeigen nach der Gewerbeordnung je Monat: Anmeldungen (darunter "
        "Neuerrichtungen), Ummeldungen und Abmeldungen (darunter vollständige Aufgaben).",
        WIRTSCHAFT,
        themes=("ECON",),
        keywords=("Gewerbe", "Gewerbeanmeldung", "Existenzgründung", "Unternehmen"),
        frequency="QUARTERLY",
        columns=(
            MONAT,
            _count("gewerbeanmeldungen", "Gewerbeanmeldungen", unit="Anzeigen"),
            _count("darunter_neuerrichtungen", "darunter Neuerrichtungen", unit="Anzeigen"),
            _count("gewerbeummeldungen", "Gewerbeummeldungen", unit="Anzeigen"),
            _count("gewerbeabmeldungen", "Gewerbeabmeldungen", unit="Anzeigen"),
            _count("darunter_aufgaben", "darunter vollständige Aufgaben", unit="Anzeigen"),
        ),
        releases=_monthly(today, rows_for, "gewerbeanzeigen", lag=25),
        dimensions=("monat",),
    )


def _tourismus(today: date, scale: int) -> External:
    slug = "tourismus-gaeste-uebernachtungen"
    fairs = {1: 1.08, 2: 0.95, 3: 1.08, 4: 1.02, 5: 1.05, 6: 1.02, 7: 0.97, 8: 0.98, 9: 1.05}
    fairs |= {10: 1.04, 11: 1.1, 12: 0.82}
    start = date(today.year - 2, 1, 1)

    def rows_for(month: date) -> list[dict]:
        rng = _rng(slug, _ym(month))
        growth = 1 + 0.025 * (month - start).days / 365.25
        big_fair = month.month == 5 and (month.year % 4 == 0 or month.year % 3 == 1)
        factor = fairs[month.month] * growth * (1.12 if big_fair else 1.0)
        arrivals = _vary(rng, 265_000 * factor, 0.03)
        nights = arrivals * _vary(rng, 1.75, 0.03)
        beds = round(37_500 * (1 + 0.01 * (month - start).days / 365.25))
        days = calendar.monthrange(month.year, month.month)[1]
        return [
            {
                "monat": _ym(month),
                "ankuenfte": round(arrivals),
                "darunter_ankuenfte_ausland": round(arrivals * _vary(rng, 0.36, 0.04)),
                "uebernachtungen": round(nights),
                "darunter_uebernachtungen_ausland": round(nights * _vary(rng, 0.38, 0.04)),
                "betriebe": round(_vary(rng, 292, 0.01)),
                "angebotene_betten": beds,
                "bettenauslastung_prozent": round(100 * nights / (beds * days), 1),
            }
        ]

    return _dataset(
        slug,
        "Tourismus: Gäste und Übernachtungen je Monat",
        "Ankünfte und Übernachtungen in Beherbergungsbetrieben mit mindestens zehn Betten, "
        "darunter von Gästen mit Wohnsitz im Ausland, mit angebotenen Betten und "
        "Bettenauslastung. Große Messen prägen die Monatswerte.",
        TOURISMUS,
        themes=("ECON",),
        keywords=("Tourismus", "Übernachtungen", "Gäste", "Hotels", "Messe"),
        frequency="QUARTERLY",
        columns=(
            MONAT,
            _count("ankuenfte", "Ankünfte (Gäste)", unit="Personen"),
            _count("darunter_ankuenfte_ausland", "darunter aus dem Ausland", unit="Personen"),
            _count("uebernachtungen", "Übernachtungen", unit="Übernachtungen"),
            _count(
                "darunter_uebernachtungen_ausland",
                "darunter aus dem Ausland",
                unit="Übernachtungen",
            ),
            _count("betriebe", "Geöffnete Betriebe", unit="Betriebe"),
            _count("angebotene_betten", "Angebotene Betten", unit="Betten"),
            _number("bettenauslastung_prozent", "Bettenauslastung", unit="%"),
        ),
        releases=_monthly(today, rows_for, "tourismus", lag=55),
        dimensions=("monat",),
    )


def _hunde(today: date, scale: int) -> External:
    slug = "hunde-stadtbezirk"

    def rows_for(year: int) -> list[dict]:
        rows = []
        for number, name, people in _districts():
            rng = _rng(slug, year, number)
            per_thousand = 36 - 14 * YOUTH.get(number, 0.0) + 1.5 * (year - 2024)
            dogs = round(_vary(rng, people * per_thousand / 1000, 0.03))
            rows.append(
                {
                    "jahr": year,
                    "stadtbezirk": name,
                    "hunde": dogs,
                    "hundehaltungen": round(dogs / _vary(rng, 1.12, 0.02)),
                    "gefaehrliche_hunde": _poisson(rng, dogs * 0.011 * SOCIAL.get(number, 1.0)),
                    "hunde_je_1000_einwohner": round(1000 * dogs / people, 1),
                }
            )
        return rows

    releases = tuple(
        ExternalRelease(
            issued, rows_for(issued.year - 1), None, f"hundesteuer-{issued.year - 1}.csv"
        )
        for issued in _yearly(today, 2, 20)
    )
    return _dataset(
        slug,
        "Hunde nach Stadtbezirk (Hundesteuer)",
        "Zur Hundesteuer angemeldete Hunde und Hundehaltungen am 31. Dezember je Stadtbezirk, "
        "darunter gefährliche Hunde und Hunde bestimmter Rassen nach dem Landeshundegesetz NRW.",
        STEUERAMT,
        themes=("GOVE", "SOCI"),
        keywords=("Hunde", "Hundesteuer", "Haustiere", "Landeshundegesetz"),
        frequency="ANNUAL",
        columns=(
            JAHR,
            STADTBEZIRK,
            _count("hunde", "Hunde", unit="Hunde"),
            _count("hundehaltungen", "Hundehaltungen", unit="Haltungen"),
            _count(
                "gefaehrliche_hunde",
                "darunter gefährliche Hunde und Hunde bestimmter Rassen",
                "Nach §§ 3 und 10 Landeshundegesetz NRW.",
                "Hunde",
            ),
            _number("hunde_je_1000_einwohner", "Hunde je 1.000 Einwohnerinnen und Einwohner"),
        ),
        releases=releases,
        dimensions=("jahr", "stadtbezirk"),
    )


SURVEY = (  # topic, satisfied (%), trend per year, no answer (%)
    ("Leben in Düsseldorf insgesamt", 88, 0.0, 2),
    ("Öffentlicher Personennahverkehr", 62, -0.5, 6),
    ("Radverkehr", 48, 1.5, 10),
    ("Sauberkeit von Straßen und Plätzen", 41, 0.5, 3),
    ("Sicherheit im Stadtteil", 68, -0.5, 4),
    ("Grünflächen und Parks", 78, 0.0, 3),
    ("Kulturangebot", 84, 0.0, 8),
    ("Sport- und Freizeitangebote", 74, 0.5, 12),
    ("Kinderbetreuung", 52, 1.0, 38),
    ("Schulen", 58, 0.0, 30),
    ("Bürgerservice und Bürgerbüros", 61, 2.0, 9),
    ("Online-Dienste der Stadt", 49, 4.0, 18),
    ("Angebot an bezahlbaren Wohnungen", 18, -1.0, 7),
    ("Luftqualität", 57, 1.0, 5),
    ("Einkaufsmöglichkeiten", 83, -0.5, 2),
    ("Gesundheitsversorgung", 79, -0.5, 4),
)


def _buergerbefragung(today: date, scale: int) -> External:
    slug = "buergerbefragung-zufriedenheit"

    def rows_for(year: int) -> list[dict]:
        rng = _rng(slug, year)
        asked = rng.randint(2_350, 2_750)
        rows = []
        for topic, satisfied, trend, no_answer in SURVEY:
            content = min(95.0, max(5.0, satisfied + trend * (year - 2022) + rng.gauss(0, 1.5)))
            silent = max(1.0, no_answer + rng.gauss(0, 1))
            valid = 100 - silent
            happy, unhappy = valid * content / 100, valid * (1 - content / 100)
            very, very_not = rng.uniform(0.3, 0.45), rng.uniform(0.3, 0.45)
            shares = _percentages(
                [
                    happy * very,
                    happy * (1 - very),
                    unhappy * (1 - very_not),
                    unhappy * very_not,
                    silent,
                ]
            )
            rows.append(
                {
                    "jahr": year,
                    "thema": topic,
                    "befragte": asked,
                    "sehr_zufrieden_prozent": shares[0],
                    "eher_zufrieden_prozent": shares[1],
                    "eher_unzufrieden_prozent": shares[2],
                    "sehr_unzufrieden_prozent": shares[3],
                    "keine_angabe_prozent": shares[4],
                }
            )
        return rows

    issues = _yearly(today, 6, 12)
    cuts = [(issued, issued.year) for issued in issues]
    years = list(range(2022, issues[-1].year + 1)) if issues else []
    return _dataset(
        slug,
        "Bürgerbefragung: Zufriedenheit mit Leben und Angeboten in der Stadt",
        "Ergebnisse der jährlichen repräsentativen Bürgerbefragung im März und April "
        "(schriftlich und online, "
        "Einwohnerinnen und Einwohner ab 18 Jahren, Zufallsstichprobe aus dem Melderegister): "
        "Anteile der Antworten je Thema in Prozent, gewichtet nach Alter, Geschlecht und "
        "Stadtbezirk.",
        STATISTIK,
        themes=("SOCI", "GOVE"),
        keywords=("Bürgerbefragung", "Umfrage", "Zufriedenheit", "Lebensqualität"),
        frequency="ANNUAL",
        columns=(
            JAHR,
            _text("thema", "Thema"),
            _count("befragte", "Befragte", "Auswertbare Fragebögen des Jahres.", "Personen"),
            _number("sehr_zufrieden_prozent", "sehr zufrieden", unit="%"),
            _number("eher_zufrieden_prozent", "eher zufrieden", unit="%"),
            _number("eher_unzufrieden_prozent", "eher unzufrieden", unit="%"),
            _number("sehr_unzufrieden_prozent", "sehr unzufrieden", unit="%"),
            _number("keine_angabe_prozent", "weiß nicht / keine Angabe", unit="%"),
        ),
        releases=_periodic(cuts, years, rows_for, "buergerbefragung", lambda _, y: str(y)),
        temporal=(date(2022, 3, 1), date(years[-1], 4, 30)) if years else None,
        dimensions=("jahr", "thema"),
    )


# --- All of them -------------------------------------------------------------------------------

BUILDERS: tuple[Callable[[date, int], External], ...] = (
    _arbeitslose,
    _einwohner,
    _geburten,
    _wanderungen,
    _haushalte,
    _kommunalwahl,
    _buergerbefragung,
    _einbuergerungen_zeitreihe,
    _einbuergerungen_bezirk,
    _wohngeld,
    _grundsicherung,
    _inobhutnahmen,
    _kita_quote,
    _hunde,
    _verkehrsunfaelle,
    _kfz,
    _radzaehlstellen,
    _no2,
    _rhein,
    _photovoltaik,
    _gruenflaechen,
    _strassenbaeume,
    _buechereien,
    _museen,
    _vhs,
    _schulen,
    _sportstaetten,
    _sportvereine,
    _spielplaetze,
    _toiletten,
    _ladesaeulen,
    _parkhaeuser,
    _friedhoefe,
    _wertstoffe,
    _wochenmaerkte,
    _haushaltsplan,
    _bauantraege,
    _gewerbe,
    _tourismus,
)


def external_datasets(today: date, scale: int = 1) -> list[External]:
    """The external demo data sets with their releases over the two years before ``today``;
    ``scale`` multiplies the rows of the lists of places."""
    scale = max(1, int(scale))
    return [build(today, scale) for build in BUILDERS]
