from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("leistungen/", views.a_to_z, name="a_to_z"),
    path("leistungen/<slug:slug>/", views.service_detail, name="service"),
    path("suche/", views.search, name="search"),
    path("themen/<slug:slug>/", views.topic_detail, name="topic"),
    path("lebenslagen/", views.life_situations, name="life_situations"),
    path("lebenslagen/<slug:slug>/", views.life_situation_detail, name="life_situation"),
    path("dienststellen/", views.offices, name="offices"),
    path("dienststellen/<slug:slug>/", views.office_detail, name="office"),
]
