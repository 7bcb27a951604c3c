from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from .api import api
from .sites.views import editor_signin, serve

urlpatterns = [
    path("", include("rathaus.sites.urls")),  # first: "/" of an institution's host is its home
    path("", include("rathaus.catalog.urls")),
    path("", include("rathaus.core.urls")),
    path("", include("rathaus.accounts.urls")),  # before the admin: /verwaltung/anmelden/ …
    path("", include("rathaus.applications.urls")),
    path("", include("rathaus.appointments.urls")),
    path("", include("rathaus.programs.urls")),
    path("", include("rathaus.kita.urls")),
    path("", include("rathaus.council.urls")),
    path("", include("rathaus.participation.urls")),
    path("", include("rathaus.ledger.urls")),
    path("", include("rathaus.opendata.urls")),
    path("", include("rathaus.register.urls")),
    path("", include("rathaus.monitor.urls")),
    path("", include("rathaus.language.urls")),
    path("api/v1/", api.urls),
    path("verwaltung/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("redaktion/login/", editor_signin),  # the CMS signs in with the staff passkey
    path("redaktion/", include(wagtailadmin_urls)),
    path("dokumente/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap),
    # last: every other path may be a homepage's page (Wagtail's view behind the page cache)
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, serve, name="wagtail_serve"),
]

handler404 = "rathaus.core.views.page_not_found"
