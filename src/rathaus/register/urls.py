from django.urls import path

from . import views

app_name = "register"

urlpatterns = [
    path("algorithmen/", views.index, name="index"),
    path("algorithmen/verwalten/", views.staff, name="staff"),
    path("algorithmen/verwalten/neu/", views.edit, name="create"),
    path("algorithmen/verwalten/<slug:slug>/", views.edit, name="edit"),
    path("algorithmen/<slug:slug>/", views.record, name="record"),
    path("algorithmen/<slug:slug>/aenderungen/", views.history, name="history"),
    path(
        "algorithmen/<slug:slug>/fassung-<int:number>.json",
        views.version_file,
        name="version_file",
    ),
]
