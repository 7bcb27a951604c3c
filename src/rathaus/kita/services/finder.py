"""Finding daycares: by word, district, the child's age group, hours and kind, with the
free places of the current period."""

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from ..models import Daycare, Period, Places

__all__ = ["find", "places_by_daycare"]


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
