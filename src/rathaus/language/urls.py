from django.urls import path

from . import views

app_name = "language"

urlpatterns = [
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path("assistent/", views.assistant_page, name="assistant"),
    path("vorlesen/", views.read_aloud, name="read_aloud"),
    path("vorlesen/<str:name>", views.audio, name="audio"),
]
