"""The monitor's pages: the public figures, the green-IT account and the Wi-Fi register
with its map; for staff the committee's targets, the paper assumptions and the register."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from rathaus.accounts import policy
from rathaus.core.forms import posted
from rathaus.core.http import private
from rathaus.core.middleware import allow_images_from

from . import services
from .figures import all_tallies
from .forms import AssumptionForm, TargetForm, WifiFilterForm, WifiPlaceForm
from .models import PaperAssumption, Target, WifiPlace
from .services import green, wifi

__all__ = [
    "assumption",
    "green_account",
    "index",
    "staff",
    "target",
    "wifi_csv",
    "wifi_geojson",
    "wifi_map",
    "wifi_place",
    "wifi_staff",
]

EDIT = "monitor.edit"
MONTHS = 13  # a year back from the running month: the same month a year ago is the trend
PAGE_SIZE = 100  # places per page of the Wi-Fi lists


def index(request: HttpRequest) -> HttpResponse:
    """Every figure with its current value, trend, target and monthly table."""
    return render(request, "monitor/index.html", {"figures": services.cached_figures(MONTHS)})


def green_account(request: HttpRequest) -> HttpResponse:
    """Paper and postage saved, and the energy the platform used, with the assumptions."""
    since = services.month_starts(MONTHS)[0]
    paper = green.paper(since)
    energy = green.energy(since)
    return render(
        request,
        "monitor/green.html",
        {
            "paper": paper,
            "energy": energy,
            "totals": green.totals(paper, energy),
            "request_types": green.request_types(since),
            "assumptions": _with_kinds(PaperAssumption.objects.all()),
            "config": settings.RATHAUS["GREEN_IT"],
            "since": since,
            "sqlite": settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        },
    )


def _with_kinds(assumptions) -> list[tuple[PaperAssumption, str]]:
    """Each assumption with the title of its kind of cases."""
    titles = {tally.key: tally.title for tally in all_tallies()}
    return [(entry, titles.get(entry.tally, entry.tally)) for entry in assumptions]


@policy.staff_required(EDIT)
def staff(request: HttpRequest) -> HttpResponse:
    """The figures with their targets, and the paper assumptions."""
    return private(
        render(
            request,
            "monitor/staff/index.html",
            {
                "figures": services.figures(1),
                "assumptions": _with_kinds(PaperAssumption.objects.all()),
                "wifi_places": WifiPlace.objects.count(),
            },
        )
    )


@policy.staff_required(EDIT)
def target(request: HttpRequest, key: str) -> HttpResponse:
    """Set or change the committee's target for one figure."""
    figure = next((f for f in services.figures(1) if f.key == key), None)
    if figure is None:
        raise Http404(key)
    entry = Target.objects.filter(figure=key).first() or Target(figure=key)
    form = TargetForm(posted(request), instance=entry, share=figure.is_share)
    if form.is_bound and form.is_valid():
        entry = form.save(commit=False)
        services.set_target(entry, by=request.user)
        services.forget_figures(MONTHS)
        messages.success(request, _("Das Ziel ist gespeichert und öffentlich zu sehen."))
        return redirect("monitor:staff")
    return private(render(request, "monitor/staff/target.html", {"form": form, "figure": figure}))


@policy.staff_required(EDIT)
def assumption(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new paper assumption or a change to one."""
    entry = get_object_or_404(PaperAssumption, pk=pk) if pk else PaperAssumption()
    form = AssumptionForm(posted(request), instance=entry)
    if form.is_bound and form.is_valid():
        services.save_assumption(form.save(commit=False), by=request.user)
        messages.success(request, _("Die Annahme ist gespeichert; das Konto rechnet damit."))
        return redirect("monitor:staff")
    return private(
        render(
            request,
            "monitor/staff/assumption.html",
            {"form": form, "assumption": entry if entry.pk else None},
        )
    )


def _filtered(request: HttpRequest) -> tuple[WifiFilterForm, object]:
    form = WifiFilterForm(request.GET)
    return form, form.places()


def _page(request: HttpRequest, places):
    found = places.select_related("quarter__district").order_by("name", "pk")
    return Paginator(found, PAGE_SIZE).get_page(request.GET.get("seite"))


def _query(request: HttpRequest) -> str:
    """The filters of this request, for the links to other pages and the downloads."""
    query = request.GET.copy()
    query.pop("seite", None)
    return query.urlencode()


def wifi_map(request: HttpRequest) -> HttpResponse:
    """The Wi-Fi register: a map where JavaScript runs, the summaries and the list always."""
    form, places = _filtered(request)
    everything = WifiPlace.objects.all()
    config = settings.RATHAUS["MAP"]
    response = render(
        request,
        "monitor/wifi.html",
        {
            "form": form,
            "page": _page(request, places),
            "query": _query(request),
            "summaries": [
                (_("Orte nach Art"), "kinds", wifi.by_kind(everything)),
                (_("Orte nach Stadtbezirk"), "districts", wifi.by_district(everything)),
            ],
            "outlines": config["OUTLINES"],
            "tiles": config["TILES"],
            "tiles_attribution": config["TILES_ATTRIBUTION"],
            "bounds": config["BOUNDS"],
            "schematic": config["OUTLINES"].endswith("-schematisch.geojson"),
        },
    )
    if config["TILES"]:
        allow_images_from(response, request, _origin(config["TILES"]))
    return response


def _origin(template: str) -> str:
    """The scheme and host of a tile address template, e.g. https://tile.example.org."""
    scheme, _separator, rest = template.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].replace('{s}', '*')}"


def _download(response: HttpResponse) -> HttpResponse:
    """Open data: anyone may read it, also from a page of another origin."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def wifi_geojson(request: HttpRequest) -> HttpResponse:
    """The places as GeoJSON, with the same filters as the list."""
    _, places = _filtered(request)
    return _download(
        JsonResponse(
            wifi.feature_collection(places),
            content_type="application/geo+json",
            json_dumps_params={"ensure_ascii": False},
        )
    )


def wifi_csv(request: HttpRequest) -> HttpResponse:
    _, places = _filtered(request)
    response = HttpResponse(wifi.csv_bytes(places), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="wlan-orte.csv"'
    return _download(response)


@policy.staff_required(EDIT)
def wifi_staff(request: HttpRequest) -> HttpResponse:
    """The register for staff: every place with a link to change it."""
    form, places = _filtered(request)
    return private(
        render(
            request,
            "monitor/staff/wifi.html",
            {"form": form, "page": _page(request, places), "query": _query(request)},
        )
    )


@policy.staff_required(EDIT)
def wifi_place(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new place of the Wi-Fi register or a change to one."""
    place = get_object_or_404(WifiPlace, pk=pk) if pk else WifiPlace()
    form = WifiPlaceForm(posted(request), instance=place)
    if form.is_bound and form.is_valid():
        wifi.save_place(form.save(commit=False), by=request.user)
        services.forget_figures(MONTHS)
        messages.success(request, _("Der Ort ist gespeichert und auf der Karte zu sehen."))
        return redirect("monitor:wifi_staff")
    return private(
        render(
            request,
            "monitor/staff/wifi_place.html",
            {"form": form, "place": place if place.pk else None},
        )
    )
