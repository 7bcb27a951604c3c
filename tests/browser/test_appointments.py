"""Appointments in Chromium: a resident without an account books (the page solves the proof
of work), confirms from the e-mail file, moves and cancels with the personal link; the
waiting-room display updates by itself; axe-core on every page, staff pages included."""

import re

import pytest
from django.test import Client

from rathaus.accounts.models import Role
from rathaus.appointments.models import Appointment
from rathaus.appointments.services import queue
from tests.accounts.conftest import link_in_last_mail
from tests.appointments.conftest import make_office
from tests.factories import ServiceFactory, StaffFactory

from .conftest import assert_accessible, csp_violations
from .test_keyboard import tab_until

pytestmark = pytest.mark.browser


@pytest.fixture
def bookable(transactional_db, settings):
    from rathaus.appointments.models import OfficeService

    settings.APPOINTMENT_POW_MAX_NUMBER = 5000
    office = make_office("browserbuero")
    service = ServiceFactory(slug="browserausweis", title="Browserausweis beantragen")
    OfficeService.objects.create(office=office, service=service, minutes_per_person=15)
    return office, service


def test_book_confirm_move_and_cancel_without_account(page, bookable, mail_dir):
    office, _service = bookable
    refused = csp_violations(page)
    page.goto("/termine/")
    assert_accessible(page)
    page.get_by_label("Browserausweis beantragen").check()
    page.get_by_role("button", name="Freie Termine suchen").click()
    page.wait_for_url("**/termine/?leistung=*")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Weitere Zeiten")).first.click()
    page.wait_for_url(f"**/termine/{office.slug}/?*")
    assert_accessible(page)
    page.locator("a.time-link").first.click()
    page.wait_for_url(f"**/termine/{office.slug}/buchen/?*")
    page.wait_for_function("() => document.querySelector('input[name=altcha]').value !== ''")
    assert (
        page.locator("[data-challenge-status]").inner_text() == "Sicherheitsprüfung abgeschlossen."
    )
    assert_accessible(page)

    # A mistake first: the message is shown, the typed name stays.
    page.fill("#id_name", "Ada Beispiel")
    page.fill("#id_email", "ada-at-beispiel")
    page.get_by_role("button", name="Termin reservieren").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    assert page.input_value("#id_name") == "Ada Beispiel"
    assert_accessible(page)
    page.fill("#id_email", "ada@beispiel.de")
    page.get_by_role("button", name="Termin reservieren").click()
    page.wait_for_url("**/termine/reserviert/")
    assert_accessible(page)
    appointment = Appointment.objects.get(email="ada@beispiel.de")
    assert appointment.status == Appointment.Status.HELD

    page.goto(link_in_last_mail(mail_dir, "ada@beispiel.de"))
    assert_accessible(page)
    page.get_by_role("button", name="Termin verbindlich buchen").click()
    page.wait_for_url("**/termine/link/*/")
    assert_accessible(page)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    manage_url = page.url
    assert appointment.code in page.content()

    page.get_by_role("link", name="Termin verschieben").click()
    page.wait_for_url("**/verschieben/")
    assert_accessible(page)
    target = page.locator("a.time-link").nth(1)
    new_time = target.inner_text()
    target.click()
    page.wait_for_url("**/verschieben/?tag=*")
    assert_accessible(page)
    page.get_by_role("button", name="Auf diese Uhrzeit verschieben").click()
    page.wait_for_url(manage_url)
    assert f"{new_time} Uhr" in page.locator(".kern-description-list").first.inner_text()
    assert "Ihr Termin ist verschoben" in page.content()

    page.get_by_role("link", name="Termin absagen").click()
    page.wait_for_url("**/absagen/")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, Termin absagen").click()
    page.wait_for_url(manage_url)
    assert "Abgesagt" in page.content()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    page.goto("/termine/regeln/")
    assert_accessible(page)
    assert refused == []


def test_display_updates_itself_and_is_accessible(page, bookable):
    office, _service = bookable
    clerk = StaffFactory(roles=[Role.CASEWORKER], roles__offices=[office])
    refused = csp_violations(page)
    page.goto(f"/termine/anzeige/{office.slug}/")
    assert "Bitte warten Sie" in page.inner_text("[data-current]")
    assert_accessible(page)
    assert page.locator("[data-current]").get_attribute("aria-live") == "assertive"
    assert page.get_by_role("button", name="Sprachausgabe einschalten").is_visible()
    page.get_by_role("button", name="Sprachausgabe einschalten").click()
    assert (
        page.get_by_role("button", name="Sprachausgabe ausschalten").get_attribute("aria-pressed")
        == "true"
    )
    queue.walk_in(office, note="", by=clerk)
    queue.call_next(office, office.counters.get(number=2), by=clerk)
    page.wait_for_function(
        "() => document.querySelector('[data-current]').innerText.includes('W-001')", timeout=10_000
    )
    assert "Schalter 2" in page.inner_text("[data-current]")
    assert_accessible(page)
    assert refused == []


def test_staff_pages_are_accessible(page, bookable, live_server):
    office, service = bookable
    lead = StaffFactory(roles=[Role.TEAM_LEAD], roles__offices=[office])
    client = Client()
    client.force_login(lead)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    queue.walk_in(office, note="Abholung", by=lead)
    paths = [
        "/verwaltung/termine/",
        f"/verwaltung/termine/{office.slug}/",
        f"/verwaltung/termine/{office.slug}/buchen/",
        f"/verwaltung/termine/{office.slug}/buchen/?leistung={service.slug}&personen=1",
        f"/verwaltung/termine/{office.slug}/aufruf/",
        f"/verwaltung/termine/{office.slug}/ohne-termin/",
        f"/verwaltung/termine/{office.slug}/sperren/",
        f"/verwaltung/termine/{office.slug}/schliessen/",
    ]
    for path in paths:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
    page.goto(f"/verwaltung/termine/{office.slug}/sperren/")
    page.get_by_role("button", name="Sperren").click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    assert_accessible(page)


def test_book_with_the_keyboard_only(page, bookable):
    office, service = bookable
    page.goto("/termine/")
    tab_until(page, lambda el: el["text"] == service.slug)  # a checkbox's value
    page.keyboard.press("Space")
    assert page.get_by_label(service.title).is_checked()
    tab_until(page, lambda el: el["text"] == "Freie Termine suchen")
    page.keyboard.press("Enter")
    page.wait_for_url("**/termine/?leistung=*")
    link = tab_until(
        page, lambda el: (el["href"] or "").startswith(f"/termine/{office.slug}/buchen/")
    )
    assert link["outline"], "Fokus muss sichtbar sein"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/termine/{office.slug}/buchen/?*")
    tab_until(page, lambda el: el["id"] == "id_name")
    page.keyboard.type("Tasta Tur")
    page.keyboard.press("Tab")
    page.keyboard.type("tasta@beispiel.de")
    tab_until(page, lambda el: el["text"] == "Termin reservieren")
    page.keyboard.press("Enter")
    page.wait_for_url("**/termine/reserviert/")
    assert Appointment.objects.filter(email="tasta@beispiel.de").exists()
