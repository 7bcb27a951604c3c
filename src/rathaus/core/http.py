"""Response helpers shared by the staff views of every module."""

from django.http import HttpResponse

__all__ = ["private"]


def private(response: HttpResponse) -> HttpResponse:
    """Pages with people's data or staff work are never kept by a browser or a proxy."""
    response["Cache-Control"] = "no-store, private"
    return response
