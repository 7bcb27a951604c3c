from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from rathaus.language import translations
from rathaus.offices.models import Office, OpeningHours

from . import search as catalog_search
from .forms import SearchForm
from .models import LifeSituation, Service, Topic

PAGE_SIZE = 20


def _first_letter(title: str) -> str:
    letter = title[:1].upper()
    return {"Ä": "A", "Ö": "O", "Ü": "U"}.get(letter, letter if letter.isalpha() else "#")


def _page_number(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/home.html",
        {
            "popular": Service.objects.published().order_by("-popularity", "title")[:8],
            "life_situations": LifeSituation.objects.all(),
            "topics": Topic.objects.all(),
            "form": SearchForm(),
        },
    )


def a_to_z(request: HttpRequest) -> HttpResponse:
    services = Service.objects.published().only("slug", "title", "summary").order_by("title")
    groups = [
        (letter, list(items))
        for letter, items in groupby(services, key=lambda s: _first_letter(s.title))
    ]
    return render(request, "catalog/a_to_z.html", {"groups": groups, "nav": "leistungen"})


# What of a service a machine may translate (names of offices and legal bases stay German).
TRANSLATED_FIELDS = (
    *("title", "summary", "description", "audience", "required_documents"),
    *("fee_note", "processing_time"),
)


def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_object_or_404(
        Service.objects.published().select_related("office", "topic"), slug=slug
    )
    language = get_language()
    translated = translations.texts(service, TRANSLATED_FIELDS, language)
    return render(
        request,
        "catalog/service_detail.html",
        {
            "service": service,
            "translated": translated,
            "translation_note": translations.note(translated, language),
            "channels": service.channels.all(),
            "life_situations": service.life_situations.all(),
            "opening_hours": service.office.opening_hours.all(),
            "nav": "leistungen",
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = page = None
    if form.is_valid() and form.cleaned_data["q"]:
        number = _page_number(request.GET.get("seite"))
        results = catalog_search.search(
            form.cleaned_data["q"], limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
        )
        page = Paginator(range(results.total), PAGE_SIZE).get_page(number)
    return render(
        request,
        "catalog/search.html",
        {
            "form": form,
            "results": results,
            "found": [hit.service for hit in results.hits] if results else [],
            "page": page,
            "nav": "suche",
        },
    )


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    return render(
        request,
        "catalog/topic_detail.html",
        {"topic": topic, "services": topic.services.published().order_by("title")},
    )


def life_situations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/life_situations.html",
        {"life_situations": LifeSituation.objects.all(), "nav": "lebenslagen"},
    )


def life_situation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    situation = get_object_or_404(LifeSituation, slug=slug)
    services = (
        Service.objects.published()
        .filter(lifesituationservice__life_situation=situation)
        .order_by("lifesituationservice__position")
    )
    return render(
        request,
        "catalog/life_situation_detail.html",
        {"situation": situation, "services": services, "nav": "lebenslagen"},
    )


def offices(request: HttpRequest) -> HttpResponse:
    rows = Office.objects.select_related("district").order_by("kind", "name")
    kinds = dict(Office.Kind.choices)
    groups = [(kinds[kind], list(items)) for kind, items in groupby(rows, key=lambda o: o.kind)]
    return render(request, "catalog/offices.html", {"groups": groups, "nav": "dienststellen"})


def office_detail(request: HttpRequest, slug: str) -> HttpResponse:
    office = get_object_or_404(
        Office.objects.select_related("district").prefetch_related(
            Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens"))
        ),
        slug=slug,
    )
    return render(
        request,
        "catalog/office_detail.html",
        {
            "office": office,
            "services": office.services.published().order_by("title"),
            "nav": "dienststellen",
        },
    )
