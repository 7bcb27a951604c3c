"""The JSON API, version 1: every module registers its router here.

The OpenAPI description is generated from these schemas (``rathaus openapi``) and
committed as ``docs/openapi.json``; CI fails when the two differ.
"""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from rathaus.appointments.api import router as appointments_router
from rathaus.catalog.api import router as catalog_router

api = NinjaAPI(
    title="Rathaus API",
    version="1",
    description="Open JSON API of the digital town hall. Texts are German; errors are English.",
    urls_namespace="api-v1",
    docs_url=None,
)
api.add_router("/", catalog_router)
api.add_router("/", appointments_router)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Say which parameter is wrong and why, in plain English."""
    problems = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        problems.append({"parameter": where, "message": error.get("msg", "Invalid value.")})
    return api.create_response(
        request, {"detail": "Invalid request parameters.", "errors": problems}, status=422
    )
