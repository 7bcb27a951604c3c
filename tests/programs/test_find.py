"""Finding offers: every filter, the age check, who sees which offers, bad filter input and
paging. Our offers carry the made-up word "Pelikanfeder", so the demo programme stays out
of the way: each test searches for it."""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rathaus.offices.models import District
from rathaus.programs.models import Category, Offer
from rathaus.programs.services import search
from rathaus.programs.services.search import Filters
from tests.factories import StaffFactory, UserFactory

from .conftest import BERLIN, make_offer, make_provider, make_venue

WORD = "Pelikanfeder"
URL = reverse("programs:search")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), BERLIN)


def in_days(days: int, hour: int = 16) -> datetime:
    return at(timezone.localdate() + timedelta(days=days), hour)


def next_weekday(weekday: int, hour: int = 16) -> datetime:
    """The first ``weekday`` (0 = Monday) at least two weeks from today, at ``hour``."""
    day = timezone.localdate() + timedelta(days=14)
    return at(day + timedelta(days=(weekday - day.weekday()) % 7), hour)


def pelican(provider, slug: str, title: str = "", **fields) -> Offer:
    return make_offer(provider, f"test-{slug}", title=f"{WORD} {title or slug}", **fields)


def slugs(user=None, **filters) -> set[str]:
    offers, total = search.search(Filters(**{"q": WORD, **filters}), user, limit=100)
    assert total == len(offers)
    return {offer.slug.removeprefix("test-") for offer in offers}


def page(client: Client, **params) -> str:
    response = client.get(URL, {"q": WORD, **params})
    assert response.status_code == 200
    return response.content.decode()


def listed(html: str) -> set[str]:
    return set(re.findall(r'href="/angebote/test-([\w-]+)/"', html))


# --- text and category --------------------------------------------------------------------


def test_every_word_of_the_query_must_match_in_any_form(provider):
    verein = make_provider("test-kunstverein", name="Kunstverein Flingern")
    pelican(verein, "malen", "Malkurs für Kinder", category=Category.CULTURE, summary="Farbe")
    pelican(verein, "toepfern", "Töpfern für Kinder", category=Category.CULTURE, summary="Ton")
    assert slugs() == {"malen", "toepfern"}
    assert slugs(q=f"{WORD} malen") == {"malen"}
    assert slugs(q=f"{WORD} Malkurse") == {"malen"}
    assert slugs(q=f"{WORD} töpfern") == {"toepfern"}
    assert slugs(q=f"{WORD} TOEPFERN") == {"toepfern"}
    assert slugs(q=f"{WORD} Kindern") == {"malen", "toepfern"}
    assert slugs(q=f"{WORD} Malen Töpfern") == set()
    # Stop words do not have to be in the text.
    assert slugs(q=f"{WORD} der Malkurs mit Kindern") == {"malen"}


def test_the_category_filter(provider):
    pelican(provider, "sport")
    pelican(provider, "kultur", category=Category.CULTURE)
    assert slugs(category=Category.CULTURE) == {"kultur"}
    assert listed(page(Client(), kategorie="kultur")) == {"kultur"}


# --- who, when, where ---------------------------------------------------------------------


def test_the_age_filter_keeps_offers_whose_range_holds_the_age(provider):
    pelican(provider, "klein", age_min=5, age_max=8)
    pelican(provider, "gross", age_min=10, age_max=14)
    pelican(provider, "ab-zwoelf", age_min=12)
    pelican(provider, "bis-sechs", age_max=6)
    pelican(provider, "alle")
    assert slugs(age=4) == {"bis-sechs", "alle"}
    assert slugs(age=5) == {"klein", "bis-sechs", "alle"}
    assert slugs(age=8) == {"klein", "alle"}
    assert slugs(age=9) == {"alle"}
    assert slugs(age=12) == {"gross", "ab-zwoelf", "alle"}
    assert slugs(age=40) == {"ab-zwoelf", "alle"}
    assert listed(page(Client(), alter="6")) == {"klein", "bis-sechs", "alle"}


def test_the_district_filter_by_number_or_district(provider):
    pelican(provider, "bilk")  # Bilk: Stadtbezirk 3
    pelican(provider, "oberkassel", venue=make_venue(provider, "Oberkassel"))  # Stadtbezirk 4
    three, four = District.objects.get(number=3), District.objects.get(number=4)
    assert slugs(district=3) == {"bilk"}
    assert slugs(district=four) == {"oberkassel"}
    assert listed(page(Client(), bezirk="4")) == {"oberkassel"}
    assert three.name in page(Client(), bezirk="3")


