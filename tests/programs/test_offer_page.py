"""The offer page: everything a resident needs to decide, the free places (live), the way to
a place (booking, waiting list or lottery), and who may see which offer."""

import json
import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rathaus.programs.models import Offer, Session
from tests.factories import StaffFactory

from .conftest import BERLIN, make_offer


def url(offer: Offer, **query) -> str:
    address = reverse("programs:offer", args=[offer.slug])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def show(client: Client, offer: Offer, **query) -> str:
    response = client.get(url(offer, **query))
    assert response.status_code == 200
    return response.content.decode()


def full(offer: Offer) -> Offer:
    Offer.objects.filter(pk=offer.pk).update(taken=offer.capacity)
    offer.refresh_from_db()
    return offer


def staff_client() -> Client:
    client = Client()
    client.force_login(StaffFactory(roles=[]))
    return client


def test_the_page_shows_every_detail(provider, venue):
    first = timezone.make_aware(datetime(2027, 3, 4, 15, 30), BERLIN)  # a Thursday
    offer = make_offer(
        provider,
        "test-seepferdchen",
        venue=venue,
        sessions=3,
        first=first,
        minutes=45,
        title="Seepferdchen-Kurs",
        description="Zehn Stunden im Lehrschwimmbecken.\n\nBitte Badekappe mitbringen.",
        easy_text="Ihr Kind lernt schwimmen.\nDer Kurs ist im Schwimm-Bad.",
        age_min=5,
        age_max=8,
        price=Decimal("45.00"),
        price_reduced=Decimal("10.00"),
        sibling_discount_percent=50,
        payment_methods=["transfer", "on_site"],
        cancel_until_hours=72,
        cancellation_note="Bei Krankheit erstatten wir den Beitrag gegen Attest.",
        sign_language=True,
    )
    html = show(Client(), offer)
    assert '<h1 class="kern-heading-large">Seepferdchen-Kurs</h1>' in html
    assert "Bitte Badekappe mitbringen." in html
    assert "Ihr Kind lernt schwimmen." not in html  # the easy text comes with the switch
    easy = Client()
    easy.cookies["leichte_sprache"] = "1"
    easy_html = show(easy, offer)
    assert 'id="leichte-sprache"' in easy_html and "Ihr Kind lernt schwimmen." in easy_html
    assert "3 Termine" in html
    assert "Donnerstag, 04.03.2027, 15:30–16:15 Uhr" in html
    assert "Donnerstag, 18.03.2027, 15:30–16:15 Uhr" in html
    assert venue.name in html and venue.street in html and "40225" in html
    assert "Stufenlos erreichbar" in html and "Mit Gebärdensprache" in html
    assert "5 bis 8 Jahre" in html
    assert "45,00\xa0€ pro Person" in html
    assert "Mit DüsselPass: 10,00\xa0€ pro Person" in html
    assert "Geschwisterrabatt: 50 %" in html
    assert "Überweisung" in html
    assert "Kostenlos bis 01.03.2027, 15:30 Uhr (72 Stunden vor Beginn)" in html
    assert "Bei Krankheit erstatten wir den Beitrag gegen Attest." in html
    assert provider.name in html and reverse("programs:provider", args=[provider.slug]) in html
    assert reverse("programs:offer_ics", args=[offer.slug]) in html
    assert "Nach Eingang der Buchung." in html


def test_a_cancelled_session_is_marked(offer):
    session = offer.sessions.get()
    Session.objects.filter(pk=session.pk).update(cancelled_at=timezone.now())
    assert "fällt aus" in show(Client(), offer)


def test_free_places_and_the_booking_button(offer):
    Offer.objects.filter(pk=offer.pk).update(taken=7)
    html = show(Client(), offer)
    assert "3 Plätze frei" in html
    assert f'href="{reverse("programs:book", args=[offer.slug])}"' in html
    assert reverse("programs:waitlist", args=[offer.slug]) not in html
    assert "Zum Buchen melden Sie sich mit Ihrem Konto an." in html


def test_the_free_places_are_a_live_region_fed_by_a_static_script(offer):
    html = show(Client(), offer)
    region = re.search(r'<p [^>]*aria-live="polite"[^>]*>', html).group(0)
    assert f'data-places-url="{reverse("programs:places", args=[offer.slug])}"' in region
    assert re.search(r'<script src="/static/programs/places\.js[^"]*" defer>', html)
    # The Content-Security-Policy forbids inline script: there is none.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "script-src 'self'" in Client().get(url(offer))["Content-Security-Policy"]
    script = finders.find("programs/places.js")
    assert script and "15000" in Path(script).read_text(encoding="utf-8")


def test_a_full_offer_offers_the_waiting_list(offer):
    full(offer)
    html = show(Client(), offer)
    assert "ausgebucht – Warteliste" in html
    assert f'href="{reverse("programs:waitlist", args=[offer.slug])}"' in html
    assert f'href="{reverse("programs:book", args=[offer.slug])}"' not in html
    assert 'id="warteliste"' in html
    assert "Leider ausgebucht" not in html


