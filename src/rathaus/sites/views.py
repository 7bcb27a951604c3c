"""Views of the homepages besides the pages themselves (which Wagtail serves)."""

import mimetypes
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils._os import safe_join
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail import views as wagtail_views
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Site
from wagtail.url_routing import RouteResult

from rathaus.catalog import views as catalog_views
from rathaus.catalog.forms import SearchForm

from . import cache as page_cache
from . import services, translation
from .models import SiteProfile

RESULTS_PER_PAGE = 20


def editor_signin(request: HttpRequest) -> HttpResponse:
    """Wagtail's own password form is never shown: editors sign in like all staff."""
    target = reverse("accounts:staff_signin")
    if next_url := request.GET.get("next"):
        target += "?" + urlencode({"next": next_url})
    return redirect(target)


def _route(request: HttpRequest, path: str) -> None:
    """Find the page in the German tree and show its live translation in the visitor's
    language (``translation.py``): Wagtail would route in the translated tree, where a page
    not yet translated is missing. The result is where Wagtail's own view looks for it."""
    site = Site.find_for_request(request)
    route = None
    if site is not None:
        try:
            route = site.root_page.specific.route(
                request, [part for part in path.split("/") if part]
            )
        except Http404:
            route = None
    if route is not None:
        page, args, kwargs = route
        (shown,) = translation.localized([page], specific=True)
        if shown.pk != page.pk:
            if isinstance(shown, RoutablePageMixin) and args:  # the view of a sub-path
                view, view_args, view_kwargs = args
                args = (getattr(shown, view.__name__), view_args, view_kwargs)
            route = RouteResult(shown, args, kwargs)
    request._wagtail_route_for_request = route


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's page view, storing what it renders with what the page shows (``cache.py``);
    stored pages are sent by ``middleware.PageCacheMiddleware`` before this view is found."""
    _route(request, path)
    if not page_cache.applies_to(request):
        return wagtail_views.serve(request, path)
    with page_cache.collecting() as collected:
        response = wagtail_views.serve(request, path)
        if hasattr(response, "render"):
            response.render()
    page_cache.store(request, response, collected)
    return response


def root(request: HttpRequest) -> HttpResponse:
    """``/``: an institution's host shows its home page; the city's host the service portal."""
    if request.get_host().partition(":")[0] in services.institution_hosts():
        return serve(request, "")
    return catalog_views.home(request)


@require_safe
@cache_control(public=True, max_age=3600)
def theme(request: HttpRequest, site_id: int) -> HttpResponse:
    """The site's accent colour as a style sheet (the CSP allows no inline style)."""
    profile = SiteProfile.objects.filter(site_id=site_id).first()
    if profile is None:
        raise Http404
    css = f":root {{ --site-accent: {profile.accent}; }}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=86400)
def media(request: HttpRequest, path: str) -> FileResponse:
    """Public renditions of images (originals stay private)."""
    root = Path(settings.STORAGES["public_images"]["OPTIONS"]["location"])
    try:
        full = Path(safe_join(root, path))
    except Exception as error:
        raise Http404 from error
    if not full.is_file():
        raise Http404
    content_type = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404
    return FileResponse(full.open("rb"), content_type=content_type)


def search(request: HttpRequest) -> HttpResponse:
    """One search across all sites and the service catalogue."""
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = services.search(form.cleaned_data["q"], Site.find_for_request(request))
        results.pages = Paginator(results.pages, RESULTS_PER_PAGE).get_page(
            request.GET.get("seite")
        )
        services.load_pages(results.pages)
    return render(request, "sites/search.html", {"form": form, "results": results})
