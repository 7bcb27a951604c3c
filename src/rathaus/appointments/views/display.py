"""The waiting-room display: large numbers, which counter, announced by voice. Public (it
hangs in the waiting room), so it shows no names."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from rathaus.offices.models import Office

from ..services import queue

REFRESH_SECONDS = 15  # without JavaScript the page reloads itself


def display(request: HttpRequest, slug: str) -> HttpResponse:
    office = get_object_or_404(Office.objects.filter(counters__isnull=False).distinct(), slug=slug)
    calls = queue.calls(office)
    return render(
        request,
        "appointments/display.html",
        {
            "office": office,
            "current": calls[0] if calls else None,
            "earlier": calls[1:],
            "refresh": REFRESH_SECONDS,
        },
    )


@never_cache
def display_json(request: HttpRequest, slug: str) -> JsonResponse:
    office = get_object_or_404(Office.objects.filter(counters__isnull=False).distinct(), slug=slug)
    return JsonResponse(
        {"office": office.name, "calls": [c.as_json() for c in queue.calls(office)]}
    )
