"""JSON API of the catalogue: ``/api/v1/leistungen`` (search and list) and one service by slug."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema

from rathaus.core.api import ErrorOut, TimeOfDay
from rathaus.offices.models import Office

from . import search as catalog_search
from .models import Service, ServiceChannel
from .search.analysis import MAX_QUERY_LENGTH

router = Router(tags=["Leistungen"])

# Named in the description as an example; the API contract test asks for it (demo city).
EXAMPLE_SLUG = "personalausweis-beantragen"

# Inline enums in the OpenAPI file, with the values the models define.
OfficeKind = Literal[tuple(Office.Kind.values)]
ChannelKind = Literal[tuple(ServiceChannel.Kind.values)]


class SearchParams(Schema):
    q: str = Field(
        "",
        max_length=MAX_QUERY_LENGTH,
        description="Search words, German.",
        json_schema_extra={"example": "Perso"},
    )
    limit: int = Field(20, ge=1, le=100, description="Results per page.")
    offset: int = Field(0, ge=0, le=100_000, description="Results to skip.")


class ServiceHit(Schema):
    leika: str
    slug: str
    title: str
    url: str
    score: float | None = Field(None, description="Relevance; higher is better. Null without q.")


class ServiceList(Schema):
    count: int
    results: list[ServiceHit]


class Fee(Schema):
    amount: Decimal | None = Field(None, description="In euros; null when it depends on a rule.")
    currency: str = "EUR"
    note: str


class OpeningPeriod(Schema):
    weekday: int = Field(description="0 = Monday … 6 = Sunday")
    opens: TimeOfDay
    closes: TimeOfDay


class OfficeOut(Schema):
    slug: str
    name: str
    kind: OfficeKind
    street: str
    postcode: str
    city: str
    phone: str
    email: str
    url: str
    opening_hours: list[OpeningPeriod]
    is_demo: bool


class Channel(Schema):
    kind: ChannelKind
    label: str
    url: str
    note: str


class LifeSituationRef(Schema):
    slug: str
    title: str


class ServiceDetail(Schema):
    leika: str
    slug: str
    title: str
    url: str
    topic: str | None
    summary: str
    description: str
    easy_language: str
    audience: str
    required_documents: list[str]
    fee: Fee
    processing_time: str
    legal_basis: str
    office: OfficeOut
    channels: list[Channel]
    keywords: list[str]
    synonyms: list[str]
    life_situations: list[LifeSituationRef]
    requires_strong_auth: bool = Field(
        description="Submitting online needs a passkey confirmation (user verification)."
    )
    last_reviewed: date | None
    updated_at: datetime


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


@router.get("/leistungen", response=ServiceList, summary="Search or list services")
def list_services(request: HttpRequest, params: Query[SearchParams]) -> dict:
    """Ranked search with ``q`` (best first); without ``q`` all published services by title."""
    if params.q.strip():
        results = catalog_search.search(params.q, limit=params.limit, offset=params.offset)
        rows = [(hit.service, round(hit.score, 6)) for hit in results.hits]
        count = results.total
    else:
        published = Service.objects.published().order_by("title")
        count = published.count()
        rows = [(s, None) for s in published[params.offset : params.offset + params.limit]]
    return {
        "count": count,
        "results": [
            {
                "leika": s.leika,
                "slug": s.slug,
                "title": s.title,
                "url": _absolute(request, s.get_absolute_url()),
                "score": score,
            }
            for s, score in rows
        ],
    }


@router.get(
    "/leistungen/{slug}",
    response={200: ServiceDetail, 404: ErrorOut},
    summary="One service with all its fields",
)
def get_service(
    request: HttpRequest,
    slug: Annotated[str, Path(description="The service's slug.", example=EXAMPLE_SLUG)],
) -> dict:
    service = get_object_or_404(
        Service.objects.published()
        .select_related("office", "topic")
        .prefetch_related("channels", "life_situations", "office__opening_hours"),
        slug=slug,
    )
    office = service.office
    return {
        "leika": service.leika,
        "slug": service.slug,
        "title": service.title,
        "url": _absolute(request, service.get_absolute_url()),
        "topic": service.topic.title if service.topic else None,
        "summary": service.summary,
        "description": service.description,
        "easy_language": service.easy_language,
        "audience": service.audience,
        "required_documents": service.document_list(),
        "fee": {"amount": service.fee_amount, "note": service.fee_note},
        "processing_time": service.processing_time,
        "legal_basis": service.legal_basis,
        "office": {
            "slug": office.slug,
            "name": office.name,
            "kind": office.kind,
            "street": office.street,
            "postcode": office.postcode,
            "city": office.city,
            "phone": office.phone,
            "email": office.email,
            "url": _absolute(request, reverse("catalog:office", args=[office.slug])),
            "opening_hours": list(office.opening_hours.all()),
            "is_demo": office.is_demo,
        },
        "channels": list(service.channels.all()),
        "keywords": service.keyword_list(),
        "synonyms": service.synonym_list(),
        "life_situations": list(service.life_situations.all()),
        "requires_strong_auth": service.requires_strong_auth,
        "last_reviewed": service.last_reviewed,
        "updated_at": service.updated_at,
    }