def test_the_date_range_keeps_offers_that_overlap_it(provider):
    pelican(provider, "bald", first=in_days(10))
    pelican(provider, "spaeter", first=in_days(40))
    pelican(provider, "kurs", first=in_days(5), sessions=6)  # days 5 to 40
    today = timezone.localdate()
    assert slugs(date_from=today + timedelta(days=20)) == {"spaeter", "kurs"}
    assert slugs(date_to=today + timedelta(days=9)) == {"kurs"}
    assert slugs(date_from=today + timedelta(days=10), date_to=today + timedelta(days=10)) == {
        "bald",
        "kurs",
    }
    assert slugs(date_from=today + timedelta(days=41)) == set()
    html = page(Client(), von=(today + timedelta(days=20)).strftime("%d.%m.%Y"))
    assert listed(html) == {"spaeter", "kurs"}
    html = page(Client(), bis=(today + timedelta(days=9)).isoformat())
    assert listed(html) == {"kurs"}


def test_the_weekday_filter(provider):
    pelican(provider, "montags", first=next_weekday(0))
    pelican(provider, "samstags", first=next_weekday(5))
    assert slugs(weekdays=[0]) == {"montags"}
    assert slugs(weekdays=[5, 6]) == {"samstags"}
    assert slugs(weekdays=[0, 5]) == {"montags", "samstags"}
    assert slugs(weekdays=[2]) == set()
    assert listed(page(Client(), tag=["sa", "so"])) == {"samstags"}


def test_the_time_of_day_filter(provider):
    pelican(provider, "frueh", first=in_days(20, hour=9))
    pelican(provider, "mittag", first=in_days(20, hour=14))
    pelican(provider, "abend", first=in_days(20, hour=19))
    assert slugs(times_of_day=[search.TIMES_OF_DAY["vormittags"]]) == {"frueh"}
    assert slugs(times_of_day=[search.TIMES_OF_DAY["abends"]]) == {"abend"}
    assert listed(page(Client(), zeit=["vormittags", "nachmittags"])) == {"frueh", "mittag"}


def test_free_places_step_free_and_free_of_charge(provider):
    pelican(provider, "voll", capacity=2)
    Offer.objects.filter(slug="test-voll").update(taken=2)
    pelican(provider, "treppe", venue=make_venue(provider, name="Altbau", step_free=False))
    pelican(provider, "teuer", venue=make_venue(provider, step_free=True), price=Decimal("12"))
    assert slugs(free_only=True) == {"treppe", "teuer"}
    assert slugs(step_free=True) == {"teuer"}
    assert slugs(free_of_charge=True) == {"voll", "treppe"}
    assert listed(page(Client(), frei="on", kostenlos="on")) == {"treppe"}


def test_filters_combine(provider):
    pelican(provider, "passt", age_min=5, age_max=8, first=next_weekday(1))
    pelican(provider, "zu-alt", age_min=10, age_max=12, first=next_weekday(1))
    pelican(provider, "falscher-tag", age_min=5, age_max=8, first=next_weekday(3))
    html = page(Client(), alter="6", tag="di", bezirk="3", kategorie="sport")
    assert listed(html) == {"passt"}


# --- who sees what ------------------------------------------------------------------------


def test_internal_offers_only_for_signed_in_staff(provider, parent_client):
    pelican(provider, "offen")
    pelican(provider, "fortbildung", internal=True, category=Category.STAFF_TRAINING)
    staff = Client()
    staff.force_login(StaffFactory(roles=[]))
    assert listed(page(Client())) == {"offen"}
    assert listed(page(parent_client)) == {"offen"}
    assert listed(page(staff)) == {"offen", "fortbildung"}
    # Residents are not even offered the category (also not from the filter form that
    # the page keeps rendered for the same address: staff asked first).
    assert "Fortbildung für Mitarbeitende" in page(staff)
    assert "Fortbildung für Mitarbeitende" not in page(parent_client)
    assert "Fortbildung für Mitarbeitende" not in page(Client())
    assert slugs(UserFactory()) == {"offen"}


