from django.urls import path

from .views import account, assisted, public, staff

app_name = "kita"

urlpatterns = [
    # Families: find and learn how places are given
    path("kita/", public.home, name="home"),
    path("kita/einrichtungen/", public.daycares, name="daycares"),
    path("kita/einrichtungen/<slug:slug>/", public.daycare, name="daycare"),
    path("kita/anmeldebogen.pdf", assisted.paper_form, name="paper_form"),
    # Families: register, status, answer
    path("konto/kita/", account.mine, name="mine"),
    path("konto/kita/anmelden/", account.register, name="register"),
    path("konto/kita/<uuid:public_id>/", account.registration, name="registration"),
    path("konto/kita/<uuid:public_id>/aendern/", account.change, name="change"),
    path("konto/kita/<uuid:public_id>/zurueckziehen/", account.withdraw, name="withdraw"),
    path("konto/kita/<uuid:public_id>/antwort/", account.answer, name="answer"),
    # Youth office and providers' staff
    path("verwaltung/kita/", staff.home, name="staff_home"),
    path("verwaltung/kita/einrichtung/<slug:slug>/", staff.daycare, name="staff_daycare"),
    path("verwaltung/kita/anmelden/", assisted.register, name="staff_register"),
    path("verwaltung/kita/anmeldungen/", assisted.find, name="staff_find"),
    path(
        "verwaltung/kita/anmeldungen/<uuid:public_id>/",
        assisted.registration,
        name="staff_registration",
    ),
    path(
        "verwaltung/kita/anmeldungen/<uuid:public_id>/antwort/",
        assisted.record_answer,
        name="staff_answer",
    ),
    path("verwaltung/kita/<slug:period>/runde/", staff.run_round, name="staff_run_round"),
    path(
        "verwaltung/kita/<slug:period>/runde/<int:number>/",
        staff.round_detail,
        name="staff_round",
    ),
    path(
        "verwaltung/kita/<slug:period>/runde/<int:number>/fairness/",
        staff.fairness_report,
        name="staff_fairness",
    ),
]
