"""A URLconf with one view that fails, to see the 500 page."""

from django.urls import path


def fails(request):
    return 1 / 0


urlpatterns = [path("kaputt/", fails)]
