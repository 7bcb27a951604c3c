from django.urls import path

from .views import budgets, proposals, public, resident, staff, surveys

app_name = "participation"

urlpatterns = [
    path("beteiligung/", public.index, name="index"),
    path("beteiligung/regeln/", public.guidelines, name="guidelines"),
    path("beteiligung/kommentare/<int:pk>/antworten/", resident.reply, name="reply"),
    path("beteiligung/kommentare/<int:pk>/unterstuetzen/", resident.support, name="support"),
    path("beteiligung/kommentare/<int:pk>/zurueckziehen/", resident.withdraw, name="withdraw"),
    path("beteiligung/kommentare/<int:pk>/melden/", resident.report, name="report"),
    path("beteiligung/vorschlaege/<int:pk>/", proposals.proposal, name="proposal"),
    path("beteiligung/vorschlaege/<int:pk>/bild/", proposals.image, name="proposal_image"),
    path(
        "beteiligung/vorschlaege/<int:pk>/unterstuetzen/",
        proposals.support,
        name="proposal_support",
    ),
    path(
        "beteiligung/vorschlaege/<int:pk>/zurueckziehen/",
        proposals.withdraw,
        name="proposal_withdraw",
    ),
    path(
        "beteiligung/vorschlaege/<int:pk>/melden/",
        resident.report,
        {"kind": "proposal"},
        name="proposal_report",
    ),
    path("beteiligung/<slug:slug>/", public.process, name="process"),
    path("beteiligung/<slug:slug>/vorschlaege/", proposals.listing, name="proposals"),
    path("beteiligung/<slug:slug>/vorschlaege/neu/", proposals.propose, name="propose"),
    path("beteiligung/<slug:slug>/abschnitte/<int:pk>/", public.section, name="section"),
    path(
        "beteiligung/<slug:slug>/abschnitte/<int:pk>/kommentieren/",
        resident.comment,
        name="comment",
    ),
    path("beteiligung/<slug:slug>/budget/<int:pk>/", budgets.budget, name="budget"),
    path("beteiligung/<slug:slug>/budget/<int:pk>/abstimmen/", budgets.vote, name="vote"),
    path("beteiligung/<slug:slug>/budget/<int:pk>/ergebnis/", budgets.result, name="result"),
    path(
        "beteiligung/<slug:slug>/budget/<int:pk>/ergebnis.json",
        budgets.result_file,
        name="result_file",
    ),
    path("beteiligung/<slug:slug>/umfragen/<int:pk>/", surveys.survey, name="survey"),
    path("verwaltung/beteiligung/", staff.home, name="staff_home"),
    path("verwaltung/beteiligung/meldungen/", staff.queue, name="queue"),
    path("verwaltung/beteiligung/kommentare/<int:pk>/", staff.moderate, name="moderate"),
    path(
        "verwaltung/beteiligung/vorschlaege/<int:pk>/",
        staff.moderate,
        {"kind": "proposal"},
        name="moderate_proposal",
    ),
    path("verwaltung/beteiligung/vorschlaege/<int:pk>/stand/", staff.decide, name="decide"),
    path("verwaltung/beteiligung/<slug:slug>/", staff.process, name="staff_process"),
    path("verwaltung/beteiligung/<slug:slug>/erfassen/", staff.assist, name="assist"),
    path(
        "verwaltung/beteiligung/<slug:slug>/budget/<int:pk>/",
        budgets.staff_budget,
        name="staff_budget",
    ),
    path(
        "verwaltung/beteiligung/<slug:slug>/umfragen/<int:pk>/",
        surveys.enter_on_paper,
        name="survey_on_paper",
    ),
    path(
        "verwaltung/beteiligung/<slug:slug>/umfragen/<int:pk>/antworten.csv",
        surveys.answers_file,
        name="survey_answers",
    ),
    path(
        "verwaltung/beteiligung/<slug:slug>/budget/<int:pk>/auszaehlen/",
        budgets.count,
        name="count",
    ),
    path(
        "verwaltung/beteiligung/<slug:slug>/vorschlaege/",
        staff.proposals_list,
        name="staff_proposals",
    ),
]
