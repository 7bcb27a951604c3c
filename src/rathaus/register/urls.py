from django.urls import path

from . import views

app_name = "register"

urlpatterns = [
    path("algorithmen/", views.index, name="index"),
    path("algorithmen/verwalten/", views.staff, name="staff"),
    path("algorithmen/verwalten/neu/", views.edit, name="create"),
    path("algorithmen/verwalten/<slug:slug>/", views.edit, name="edit"),
    path(
        "algorithmen/verwalten/<slug:slug>/beschaffung/",
        views.procurement,
        name="procurement",
    ),
    path("algorithmen/pruefungen/", views.audits, name="audits"),
    path("algorithmen/pruefungen/neu/", views.audit_new, name="audit_new"),
    path("algorithmen/pruefungen/<int:pk>/", views.audit_staff, name="audit"),
    path(
        "algorithmen/pruefungen/<int:pk>/bericht.pdf",
        views.audit_staff,
        {"pdf_file": True},
        name="audit_pdf",
    ),
    path("algorithmen/<slug:slug>/", views.record, name="record"),
    path("algorithmen/<slug:slug>/aenderungen/", views.history, name="history"),
    path(
        "algorithmen/<slug:slug>/pruefungen/<int:pk>/",
        views.audit_public,
        name="public_audit",
    ),
    path(
        "algorithmen/<slug:slug>/pruefungen/<int:pk>/bericht.pdf",
        views.audit_public,
        {"pdf_file": True},
        name="public_audit_pdf",
    ),
    path(
        "algorithmen/<slug:slug>/fassung-<int:number>.json",
        views.version_file,
        name="version_file",
    ),
]
