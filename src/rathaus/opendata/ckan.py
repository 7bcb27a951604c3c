"""A CKAN-compatible Action API (``/api/3/action/<name>`` and ``/api/action/<name>``).

Read-only, anonymous, with CKAN's field names and envelopes – ``{help, success, result}``,
errors as ``{help, success: false, error: {__type, message | field: [..]}}`` with CKAN's
status codes – so the ``ckanapi`` client and GovData's CKAN harvester work unchanged.
Parameters come from the query string (GET) or a JSON object (POST, as ``ckanapi`` sends).
Dict shapes follow CKAN 2.10's ``package_show``; docs/opendata.md lists what is supported.
"""

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from . import dcat
from .models import FILE_FIELDS, THEMES, Dataset, Organisation, Resource, SearchTerm
from .services import datastore, search
from .services.files import FILES, file_url, resource_name

__all__ = ["ACTIONS", "action"]

CKAN_VERSION = "2.10.4"
FREQUENCY_URI = "http://publications.europa.eu/resource/authority/frequency/"
MAX_BODY = 64 * 1024
FACET_TITLES = {
    "organization": "Organisationen",
    "groups": "Kategorien",
    "tags": "Schlagwörter",
    "res_format": "Formate",
    "license_id": "Lizenzen",
}


class ActionError(Exception):
    def __init__(self, status: int, kind: str, message: str = "", **fields: list[str]) -> None:
        super().__init__(message)
        self.status, self.kind, self.message, self.fields = status, kind, message, fields


def _not_found(what: str = "Not found") -> ActionError:
    return ActionError(404, "Not Found Error", what)


def _invalid(field: str, message: str) -> ActionError:
    return ActionError(409, "Validation Error", **{field: [message]})


