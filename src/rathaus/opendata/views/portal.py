"""The public portal: search with facets, a data set's page, its files and the RDF catalogue."""

from collections import OrderedDict
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .. import dcat
from ..forms import SORTS, SearchForm
from ..models import (
    FILE_FIELDS,
    FREQUENCIES,
    LICENCES,
    THEMES,
    Dataset,
    Organisation,
    Release,
    Resource,
    StoreRow,
)
from ..services import charts, rdf, search
from ..services.files import BY_NAME, FILES, content, file_url

__all__ = ["catalog_rdf", "current_file", "dataset", "dataset_rdf", "index", "release_file"]

# portal parameter → CKAN facet field, with the German heading
FACETS = OrderedDict(
    [
        ("thema", ("groups", "Thema")),
        ("stelle", ("organization", "Veröffentlichende Stelle")),
        ("format", ("res_format", "Format")),
        ("lizenz", ("license_id", "Lizenz")),
        ("schlagwort", ("tags", "Schlagwort")),
    ]
)
PER_PAGE = 20
PREVIEW_ROWS = 20
IMMUTABLE = "public, max-age=31536000, immutable"


def _facet_label(field: str, value: str, organisations: dict[str, str]) -> str:
    if field == "groups":
        return str(THEMES.get(value.upper(), value))
    if field == "organization":
        return organisations.get(value, value)
    if field == "license_id":
        return str(LICENCES.get(value, (value,))[0])
    return value


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Search the catalogue; every facet is a list of links and checkboxes (no JavaScript)."""
    form = SearchForm(request.GET or None)
    q, sort = "", SORTS[""][1]
    if form.is_bound and form.is_valid():
        q = form.cleaned_data["q"]
        sort = SORTS[form.cleaned_data["sortierung"] or ""][1]
    chosen = {key: request.GET.getlist(key)[:10] for key in FACETS}
    fq = " ".join(
        f'{FACETS[key][0]}:"{value}"'
        for key, values in chosen.items()
        for value in values
        if value and '"' not in value
    )
    try:
        page_number = max(1, int(request.GET.get("seite", "1")))
    except ValueError:
        page_number = 1
    query = search.Query(
        q=q,
        fq=fq,
        rows=PER_PAGE,
        start=(page_number - 1) * PER_PAGE,
        sort=sort,
        facet_fields=tuple(field for field, _title in FACETS.values()),
        facet_limit=12,
    )
    try:
        found = search.search(query)
    except search.QueryError:
        found = search.Result(count=0, datasets=[], facets={})
    organisations = dict(Organisation.objects.values_list("slug", "title"))
    facets = [
        {
            "key": key,
            "title": title,
            "items": [
                {
                    "value": value,
                    "label": _facet_label(field, value, organisations),
                    "count": count,
                    "checked": value in chosen[key],
                }
                for value, count in found.facets.get(field, {}).items()
            ],
        }
        for key, (field, title) in FACETS.items()
    ]
    paginator = Paginator(range(found.count), PER_PAGE)
    page = paginator.get_page(page_number)
    params = [(k, v) for k in request.GET for v in request.GET.getlist(k) if k != "seite"]
    return render(
        request,
        "opendata/index.html",
        {
            "form": form,
            "found": found,
            "facets": facets,
            "page": page,
            "query": urlencode(params),
            "api_call": reverse("opendata:ckan_action", args=["package_search"])
            + "?"
            + urlencode({"q": q, "fq": fq, "rows": PER_PAGE}),
        },
    )


@require_safe
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    get_object_or_404(Organisation, slug=slug)
    return redirect(reverse("opendata:index") + "?" + urlencode({"stelle": slug}))


def _visible(request: HttpRequest, slug: str) -> Dataset:
    return get_object_or_404(
        Dataset.objects.select_related("organisation", "current").defer(
            *(f"current__{name}" for name in FILE_FIELDS)
        ),
        slug=slug,
        state=Dataset.State.PUBLISHED,
        current__isnull=False,
    )


@require_safe
def dataset(request: HttpRequest, slug: str) -> HttpResponse:
    """A data set: what it is, a preview, a chart of a time series, files, API, history."""
    found = _visible(request, slug)
    release = found.current
    columns = release.columns
    preview = [
        [data.get(column["name"]) for column in columns]
        for data in StoreRow.objects.filter(dataset=found)
        .order_by("number")
        .values_list("data", flat=True)[:PREVIEW_ROWS]
    ]
    resources = list(found.resources.all())
    csv = next((r for r in resources if r.format == Resource.Format.CSV), None)
    releases = found.releases.filter(state=Release.State.PUBLISHED).defer(*FILE_FIELDS)
    return render(
        request,
        "opendata/dataset.html",
        {
            "dataset": found,
            "release": release,
            "columns": columns,
            "preview": preview,
            "chart": charts.time_series(found),
            "downloads": [
                {
                    "resource": resource,
                    "title": FILES[resource.format][2],
                    "url": file_url(found, resource.format),
                    "size": release.files.get(resource.format, {}).get("bytes"),
                }
                for resource in resources
            ],
            "releases": releases,
            "themes": [THEMES[code] for code in found.themes if code in THEMES],
            "frequency": FREQUENCIES.get(found.frequency, found.frequency),
            "datastore_call": (
                reverse("opendata:ckan_action", args=["datastore_search"])
                + f"?resource_id={csv.uuid}&limit=5"
                if csv
                else ""
            ),
            "show_call": reverse("opendata:ckan_action", args=["package_show"])
            + f"?id={found.slug}",
        },
    )


def _file(release: Release, name: str, cache: str) -> HttpResponse:
    fmt = BY_NAME.get(name)
    if fmt is None:
        raise Http404
    body = content(release, fmt)
    if body is None:
        raise Http404
    response = HttpResponse(body, content_type=FILES[fmt][1])
    if fmt == Resource.Format.CSV:
        filename = f"{release.dataset.slug}-v{release.number}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = cache
    response["Access-Control-Allow-Origin"] = "*"
    stored = release.files.get(fmt)
    if stored:
        response["ETag"] = f'"{stored["sha256"]}"'
    return response


@require_safe
def current_file(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    """A file of the current release (it changes with the next release)."""
    found = get_object_or_404(
        Dataset.objects.select_related("current"),
        slug=slug,
        state=Dataset.State.PUBLISHED,
        current__isnull=False,
    )
    return _file(found.current, name, "public, max-age=300")


@require_safe
def release_file(request: HttpRequest, slug: str, number: int, name: str) -> HttpResponse:
    """A file of one release, for good (the address never changes its content)."""
    release = get_object_or_404(
        Release.objects.select_related("dataset"),
        dataset__slug=slug,
        dataset__state=Dataset.State.PUBLISHED,
        number=number,
        state=Release.State.PUBLISHED,
    )
    return _file(release, name, IMMUTABLE)


def _rdf(graph, fmt: str) -> HttpResponse:
    if fmt not in dcat.FORMATS:
        raise Http404
    response = HttpResponse(dcat.serialize(graph, fmt), content_type=dcat.FORMATS[fmt][1])
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def catalog_rdf(request: HttpRequest, fmt: str) -> HttpResponse:
    """The whole catalogue as DCAT-AP.de (Turtle, RDF/XML or JSON-LD)."""
    datasets = (
        Dataset.objects.filter(state=Dataset.State.PUBLISHED, current__isnull=False)
        .select_related("organisation", "current")
        .defer(*(f"current__{name}" for name in FILE_FIELDS))
        .prefetch_related("resources")
        .order_by("slug")
    )
    return _rdf(rdf.catalog_graph(datasets, request.build_absolute_uri), fmt)


@require_safe
def dataset_rdf(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    return _rdf(rdf.dataset_graph(_visible(request, slug), request.build_absolute_uri), fmt)
