"""Demo places of the Wi-Fi register: public buildings, schools, sports venues, squares and
stops in every Stadtteil, with plausible dates of the last three years. The kinds of places
are real; which of them have Wi-Fi, their addresses and dates are invented (each place says
so in its note)."""

import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from rathaus.offices.models import Quarter

from ..models import WifiPlace

NOTE = "Demo-Daten: Ort, Anschrift und Ausbaustand sind erfunden."
Kind = WifiPlace.Kind
NAMES = {
    Kind.BUILDING: (
        "Bürgerbüro",
        "Stadtbücherei",
        "Begegnungsstätte „zentrum plus“",
        "Jugendfreizeiteinrichtung",
        "Familienzentrum",
        "Kulturzentrum",
    ),
    Kind.SCHOOL: ("Grundschule", "Gesamtschule", "Gymnasium", "Realschule", "Berufskolleg"),
    Kind.SPORTS: ("Sporthalle", "Hallenbad", "Bezirkssportanlage", "Sportpark"),
    Kind.SQUARE: ("Marktplatz", "Stadtteilpark", "Kirchplatz", "Spielplatz am Quartiersplatz"),
    Kind.STOP: ("Stadtbahnhaltestelle", "S-Bahnhof", "Busbahnhof"),
}
STREETS = {
    Kind.BUILDING: ("Rathausstraße", "Bibliotheksweg", "Am Bürgerhaus"),
    Kind.SCHOOL: ("Schulstraße", "Am Schulhof", "Lernweg"),
    Kind.SPORTS: ("Am Sportplatz", "Sportweg", "Badstraße"),
    Kind.SQUARE: ("Marktstraße", "Parkstraße", "Kirchgasse"),
    Kind.STOP: ("Bahnhofstraße", "Haltestellenweg", "Am Bahndamm"),
}
# Shares of the kinds among the places: most Wi-Fi is in buildings and schools.
WEIGHTS = {Kind.BUILDING: 4, Kind.SCHOOL: 3, Kind.SPORTS: 2, Kind.SQUARE: 2, Kind.STOP: 2}
PER_QUARTER = (2, 2, 3)


def places(today: date, scale: int = 1) -> list[WifiPlace]:
    """The demo places; the same for the same day and scale."""
    rng = random.Random(f"wlan-{scale}")  # noqa: S311 -- demo data, reproducible
    quarters = list(Quarter.objects.exclude(latitude=None).order_by("number"))
    found: list[WifiPlace] = []
    names: Counter[str] = Counter()
    for _copy in range(scale):
        for quarter in quarters:
            for _ in range(rng.choice(PER_QUARTER)):
                kind = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
                name = f"{rng.choice(NAMES[kind])} {quarter.name}"
                names[name] += 1
                if names[name] > 1:
                    name = f"{name} ({names[name]})"
                found.append(_place(rng, today, quarter, kind, name))
    return found


def _place(rng: random.Random, today: date, quarter: Quarter, kind: str, name: str) -> WifiPlace:
    registered = today - timedelta(days=rng.randint(60, 1_100))
    draw = rng.random()
    status, since, points = WifiPlace.Status.PLANNED, None, 0
    if draw < 0.62:
        since = registered + timedelta(days=rng.randint(30, 420))
        if since <= today:
            status, points = WifiPlace.Status.ACTIVE, rng.choice((1, 1, 2, 2, 3, 4, 6))
        else:
            since = None
            status, points = WifiPlace.Status.BUILDING, rng.choice((1, 2, 3))
    elif draw < 0.8:
        status, points = WifiPlace.Status.BUILDING, rng.choice((1, 2, 3))
    return WifiPlace(
        name=name,
        kind=kind,
        quarter=quarter,
        address=f"{rng.choice(STREETS[kind])} {rng.randint(1, 80)} (Demo-Adresse)",
        latitude=_near(rng, quarter.latitude, 0.006),
        longitude=_near(rng, quarter.longitude, 0.009),
        status=status,
        access_points=points,
        registered_on=registered,
        active_since=since,
        note=NOTE,
    )


def _near(rng: random.Random, middle: float, spread: float) -> Decimal:
    return Decimal(f"{middle + rng.uniform(-spread, spread):.5f}")


def load(today: date, *, scale: int = 1) -> int:
    """Replace the demo places (those with the demo note); returns how many there are."""
    WifiPlace.objects.filter(note=NOTE).delete()
    created = WifiPlace.objects.bulk_create(places(today, scale), batch_size=500)
    return len(created)
