"""The sites: routing by host, who may edit what, and what pages show from other modules."""

import json
import re

import defusedxml.ElementTree as ET
import pytest
from django.test import Client
from django.utils.html import escape
from wagtail.models import Page, Site

from rathaus.offices.models import OpeningHours
from rathaus.sites import services
from rathaus.sites.models import ContentPage, EventIndexPage, InstitutionPage, SitePage

from .conftest import add_page, client_for, staff_in

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_demo_has_a_portal_and_five_institutions_with_over_150_live_pages():
    sites = Site.objects.all()
    assert sites.filter(is_default_site=True).get().hostname == "localhost"
    hosts = set(sites.filter(is_default_site=False).values_list("hostname", flat=True))
    assert {"buecherei.localhost", "vhs.localhost", "museum.localhost"} <= hosts
    assert len(hosts) >= 5
    live = sum(
        Page.objects.descendant_of(site.root_page, inclusive=True).live().count() for site in sites
    )
    assert live >= 150


def test_every_demo_page_keeps_the_accessibility_rules_and_is_published():
    """The demo loader puts its pages live without the publishing checks: here they run."""
    pages = Page.objects.type(SitePage).live().specific()
    assert pages.count() >= 150
    for page in pages:
        assert services.page_findings(page) == [], page.url_path
        assert page.live_revision_id == page.latest_revision_id, page.url_path
        assert not page.has_unpublished_changes
        assert not services.differs_from_latest(page), page.url_path  # served = published


def test_each_host_shows_its_own_site_and_the_city_host_the_service_portal():
    library = Client(HTTP_HOST="buecherei.localhost").get("/")
    assert library.status_code == 200
    assert library.context["page"].get_site().hostname == "buecherei.localhost"
    assert "Stadtbüchereien" in library.content.decode()
    assert "Schnell zum Ziel" in library.content.decode()  # the home page's own text
    museum = Client(HTTP_HOST="museum.localhost").get("/")
    assert museum.context["page"].get_site().hostname == "museum.localhost"
    portal = Client().get("/")
    assert portal.status_code == 200
    assert "page" not in portal.context  # the service portal's own home page
    page = (
        ContentPage.objects.live()
        .descendant_of(Site.objects.get(hostname="buecherei.localhost").root_page)
        .first()
    )
    assert Client(HTTP_HOST="buecherei.localhost").get(page.url).status_code == 200


@pytest.mark.parametrize("host", ["buecherei.localhost", "vhs.localhost", "museum.localhost"])
def test_every_live_page_of_a_site_renders_with_its_own_navigation(host):
    site = Site.objects.get(hostname=host)
    client = Client(HTTP_HOST=host)
    pages = Page.objects.descendant_of(site.root_page, inclusive=True).live().specific()
    navigation = [p.title for p in site.root_page.get_children().live().in_menu()]
    for page in pages:
        response = client.get(page.relative_url(site))
        assert response.status_code == 200, page.url_path
        html = response.content.decode()
        assert all(title in html for title in navigation[:3])
        assert '<link rel="canonical"' in html and "application/ld+json" in html


def test_editor_permissions_per_site(library, museum):
    editor = staff_in(library.editors)
    reviewer = staff_in(library.reviewers)
    own = add_page(library.root, "eigene")
    other = add_page(museum.root, "fremde")
    as_editor, as_reviewer, anonymous = client_for(editor), client_for(reviewer), Client()
    assert as_editor.get(f"/redaktion/pages/{own.pk}/edit/").status_code == 200
    assert as_reviewer.get(f"/redaktion/pages/{own.pk}/edit/").status_code == 200
    for client in (as_editor, as_reviewer):
        response = client.get(f"/redaktion/pages/{other.pk}/edit/")
        assert response.status_code in (302, 403)
        response = client.get(f"/redaktion/pages/add/sites/contentpage/{museum.root.pk}/")
        assert response.status_code in (302, 403)
    assert (
        as_editor.get(f"/redaktion/pages/add/sites/contentpage/{library.root.pk}/").status_code
        == 200
    )
    response = anonymous.get(f"/redaktion/pages/{own.pk}/edit/")
    assert response.status_code == 302 and "/verwaltung/anmelden/" in response["Location"]
    # A resident's account has no way into the CMS.
    from tests.factories import UserFactory

    assert client_for(UserFactory()).get("/redaktion/").status_code in (302, 403)


