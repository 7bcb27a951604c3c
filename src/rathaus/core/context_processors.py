from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_bidi


def site(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: the city and the text direction."""
    return {
        "rathaus": settings.RATHAUS,
        "text_direction": "rtl" if get_language_bidi() else "ltr",
    }
