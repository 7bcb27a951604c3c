from django.urls import path

from . import api, views

app_name = "council"

urlpatterns = [
    path("ratsinfo/", views.index, name="index"),
    path("ratsinfo/gremien/<int:pk>/", views.organization, name="organization"),
    path("ratsinfo/sitzungen/", views.meetings, name="meetings"),
    path("ratsinfo/sitzungen.ics", views.meetings_ics, name="meetings_ics"),
    path("ratsinfo/sitzungen/<int:pk>/", views.meeting, name="meeting"),
    path("ratsinfo/vorlagen/", views.papers, name="papers"),
    path("ratsinfo/vorlagen/<int:pk>/", views.paper, name="paper"),
    path("ratsinfo/dateien/<int:pk>/<str:name>", views.file, name="file"),
    path(
        "ratsinfo/dateien/<int:pk>/herunterladen/<str:name>",
        views.file_download,
        name="file_download",
    ),
    # OParl 1.1
    path("oparl/v1/", api.system, name="oparl_system"),
    path("oparl/v1/body/", api.bodies, name="oparl_bodies"),
    path("oparl/v1/body/<int:pk>/<str:path>/", api.body_list, name="oparl_list"),
    path(
        "oparl/v1/organization/<int:pk>/meeting/",
        api.organization_meetings,
        name="oparl_organization_meetings",
    ),
    path("oparl/v1/<str:path>/<int:pk>/", api.one, name="oparl_object"),
]
