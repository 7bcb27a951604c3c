"""JSON API of appointments: the earliest free times of services across offices
(``/api/v1/termine/freie-zeiten``). Booking stays a web form: it needs the proof of work
and the e-mail confirmation that keep appointment trading out."""

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from rathaus.catalog.api import EXAMPLE_SLUG
from rathaus.catalog.models import Service
from rathaus.core import ratelimit
from rathaus.core.api import ErrorOut
from rathaus.offices.models import District, Office

from .services import slots
from .views.common import choice_query, time_query

router = Router(tags=["Termine"])

MAX_SERVICES = 5
WINDOW_SECONDS = 60


class FreeTimeParams(Schema):
    leistung: list[str] = Field(
        ...,
        min_length=1,
        max_length=MAX_SERVICES,
        description="Service slugs (repeat it).",
        json_schema_extra={"example": [EXAMPLE_SLUG]},
    )
    personen: int = Field(1, ge=1, le=5, description="Persons in one appointment.")
    bezirk: int | None = Field(
        None,
        ge=1,
        le=99,
        description="Stadtbezirk number (1–10).",
        json_schema_extra={"example": 1},
    )
    limit: int = Field(10, ge=1, le=50, description="Offices to return.")


class FreeTime(Schema):
    office: str = Field(description="Office slug.")
    office_name: str
    starts_at: datetime
    book_url: str = Field(description="The booking page for exactly this time.")


class FreeTimeList(Schema):
    count: int
    results: list[FreeTime]


@router.get(
    "/termine/freie-zeiten",
    response={200: FreeTimeList, 404: ErrorOut, 429: ErrorOut},
    summary="Earliest free appointment per office",
)
def free_times(
    request: HttpRequest, params: Query[FreeTimeParams], response: HttpResponse
) -> dict | Status:
    """The earliest free time of each office that books all ``leistung`` for ``personen``,
    earliest first. Unknown services or districts: 404 with ``detail``. More than
    ``APPOINTMENT_SEARCHES_PER_IP_MINUTE`` searches a minute from one address: 429."""
    limit = settings.APPOINTMENT_SEARCHES_PER_IP_MINUTE
    client = ratelimit.client_ip(request)
    if not ratelimit.hit("appointments.api", client, limit=limit, window=WINDOW_SECONDS):
        response["Retry-After"] = str(WINDOW_SECONDS)
        return Status(429, {"detail": "Too many requests; please wait a minute."})
    slugs = list(dict.fromkeys(params.leistung))
    services = list(Service.objects.published().filter(slug__in=slugs))
    if len(services) != len(slugs):
        missing = sorted(set(slugs) - {s.slug for s in services})
        raise HttpError(404, f"Unknown service: {', '.join(missing)}.")
    district_id = None
    if params.bezirk is not None:
        district = District.objects.filter(number=params.bezirk).first()
        if district is None:
            raise HttpError(404, "Unknown district.")
        district_id = district.pk
    found = slots.earliest(services, params.personen, district_id=district_id, limit=params.limit)
    offices = Office.objects.in_bulk([t.office_id for t in found])
    query = choice_query(services, params.personen)
    return {
        "count": len(found),
        "results": [
            {
                "office": offices[t.office_id].slug,
                "office_name": offices[t.office_id].name,
                "starts_at": t.starts_at,
                "book_url": request.build_absolute_uri(
                    reverse("appointments:book", args=[offices[t.office_id].slug])
                    + "?"
                    + time_query(query, t.day, t.unit)
                ),
            }
            for t in found
        ],
    }
