"""Language for everyone, in a real browser: seven interface languages (Arabic right to
left), the Leichte Sprache switch, "Vorlesen" with a real audio file, and the service
assistant used with the keyboard only."""

import io

import pytest
from django.utils import translation
from mutagen.mp3 import MP3

from .conftest import assert_accessible, csp_violations
from .test_keyboard import focused, tab_until

pytestmark = pytest.mark.browser

LANGUAGE_NAMES = {
    "en": "English",
    "tr": "Türkçe",
    "uk": "Українська",
    "ar": "العربية",
    "pl": "Polski",
    "ja": "日本語",
}


def _switch_to(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def test_arabic_is_right_to_left_and_every_language_is_accessible(page, city):
    refused = csp_violations(page)
    page.goto("/leistungen/personalausweis-beantragen/")
    _switch_to(page, "العربية")
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar" and html.get_attribute("dir") == "rtl"
    with translation.override("ar"):
        services = translation.gettext("Leistungen A–Z")
    assert services != "Leistungen A–Z"
    assert page.locator(".site-nav").get_by_role("link", name=services).is_visible()
    # Right to left for real: the brand starts at the right edge, the navigation flows leftwards.
    width = page.evaluate("document.documentElement.clientWidth")
    brand = page.locator(".site-header__brand").bounding_box()
    assert brand["x"] + brand["width"] > width * 0.75
    links = page.locator(".site-nav a")
    assert links.nth(0).bounding_box()["x"] > links.nth(1).bounding_box()["x"]
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    assert_accessible(page)
    for code, name in LANGUAGE_NAMES.items():
        _switch_to(page, name)
        assert page.locator("html").get_attribute("lang") == code
        for path in ("/", "/assistent/?frage=Hundesteuer"):
            page.goto(path)
            assert_accessible(page)
    assert refused == []


def test_arabic_reflows_at_400_percent_zoom(chromium, live_server, city):
    context = chromium.new_context(locale="ar", viewport={"width": 320, "height": 640})
    context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page = context.new_page()
    too_wide = {}
    for path in ("/", "/leistungen/personalausweis-beantragen/", "/assistent/?frage=Perso"):
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("dir") == "rtl"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            too_wide[path] = overflow
    context.close()
    assert too_wide == {}


def test_switch_to_leichte_sprache_and_back(page, city):
    from rathaus.catalog.models import Service

    easy = Service.objects.get(slug="wohnsitz-anmelden").easy_language.splitlines()[0]
    page.goto("/leistungen/wohnsitz-anmelden/")
    switch = page.get_by_role("button", name="Leichte Sprache")
    assert switch.get_attribute("aria-pressed") == "false"
    assert page.get_by_text(easy).count() == 0
    with page.expect_navigation():
        switch.click()
    assert page.url.endswith("/leistungen/wohnsitz-anmelden/")
    assert (
        page.get_by_role("button", name="Leichte Sprache").get_attribute("aria-pressed") == "true"
    )
    assert page.get_by_text(easy).is_visible()
    assert_accessible(page)
    page.goto("/dienststellen/")
    with page.expect_navigation():
        page.get_by_role("button", name="Leichte Sprache").click()
    page.goto("/leistungen/wohnsitz-anmelden/")
    assert page.get_by_text(easy).count() == 0


def test_vorlesen_plays_the_page_as_an_mp3(page, city):
    page.goto("/leistungen/hundesteuer-anmelden/")
    page.get_by_role("link", name="Vorlesen").click()
    player = page.locator("[data-read-aloud-player] audio")
    player.wait_for(state="attached")
    source = player.get_attribute("src")
    response = page.request.get(source)
    assert response.ok and response.headers["content-type"] == "audio/mpeg"
    info = MP3(io.BytesIO(response.body())).info
    assert info.layer == 3 and info.length > 10
    page.wait_for_function(
        "() => document.querySelector('[data-read-aloud-player] audio').duration > 0",
        timeout=30_000,
    )
    duration = page.evaluate("document.querySelector('[data-read-aloud-player] audio').duration")
    assert abs(duration - info.length) < 0.1 * info.length
    # The page stays where it was and readable while the audio plays.
    assert page.url.endswith("/leistungen/hundesteuer-anmelden/")
    assert page.locator("h1").is_visible()
    assert_accessible(page)


def test_ask_the_assistant_with_the_keyboard_only(page, city):
    page.goto("/lebenslagen/")
    tab_until(page, lambda el: el["id"] == "assistent-box-frage")
    page.keyboard.type("my dog tax")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'antwort'")
    answer = page.locator("[data-assistant-answer]")
    assert "Hund zur Hundesteuer anmelden" in answer.inner_text()
    assert page.url.endswith("/lebenslagen/")  # answered in place
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Hund zur Hundesteuer anmelden"
    page.keyboard.press("Enter")
    page.wait_for_url("**/leistungen/hundesteuer-anmelden/")
    page.goto("/assistent/")
    tab_until(page, lambda el: el["id"] == "id_frage")
    page.keyboard.type("Ich bin umgezogen, was muss ich machen?")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'antwort'")
    assert "Wohnsitz" in page.locator("[data-assistant-answer]").inner_text()
    assert_accessible(page)
