"""Response helpers shared by the views of every module."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

__all__ = ["page_query", "private", "public_url"]


def public_url(path: str) -> str:
    """``path`` on the city's configured address (``PUBLIC_URL``), never on the Host header
    a request happened to send: for links in mails, feeds and canonical API ids."""
    return settings.RATHAUS["PUBLIC_URL"] + path


def private(response: HttpResponse) -> HttpResponse:
    """Pages with people's data or staff work are never kept by a browser or a proxy."""
    response["Cache-Control"] = "no-store, private"
    return response


def page_query(request: HttpRequest) -> str:
    """The request's query string without the page number, for the links to other pages
    of the same list (``core/pages.html``)."""
    query = request.GET.copy()
    query.pop("seite", None)
    return query.urlencode()
