"""The main paths by keyboard only: find and read a service, report a barrier, switch language."""

import pytest

pytestmark = pytest.mark.browser


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName.toLowerCase(),
                id: el.id,
                text: (el.innerText || el.value || '').trim(),
                href: el.getAttribute('href'),
                outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
            };
        }"""
    )


def tab_until(page, predicate, limit: int = 60) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if predicate(element):
            return element
    raise AssertionError(f"Nach {limit}× Tab nicht erreicht; zuletzt: {focused(page)}")


def test_find_and_read_a_service_with_the_keyboard(page, city):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["text"] == "Zum Inhalt springen"
    assert skip["outline"], "Fokus muss sichtbar sein"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "inhalt"

    tab_until(page, lambda el: el["id"] == "suche-start")
    page.keyboard.type("Perso")
    page.keyboard.press("Enter")
    page.wait_for_url("**/suche/?q=Perso")

    link = tab_until(page, lambda el: el["href"] == "/leistungen/personalausweis-beantragen/")
    assert link["outline"]
    page.keyboard.press("Enter")
    page.wait_for_url("**/leistungen/personalausweis-beantragen/")
    assert page.locator("h1").inner_text() == "Personalausweis beantragen"


def test_report_a_barrier_with_the_keyboard(page, city):
    page.goto("/barrierefreiheit/")
    tab_until(page, lambda el: el["id"] == "id_message")
    page.keyboard.type("Die Tabelle der Öffnungszeiten ist schwer zu lesen.")
    tab_until(page, lambda el: el["text"] == "Rückmeldung senden")
    with page.expect_navigation():  # wait_for_load_state alone may see the old page
        page.keyboard.press("Enter")
    assert "Vielen Dank" in page.locator("main").inner_text()


def test_switch_language_with_the_keyboard(page, city):
    page.goto("/leistungen/")
    tab_until(page, lambda el: el["text"] == "English")
    with page.expect_navigation():  # wait_for_load_state alone may see the old page
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/leistungen/")
    assert page.get_by_role("link", name="Skip to content").count() == 1
