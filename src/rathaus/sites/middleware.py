"""The page cache's front door: a stored page goes out before the URL is even resolved.

Resolving a homepage's address means trying every other pattern of the project first (the
pages' catch-all comes last); for a stored page that is most of the work. Anonymous GETs
of any address ask the cache once (one key, on the shared cache); what is not stored goes
on as usual and, if it is a page, is stored by the page view (``views.serve``).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch

from . import cache as page_cache
from .views import serve


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if page_cache.applies_to(request) and (hit := page_cache.lookup(request)) is not None:
            # counted and logged under the page view's route, as if it had been resolved
            request.resolver_match = ResolverMatch(
                serve, (request.path_info.lstrip("/"),), {}, url_name="wagtail_serve"
            )
            return hit
        return self.get_response(request)
