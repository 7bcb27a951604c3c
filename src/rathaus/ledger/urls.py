from django.urls import path, re_path

from . import views

app_name = "ledger"

urlpatterns = [
    path("transparenz/", views.about, name="about"),
    path("transparenz/leichte-sprache/", views.about_easy, name="about_easy"),
    path("transparenz/log/", views.log, name="log"),
    path("transparenz/log/checkpoint", views.checkpoint, name="checkpoint"),
    path("transparenz/log/vkey", views.verifier_key, name="vkey"),
    re_path(r"^transparenz/log/tile/(?P<path>[0-9a-z./]{1,80})$", views.tile, name="tile"),
]
