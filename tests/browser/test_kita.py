"""Kita registration in Chromium: a parent registers a child with three wishes (a mistake
first: the message, and what was typed stays), the youth office runs the round, the parent
reads why wish 1 went to another child and accepts wish 2. axe-core on every page; the
parent's pages reflow at 320 CSS px."""

import re

import pytest

from rathaus.accounts.models import Role
from rathaus.kita.models import Outcome, Period, Registration
from tests.factories import StaffFactory, UserFactory
from tests.kita.conftest import (
    birth,
    close_registration,
    make_daycare,
    make_period,
    make_provider,
    next_august,
    places,
    register,
)

from .conftest import assert_accessible, csp_violations, signed_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def period(transactional_db):
    return make_period()


@pytest.fixture
def kitas(period):
    provider = make_provider("test-browser-traeger", name="Testträger im Browser")
    made = {
        name: make_daycare(provider, f"test-{slug}", 3, name=name)
        for slug, name in (
            ("pusteblume", "Kita Pusteblume"),
            ("loewenzahn", "Kita Löwenzahn"),
            ("kleeblatt", "Kita Kleeblatt"),
        )
    }
    for daycare in made.values():
        places(period, daycare, ("II", 45, 1))
    # Another child with a sibling in Pusteblume: wish 1 goes to her.
    register(
        period,
        [made["Kita Pusteblume"]],
        siblings=[made["Kita Pusteblume"]],
        child_given_name="Greta",
        child_family_name="Geschwister",
        email="",
    )
    return made


def test_register_run_the_round_read_why_and_accept(chromium, live_server, period, kitas):
    parent = UserFactory(email="eltern.browser@beispiel.de")
    page = signed_in_page(chromium, live_server, parent)
    refused = csp_violations(page)

    page.goto("/kita/")
    assert page.get_by_text("Nennen Sie Ihre echten Wünsche").is_visible()
    assert_accessible(page)
    page.goto("/kita/einrichtungen/?q=L%C3%B6wenzahn")
    assert page.get_by_role("link", name="Kita Löwenzahn").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Kita Löwenzahn").click()
    assert_accessible(page)
    page.get_by_role("link", name="Mit dieser Kita als Wunsch anmelden").click()
    page.wait_for_url("**/konto/kita/anmelden/?kita=*")
    assert_accessible(page)
    # Löwenzahn came along as wish 1; the parent puts Pusteblume first.
    assert page.get_by_label("Wunsch 1", exact=True).input_value().startswith("Kita Löwenzahn")
    page.get_by_label("Wunsch 1", exact=True).fill(
        f"Kita Pusteblume (Nr. {kitas['Kita Pusteblume'].pk})"
    )
    page.get_by_label(re.compile(r"^Wunsch 2 ")).fill(
        f"Kita Löwenzahn (Nr. {kitas['Kita Löwenzahn'].pk})"
    )
    page.get_by_label(re.compile(r"^Wunsch 3 ")).fill("Kita Kleeblatt")
    page.get_by_label("Vorname des Kindes").fill("Jonas")
    page.get_by_label("Familienname des Kindes").fill("Browser")
    page.get_by_label("Betreuung ab").select_option(next_august().strftime("%Y-%m"))
    page.get_by_label("Betreuungsumfang").select_option("45")
    page.get_by_label(re.compile("Ihr Name")).fill("Sam Browser")
    page.get_by_label("Straße und Hausnummer").fill("Testweg 3")
    page.get_by_label("Postleitzahl").fill("40225")
    page.get_by_label("Stadtbezirk, in dem Sie wohnen").select_option(label="Stadtbezirk 3")
    page.get_by_label(re.compile("berufstätig")).check()
    # A mistake: no birth date.
    page.get_by_role("button", name="Verbindlich anmelden").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    assert page.get_by_label("Vorname des Kindes").input_value() == "Jonas"
    assert page.get_by_label(re.compile(r"^Wunsch 3 ")).input_value() == "Kita Kleeblatt"
    assert_accessible(page)
    page.get_by_label("Geburtsdatum des Kindes").fill(birth(1, 6).strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Verbindlich anmelden").click()
    page.wait_for_url(re.compile(r".*/konto/kita/[0-9a-f-]+/$"))
    made = Registration.objects.get(account=parent)
    assert [w.daycare.name for w in made.wishes.order_by("rank")] == [
        "Kita Pusteblume",
        "Kita Löwenzahn",
        "Kita Kleeblatt",
    ]
    assert page.get_by_text("Status: Angemeldet").is_visible()
    assert_accessible(page)

    # The youth office runs the round after the deadline.
    close_registration(Period.objects.get(pk=period.pk))
    planner = StaffFactory(email="planung.browser@beispiel.de", roles=[Role.KITA_PLANNER])
    office = signed_in_page(chromium, live_server, planner)
    office.goto("/verwaltung/kita/")
    assert_accessible(office)
    office.get_by_role("button", name=re.compile("Runde 1 jetzt durchführen")).click()
    office.wait_for_url("**/runde/1/")
    assert office.get_by_text("ja, geprüft").is_visible()
    assert_accessible(office)
    office.get_by_role("link", name="Bericht ansehen").click()
    office.wait_for_url("**/runde/1/fairness/")
    assert_accessible(office)
    office.goto(f"/verwaltung/kita/einrichtung/{kitas['Kita Pusteblume'].slug}/")
    assert office.get_by_text("Greta Geschwister").is_visible()
    assert_accessible(office)

    # The parent reads why and accepts wish 2.
    page.goto(f"/konto/kita/{made.public_id}/")
    assert page.get_by_text(re.compile("Platz in Ihrem Wunsch 2 an: Kita Löwenzahn")).is_visible()
    assert page.get_by_text(
        "Ihr Wunsch 1 (Kita Pusteblume) war mit Kindern mit Geschwisterkind dort voll."
    ).is_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (f"/konto/kita/{made.public_id}/", "/konto/kita/", "/kita/"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert width <= 0, f"{path} ist bei 320 px {width} px zu breit"
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/konto/kita/{made.public_id}/")
    page.get_by_role("button", name="Platz annehmen").click()
    page.wait_for_url(f"**/konto/kita/{made.public_id}/")
    assert page.get_by_text("Sie haben den Platz angenommen.").is_visible()
    assert_accessible(page)
    assert Outcome.objects.get(registration=made).status == Outcome.Status.ACCEPTED
    assert not refused, refused
