import logging

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from rathaus.core import ratelimit

from . import assistant, services, speech
from .forms import QuestionForm

logger = logging.getLogger(__name__)


def _safe_next(request: HttpRequest, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@require_http_methods(["GET", "POST"])
def easy_language(request: HttpRequest) -> HttpResponse:
    """What Leichte Sprache is (GET), and the switch in the page header (POST)."""
    if request.method == "POST":
        response = HttpResponseRedirect(_safe_next(request))
        services.remember_easy_language(response, request.POST.get("an") == "1")
        return response
    return render(request, "language/easy_language.html", {"nav": "leichte-sprache"})


def assistant_page(request: HttpRequest) -> HttpResponse:
    """The assistant as a page: a GET form, so it works without JavaScript and an answer
    can be bookmarked. ``?teil=antwort`` returns only the answer (the page script)."""
    initial = {"leicht": services.easy_language_wanted(request)}
    form = QuestionForm(request.GET if "frage" in request.GET else None, initial=initial)
    answer = None
    if form.is_valid():
        answer = assistant.answer(
            form.cleaned_data["frage"], language=get_language(), easy=form.cleaned_data["leicht"]
        )
        if form.cleaned_data["speichern"]:
            services.log_question(answer)
    context = {"form": form, "answer": answer, "nav": "assistent"}
    if request.GET.get("teil") == "antwort":
        # The page script asks for the answer alone; a question with errors gets a 400, and
        # the script then sends the form as a page, which shows the errors in place.
        status = 200 if answer is not None else 400
        return render(request, "language/includes/answer.html", context, status=status)
    return render(request, "language/assistant.html", context)


def read_aloud(request: HttpRequest) -> HttpResponse:
    """``?seite=/pfad/``: the page's main content as speech; redirects to the audio file, so
    the link works in every browser with its own player, without JavaScript."""
    if not ratelimit.hit(
        "language.read_aloud",
        ratelimit.client_ip(request),
        limit=settings.READ_ALOUD_PER_IP_MINUTE,
        window=60,
    ):
        return render(request, "language/read_aloud_error.html", {"reason": "busy"}, status=429)
    path = request.GET.get("seite", "")
    language = get_language()
    try:
        text = speech.page_text(
            path,
            language=language,
            easy=services.easy_language_wanted(request),
            host=request.get_host(),
            secure=request.is_secure(),
        )
        name = speech.synthesise(text, language)
    except speech.PageNotReadable:
        return render(request, "language/read_aloud_error.html", {"reason": "page"}, status=404)
    except speech.SpeechUnavailable as error:
        logger.warning("read aloud: %s", error)
        return render(request, "language/read_aloud_error.html", {"reason": "speech"}, status=503)
    return HttpResponseRedirect(reverse("language:audio", args=[name]))


def audio(request: HttpRequest, name: str) -> FileResponse:
    """A cached speech file; its name is the hash of its text, so it never changes."""
    path = speech.audio_path(name)
    if path is None:
        raise Http404
    response = FileResponse(path.open("rb"), content_type="audio/mpeg")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
