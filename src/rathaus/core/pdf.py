"""Real PDF documents (letters, receipts, decisions) rendered from templates with WeasyPrint.

Rendering loads nothing from the network: the only resources a document may use
are our own static files (KERN's Fira Sans, the coat of arms), read from disk.
"""

import io
import mimetypes
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = ["archival_level", "render"]


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


def render(
    template: str,
    context: dict[str, Any],
    *,
    request: HttpRequest | None = None,
    archival: bool = False,
) -> bytes:
    """The PDF of ``template`` rendered with ``context``; ``archival``: as PDF/A-3b, the
    format for documents kept for the record (fonts embedded, colour profile, metadata)."""
    html = render_to_string(template, context, request=request)
    base_url = request.build_absolute_uri("/") if request else "http://localhost/"
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly())
    with _FONTS_LOCK:
        return document.write_pdf(font_config=_FONTS, pdf_variant="pdf/a-3b" if archival else None)


def archival_level(data: bytes) -> str:
    """The PDF/A level a PDF declares in its XMP metadata ("3B", "2U", "1A"), or "" for
    none. A declaration, not a validation: it says what the producer promises."""
    try:
        metadata = PdfReader(io.BytesIO(data)).xmp_metadata
    except (PdfReadError, ValueError, KeyError):
        return ""
    if metadata is None:
        return ""
    xml = metadata.stream.get_data().decode("utf-8", "replace")
    part = PDFA_PART.search(xml)
    conformance = PDFA_CONFORMANCE.search(xml)
    if part is None:
        return ""
    return part.group(1) + (conformance.group(1).upper() if conformance else "")


# In XMP either as an attribute (pdfaid:part="3") or as an element (<pdfaid:part>3<…>).
PDFA_PART = re.compile(r'pdfaid:part(?:="|>)\s*(\d)')
PDFA_CONFORMANCE = re.compile(r'pdfaid:conformance(?:="|>)\s*([ABUabu])')
