from django.urls import path

from .views import account, booking, lottery, provider, public

app_name = "programs"

urlpatterns = [
    # Residents: find
    path("angebote/", public.search, name="search"),
    path("angebote/kalender.ics", public.search_ics, name="search_ics"),
    path("angebote/anbieter/<slug:slug>/", public.provider, name="provider"),
    path("angebote/platz/<uuid:entry>/<str:token>/", account.claim, name="claim"),
    path("angebote/<slug:slug>/", public.offer, name="offer"),
    path("angebote/<slug:slug>/plaetze.json", public.places, name="places"),
    path("angebote/<slug:slug>/kalender.ics", public.offer_ics, name="offer_ics"),
    # Residents: book
    path("angebote/<slug:slug>/buchen/", booking.book, name="book"),
    path("angebote/<slug:slug>/warteliste/", booking.waitlist, name="waitlist"),
    path("angebote/<slug:slug>/verlosung/", lottery.published, name="lottery"),
    path("angebote/<slug:slug>/verlosung.json", lottery.published_json, name="lottery_json"),
    path("angebote/<slug:slug>/verlosung/anmelden/", lottery.enter, name="lottery_enter"),
    # Residents: account
    path("konto/buchungen/", account.mine, name="mine"),
    path("konto/buchungen/<str:code>/", account.booking, name="booking"),
    path("konto/buchungen/<str:code>/stornieren/", account.cancel, name="cancel"),
    path("konto/teilnehmende/", account.participants, name="participants"),
    path("konto/warteliste/<uuid:entry>/verlassen/", account.leave_waitlist, name="leave_waitlist"),
    path("konto/warteliste/<uuid:entry>/annehmen/", account.accept_place, name="accept_place"),
    # Providers' staff and assisted channel
    path("verwaltung/angebote/", provider.home, name="provider_home"),
    path("verwaltung/angebote/buchen/", provider.assist_search, name="assist_search"),
    path("verwaltung/angebote/kontoauszug/", provider.statement, name="statement"),
    path("verwaltung/angebote/<slug:slug>/", provider.offer, name="provider_offer"),
    path("verwaltung/angebote/<slug:slug>/buchen/", provider.assist_book, name="assist_book"),
    path(
        "verwaltung/angebote/<slug:slug>/teilnehmende.csv",
        provider.participants_csv,
        name="participants_csv",
    ),
    path(
        "verwaltung/angebote/<slug:slug>/teilnehmende/drucken/",
        provider.participants_print,
        name="participants_print",
    ),
    path(
        "verwaltung/angebote/<slug:slug>/anwesenheit/<int:session>/",
        provider.attendance,
        name="attendance",
    ),
    path("verwaltung/angebote/<slug:slug>/nachricht/", provider.message, name="message"),
    path("verwaltung/angebote/<slug:slug>/absagen/", provider.cancel_offer, name="cancel_offer"),
    path(
        "verwaltung/angebote/<slug:slug>/termin/<int:session>/absagen/",
        provider.cancel_session,
        name="cancel_session",
    ),
    path(
        "verwaltung/angebote/<slug:slug>/buchung/<str:code>/",
        provider.booking_action,
        name="booking_action",
    ),
    path("verwaltung/angebote/<slug:slug>/verlosen/", lottery.draw, name="lottery_draw"),
]
