from django.urls import path

from .views import display, manage, public, staff

app_name = "appointments"

urlpatterns = [
    # Residents
    path("termine/", public.search, name="search"),
    path("termine/regeln/", public.policy, name="policy"),
    path("termine/pruefaufgabe/", public.challenge_json, name="challenge"),
    path("termine/reserviert/", public.held, name="held"),
    path("termine/bestaetigen/<str:token>/", public.confirm, name="confirm"),
    path("termine/meine/", manage.mine, name="mine"),
    path("termine/link/<str:token>/", manage.manage, name="manage"),
    path("termine/link/<str:token>/absagen/", manage.cancel, name="cancel"),
    path("termine/link/<str:token>/verschieben/", manage.reschedule, name="reschedule"),
    path("termine/link/<str:token>/termin.ics", manage.ics, name="ics"),
    path("termine/anzeige/<slug:slug>/", display.display, name="display"),
    path("termine/anzeige/<slug:slug>/aufrufe.json", display.display_json, name="display_json"),
    path(
        "termine/anzeige/<slug:slug>/aufruf/<str:call>.mp3",
        display.display_audio,
        name="display_audio",
    ),
    path("termine/<slug:slug>/", public.office_calendar, name="office"),
    path("termine/<slug:slug>/buchen/", public.book, name="book"),
    # Staff
    path("verwaltung/termine/", staff.offices, name="staff_offices"),
    path("verwaltung/termine/<slug:slug>/", staff.day, name="staff_day"),
    path("verwaltung/termine/<slug:slug>/buchen/", staff.book_for, name="staff_book"),
    path("verwaltung/termine/<slug:slug>/ohne-termin/", staff.walk_in, name="staff_walk_in"),
    path("verwaltung/termine/<slug:slug>/sperren/", staff.blocks, name="staff_blocks"),
    path(
        "verwaltung/termine/<slug:slug>/sperren/<int:block_id>/aufheben/",
        staff.unblock,
        name="staff_unblock",
    ),
    path("verwaltung/termine/<slug:slug>/schliessen/", staff.close, name="staff_close"),
    path("verwaltung/termine/<slug:slug>/aufruf/", staff.calls, name="staff_calls"),
    path(
        "verwaltung/termine/<slug:slug>/termin/<str:code>/<slug:action>/",
        staff.appointment_action,
        name="staff_action",
    ),
]
