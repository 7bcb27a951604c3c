"""The log on the web: the explanation for residents, the overview, and the files that
verifiers and witnesses read (checkpoint, tiles, entry bundles, verifier key)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import keys, tiles
from .services import serving

__all__ = ["about", "about_easy", "checkpoint", "log", "tile", "verifier_key"]

IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "ledger/about.html")


@require_safe
def about_easy(request: HttpRequest) -> HttpResponse:
    return render(request, "ledger/about_easy.html")


@require_safe
def log(request: HttpRequest) -> HttpResponse:
    return render(request, "ledger/log.html", {"log": serving.overview()})


def _text(body: str, cache_control: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = cache_control
    response["Access-Control-Allow-Origin"] = "*"
    return response


@never_cache
@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    try:
        return _text(serving.checkpoint_text(), "no-cache")
    except serving.NotServed as missing:
        raise Http404(str(missing)) from missing


@require_safe
def verifier_key(request: HttpRequest) -> HttpResponse:
    return _text(keys.signer().verifier_key() + "\n", "public, max-age=300")


@require_safe
def tile(request: HttpRequest, path: str) -> HttpResponse:
    """``tile/<L>/<N>[.p/<W>]`` and ``tile/entries/<N>[.p/<W>]``: a given path always has the
    same bytes (a partial tile names its width), so every tile may be cached forever."""
    try:
        level, index, width = tiles.parse_tile_path("tile/" + path)
        if level == "entries":
            body = serving.entry_bundle(index, width)
        else:
            body = serving.tile(level, index, width)
    except (ValueError, serving.NotServed) as missing:
        raise Http404("no such tile") from missing
    response = HttpResponse(body, content_type="application/octet-stream")
    response["Cache-Control"] = IMMUTABLE
    response["Access-Control-Allow-Origin"] = "*"
    return response
