from django.urls import path

from . import views

app_name = "monitor"

urlpatterns = [
    path("digitalmonitor/", views.index, name="index"),
    path("digitalmonitor/green-it/", views.green_account, name="green"),
    path("digitalmonitor/wlan/", views.wifi_map, name="wifi"),
    path("digitalmonitor/wlan.geojson", views.wifi_geojson, name="wifi_geojson"),
    path("digitalmonitor/wlan.csv", views.wifi_csv, name="wifi_csv"),
    path("digitalmonitor/verwalten/", views.staff, name="staff"),
    path("digitalmonitor/verwalten/wlan/", views.wifi_staff, name="wifi_staff"),
    path("digitalmonitor/verwalten/wlan/neu/", views.wifi_place, name="wifi_new"),
    path("digitalmonitor/verwalten/wlan/<int:pk>/", views.wifi_place, name="wifi_place"),
    path("digitalmonitor/verwalten/ziele/<slug:key>/", views.target, name="target"),
    path("digitalmonitor/verwalten/annahmen/neu/", views.assumption, name="assumption_new"),
    path("digitalmonitor/verwalten/annahmen/<int:pk>/", views.assumption, name="assumption"),
]