def test_the_cms_password_form_is_never_shown():
    response = Client().get("/redaktion/login/?next=/redaktion/")
    assert response.status_code == 302
    assert response["Location"].startswith("/verwaltung/anmelden/?next=")


def test_an_embedded_service_and_office_hours_stay_current():
    """Also from the page cache: each page is seen (and stored) before the change."""
    site = Site.objects.get(hostname="buecherei.localhost")
    institution = InstitutionPage.objects.live().descendant_of(site.root_page).first()
    visitor = Client(HTTP_HOST=site.hostname)
    assert "09:30–13:45" not in visitor.get(institution.relative_url(site)).content.decode()
    office = institution.office
    OpeningHours.objects.filter(office=office, weekday=5).delete()
    office.opening_hours.create(weekday=5, opens="09:30", closes="13:45")
    html = visitor.get(institution.relative_url(site)).content.decode()
    assert "09:30–13:45" in html
    portal = Site.objects.get(is_default_site=True)
    page = next(
        p
        for p in ContentPage.objects.live().descendant_of(portal.root_page).specific()
        if any(b.block_type == "service" for b in p.body)
    )
    service = next(b.value for b in page.body if b.block_type == "service")
    path = page.relative_url(portal)
    assert "Neuer Titel der Leistung" not in Client().get(path).content.decode()
    service.title = "Neuer Titel der Leistung"
    service.save()
    assert "Neuer Titel der Leistung" in Client().get(path).content.decode()


def test_an_event_list_describes_its_offers_as_schema_org_events():
    page = EventIndexPage.objects.live().first()
    site = page.get_site()
    html = Client(HTTP_HOST=site.hostname).get(page.relative_url(site)).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html)[1])
    events = data["mainEntity"]["itemListElement"]
    assert events, "the demo's event list shows offers"
    for event in events:
        assert event["@type"] == "Event"
        assert escape(event["name"]) in html  # the same offers the visitor sees
        assert event["startDate"][:4].isdigit() and event["url"].startswith("http")
        assert event["location"]["address"]["addressCountry"] == "DE"


def test_news_feed_and_sitemap_parse():
    site = Site.objects.get(hostname="vhs.localhost")
    client = Client(HTTP_HOST=site.hostname)
    index = site.root_page.get_children().get(slug="aktuelles")
    feed = client.get(index.relative_url(site) + "feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.content).findall(f"{ATOM}entry")
    assert len(entries) >= 8
    assert all(entry.find(f"{ATOM}title").text for entry in entries)
    sitemap = client.get("/sitemap.xml")
    locations = [loc.text for loc in ET.fromstring(sitemap.content).iter(f"{SITEMAP}loc")]
    assert locations and all(loc.startswith("http://vhs.localhost") for loc in locations)


def test_one_search_finds_pages_of_every_site_and_services():
    response = Client().get("/seiten/suche/", {"q": "Ausweis"})
    assert response.status_code == 200
    results = response.context["results"]
    assert results.services
    names = {hit.site_name for hit in results.pages}
    assert len(names) >= 2
    html = response.content.decode()
    assert all(hit.page and escape(hit.page.title) in html for hit in results.pages)
    bad = Client().get("/seiten/suche/", {"q": "x" * 5000})
    assert bad.status_code == 200 and bad.context["results"] is None


def test_theme_and_media_views_refuse_what_is_not_theirs():
    site = Site.objects.get(hostname="buecherei.localhost")
    css = Client().get(f"/seiten/stil/{site.pk}.css")
    assert css.status_code == 200 and b"--site-accent: #" in css.content
    assert Client().get("/seiten/stil/999999.css").status_code == 404
    assert Client().get("/medien/../rathaus.sqlite3").status_code == 404
    assert Client().get("/medien/original_images/x.png").status_code == 404


def test_the_host_cache_follows_a_new_site(library):
    assert "testbuecherei.localhost" in services.institution_hosts()
