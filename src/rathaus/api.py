"""The JSON API, version 1: every module registers its router here.

The OpenAPI description is generated from these schemas (``rathaus openapi``) and
committed as ``docs/openapi.json``; CI fails when the two differ, and
``tests/core/test_api_contract.py`` fuzzes every operation in it against a live server.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.schema import OpenAPISchema

from rathaus.applications.api import router as applications_router
from rathaus.appointments.api import router as appointments_router
from rathaus.catalog.api import router as catalog_router
from rathaus.core.api import ErrorOut, ValidationErrorOut
from rathaus.language.api import router as language_router
from rathaus.ledger.api import router as ledger_router
from rathaus.register.api import router as register_router

REF = "#/components/schemas/{model}"
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}
# Answers that do not come from one module but from the platform around every operation.
INVALID = {
    "description": "A parameter is missing or invalid; `errors` says which and why.",
    "content": {"application/json": {"schema": {"$ref": REF.format(model="ValidationErrorOut")}}},
}
UNREADABLE = {
    "description": "The request body is not JSON.",
    "content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorOut")}}},
}
BUSY = {
    "description": "Too busy to answer in time; try again after `Retry-After` seconds.",
    "headers": RETRY_AFTER,
    "content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorOut")}}},
}

PLAIN = {"type", "title", "description", "example"}


class RathausAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        """Ninja's description plus the platform's own answers, so no module forgets them."""
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorOut, ValidationErrorOut):
            definition = model.model_json_schema(ref_template=REF)
            components.update(definition.pop("$defs", {}))
            components[model.__name__] = definition
        for path in schema["paths"].values():
            for operation in path.values():
                responses = operation["responses"]
                if _can_be_invalid(operation):
                    responses.setdefault(422, INVALID)
                if "requestBody" in operation:
                    responses.setdefault(400, UNREADABLE)
                responses.setdefault(503, BUSY)
                if 429 in responses:
                    responses[429].setdefault("headers", RETRY_AFTER)
        return schema


def _can_be_invalid(operation: dict) -> bool:
    """Whether ninja can refuse the operation's input: a body, or a parameter that is not
    just any string in the path (a slug that does not exist is a 404, not a 422)."""
    if "requestBody" in operation:
        return True
    return not all(
        p["in"] == "path" and p["schema"].get("type") == "string" and set(p["schema"]) <= PLAIN
        for p in operation.get("parameters", [])
    )


api = RathausAPI(
    title="Rathaus API",
    version="1",
    description="Open JSON API of the digital town hall. Texts are German; errors are English.",
    urls_namespace="api-v1",
    docs_url=None,
)
api.add_router("/", catalog_router)
api.add_router("/", appointments_router)
api.add_router("/", applications_router)
api.add_router("/", ledger_router)
api.add_router("/", language_router)
api.add_router("/", register_router)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Say which parameter is wrong and why, in plain English (documented as 422 above)."""
    problems = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        problems.append({"parameter": where, "message": error.get("msg", "Invalid value.")})
    return api.create_response(
        request, {"detail": "Invalid request parameters.", "errors": problems}, status=422
    )
