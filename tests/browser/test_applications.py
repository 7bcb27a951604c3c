"""Förderung Dachbegrünung end to end in Chromium: a resident applies online, a caseworker
decides, the resident opens the Bescheid. axe-core on every page on the way."""

import hashlib
import io
import subprocess
import sys

import pytest
from pypdf import PdfReader

from rathaus.accounts.models import Role
from rathaus.accounts.services import staff
from rathaus.applications.demo.filler import TINY_PDF, answers_for
from rathaus.applications.models import Application, Document
from rathaus.catalog.models import Service
from rathaus.ledger import keys
from rathaus.ledger.services import sequencer
from tests.accounts.conftest import link_in_last_mail
from tests.factories import StaffFactory
from tests.support import modified_pdf

from .conftest import VirtualAuthenticator, assert_accessible

pytestmark = pytest.mark.browser


def fill_page(page, schema: dict, index: int) -> None:
    """Type the filler's answers into the page's inputs, as a person would."""
    answers = answers_for(schema)
    for spec in schema["pages"][index]["fields"]:
        key = spec["key"]
        names = [
            n for n in answers if n == key or n.startswith(f"{key}__") or n.startswith(f"{key}-0-")
        ]
        for name in names:
            value = answers[name]
            field = page.locator(f'[name="{name}"]')
            if not field.count():
                continue
            kind = field.first.get_attribute("type")
            if isinstance(value, list):
                for item in value:
                    page.locator(f'[name="{name}"][value="{item}"]').check()
            elif kind == "radio":
                page.locator(f'[name="{name}"][value="{value}"]').check()
            elif field.first.evaluate("el => el.tagName") == "SELECT":
                field.select_option(str(value))
            else:
                field.fill(str(value))
        if spec["type"] == "file" and spec.get("required"):
            upload = page.locator(f'input[type=file][name="{key}"]')
            if upload.count() and upload.is_visible():
                upload.set_input_files(
                    {"name": f"{key}.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}
                )


def test_dachbegruenung_from_application_to_bescheid(
    chromium, live_server, city, mail_dir, tmp_path
):
    service = Service.objects.get(slug="foerderung-dachbegruenung")
    resident = chromium.new_context(locale="de-DE", base_url=live_server.url)
    page = resident.new_page()
    VirtualAuthenticator(page)

    page.goto("/konto/registrieren/")
    page.fill("#id_email", "gruen@beispiel.de")
    page.get_by_role("button", name="Bestätigungslink senden").click()
    page.wait_for_load_state()
    page.goto(link_in_last_mail(mail_dir, "gruen@beispiel.de"))
    page.get_by_role("button", name="Passkey erstellen").click()
    page.wait_for_url("**/konto/wiederherstellungscodes/")

    page.goto(f"/leistungen/{service.slug}/")
    page.locator(f'a[href="/antraege/neu/{service.slug}/"]').first.click()
    page.wait_for_url(f"**/antraege/neu/{service.slug}/")
    assert_accessible(page)
    page.get_by_role("button", name="Neuen Antrag beginnen").click()
    page.wait_for_url("**/seite/1/")
    application = Application.objects.get(applicant__email="gruen@beispiel.de")
    schema = application.form.schema

    # First a mistake: the page comes back with the error summary, accessible.
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").is_visible()
    assert_accessible(page)

    for index in range(len(schema["pages"])):
        page.wait_for_url(f"**/seite/{index + 1}/")
        assert_accessible(page)
        fill_page(page, schema, index)
        page.locator('button[name="_aktion"][value="weiter"]').click()
        page.wait_for_load_state()
    page.wait_for_url("**/pruefen/")
    assert_accessible(page)
    page.get_by_label("Ich versichere").check()
    page.get_by_role("button", name="Verbindlich absenden").click()
    page.wait_for_url("**/eingereicht/")
    assert_accessible(page)
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED

    # The caseworker of the Umweltamt, with a passkey of their own.
    worker = StaffFactory(
        full_name="Lea Grün", roles=[Role.CASEWORKER], roles__offices=[service.office]
    )
    office = chromium.new_context(locale="de-DE", base_url=live_server.url)
    desk = office.new_page()
    VirtualAuthenticator(desk)
    desk.goto(f"/verwaltung/einrichten/{staff.new_enrolment(worker, by=None)}/")
    desk.get_by_role("button", name="Passkey erstellen").click()
    desk.wait_for_url("**/verwaltung/")
    desk.goto("/verwaltung/vorgaenge/")
    assert_accessible(desk)
    desk.get_by_role("link", name=application.reference).click()
    assert_accessible(desk)
    desk.get_by_role("button", name="Selbst übernehmen").click()
    desk.get_by_role("button", name="Status: in Bearbeitung").click()
    desk.get_by_role("link", name="Bescheid erstellen").click()
    assert_accessible(desk)
    desk.get_by_label("Teilbewilligung").check()
    desk.fill("#id_amount", "1.250,00")
    desk.fill("#id_reasoning", "Förderfähig sind 25 m² der beantragten Fläche zu je 50,00 €.")
    desk.get_by_role("button", name="Bescheid erlassen").click()
    desk.wait_for_url(f"**/verwaltung/vorgaenge/{application.public_id}/")
    assert_accessible(desk)
    for path in ["/verwaltung/vorgaenge/auswertung/", "/verwaltung/vorgaenge/erfassen/"]:
        desk.goto(path)
        assert_accessible(desk)

    page.goto(f"/antraege/{application.public_id}/")
    assert_accessible(page)
    link = page.get_by_role("link", name="Bescheid")
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert application.reference in text and "1.250,00" in text
    page.goto("/antraege/")
    assert_accessible(page)
    page.goto("/bescheid-pruefen/")
    assert_accessible(page)
    check_the_bescheid_against_the_log(page, live_server, response.body(), tmp_path)
    resident.close()
    office.close()


def check_the_bescheid_against_the_log(page, live_server, content: bytes, folder) -> None:
    """The PDF verifies on /bescheid-pruefen/ and with ``rathaus verify`` (also by its code);
    a modified copy does not."""
    sequencer.sequence_all()  # what the worker does after the decision's commit
    document = Document.objects.get(sha256=hashlib.sha256(content).hexdigest())
    original, copy = folder / "bescheid.pdf", folder / "bescheid-bearbeitet.pdf"
    original.write_bytes(content)
    copy.write_bytes(modified_pdf(content))
    for upload, verdict in (
        (original, "Echt: ausgestellt am"),
        (copy, "Achtung: Die Datei stimmt nicht mit dem Bescheid überein."),
    ):
        page.goto("/bescheid-pruefen/")
        page.get_by_label("oder der Bescheid als PDF-Datei").set_input_files(str(upload))
        page.get_by_role("button", name="Prüfen").click()
        page.get_by_text(verdict).wait_for()
        assert_accessible(page)
    vkey = keys.signer().verifier_key()
    for target, expected in ((original, 0), (document.verification_code, 0), (copy, 1)):
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "rathaus.cli",
                "verify",
                str(target),
                "--url",
                live_server.url,
                "--vkey",
                vkey,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == expected, (target, run.stdout, run.stderr)
        if expected == 0:
            assert f"Echt: bescheid {document.application.reference}" in run.stdout


def test_a_question_for_one_answer_appears_only_with_that_answer(chromium, live_server, city):
    from tests.factories import UserFactory

    from .conftest import signed_in_page

    page = signed_in_page(chromium, live_server, UserFactory(email="bedingt@beispiel.de"))
    page.goto("/antraege/neu/foerderung-dachbegruenung/")
    page.get_by_role("button", name="Neuen Antrag beginnen").click()
    page.wait_for_url("**/seite/1/")
    page.goto(page.url.replace("/seite/1/", "/seite/2/"))
    consent = page.locator('[data-visible-if-field="eigentum"]')
    assert consent.is_hidden()
    page.locator('[name="eigentum"][value="nein"]').check()
    assert consent.is_visible()
    assert_accessible(page)
    page.locator('[name="eigentum"][value="ja"]').check()
    assert consent.is_hidden()
    page.context.close()


def test_the_staff_inbox_fits_a_phone_screen(chromium, live_server, city):
    """320 CSS px (a small phone, or 1280 px at 400 %): every case readable, no sideways page
    scrolling, still accessible."""
    from rathaus.applications.demo import sample_application

    service = Service.objects.get(slug="foerderung-dachbegruenung")
    application = sample_application(service, None)
    worker = StaffFactory(roles=[Role.CASEWORKER], roles__offices=[service.office])
    phone = chromium.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": 320, "height": 640}
    )
    desk = phone.new_page()
    VirtualAuthenticator(desk)
    desk.goto(f"/verwaltung/einrichten/{staff.new_enrolment(worker, by=None)}/")
    desk.get_by_role("button", name="Passkey erstellen").click()
    desk.wait_for_url("**/verwaltung/")
    # Open cases only: the demo's archive of decided green-roof cases fills "alle".
    desk.goto("/verwaltung/vorgaenge/?status=offen")
    link = desk.get_by_role("link", name=application.reference)
    assert link.is_visible()
    overflow = desk.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"Der Posteingang ist bei 320 px {overflow} px zu breit"
    row = desk.locator("tr", has=link)
    for cell in row.locator("th, td").all():  # every detail on screen, no scrolling in a table
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, cell.inner_text()
    labels = row.locator("td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert '"Frist: "' in labels  # each detail says what it is
    assert_accessible(desk)
    phone.close()
