"""The "Leichte Sprache" switch: every service, office, offer and key page shows its
easy-language text first once it is on, and says so plainly where there is none."""

import pytest
from django.urls import reverse

from rathaus.catalog.models import Service
from rathaus.language.easy_language import check
from rathaus.language.services import EASY_COOKIE
from rathaus.language.templatetags.easy_language import PAGES
from rathaus.offices.models import Office
from rathaus.programs.models import Offer

pytestmark = pytest.mark.django_db

MISSING = "Für diese Seite fehlt noch ein Text in Leichter Sprache."
KEY_PAGES = {
    "startseite": reverse("catalog:home"),
    "kontakt": reverse("core:contact"),
    "barrierefreiheit": reverse("core:accessibility"),
    "assistent": reverse("language:assistant"),
    "termine": reverse("appointments:search"),
    "leichte-sprache": reverse("language:easy_language"),
}


@pytest.fixture
def easy(client):
    client.cookies[EASY_COOKIE] = "1"
    return client


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0]


def test_the_switch_is_on_every_page_and_remembers_the_choice(client):
    page = client.get(reverse("catalog:a_to_z")).content.decode()
    assert 'aria-pressed="false"' in page and "Leichte Sprache</button>" in page
    response = client.post(reverse("language:easy_language"), {"an": "1", "next": "/leistungen/"})
    assert response.status_code == 302 and response["Location"] == "/leistungen/"
    assert response.cookies[EASY_COOKIE].value == "1"
    assert response.cookies[EASY_COOKIE]["httponly"]
    page = client.get(reverse("catalog:a_to_z")).content.decode()
    assert 'aria-pressed="true"' in page
    off = client.post(reverse("language:easy_language"), {"an": "0", "next": "/leistungen/"})
    assert off.cookies[EASY_COOKIE].value == ""


def test_the_switch_never_sends_anyone_to_another_site(client):
    response = client.post(
        reverse("language:easy_language"), {"an": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_service_shows_its_easy_text_only_when_switched_on(client):
    service = Service.objects.get(slug="hundesteuer-anmelden")
    line = _first_line(service.easy_language)
    url = service.get_absolute_url()
    assert line not in client.get(url).content.decode()
    client.cookies[EASY_COOKIE] = "1"
    page = client.get(url).content.decode()
    assert line in page
    assert page.index(line) < page.index(service.description[:40])


def test_a_page_without_easy_text_says_so(easy):
    service = Service.objects.get(slug="hundesteuer-anmelden")
    service.easy_language = ""
    service.save()
    page = easy.get(service.get_absolute_url()).content.decode()
    assert MISSING in page
    assert service.summary in page


def test_an_office_and_an_offer_show_their_easy_texts(easy):
    office = Office.objects.exclude(easy_language="").first()
    offer = Offer.objects.exclude(easy_text="").first()
    office_page = easy.get(reverse("catalog:office", args=[office.slug])).content.decode()
    assert _first_line(office.easy_language) in office_page
    offer_page = easy.get(reverse("programs:offer", args=[offer.slug])).content.decode()
    assert _first_line(offer.easy_text) in offer_page


@pytest.mark.parametrize(("name", "url"), KEY_PAGES.items())
def test_key_pages_have_an_easy_text(easy, name, url):
    text = (PAGES / f"{name}.txt").read_text(encoding="utf-8")
    page = easy.get(url).content.decode()
    assert _first_line(text) in page
    assert MISSING not in page


def test_every_office_and_key_page_text_passes_the_checker():
    texts = {f"dienststelle {o.slug}": o.easy_language for o in Office.objects.all()}
    texts |= {f"seite {p.stem}": p.read_text(encoding="utf-8") for p in PAGES.glob("*.txt")}
    assert set(KEY_PAGES) <= {name.removeprefix("seite ") for name in texts}
    assert [name for name, text in texts.items() if not text.strip()] == []
    findings = {name: [f"{f.rule}: {f.text}" for f in check(text)] for name, text in texts.items()}
    assert {name: found for name, found in findings.items() if found} == {}
