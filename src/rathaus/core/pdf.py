"""Real PDF documents (letters, receipts, decisions) rendered from templates with WeasyPrint.

Rendering loads nothing from the network: the only resources a document may use
are our own static files (KERN's Fira Sans, the coat of arms), read from disk.
"""

import mimetypes
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = ["render"]


class StaticFilesOnly(URLFetcher):
    """Serves ``/static/…`` from the app's own files and ``data:`` URIs; refuses everything else."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)  # inline data (QR codes): no network involved
        path = urlsplit(url).path
        if path.startswith(settings.STATIC_URL):
            found = finders.find(path.removeprefix(settings.STATIC_URL))
            if found:
                kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
                return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": kind})
        raise ValueError(f"PDF documents load only our own static files, not {url}")


# Fonts are read and prepared once per process, not for every document; the shared
# configuration is used by one rendering at a time.
_FONTS = FontConfiguration()
_FONTS_LOCK = threading.Lock()


def render(template: str, context: dict[str, Any], *, request: HttpRequest | None = None) -> bytes:
    """The PDF of ``template`` rendered with ``context``."""
    html = render_to_string(template, context, request=request)
    base_url = request.build_absolute_uri("/") if request else "http://localhost/"
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly())
    with _FONTS_LOCK:
        return document.write_pdf(font_config=_FONTS)
