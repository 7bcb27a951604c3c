"""The OParl 1.1 endpoint (``/oparl/v1/``): the System object, the body list, every object
under its own URL and the paginated external lists of a body.

As the standard asks: JSON in UTF-8 with ``Access-Control-Allow-Origin: *`` on every answer,
no session or cookie needed, lists sorted by the unchanging id, the filters
``created_since``/``created_until``/``modified_since``/``modified_until`` on every list (and
kept in every ``links`` URL), withdrawn objects listed only when ``modified_since`` asks for
changes, ``omit_internal`` and ``limit``; errors as an ``Error`` object with a status code.
"""

import json
import math
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from rathaus.core.http import public_url

from . import oparl
from .models import Body, Organization

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")
FIELD_OF = {
    "created_since": "created_at__gte",
    "created_until": "created_at__lte",
    "modified_since": "modified_at__gte",
    "modified_until": "modified_at__lte",
}


class BadRequest(Exception):
    pass


def _json(data: dict[str, Any], status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        content_type="application/json; charset=utf-8",
        status=status,
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=60"
    return response


def _error(status: int, message: str, debug: str = "") -> HttpResponse:
    data = {"type": oparl.SCHEMA + "Error", "message": message}
    return _json(data | ({"debug": debug} if debug else {}), status)


def _internal(request: HttpRequest) -> bool:
    return request.GET.get("omit_internal") != "true"


@require_GET
def system(request: HttpRequest) -> HttpResponse:
    return _json(oparl.system())


@require_GET
def bodies(request: HttpRequest) -> HttpResponse:
    return _page(request, oparl.KINDS["body"].rows(), reverse("council:oparl_bodies"))


@require_GET
def one(request: HttpRequest, path: str, pk: int) -> HttpResponse:
    kind = oparl.KINDS.get(path)
    if kind is None:
        return _error(404, "Diesen Objekttyp gibt es hier nicht.", path)
    record = kind.rows().filter(pk=pk).first()
    if record is None:
        return _error(404, "Dieses Objekt gibt es nicht.", f"{kind.type} {pk}")
    return _json(oparl.as_object(record, internal=_internal(request)))


@require_GET
def body_list(request: HttpRequest, pk: int, path: str) -> HttpResponse:
    if path not in oparl.LISTS:
        return _error(404, "Diese Liste gibt es nicht.", path)
    if not Body.objects.filter(pk=pk).exists():
        return _error(404, "Diese Körperschaft gibt es nicht.", f"Body {pk}")
    rows = oparl.KINDS[path].rows().filter(body_id=pk)
    return _page(request, rows, reverse("council:oparl_list", args=[pk, path]))


@require_GET
def organization_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    if not Organization.objects.filter(pk=pk).exists():
        return _error(404, "Dieses Gremium gibt es nicht.", f"Organization {pk}")
    rows = oparl.KINDS["meeting"].rows().filter(organizations=pk)
    return _page(request, rows, reverse("council:oparl_organization_meetings", args=[pk]))


def _since(request: HttpRequest) -> dict[str, datetime]:
    """The date-time filters of the request; a value without its time zone is refused."""
    found = {}
    for name in FILTERS:
        raw = request.GET.get(name)
        if raw is None:
            continue
        # A "+" not written as %2B arrives as a space: read it as the offset it was meant as.
        text = raw.strip().replace(" ", "+")
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            value = None
        if value is None or value.tzinfo is None:
            raise BadRequest(
                f"{name}: expected a date-time with time zone like 2026-01-01T00:00:00+01:00"
            )
        found[name] = value
    return found


def _number(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(f"{name}: expected a whole number from 1")
    return int(raw)


def _page(request: HttpRequest, rows, path: str) -> HttpResponse:
    try:
        since = _since(request)
        limit = min(_number(request, "limit", PAGE_SIZE), MAX_PAGE_SIZE)
        page = _number(request, "page", 1)
    except BadRequest as error:
        return _error(400, "Die Anfrage ist ungültig.", str(error))
    rows = rows.filter(**{FIELD_OF[name]: value for name, value in since.items()})
    if "modified_since" not in since:  # withdrawn objects only for those who ask for changes
        rows = rows.filter(deleted=False)
    total = rows.count()
    pages = max(1, math.ceil(total / limit))
    if page > pages:
        return _error(404, "Diese Listenseite gibt es nicht.", f"page {page} of {pages}")
    internal = _internal(request)
    data = [oparl.as_object(r, internal=internal) for r in rows[(page - 1) * limit : page * limit]]
    kept = sorted(
        (name, value)
        for name, value in request.GET.items()
        if name in (*FILTERS, "limit", "omit_internal")
    )

    def link(number: int) -> str:
        query = urlencode(kept + ([("page", str(number))] if number > 1 else []))
        return public_url(path) + (f"?{query}" if query else "")

    links = {"first": link(1), "self": link(page), "last": link(pages)}
    if page > 1:
        links["prev"] = link(page - 1)
    if page < pages:
        links["next"] = link(page + 1)
    pagination = {
        "totalElements": total,
        "elementsPerPage": limit,
        "currentPage": page,
        "totalPages": pages,
    }
    return _json({"data": data, "pagination": pagination, "links": links})