def test_after_a_booking_found_no_place_the_page_says_so(offer):
    full(offer)
    html = show(Client(), offer, ausgebucht=1)
    assert "Leider ausgebucht – Sie können sich auf die Warteliste setzen." in html


def test_without_a_waiting_list_full_means_full(offer):
    Offer.objects.filter(pk=offer.pk).update(waitlist_enabled=False)
    full(offer)
    html = show(Client(), offer, ausgebucht=1)
    assert "Leider ausgebucht." in html
    assert "Für dieses Angebot gibt es keine Warteliste." in html
    assert reverse("programs:waitlist", args=[offer.slug]) not in html


def test_a_place_freed_after_the_refusal_is_shown(offer):
    html = show(Client(), offer, ausgebucht=1)
    assert "Für Ihre Auswahl waren gerade nicht genug Plätze frei." in html
    assert "10 Plätze frei" in html


def test_before_the_booking_opens_the_page_says_when(provider):
    opens = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=5), time(10)), BERLIN
    )
    offer = make_offer(provider, "test-bald", booking_opens_at=opens)
    html = show(Client(), offer)
    assert f"Buchung ab {opens:%d.%m.%Y}, 10:00 Uhr" in html
    assert reverse("programs:book", args=[offer.slug]) not in html


def test_after_the_booking_closed_no_button(provider):
    offer = make_offer(provider, "test-zu", booking_closes_at=timezone.now() - timedelta(hours=1))
    html = show(Client(), offer)
    assert "Die Buchung war bis" in html
    assert reverse("programs:book", args=[offer.slug]) not in html


def test_a_lottery_offer_explains_the_mode_and_why_it_is_fairer(provider):
    offer = make_offer(
        provider,
        "test-ferienlager",
        capacity=40,
        allocation=Offer.Allocation.LOTTERY,
        booking_closes_at=timezone.now() + timedelta(days=7),
        lottery_priorities=["duesselpass", "district"],
    )
    html = show(Client(), offer)
    assert "Anmeldezeitraum mit Losverfahren." in html
    assert "40 Plätze werden verlost" in html
    assert "dieselbe Chance" in html
    assert "schnellste Internet" in html and "10:00 Uhr" in html
    assert "Menschen mit DüsselPass" in html
    assert html.index("Menschen mit DüsselPass") < html.index("im Stadtbezirk des Angebots")
    assert f'href="{reverse("programs:lottery_enter", args=[offer.slug])}"' in html
    assert f'href="{reverse("programs:lottery", args=[offer.slug])}"' in html
    assert reverse("programs:book", args=[offer.slug]) not in html


def test_a_lottery_before_its_window_has_no_entry_button(provider):
    offer = make_offer(
        provider,
        "test-los-bald",
        allocation=Offer.Allocation.LOTTERY,
        booking_opens_at=timezone.now() + timedelta(days=2),
    )
    html = show(Client(), offer)
    assert "Die Anmeldung hat noch nicht begonnen." in html
    assert reverse("programs:lottery_enter", args=[offer.slug]) not in html


def test_a_cancelled_offer_says_so_and_cannot_be_booked(offer):
    Offer.objects.filter(pk=offer.pk).update(status=Offer.Status.CANCELLED)
    html = show(Client(), offer)
    assert "Dieses Angebot wurde abgesagt." in html
    assert reverse("programs:book", args=[offer.slug]) not in html


def test_drafts_and_unknown_offers_are_not_found(provider, parent_client):
    draft = make_offer(provider, "test-entwurf", status=Offer.Status.DRAFT)
    for client in (Client(), parent_client, staff_client()):
        assert client.get(url(draft)).status_code == 404
        assert client.get(reverse("programs:places", args=[draft.slug])).status_code == 404
    assert Client().get("/angebote/test-gibt-es-nicht/").status_code == 404


def test_internal_offers_exist_only_for_staff(provider, parent_client):
    training = make_offer(provider, "test-fortbildung", internal=True, category="fortbildung")
    places = reverse("programs:places", args=[training.slug])
    for client in (Client(), parent_client):
        assert client.get(url(training)).status_code == 404
        assert client.get(places).status_code == 404
    staff = staff_client()
    assert "Fortbildung – nur für Mitarbeitende der Stadt" in show(staff, training)
    response = staff.get(places)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_places_json_reports_the_free_places(offer):
    Offer.objects.filter(pk=offer.pk).update(taken=4)
    response = Client().get(reverse("programs:places", args=[offer.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "max-age=5" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert json.loads(response.content) == {
        "free": 6,
        "capacity": 10,
        "status": "open",
        "text": "6 Plätze frei",
    }
    full(offer)
    data = Client().get(reverse("programs:places", args=[offer.slug])).json()
    assert (data["free"], data["status"], data["text"]) == (0, "full", "ausgebucht – Warteliste")


def test_places_json_is_one_small_query(offer, django_assert_num_queries):
    with django_assert_num_queries(1):
        Client().get(reverse("programs:places", args=[offer.slug]))


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_pages_only_answer_reading(offer, method):
    client = Client(enforce_csrf_checks=False)
    for address in (url(offer), reverse("programs:places", args=[offer.slug])):
        assert getattr(client, method)(address).status_code == 405
