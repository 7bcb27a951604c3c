"""JSON API of the algorithm register: ``/api/v1/algorithmen`` and one record by slug."""

import json
from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema

from rathaus.core.api import ErrorOut

from . import services
from .models import Record

router = Router(tags=["Algorithmenregister"])

# Named in the description as an example; the API contract test asks for it (demo city).
EXAMPLE_SLUG = "kita-platzvergabe"

Phase = Literal[tuple(Record.Phase.values)]
DecisionRole = Literal[tuple(Record.DecisionRole.values)]


class SearchParams(Schema):
    q: str = Field("", max_length=200, description="Search words, German.")
    limit: int = Field(50, ge=1, le=200, description="Records per page.")
    offset: int = Field(0, ge=0, le=100_000, description="Records to skip.")


class RecordHit(Schema):
    slug: str
    name: str
    summary: str
    office: str
    phase: Phase
    decision_role: DecisionRole
    version: int
    url: str


class RecordList(Schema):
    count: int
    results: list[RecordHit]


class VersionOut(Schema):
    number: int
    published_at: datetime
    reason: str
    sha256: str = Field(description="SHA-256 of the version file, as in the transparency log.")
    url: str = Field(description="The version file (canonical JSON).")


class RecordDetail(RecordHit):
    document: dict = Field(description="The current version's document: every public field.")
    versions: list[VersionOut] = Field(description="Newest first.")


def _hit(request: HttpRequest, record: Record) -> dict:
    return {
        "slug": record.slug,
        "name": record.name,
        "summary": record.summary,
        "office": record.office.name,
        "phase": record.phase,
        "decision_role": record.decision_role,
        "version": record.current.number,
        "url": request.build_absolute_uri(record.get_absolute_url()),
    }


@router.get("/algorithmen", response=RecordList, summary="Search or list the register")
def list_records(request: HttpRequest, params: Query[SearchParams]) -> dict:
    """Published records by name; with ``q`` those matching every word."""
    records = services.search(params.q)
    return {
        "count": records.count(),
        "results": [
            _hit(request, record)
            for record in records[params.offset : params.offset + params.limit]
        ],
    }


@router.get(
    "/algorithmen/{slug}",
    response={200: RecordDetail, 404: ErrorOut},
    summary="One register record with its versions",
)
def get_record(
    request: HttpRequest,
    slug: Annotated[str, Path(description="The record's slug.", example=EXAMPLE_SLUG)],
) -> dict:
    record = get_object_or_404(services.published(), slug=slug)
    return {
        **_hit(request, record),
        "document": json.loads(record.current.document),
        "versions": [
            {
                "number": version.number,
                "published_at": version.published_at,
                "reason": version.reason,
                "sha256": version.sha256,
                "url": request.build_absolute_uri(
                    reverse("register:version_file", args=[record.slug, version.number])
                ),
            }
            for version in record.versions.all()
        ],
    }
