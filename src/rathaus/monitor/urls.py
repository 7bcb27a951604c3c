from django.urls import path

from . import views

app_name = "monitor"

urlpatterns = [
    path("digitalmonitor/", views.index, name="index"),
    path("digitalmonitor/green-it/", views.green_account, name="green"),
    path("digitalmonitor/verwalten/", views.staff, name="staff"),
    path("digitalmonitor/verwalten/ziele/<slug:key>/", views.target, name="target"),
    path("digitalmonitor/verwalten/annahmen/neu/", views.assumption, name="assumption_new"),
    path("digitalmonitor/verwalten/annahmen/<int:pk>/", views.assumption, name="assumption"),
]