def test_drafts_cancelled_and_past_offers_are_not_listed(provider, parent):
    pelican(provider, "sichtbar")
    pelican(provider, "entwurf", status=Offer.Status.DRAFT)
    pelican(provider, "abgesagt", status=Offer.Status.CANCELLED)
    pelican(provider, "vorbei", first=in_days(-3))
    pelican(provider, "laeuft-noch", first=in_days(-14), sessions=4)  # last session in 7 days
    assert slugs() == {"sichtbar", "laeuft-noch"}
    assert slugs(parent) == {"sichtbar", "laeuft-noch"}
    assert listed(page(Client())) == {"sichtbar", "laeuft-noch"}


def test_an_offer_without_dates_is_listed_last(provider):
    undated = pelican(provider, "ohne-termin", sessions=0)
    pelican(provider, "mit-termin")
    assert undated.starts_at is None
    offers, _total = search.search(Filters(q=WORD), None)
    assert [o.slug for o in offers] == ["test-mit-termin", "test-ohne-termin"]


# --- the result page ----------------------------------------------------------------------


def test_results_show_free_places_and_what_matters(provider):
    pelican(
        provider,
        "kurs",
        "Schwimmkurs",
        capacity=10,
        age_min=5,
        age_max=8,
        price=Decimal("40"),
        price_reduced=Decimal("10"),
    )
    Offer.objects.filter(slug="test-kurs").update(taken=7)
    pelican(provider, "voll", capacity=3, allocation=Offer.Allocation.FIRST_COME)
    Offer.objects.filter(slug="test-voll").update(taken=3)
    pelican(provider, "los", allocation=Offer.Allocation.LOTTERY, capacity=12)
    html = page(Client())
    assert "3 Angebote gefunden" in html
    assert "3 Plätze frei" in html
    assert "ausgebucht – Warteliste" in html
    assert "12 Plätze werden verlost" in html and "Vergabe per Losverfahren" in html
    assert "5 bis 8 Jahre" in html
    assert "40,00\xa0€ pro Person" in html and "mit DüsselPass 10,00\xa0€" in html
    assert "kostenlos" in html
    assert District.objects.get(number=3).name in html
    assert provider.name in html
    assert "stufenlos erreichbar" in html


def test_a_search_is_one_count_and_one_page_query(provider, django_assert_num_queries):
    for n in range(3):
        pelican(provider, f"kurs-{n}", first=next_weekday(n))
    with django_assert_num_queries(2):
        offers, total = search.search(Filters(q=WORD, age=6, weekdays=[0, 1, 2, 3, 4]), None)
        shown = [(o.provider.name, o.venue.name, o.district.name) for o in offers]
    assert total == 3 and len(shown) == 3


BAD = [
    ({"alter": "zehn"}, "Bitte geben Sie das Alter als ganze Zahl an"),
    ({"alter": "-3"}, "Bitte geben Sie ein Alter ab 0 Jahren an."),
    ({"alter": "9" * 5000}, "Bitte geben Sie das Alter als ganze Zahl an"),
    ({"alter": "130"}, "Bitte geben Sie ein Alter bis 120 Jahre an."),
    ({"von": "32.13.2026"}, "Bitte geben Sie das Datum als TT.MM.JJJJ an."),
    ({"von": "01.01.1900"}, "Bitte geben Sie ein Datum zwischen 01.01.2000 und 31.12.2100 an."),
    ({"bis": "30000-01-01"}, "Bitte geben Sie das Datum als TT.MM.JJJJ an."),
    ({"von": "10.12.2026", "bis": "01.12.2026"}, "Das Ende des Zeitraums liegt vor seinem Anfang."),
    ({"bezirk": "99"}, "Diesen Stadtbezirk gibt es nicht."),
    ({"bezirk": "9" * 40}, "Diesen Stadtbezirk gibt es nicht."),
    ({"bezirk": "3 OR 1=1"}, "Diesen Stadtbezirk gibt es nicht."),
    ({"kategorie": "nix"}, "Bitte wählen Sie eine Kategorie aus der Liste."),
    ({"kategorie": "fortbildung"}, "Bitte wählen Sie eine Kategorie aus der Liste."),
    ({"tag": ["mo", "xx"]}, "Bitte wählen Sie Wochentage aus der Liste."),
    ({"zeit": "mitternacht"}, "Bitte wählen Sie Tageszeiten aus der Liste."),
    ({"q": "x" * 101}, "Bitte kürzen Sie Ihre Eingabe auf höchstens 100 Zeichen"),
    ({"q": "Kurs\x00\x1b"}, "Der Text enthält unsichtbare Steuerzeichen."),
]


