from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_bidi


def site(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: the city, the text direction and the
    languages to choose from, each named in itself (the i18n tag would translate them)."""
    return {
        "rathaus": settings.RATHAUS,
        "interface_languages": settings.LANGUAGES,
        "text_direction": "rtl" if get_language_bidi() else "ltr",
    }
