"""Refuse a request body that is larger than any upload we accept, before reading it.

Django checks the size of each file only after the whole body has been read into
temporary files; a 50 MB post would be received in full just to be refused. This
middleware reads the declared ``Content-Length`` first and answers 413 at once. A page
may carry several files (the Dachbegrünung page has four file questions), so the limit
is for the whole request: ``UPLOAD_REQUEST_MAX_BYTES``, by default four files of
``FILE_UPLOAD_MAX_BYTES`` plus the form fields (``DATA_UPLOAD_MAX_MEMORY_SIZE``).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

__all__ = ["UploadSizeLimitMiddleware", "request_limit"]

FILES_PER_REQUEST = 4


def request_limit() -> int:
    """The largest request body in bytes that can hold allowed uploads."""
    return getattr(
        settings,
        "UPLOAD_REQUEST_MAX_BYTES",
        FILES_PER_REQUEST * settings.FILE_UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    )


def declared_length(request: HttpRequest) -> int:
    """The body size the client announced (0 when absent or unreadable, as Django reads it)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class UploadSizeLimitMiddleware:
    """Answer 413 to a too large body without reading it (pages in German, the API in English)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = request_limit()
        if declared_length(request) <= limit:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": f"The request body is too large; at most {limit} bytes are accepted."},
                status=413,
            )
        context = {
            "file_mb": settings.FILE_UPLOAD_MAX_BYTES // 1048576,
            "total_mb": limit // 1048576,
            "back": request.path,
        }
        return render(request, "core/too_large.html", context, status=413)
