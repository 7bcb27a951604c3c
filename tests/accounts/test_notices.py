"""Account holders are told by e-mail of every passkey added, whatever the way, and of every
representation started (issue 8, item 1). Real .eml files, read back."""

import pytest
from django.test import Client

from rathaus.accounts.models import Role
from rathaus.accounts.services import staff
from rathaus.offices.models import Office
from tests.factories import PersonFactory, StaffFactory
from tests.passkeys import Authenticator

from .conftest import letter_code, mails_to, open_signup_link, register

NEW_PASSKEY = "Neuer Passkey für Ihr Konto"


def passkey_notices(mail_dir, email: str) -> list[str]:
    return [m.get_content() for m in mails_to(mail_dir, email) if m["Subject"] == NEW_PASSKEY]


@pytest.mark.django_db
def test_sign_up_tells_of_the_first_passkey(resident, mail_dir):
    open_signup_link(resident.client, mail_dir, resident.capture, resident.email)
    with resident.capture(execute=True):
        register(resident.client, resident.device, name="Laptop")
    (notice,) = passkey_notices(mail_dir, resident.email)
    assert "„Laptop“" in notice and "bei der Registrierung" in notice
    assert "/konto/passkeys/" in notice


@pytest.mark.django_db
def test_adding_a_passkey_in_the_account_is_told(resident, mail_dir):
    resident.sign_up()
    resident.client.get("/konto/passkeys/neu/")
    with resident.capture(execute=True):
        register(resident.client, Authenticator(), name="Tablet")
    (notice,) = passkey_notices(mail_dir, resident.email)
    assert "„Tablet“" in notice and "in Ihrem Konto" in notice


@pytest.mark.django_db
def test_a_passkey_after_a_recovery_code_is_told(resident, mail_dir):
    resident.sign_up()
    codes = resident.client.get("/konto/wiederherstellungscodes/").content.decode()
    code = codes.split("<code>")[1].split("</code>")[0]
    resident.client.post("/konto/abmelden/")
    resident.client.post("/konto/wiederherstellen/", {"email": resident.email, "code": code})
    resident.client.get("/konto/passkeys/neu/")
    with resident.capture(execute=True):
        register(resident.client, Authenticator(), name="Ersatz")
    (notice,) = passkey_notices(mail_dir, resident.email)
    assert "„Ersatz“" in notice


@pytest.mark.django_db
def test_a_new_account_from_a_letter_is_told(client, mail_dir, django_capture_on_commit_callbacks):
    bilk = Office.objects.get(slug="buergerbuero-bilk")
    client.force_login(StaffFactory(roles=[Role.CASEWORKER], roles__offices=[bilk]))
    person = PersonFactory(office=bilk)
    client.post(f"/verwaltung/buergerservice/personen/{person.public_id}/vertreten/")
    code = letter_code(client.post("/verwaltung/buergerservice/zugangscode-brief/"))
    browser = Client()
    browser.post("/konto/zugangscode/", {"code": code, "email": "erika@beispiel.de"})
    with django_capture_on_commit_callbacks(execute=True):
        register(browser, Authenticator(), name="Tablet")
    (notice,) = passkey_notices(mail_dir, "erika@beispiel.de")
    assert "Zugangscode-Brief" in notice


@pytest.mark.django_db
def test_staff_enrolment_is_told(client, mail_dir, django_capture_on_commit_callbacks):
    colleague = StaffFactory(roles=[Role.CASEWORKER])
    client.get(f"/verwaltung/einrichten/{staff.new_enrolment(colleague, by=None)}/")
    with django_capture_on_commit_callbacks(execute=True):
        assert register(client, Authenticator(), name="Dienst")["response"].status_code == 200
    (notice,) = passkey_notices(mail_dir, colleague.email)
    assert "Einrichtungslink" in notice


@pytest.mark.django_db
def test_acting_for_a_person_with_an_account_tells_the_account(client, resident, mail_dir):
    user = resident.sign_up()
    bilk = Office.objects.get(slug="buergerbuero-bilk")
    client.force_login(StaffFactory(roles=[Role.CASEWORKER], roles__offices=[bilk]))
    person = PersonFactory(
        given_name="Kim", family_name="Muster", street="", postcode="", city="", account=user
    )
    with resident.capture(execute=True):
        client.post(
            f"/verwaltung/buergerservice/personen/{person.public_id}/vertreten/",
            {"channel": "phone", "purpose": "Rückfrage zum Wohngeld"},
        )
    (notice,) = [
        m
        for m in mails_to(mail_dir, resident.email)
        if m["Subject"] == "Die Stadtverwaltung handelt jetzt für Ihr Konto"
    ]
    assert "Rückfrage zum Wohngeld" in notice.get_content()
    assert "Telefon" in notice.get_content()
