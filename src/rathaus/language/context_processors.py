from typing import Any

from django.http import HttpRequest

from .services import easy_language_wanted


def easy_language(request: HttpRequest) -> dict[str, Any]:
    """Whether the visitor switched Leichte Sprache on (pages then show it first)."""
    return {"easy_language": easy_language_wanted(request)}