def _stamp(moment: datetime | None) -> str | None:
    """CKAN's timestamps: UTC without a zone designator."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat()


def _int(params: dict, name: str, default: int) -> int:
    value = params.get(name, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _invalid(name, "Invalid integer") from None


def _bool(params: dict, name: str) -> bool:
    value = params.get(name, False)
    return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")


def _json_param(params: dict, name: str, default: Any) -> Any:
    value = params.get(name, default)
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            raise _invalid(name, "Invalid JSON") from None
    return value


def organization_dict(organisation: Organisation, package_count: int | None = None) -> dict:
    result = {
        "id": str(organisation.uuid),
        "name": organisation.slug,
        "title": organisation.title,
        "display_name": organisation.title,
        "type": "organization",
        "description": organisation.description,
        "image_url": "",
        "image_display_url": "",
        "created": _stamp(organisation.created_at),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def group_dict(code: str, package_count: int | None = None) -> dict:
    result = {
        "id": code.lower(),
        "name": code.lower(),
        "title": str(THEMES[code]),
        "display_name": str(THEMES[code]),
        "description": "",
        "image_display_url": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def resource_dict(request: HttpRequest, resource: Resource, dataset: Dataset) -> dict:
    release = dataset.current
    stored = release.files.get(resource.format, {})
    return {
        "id": str(resource.uuid),
        "package_id": str(dataset.uuid),
        "name": resource_name(resource.format),
        "description": f"Version {release.number}",
        "format": resource.format,
        "mimetype": FILES[resource.format][1].split(";")[0],
        "url": request.build_absolute_uri(file_url(dataset, resource.format)),
        "url_type": None,
        "size": stored.get("bytes"),
        "hash": f"sha256:{stored['sha256']}" if stored else "",
        "created": _stamp(resource.created_at),
        "last_modified": _stamp(release.published_at),
        "metadata_modified": _stamp(release.published_at),
        "position": resource.position,
        "state": "active",
        "datastore_active": resource.format == Resource.Format.CSV,
        "cache_url": None,
        "resource_type": None,
    }


def package_dict(request: HttpRequest, dataset: Dataset) -> dict:
    """One data set as CKAN's ``package_show`` returns it (with GovData's DCAT-AP.de extras)."""
    release = dataset.current
    resources = (
        [resource_dict(request, r, dataset) for r in dataset.resources.all()] if release else []
    )
    tags = [
        {
            "id": keyword,
            "name": keyword,
            "display_name": keyword,
            "state": "active",
            "vocabulary_id": None,
        }
        for keyword in dataset.keywords
    ]
    extras = {
        "contributorID": json.dumps([dcat.DUESSELDORF.contributor_id]),
        "politicalGeocodingLevelURI": dcat.DUESSELDORF.political_geocoding_level_uri,
        "politicalGeocodingURI": json.dumps([dcat.DUESSELDORF.political_geocoding_uri]),
        "frequency": f"{FREQUENCY_URI}{dataset.frequency}",
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else "",
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else "",
        "issued": _stamp(dataset.created_at) or "",
        "modified": _stamp(release.published_at if release else dataset.modified_at) or "",
    }
    return {
        "id": str(dataset.uuid),
        "name": dataset.slug,
        "title": dataset.title,
        "notes": dataset.description,
        "type": "dataset",
        "state": "active",
        "private": False,
        "isopen": True,
        "license_id": dataset.licence,
        "license_title": dataset.licence_title,
        "license_url": dataset.licence_url,
        "author": dataset.organisation.title,
        "author_email": None,
        "maintainer": dataset.contact_name,
        "maintainer_email": dataset.contact_email,
        "url": request.build_absolute_uri(reverse("opendata:dataset", args=[dataset.slug])),
        "version": str(release.number) if release else None,
        "metadata_created": _stamp(dataset.created_at),
        "metadata_modified": _stamp(dataset.modified_at),
        "creator_user_id": None,
        "owner_org": str(dataset.organisation.uuid),
        "organization": organization_dict(dataset.organisation),
        "groups": [group_dict(code) for code in dataset.themes if code in THEMES],
        "tags": tags,
        "num_tags": len(tags),
        "resources": resources,
        "num_resources": len(resources),
        "extras": [{"key": key, "value": value} for key, value in sorted(extras.items())],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


def _published() -> Any:
    return (
        Dataset.objects.filter(state=Dataset.State.PUBLISHED)
        .select_related("organisation", "current")
        .defer(*(f"current__{name}" for name in FILE_FIELDS))
    )


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _dataset(params: dict, key: str = "id") -> Dataset:
    value = str(params.get(key) or params.get("name_or_id") or "").strip()
    if not value:
        raise _invalid(key, "Missing value")
    condition = Q(slug=value)
    if (as_uuid := _uuid(value)) is not None:
        condition |= Q(uuid=as_uuid)
    dataset = _published().prefetch_related("resources").filter(condition).first()
    if dataset is None:
        raise _not_found()
    return dataset


def _resource(params: dict, key: str) -> Resource:
    value = _uuid(str(params.get(key) or "").strip())
    if not params.get(key):
        raise _invalid(key, "Missing value")
    resource = (
        Resource.objects.select_related("dataset__organisation", "dataset__current")
        .defer(*(f"dataset__current__{name}" for name in FILE_FIELDS))
        .filter(uuid=value, dataset__state=Dataset.State.PUBLISHED)
        .first()
        if value is not None
        else None
    )
    if resource is None:
        raise ActionError(404, "Not Found Error", "Resource was not found.")
    return resource


def status_show(request: HttpRequest, params: dict) -> dict:
    """The portal and what it offers (CKAN's site status)."""
    return {
        "ckan_version": CKAN_VERSION,
        "site_title": "Offene Daten Düsseldorf (Rathaus)",
        "site_description": "Daten der Landeshauptstadt Düsseldorf, automatisch und anonymisiert.",
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "error_emails_to": None,
        "locale_default": "de",
        "extensions": ["datastore", "dcat"],
    }


def package_list(request: HttpRequest, params: dict) -> list[str]:
    """Names of the published data sets (``limit``, ``offset``)."""
    names = _published().order_by("slug").values_list("slug", flat=True)
    offset = _int(params, "offset", 0)
    limit = params.get("limit")
    if offset < 0:
        raise _invalid("offset", "Must be a positive integer")
    if limit is not None:
        return list(names[offset : offset + max(_int(params, "limit", 0), 0)])
    return list(names[offset:])


def package_show(request: HttpRequest, params: dict) -> dict:
    """One data set by name or id."""
    return package_dict(request, _dataset(params))


def package_search(request: HttpRequest, params: dict) -> dict:
    """Search: ``q``, ``fq``, ``rows``, ``start``, ``sort``, ``facet.field``, ``facet.limit``."""
    facet_fields = _json_param(params, "facet.field", [])
    if isinstance(facet_fields, str):
        facet_fields = [facet_fields]
    if not isinstance(facet_fields, list):
        raise _invalid("facet.field", "Must be a JSON list")
    query = search.Query(
        q=str(params.get("q") or ""),
        fq=str(params.get("fq") or ""),
        rows=_int(params, "rows", 10),
        start=_int(params, "start", 0),
        sort=str(params.get("sort") or "score desc, metadata_modified desc"),
        facet_fields=tuple(str(f) for f in facet_fields),
        facet_limit=_int(params, "facet.limit", 50),
    )
    try:
        found = search.search(query)
    except search.QueryError as error:
        raise ActionError(409, "Search Query Error", str(error)) from None
    titles = _facet_titles(found.facets)
    return {
        "count": found.count,
        "sort": query.sort,
        "results": [package_dict(request, d) for d in found.datasets],
        "facets": found.facets,
        "search_facets": {
            name: {
                "title": name,
                "items": [
                    {"name": value, "display_name": titles.get((name, value), value), "count": n}
                    for value, n in values.items()
                ],
            }
            for name, values in found.facets.items()
        },
    }


def _facet_titles(facets: dict[str, dict[str, int]]) -> dict[tuple[str, str], str]:
    titles = {("groups", code.lower()): str(label) for code, label in THEMES.items()}
    if facets.get("organization"):
        for slug, title in Organisation.objects.filter(
            slug__in=list(facets["organization"])
        ).values_list("slug", "title"):
            titles["organization", slug] = title
    return titles


def organization_list(request: HttpRequest, params: dict) -> list:
    """Organisations with published data sets; ``all_fields`` gives dicts with counts."""
    organisations = Organisation.objects.annotate(
        package_count=Count("datasets", filter=Q(datasets__state=Dataset.State.PUBLISHED))
    ).order_by("slug")
    if _bool(params, "all_fields"):
        return [organization_dict(o, o.package_count) for o in organisations]
    return [o.slug for o in organisations]


def organization_show(request: HttpRequest, params: dict) -> dict:
    """One organisation by name or id; ``include_datasets`` adds its data sets."""
    value = str(params.get("id") or "").strip()
    if not value:
        raise _invalid("id", "Missing value")
    condition = Q(slug=value)
    if (as_uuid := _uuid(value)) is not None:
        condition |= Q(uuid=as_uuid)
    organisation = Organisation.objects.filter(condition).first()
    if organisation is None:
        raise _not_found()
    datasets = _published().filter(organisation=organisation)
    result = organization_dict(organisation, datasets.count())
    if _bool(params, "include_datasets"):
        result["packages"] = [
            package_dict(request, d) for d in datasets.prefetch_related("resources")[:1000]
        ]
    return result


def group_list(request: HttpRequest, params: dict) -> list:
    """The EU data themes used as CKAN groups (as GovData does)."""
    counts = dict(
        SearchTerm.objects.filter(field="groups").values_list("value").annotate(n=Count("pk"))
    )
    codes = sorted(THEMES)
    if _bool(params, "all_fields"):
        return [group_dict(code, counts.get(code.lower(), 0)) for code in codes]
    return [code.lower() for code in codes]


def tag_list(request: HttpRequest, params: dict) -> list[str]:
    """Keywords of published data sets; ``query`` narrows them."""
    tags = SearchTerm.objects.filter(field="tags")
    if params.get("query"):
        tags = tags.filter(value__icontains=str(params["query"]))
    return list(tags.order_by("value").values_list("value", flat=True).distinct())


def resource_show(request: HttpRequest, params: dict) -> dict:
    """One distribution by id."""
    resource = _resource(params, "id")
    return resource_dict(request, resource, resource.dataset)


def datastore_search(request: HttpRequest, params: dict) -> dict:
    """Rows of a CSV resource: ``q``, ``filters``, ``fields``, ``sort``, ``limit``, ``offset``."""
    resource = _resource(params, "resource_id")
    if resource.format != Resource.Format.CSV:
        raise ActionError(404, "Not Found Error", "Resource is not in the datastore.")
    filters = _json_param(params, "filters", {})
    if not isinstance(filters, dict):
        raise _invalid("filters", "Must be a JSON object")
    limit, offset = _int(params, "limit", 100), _int(params, "offset", 0)
    try:
        found = datastore.search(
            resource.dataset,
            q=_json_param(params, "q", None),
            filters=filters,
            fields=_json_param(params, "fields", None),
            sort=_json_param(params, "sort", None),
            limit=limit,
            offset=offset,
            include_total=params.get("include_total", True) not in (False, "false", "False"),
        )
    except datastore.StoreError as error:
        raise _invalid(error.field, str(error)) from None
    base = reverse("opendata:ckan_action", args=["datastore_search"])
    return {
        "resource_id": str(resource.uuid),
        "include_total": found.total is not None,
        "records_format": "objects",
        "fields": found.fields,
        "records": found.records,
        "total": found.total,
        "limit": found.limit,
        "offset": found.offset,
        "_links": {
            "start": f"{base}?resource_id={resource.uuid}",
            "next": f"{base}?resource_id={resource.uuid}&offset={offset + limit}",
        },
    }


def help_show(request: HttpRequest, params: dict) -> str:
    """The documentation of an action."""
    name = str(params.get("name") or "")
    if name not in ACTIONS:
        raise _not_found()
    return ACTIONS[name].__doc__ or ""


ACTIONS: dict[str, Callable[[HttpRequest, dict], Any]] = {
    function.__name__: function
    for function in (
        status_show,
        package_list,
        package_show,
        package_search,
        organization_list,
        organization_show,
        group_list,
        tag_list,
        resource_show,
        datastore_search,
        help_show,
    )
}


def _params(request: HttpRequest) -> dict:
    if request.method == "POST" and request.body:
        if len(request.body) > MAX_BODY:
            raise ActionError(400, "Bad request", "Bad request - request body too large")
        if request.content_type == "application/x-www-form-urlencoded":
            return {key: request.POST.get(key) for key in request.POST}
        try:
            data = json.loads(request.body)
        except ValueError as error:
            raise ActionError(400, "Bad request", f"Bad request - JSON Error: {error}") from None
        if not isinstance(data, dict):
            raise ActionError(
                400,
                "Bad request",
                "Bad request - JSON Error: Request data JSON decoded to "
                f"{data!r} but it needs to be a dictionary.",
            )
        return data
    return {key: request.GET.get(key) for key in request.GET}


@csrf_exempt
def action(request: HttpRequest, name: str) -> HttpResponse:
    """Run one action and answer in CKAN's envelope."""
    help_url = request.build_absolute_uri(
        reverse("opendata:ckan_action", args=["help_show"]) + f"?name={name}"
    )
    function = ACTIONS.get(name)
    if function is None:
        response: HttpResponse = JsonResponse(
            f"Bad request - Action name not known: {name}", status=400, safe=False
        )
    elif request.method not in ("GET", "POST", "HEAD"):
        response = JsonResponse("Bad request - method not allowed", status=405, safe=False)
        response["Allow"] = "GET, POST"
    else:
        try:
            body = {
                "help": help_url,
                "success": True,
                "result": function(request, _params(request)),
            }
            status = 200
        except ActionError as error:
            detail: dict[str, Any] = {"__type": error.kind}
            if error.message:
                detail["message"] = error.message
            detail.update(error.fields)
            body, status = {"help": help_url, "success": False, "error": detail}, error.status
        response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