@pytest.mark.parametrize(("params", "message"), BAD)
def test_bad_filter_input_gets_a_german_message_not_an_error(provider, params, message):
    pelican(provider, "kurs")
    response = Client().get(URL, {"q": WORD, **params} if "q" not in params else params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte prüfen Sie Ihre Angaben" in html
    assert message in html
    if "q" not in params:  # the other filters still apply
        assert listed(html) == {"kurs"}


def test_hostile_input_is_shown_harmlessly_and_kept(provider):
    pelican(provider, "kurs")
    hostile = '"><script>alert(1)</script>'
    response = Client().get(URL, {"q": hostile, "alter": hostile, "seite": hostile})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html  # kept in the field
    assert "Bitte geben Sie das Alter als ganze Zahl an" in html


def test_paging_keeps_the_filters(provider):
    for n in range(23):
        pelican(provider, f"kurs-{n:02d}", first=in_days(20, hour=9))
    pelican(provider, "nachmittag", first=in_days(20, hour=15))
    first = page(Client(), zeit="vormittags")
    assert "23 Angebote gefunden" in first
    assert len(listed(first)) == 20
    assert "Seite 1 von 2" in first
    assert f"?q={WORD}&amp;zeit=vormittags&amp;seite=2" in first
    second = page(Client(), zeit="vormittags", seite="2")
    assert len(listed(second)) == 3 and not listed(first) & listed(second)
    assert "seite=1" in second and "Seite 2 von 2" in second
    # Past the end: the last page; nonsense: the first.
    assert listed(page(Client(), zeit="vormittags", seite="99")) == listed(second)
    assert listed(page(Client(), zeit="vormittags", seite="zwei")) == listed(first)


def test_an_empty_search_says_so(provider):
    html = page(Client(), q="Gibtsnichtwort")
    assert "0 Angebote gefunden" in html
    assert "Mit diesen Filtern haben wir leider kein Angebot gefunden." in html


def test_the_search_page_is_in_the_main_navigation(provider):
    html = Client().get(URL).content.decode()
    assert f'<a href="{URL}" aria-current="page">Kurse &amp; Angebote</a>' in html
    assert "<legend" in html and "Wann?" in html and 'for="id_alter"' in html


# --- a provider's page --------------------------------------------------------------------


def test_a_providers_page_lists_its_visible_offers(provider):
    pelican(provider, "eigenes")
    pelican(provider, "entwurf", status=Offer.Status.DRAFT)
    pelican(provider, "intern", internal=True)
    other = make_provider("test-anderer-traeger")
    pelican(other, "fremdes")
    response = Client().get(reverse("programs:provider", args=[provider.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert provider.name in html and provider.email in html
    assert listed(html) == {"eigenes"}
    assert "1 aktuelles Angebot" in html
    unknown = reverse("programs:provider", args=["test-gibt-es-nicht"])
    assert Client().get(unknown).status_code == 404


def test_the_chosen_filters_are_kept_in_the_form(provider):
    pelican(provider, "kurs")
    html = page(
        Client(),
        alter="6",
        von="01.12.2026",
        tag=["mo", "sa"],
        zeit="abends",
        bezirk="3",
        kategorie="sport",
        stufenlos="1",
    )
    assert 'name="alter" id="id_alter" value="6"' in html
    assert 'name="von" id="id_von" value="01.12.2026"' in html
    assert re.search(r'value="mo" id="id_tag_0"[^>]* checked>', html)
    assert re.search(r'value="sa" id="id_tag_5"[^>]* checked>', html)
    assert not re.search(r'value="di" id="id_tag_1"[^>]* checked>', html)
    assert re.search(r'value="abends" id="id_zeit_2"[^>]* checked>', html)
    assert '<option value="3" selected>' in html and '<option value="sport" selected>' in html
    assert re.search(r'id="id_stufenlos"[^>]* checked>', html)
    assert '<details class="kern-accordion offer-filters__more" open>' in html
    # Without further filters the extra filters stay folded away.
    assert 'offer-filters__more" open' not in page(Client())


def test_the_count_stops_at_its_limit(provider, monkeypatch):
    for n in range(4):
        pelican(provider, f"kurs-{n}")
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    offers, total = search.search(Filters(q=WORD), None, limit=10)
    assert total == 3 and len(offers) == 3  # the first three; the rest needs a filter
    html = page(Client())
    assert "Mehr als 2 Angebote gefunden" in html
    assert "Mit den Filtern oben finden Sie schneller, was passt" in html
    assert len(listed(html)) == 3
