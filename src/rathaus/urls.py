from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("rathaus.catalog.urls")),
    path("", include("rathaus.core.urls")),
    path("", include("rathaus.accounts.urls")),  # before the admin: /verwaltung/anmelden/ …
    path("", include("rathaus.applications.urls")),
    path("", include("rathaus.appointments.urls")),
    path("", include("rathaus.programs.urls")),
    path("", include("rathaus.kita.urls")),
    path("", include("rathaus.ledger.urls")),
    path("", include("rathaus.opendata.urls")),
    path("", include("rathaus.language.urls")),
    path("api/v1/", api.urls),
    path("verwaltung/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler404 = "rathaus.core.views.page_not_found"
