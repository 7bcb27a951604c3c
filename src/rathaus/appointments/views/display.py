"""The waiting-room display: large numbers, which counter, announced by voice. Public (it
hangs in the waiting room), so it shows no names."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from rathaus.language import speech
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
    calls = []
    for call in queue.calls(office):
        data = call.as_json()
        data["audio"] = reverse("appointments:display_audio", args=[office.slug, data["id"]])
        calls.append(data)
    return JsonResponse({"office": office.name, "calls": calls})


def display_audio(request: HttpRequest, slug: str, call: str) -> HttpResponse:
    """One of the display's current calls spoken by the server (kiosk browsers often have no
    German speech synthesis of their own); redirects to the cached audio file."""
    office = get_object_or_404(Office.objects.filter(counters__isnull=False).distinct(), slug=slug)
    found = next((c for c in queue.calls(office) if c.as_json()["id"] == call), None)
    if found is None:
        raise Http404
    try:
        name = speech.synthesise(found.as_json()["announcement"], get_language())
    except speech.SpeechUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    return HttpResponseRedirect(reverse("language:audio", args=[name]))
