"""Passkeys in a real browser: Chromium's virtual authenticator instead of a finger."""

import re

import pytest

from rathaus.accounts.models import Passkey, User
from tests.accounts.conftest import link_in_last_mail

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def sign_up(page, mail_dir, email: str) -> None:
    page.goto("/konto/registrieren/")
    assert_accessible(page)
    page.fill("#id_email", email)
    page.get_by_role("button", name="Bestätigungslink senden").click()
    page.wait_for_load_state()
    assert "Bitte prüfen Sie Ihr Postfach" in page.content()
    page.goto(link_in_last_mail(mail_dir, email))
    assert_accessible(page)
    page.fill("#id_name", "Laptop")
    page.get_by_role("button", name="Passkey erstellen").click()
    page.wait_for_url("**/konto/wiederherstellungscodes/")


def test_sign_up_sign_in_step_up_and_add_a_second_passkey(
    page, city, mail_dir, authenticator, settings
):
    sign_up(page, mail_dir, "browser@beispiel.de")
    codes = re.findall(r"<code>([A-Z0-9-]+)</code>", page.content())
    assert len(codes) == 10
    assert_accessible(page)
    assert len(authenticator.credentials()) == 1
    assert authenticator.credentials()[0]["isResidentCredential"] is True

    page.get_by_role("link", name="Ich habe die Codes gesichert").click()
    page.wait_for_url("**/konto/")
    assert_accessible(page)
    page.get_by_role("button", name="Abmelden").first.click()
    page.wait_for_load_state()

    # Passkey autofill (conditional mediation): the virtual authenticator answers the
    # autofill request at once, as a person picking their passkey from the field would.
    page.goto("/konto/anmelden/")
    page.wait_for_url("**/konto/")
    assert "browser@beispiel.de" in page.content()

    # Step-up: once the 15 minutes are over (here: a window of 0 seconds, so no waiting)
    # the passkey is asked again; with the window back, the confirmation leads back.
    settings.STEP_UP_SECONDS = 0
    page.goto("/konto/loeschen/")
    page.wait_for_url("**/konto/bestaetigen/**")
    assert_accessible(page)
    settings.STEP_UP_SECONDS = 900
    page.get_by_role("button", name="Mit Passkey bestätigen").click()
    page.wait_for_url("**/konto/loeschen/")

    # A second device: the first is unplugged, a new one gets the second passkey.
    authenticator.unplug()
    authenticator.plug_in()
    page.goto("/konto/passkeys/neu/")
    page.fill("#id_name", "Sicherheitsschlüssel")
    page.get_by_role("button", name="Passkey erstellen").click()
    page.wait_for_url("**/konto/passkeys/")
    assert_accessible(page)
    user = User.objects.get(email="browser@beispiel.de")
    assert sorted(Passkey.objects.filter(user=user).values_list("name", flat=True)) == [
        "Laptop",
        "Sicherheitsschlüssel",
    ]
    page.get_by_role("button", name="Abmelden").first.click()
    page.wait_for_load_state()
    page.goto("/konto/anmelden/")
    page.wait_for_url("**/konto/")


def test_account_pages_are_accessible(page, city, mail_dir, authenticator):
    sign_up(page, mail_dir, "a11y@beispiel.de")
    for path in [
        "/konto/",
        "/konto/passkeys/",
        "/konto/daten/",
        "/konto/daten/uebersicht/",
        "/konto/zugriffe/",
        "/konto/vertretungen/",
        "/konto/e-mail/",
        "/konto/loeschen/",
        "/konto/wiederherstellungscodes/erneuern/",
    ]:
        page.goto(path)
        assert_accessible(page)
    page.goto("/konto/loeschen/")
    page.get_by_role("button", name="Konto endgültig löschen").click()
    page.wait_for_load_state()
    assert "Bitte bestätigen Sie" in page.content()
    assert_accessible(page)


def test_public_account_pages_are_accessible(page, city):
    for path in [
        "/konto/anmelden/",
        "/konto/registrieren/",
        "/konto/wiederherstellen/",
        "/konto/zugangscode/",
        "/verwaltung/anmelden/",
    ]:
        page.goto(path)
        assert_accessible(page)
    page.goto("/konto/wiederherstellen/")
    page.get_by_role("button", name="Anmelden").last.click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    assert_accessible(page)


def test_passkey_pages_move_from_127_0_0_1_to_localhost(page, city, live_server):
    page.goto(live_server.url.replace("localhost", "127.0.0.1") + "/konto/anmelden/")
    assert page.url.startswith("http://localhost:")
