"""Residents describe their life, not the service: "ich bin umgezogen" finds the move.

The search matches life situations by their title and search keywords and includes their
services; the search page names the matching life situations above the results. Runs on
the database of the test run (SQLite FTS5 or PostgreSQL).
"""

import pytest

from rathaus.catalog import search, services
from rathaus.catalog.models import LifeSituation
from tests.factories import ServiceFactory, StaffFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sentence", "situation", "wanted"),
    [
        ("ich bin umgezogen", "umzug", {"wohnsitz-ummelden", "wohnsitz-anmelden"}),
        ("wir sind umgezogen", "umzug", {"wohnsitz-ummelden", "wohnsitz-anmelden"}),
        ("ich bekomme ein Baby", "geburt", {"geburt-beurkunden"}),
        ("ich heirate", "heirat", {"eheschliessung-anmelden"}),
        ("mein Hund", "hund", {"hundesteuer-anmelden"}),
        ("ich habe ein Auto gekauft", "auto", {"kfz-zulassen"}),
    ],
)
def test_a_life_sentence_finds_its_situation_and_services(sentence, situation, wanted):
    results = search.search(sentence, limit=3)
    assert situation in [s.slug for s in results.life_situations]
    top = {hit.service.slug for hit in results.hits}
    assert wanted <= top, f"{sentence!r}: {top}"


@pytest.mark.django_db
def test_a_service_query_does_not_pull_in_a_life_situation():
    assert search.search("Personalausweis beantragen").life_situations == []


@pytest.mark.django_db
def test_services_of_a_situation_count_in_the_total_once():
    results = search.search("ich bin umgezogen", limit=100)
    umzug = LifeSituation.objects.get(slug="umzug")
    members = set(umzug.services.published().values_list("slug", flat=True))
    found = [hit.service.slug for hit in results.hits]
    assert len(found) == len(set(found)) == results.total
    assert members <= set(found)


@pytest.mark.django_db
def test_new_keywords_of_a_situation_are_found_at_once():
    situation = LifeSituation.objects.get(slug="hund")
    service = ServiceFactory(title="Katzenschutzverordnung")
    situation.services.add(service)
    assert search.search("Stubentiger").life_situations == []
    before = services.snapshot(situation)
    situation.keywords += "\nStubentiger"
    situation.save()
    services.catalogue_changed(situation, by=StaffFactory(), before=before)
    results = search.search("Stubentiger")
    assert [s.slug for s in results.life_situations] == ["hund"]
    assert service.slug in [hit.service.slug for hit in results.hits]


@pytest.mark.django_db
def test_the_search_page_names_the_life_situation_above_the_results(client):
    html = client.get("/suche/", {"q": "ich bin umgezogen"}).content.decode()
    assert "Passende Lebenslagen" in html
    assert 'href="/lebenslagen/umzug/"' in html
    assert html.index('href="/lebenslagen/umzug/"') < html.index('id="ergebnisse"')
    assert "/leistungen/wohnsitz-ummelden/" in html
