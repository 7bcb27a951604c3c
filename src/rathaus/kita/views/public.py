"""What families see before they register: how the allocation works (criteria, tie-break,
why listing true wishes is safe), the daycares with their free places, one daycare."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ..forms import FindForm
from ..models import Daycare
from ..services import criteria, finder, registrations

__all__ = ["daycare", "daycares", "home"]

PAGE_SIZE = 25


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    period = registrations.current_period()
    return render(
        request,
        "kita/home.html",
        {
            "period": period,
            "open": period is not None and registrations.is_open(period),
            "criteria": criteria.labels(period.criteria) if period else [],
            "rounds": list(period.rounds.all()) if period else [],
            "places": finder.total_places(period) if period else 0,
            "daycare_count": Daycare.objects.count(),
        },
    )


@require_safe
def daycares(request: HttpRequest) -> HttpResponse:
    period = registrations.current_period()
    form = FindForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = finder.find(
        period,
        q=filters.get("q") or "",
        district=filters.get("bezirk"),
        groups=FindForm.GROUPS.get(filters.get("gruppe") or "", ()),
        hours=filters.get("stunden"),
        kind=filters.get("art") or "",
    )
    home = filters.get("wohnort")
    page = Paginator(finder.by_distance(found, home) if home else found, PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    listed = list(page) if home else [(daycare, None) for daycare in page]
    places = finder.places_by_daycare(period, [daycare.pk for daycare, _km in listed])
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "kita/daycares.html",
        {
            "form": form,
            "page": page,
            "cards": [(d, places.get(d.pk, []), km) for d, km in listed],
            "home": home,
            "period": period,
            "query": query.urlencode(),
        },
    )


@require_safe
def daycare(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(
        Daycare.objects.select_related("provider", "district", "quarter"), slug=slug
    )
    period = registrations.current_period()
    return render(
        request,
        "kita/daycare.html",
        {
            "daycare": found,
            "period": period,
            "places": finder.places_by_daycare(period, [found.pk]).get(found.pk, []),
            "open": period is not None and registrations.is_open(period),
        },
    )
