"""The search on the database this run uses (SQLite FTS5 or PostgreSQL full text)."""

import pytest

from rathaus.catalog import search, services
from rathaus.catalog.models import SearchDocument, Service
from tests.factories import ServiceFactory, StaffFactory


def slugs(query: str, limit: int = 5) -> list[str]:
    return [hit.service.slug for hit in search.search(query, limit=limit).hits]


@pytest.mark.django_db
def test_exact_title_comes_first():
    assert slugs("Personalausweis beantragen")[0] == "personalausweis-beantragen"


@pytest.mark.django_db
def test_synonym_on_the_service_finds_it():
    assert "personalausweis-beantragen" in slugs("Perso", 3)


@pytest.mark.django_db
def test_scores_fall_and_total_counts_all_matches():
    results = search.search("Antrag", limit=5)
    scores = [hit.score for hit in results.hits]
    assert scores == sorted(scores, reverse=True)
    assert results.total >= len(results.hits)
    assert len(search.search("Antrag", limit=5, offset=5).hits) <= 5


@pytest.mark.django_db
def test_prefix_of_a_compound_finds_it():
    assert any("hundesteuer" in s for s in slugs("Hund", 5))


@pytest.mark.django_db
@pytest.mark.parametrize("query", ['"*', "';--", "\x00", "🙂🙂", "", "   ", "(*)", ":*|&!"])
def test_symbols_find_nothing(query):
    assert search.search(query).total == 0


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["NEAR(pass", "AND OR NOT", "pass* OR 1=1", "a" * 500])
def test_query_syntax_of_the_databases_is_inert(query):
    results = search.search(query)
    assert results.total >= 0


@pytest.mark.django_db
def test_unpublished_services_are_not_found_until_published():
    service = ServiceFactory(title="Blauer Elefantenzuschuss", is_published=False)
    assert service.slug not in slugs("Elefantenzuschuss")
    before = services.snapshot(service)
    service.is_published = True
    service.save()
    services.catalogue_changed(service, by=StaffFactory(), before=before)
    assert slugs("Elefantenzuschuss") == [service.slug]


@pytest.mark.django_db
def test_a_changed_service_is_found_by_its_new_words_at_once():
    staff = StaffFactory()
    service = ServiceFactory(title="Zuschuss für Regentonnen")
    before = services.snapshot(service)
    service.title = "Förderung von Zisternen"
    service.save()
    services.catalogue_changed(service, by=staff, before=before)
    assert slugs("Zisternen") == [service.slug]
    assert slugs("Regentonnen") == []


@pytest.mark.django_db
def test_a_deleted_service_leaves_nothing_in_the_index():
    staff = StaffFactory()
    service = ServiceFactory(title="Einmalige Quallenplakette")
    assert slugs("Quallenplakette") == [service.slug]
    services.catalogue_deleted(service, by=staff)
    assert slugs("Quallenplakette") == []
    assert not SearchDocument.objects.filter(service_id=service.pk).exists()


@pytest.mark.django_db
def test_every_published_demo_service_is_indexed():
    published = Service.objects.published().count()
    assert SearchDocument.objects.filter(service__is_published=True).count() == published
