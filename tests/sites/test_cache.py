"""The page cache: anonymous visitors get stored pages, and publishing or changing what a
page shows purges exactly the pages that show it."""

import re

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from rathaus.catalog.models import Service
from rathaus.sites import cache as page_cache
from rathaus.sites import services
from rathaus.sites.models import NewsIndexPage, NewsPage
from tests.factories import UserFactory

from .conftest import add_page

pytestmark = pytest.mark.django_db
HOST = "testbuecherei.localhost"


@pytest.fixture
def tree(library):
    """Home → Ausleihe → Medien, and a sibling Kurse; all live."""
    lending = add_page(
        library.root, "ausleihe", title="Ausleihe", intro="Alles dazu.", show_in_menus=True
    )
    media = add_page(lending, "medien", title="Medien")
    courses = add_page(library.root, "kurse", title="Kurse", show_in_menus=True)
    for page in (lending, media, courses):
        services.publish_as_system(page)
    return library, lending, media, courses


def visit(path: str, client: Client | None = None):
    response = (client or Client(HTTP_HOST=HOST)).get(path, HTTP_HOST=HOST)
    assert response.status_code == 200
    return response


def republish(page, **fields):
    page = page.specific.__class__.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    services.publish_as_system(page)


def test_an_anonymous_visitor_gets_the_stored_page_with_fresh_csrf_tokens(tree):
    first = visit("/ausleihe/")
    second = visit("/ausleihe/")
    assert (first[page_cache.HEADER], second[page_cache.HEADER]) == ("miss", "hit")
    tokens = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    body = tokens.sub("", second.content.decode())
    assert body == tokens.sub("", first.content.decode())
    assert len(set(tokens.findall(second.content.decode()))) == 1  # one fresh token
    # the token of a stored page is the visitor's own: the language switch accepts it
    client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
    token = tokens.search(visit("/ausleihe/", client).content.decode()).group(1)
    switched = client.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302


def test_publishing_purges_the_page_and_the_list_of_its_parent_but_not_a_sibling(tree):
    media = tree[2]
    for path in ("/", "/ausleihe/", "/ausleihe/medien/", "/kurse/"):
        visit(path)
    republish(media, title="Medien und Spiele")
    assert "Medien und Spiele" in visit("/ausleihe/medien/").content.decode()
    assert "Medien und Spiele" in visit("/ausleihe/").content.decode()  # its list of children
    assert visit("/kurse/")[page_cache.HEADER] == "hit"
    assert visit("/")[page_cache.HEADER] == "hit"


def test_a_new_title_reaches_breadcrumbs_and_menus_an_unchanged_one_does_not(tree):
    lending = tree[1]
    for path in ("/ausleihe/medien/", "/kurse/"):
        visit(path)
    republish(lending, intro="Neue Einleitung.")  # title unchanged: the child stays stored
    assert visit("/ausleihe/medien/")[page_cache.HEADER] == "hit"
    assert visit("/kurse/")[page_cache.HEADER] == "hit"
    republish(lending, title="Ausleihen und Zurückgeben")
    child = visit("/ausleihe/medien/")
    assert child[page_cache.HEADER] == "miss"
    assert "Ausleihen und Zurückgeben" in child.content.decode()  # breadcrumb
    assert "Ausleihen und Zurückgeben" in visit("/kurse/").content.decode()  # site navigation


def test_news_reach_the_home_page_at_once(tree):
    library = tree[0]
    index = library.root.add_child(
        instance=NewsIndexPage(title="Aktuelles", slug="aktuelles", live=False)
    )
    services.publish_as_system(index)
    visit("/")
    news = index.add_child(instance=NewsPage(title="Lesesommer beginnt", slug="lesesommer"))
    services.publish_as_system(news)
    assert "Lesesommer beginnt" in visit("/").content.decode()
    news.unpublish()
    assert "Lesesommer beginnt" not in visit("/").content.decode()


def test_an_embedded_service_purges_the_pages_that_show_it(tree):
    lending = tree[1]
    service = Service.objects.published().first()
    republish(lending, body=f'[{{"type": "service", "value": {service.pk}}}]')
    assert service.title in visit("/ausleihe/").content.decode()
    visit("/kurse/")
    service.title = "Bibliotheksausweis, neu geregelt"
    service.save()
    assert "Bibliotheksausweis, neu geregelt" in visit("/ausleihe/").content.decode()
    assert visit("/kurse/")[page_cache.HEADER] == "hit"


def test_without_the_purge_a_stale_page_would_be_served(tree, monkeypatch):
    """Control run: the tests above fail when publishing does not purge."""
    media = tree[2]
    visit("/ausleihe/medien/")
    monkeypatch.setattr(page_cache, "purge", lambda *tags: None)
    republish(media, title="Medien und Spiele")
    stale = visit("/ausleihe/medien/")
    assert stale[page_cache.HEADER] == "hit"
    assert "Medien und Spiele" not in stale.content.decode()


def test_signed_in_visitors_query_strings_and_messages_bypass_the_cache(tree):
    visit("/ausleihe/")
    resident = Client(HTTP_HOST=HOST)
    resident.force_login(UserFactory())
    assert page_cache.HEADER not in visit("/ausleihe/", resident)
    assert visit("/ausleihe/")[page_cache.HEADER] == "hit"  # the resident's page was not kept
    for _ in range(2):
        assert page_cache.HEADER not in visit("/ausleihe/?utm_source=x")
    visit("/ausleihe/?seite=2")
    assert visit("/ausleihe/?seite=2")[page_cache.HEADER] == "hit"


def test_a_page_behind_a_password_is_never_stored(tree):
    media = tree[2]
    restriction = PageViewRestriction.objects.create(
        page=media, restriction_type=PageViewRestriction.PASSWORD, password="Lesesaal"
    )
    insider = Client(HTTP_HOST=HOST)
    assert 'name="password"' in visit("/ausleihe/medien/", insider).content.decode()
    insider.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{media.pk}/",
        {"password": "Lesesaal", "return_url": "/ausleihe/medien/"},
    )
    for _ in range(2):
        assert (
            '<h1 class="kern-heading-large">Medien</h1>'
            in visit("/ausleihe/medien/", insider).content.decode()
        )
    outsider = visit("/ausleihe/medien/").content.decode()
    assert '<h1 class="kern-heading-large">Medien</h1>' not in outsider
    assert 'name="password"' in outsider and "Passwort erforderlich" in outsider


def test_moving_a_page_purges_the_lists_of_its_old_and_new_parent(tree):
    media, courses = tree[2], tree[3]
    assert 'href="/ausleihe/medien/"' in visit("/ausleihe/").content.decode()
    visit("/kurse/")
    media.move(courses, pos="last-child")
    assert 'href="/ausleihe/medien/"' not in visit("/ausleihe/").content.decode()
    assert 'href="/kurse/medien/"' in visit("/kurse/").content.decode()


def test_deleting_a_page_purges_its_parent_and_the_site_navigation(tree):
    courses = tree[3]
    assert 'href="/kurse/"' in visit("/").content.decode()
    assert 'href="/kurse/"' in visit("/ausleihe/").content.decode()  # navigation
    courses.delete()
    assert 'href="/kurse/"' not in visit("/").content.decode()
    assert 'href="/kurse/"' not in visit("/ausleihe/").content.decode()
