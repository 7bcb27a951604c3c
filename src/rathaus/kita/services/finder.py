"""Finding daycares: by word, district, the child's age group, hours and kind, with the
free places of the current period."""

import math

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from rathaus.offices.models import Quarter

from ..models import Daycare, Period, Places

__all__ = ["by_distance", "distance_km", "find", "places_by_daycare", "total_places"]

EARTH_KM = 6371.0


def find(
    period: Period | None,
    *,
    q: str = "",
    district=None,
    groups: tuple[str, ...] = (),
    hours: int | None = None,
    kind: str = "",
) -> QuerySet[Daycare]:
    found = Daycare.objects.select_related("district", "provider", "quarter")
    if q:
        for word in q.split()[:5]:
            found = found.filter(
                Q(name__icontains=word)
                | Q(quarter__name__icontains=word)
                | Q(street__icontains=word)
                | Q(pedagogy__icontains=word)
                | Q(languages__icontains=word)
                | Q(provider__name__icontains=word)
            )
    if district is not None:
        found = found.filter(district=district)
    if kind:
        found = found.filter(kind=kind)
    if period is not None and (groups or hours):
        places = Places.objects.filter(period=period, daycare=OuterRef("pk"), places__gt=0)
        if groups:
            places = places.filter(group_form__in=groups)
        if hours:
            places = (
                places.filter(hours__gte=hours)
                if period.allow_longer_hours
                else places.filter(hours=hours)
            )
        found = found.filter(Exists(places))
    return found.order_by("district__number", "name")


def places_by_daycare(period: Period | None, daycares) -> dict[int, list[Places]]:
    if period is None:
        return {}
    result: dict[int, list[Places]] = {}
    for places in Places.objects.filter(period=period, daycare__in=daycares).order_by(
        "group_form", "hours"
    ):
        result.setdefault(places.daycare_id, []).append(places)
    return result


def total_places(period: Period) -> int:
    return Places.objects.filter(period=period).aggregate(total=Sum("places"))["total"] or 0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): as the crow flies, which is what a family can
    compare; the way by bus is for the map."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def by_distance(found: QuerySet[Daycare], home: Quarter) -> list[tuple[Daycare, float | None]]:
    """The daycares nearest to the middle of the family's Stadtteil first (a city has a
    few hundred: sorted here, not in SQL); those without coordinates last."""
    if home.latitude is None or home.longitude is None:
        return [(daycare, None) for daycare in found]
    measured = [
        (
            daycare,
            distance_km(home.latitude, home.longitude, daycare.latitude, daycare.longitude)
            if daycare.latitude is not None and daycare.longitude is not None
            else None,
        )
        for daycare in found
    ]
    return sorted(measured, key=lambda pair: (pair[1] is None, pair[1] or 0.0))
