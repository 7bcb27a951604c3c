from django.urls import path

from . import views

app_name = "sites"

urlpatterns = [
    path("", views.root, name="root"),
    path("seiten/suche/", views.search, name="search"),
    path("seiten/stil/<int:site_id>.css", views.theme, name="theme"),
    path("medien/<path:path>", views.media, name="media"),
]
