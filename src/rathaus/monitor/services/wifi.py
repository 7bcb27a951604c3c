"""The Wi-Fi register: public places with free Wi-Fi (Freifunk), their monthly share for the
monitor, the summaries of the public page and the exports (GeoJSON, CSV).

Staff keep the register (``save_place``); every change is in the audit trail. The trend is
computed from the places' dates: a place counts from the day it entered the plan, and as
active from the day it went into operation, as long as it is still in operation.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.core import audit
from rathaus.core.spreadsheet import spreadsheet_csv
from rathaus.offices.models import District

from ..models import WifiPlace

__all__ = [
    "FIELDS",
    "FIGURE",
    "OPEN_DATA",
    "PlaceCount",
    "by_district",
    "by_kind",
    "csv_bytes",
    "feature_collection",
    "in_city",
    "monthly_share",
    "rows",
    "save_place",
]

FIGURE = "wlan"
OPEN_DATA = "freifunk-zugangspunkte"
TITLE = gettext_lazy("Öffentliche Orte mit freiem WLAN")
DESCRIPTION = gettext_lazy(
    "Anteil der öffentlichen Orte im Ausbauplan – Verwaltungsgebäude, Schulen, Sportstätten, "
    "Plätze und Haltestellen –, an denen freies WLAN nach dem Freifunk-Standard in Betrieb ist."
)
# What staff enter about a place (the form's fields, and what the audit trail compares).
FIELDS = (
    "name",
    "kind",
    "quarter",
    "address",
    "latitude",
    "longitude",
    "status",
    "access_points",
    "registered_on",
    "active_since",
    "note",
)
ACTIVE = WifiPlace.Status.ACTIVE


@dataclass(frozen=True)
class PlaceCount:
    """Places of one group (a kind of place or a district) by state."""

    label: str
    places: int
    active: int
    building: int
    planned: int
    access_points: int

    @property
    def share(self) -> float | None:
        return 100 * self.active / self.places if self.places else None


def in_city(latitude: float, longitude: float) -> bool:
    """Whether a point lies inside the city's box (``RATHAUS["MAP"]["BOUNDS"]``)."""
    (south, west), (north, east) = settings.RATHAUS["MAP"]["BOUNDS"]
    return south <= latitude <= north and west <= longitude <= east


def save_place(place: WifiPlace, *, by) -> WifiPlace:
    """Store a new or changed place; the audit trail keeps what changed and who did it."""
    with transaction.atomic():
        before = audit.snapshot(WifiPlace.objects.get(pk=place.pk), FIELDS) if place.pk else {}
        place.updated_by = by
        place.save()
        changes = audit.diff(before, audit.snapshot(place, FIELDS))
        audit.record(
            "rathaus.monitor.wifi_place.saved",
            actor=by,
            target=place,
            data={"changes": changes, "new": not before},
        )
    return place


def monthly_share(starts: list[date]) -> list[tuple[date, int, int]]:
    """(month, active, registered) at the end of each month: one query for all months."""
    ends = [_month_end(start) for start in starts]
    counts = WifiPlace.objects.aggregate(
        **{f"w{i}": Count("pk", filter=Q(registered_on__lte=end)) for i, end in enumerate(ends)},
        **{
            f"a{i}": Count("pk", filter=Q(status=ACTIVE, active_since__lte=end))
            for i, end in enumerate(ends)
        },
    )
    return [(start, counts[f"a{i}"], counts[f"w{i}"]) for i, start in enumerate(starts)]


def _month_end(start: date) -> date:
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _tallies(places: QuerySet, group: str) -> list[dict]:
    return list(
        places.values(group)
        .annotate(
            places=Count("pk"),
            active=Count("pk", filter=Q(status=ACTIVE)),
            building=Count("pk", filter=Q(status=WifiPlace.Status.BUILDING)),
            planned=Count("pk", filter=Q(status=WifiPlace.Status.PLANNED)),
            access_points=Sum("access_points", filter=Q(status=ACTIVE), default=0),
        )
        .order_by(group)
    )


def _tally(label: str, row: dict) -> PlaceCount:
    return PlaceCount(
        label,
        row["places"],
        row["active"],
        row["building"],
        row["planned"],
        row["access_points"],
    )


def by_kind(places: QuerySet) -> list[PlaceCount]:
    labels = dict(WifiPlace.Kind.choices)
    rows = {row["kind"]: row for row in _tallies(places, "kind")}
    return [_tally(str(labels[kind]), rows[kind]) for kind in labels if kind in rows]


def by_district(places: QuerySet) -> list[PlaceCount]:
    names = dict(District.objects.values_list("number", "name"))
    key = "quarter__district__number"
    return [_tally(names[row[key]], row) for row in _tallies(places, key)]


def rows(places: QuerySet) -> list[dict]:
    """One plain row per place: what the GeoJSON, the CSV and the open data set hold."""
    kinds = dict(WifiPlace.Kind.choices)
    states = dict(WifiPlace.Status.choices)
    found = places.select_related("quarter__district").order_by("pk")
    return [
        {
            "standort_id": f"WLAN-{place.pk:05d}",
            "ort": place.name,
            "art": str(kinds[place.kind]),
            "anschrift": place.address or None,
            "stadtteil": place.quarter.name,
            "stadtbezirk": place.quarter.district.name,
            "breitengrad": float(place.latitude),
            "laengengrad": float(place.longitude),
            "status": str(states[place.status]),
            "zugangspunkte": place.access_points,
            "aufgenommen_am": place.registered_on,
            "in_betrieb_seit": place.active_since if place.status == ACTIVE else None,
        }
        for place in found.iterator(chunk_size=2000)
    ]


def feature_collection(places: QuerySet) -> dict:
    """The places as GeoJSON (RFC 7946: WGS 84, longitude first)."""
    keys = {str(label): key for key, label in WifiPlace.Status.choices}
    features = []
    for row in rows(places):
        properties = {
            key: value.isoformat() if isinstance(value, date) else value
            for key, value in row.items()
            if key not in ("breitengrad", "laengengrad")
        }
        properties["status_key"] = keys[row["status"]]
        features.append(
            {
                "type": "Feature",
                "id": row["standort_id"],
                "geometry": {
                    "type": "Point",
                    "coordinates": [row["laengengrad"], row["breitengrad"]],
                },
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def csv_bytes(places: QuerySet) -> bytes:
    """The places for a spreadsheet; coordinates keep their decimal point, as in the open
    data set, so that GIS tools read them."""
    header = (
        _("Kennung"),
        _("Ort"),
        _("Art des Ortes"),
        _("Anschrift"),
        _("Stadtteil"),
        _("Stadtbezirk"),
        _("Breitengrad"),
        _("Längengrad"),
        _("Ausbaustand"),
        _("Zugangspunkte"),
        _("Aufgenommen am"),
        _("In Betrieb seit"),
    )
    return spreadsheet_csv(
        header,
        (
            (
                value.strftime("%d.%m.%Y") if isinstance(value, date) else value
                for value in row.values()
            )
            for row in rows(places)
        ),
    )
