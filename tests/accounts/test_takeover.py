"""Issue 8, item 1: a code letter must not hand an existing account to whoever holds it.

The attack as found: a caseworker of any office acts for a resident's e-mail address,
prints a code letter and redeems it with that address in another browser; a passkey
was added and the resident heard nothing. Now the holder must confirm by a link mailed
to the account's address, opened in the browser that entered the code.
"""

import pytest
from django.test import Client

from rathaus.accounts.models import AccessCode, Role, Token
from rathaus.accounts.services import assisted
from rathaus.accounts.services.ceremonies import CeremonyError, NewCredential
from rathaus.offices.models import Office
from tests.factories import PersonFactory, StaffFactory
from tests.passkeys import Authenticator

from .conftest import (
    letter_code,
    letter_text,
    link_in_last_mail,
    mails_to,
    post_json,
    register,
    represent_account,
)


@pytest.fixture
def rogue(client):
    """A caseworker of an office the resident never dealt with."""
    benrath = Office.objects.get(slug="buergerbuero-benrath")
    client.force_login(StaffFactory(roles=[Role.CASEWORKER], roles__offices=[benrath]))
    return client


def print_letter(staff_client, email: str, **represent) -> str:
    assert represent_account(staff_client, email, **represent).status_code == 302
    return letter_code(staff_client.post("/verwaltung/buergerservice/zugangscode-brief/"))


@pytest.mark.django_db
def test_a_letter_and_the_address_alone_do_not_add_a_passkey(rogue, resident, mail_dir):
    user = resident.sign_up()
    with resident.capture(execute=True):
        code = print_letter(rogue, resident.email)
    attacker = Client()
    with resident.capture(execute=True):
        page = attacker.post("/konto/zugangscode/", {"code": code, "email": resident.email})
    html = page.content.decode()
    assert "Passkey erstellen" not in html
    assert "Bitte bestätigen Sie per E-Mail" in html
    # No ceremony can be started from that browser for the account.
    started = post_json(attacker, "/konto/passkey/registrierung/optionen")
    assert started.status_code == 400
    assert user.passkeys.count() == 1
    # The holder heard about the representation, the letter and the attempt.
    subjects = [m["Subject"].strip() for m in mails_to(mail_dir, resident.email)]
    assert "Die Stadtverwaltung handelt jetzt für Ihr Konto" in subjects
    assert "Ein Zugangscode-Brief für Ihr Konto wurde erstellt" in subjects
    assert "Bitte bestätigen Sie: neuer Passkey mit Zugangscode-Brief" in subjects


@pytest.mark.django_db
def test_the_confirmation_link_works_only_in_the_browser_that_entered_the_code(
    rogue, resident, mail_dir
):
    user = resident.sign_up()
    code = print_letter(rogue, resident.email)
    attacker = Client()
    with resident.capture(execute=True):
        attacker.post("/konto/zugangscode/", {"code": code, "email": resident.email})
    link = link_in_last_mail(mail_dir, resident.email)
    # The holder clicks it in their own browser: nothing happens, and they are warned.
    page = resident.client.get(link)
    assert page.status_code == 403
    assert "Ohne Ihre Bestätigung entsteht kein Passkey" in page.content.decode()
    assert post_json(attacker, "/konto/passkey/registrierung/optionen").status_code == 400
    assert user.passkeys.count() == 1


@pytest.mark.django_db
def test_the_holder_who_lost_their_passkey_confirms_and_gets_a_new_one(resident, mail_dir):
    user = resident.sign_up()
    bilk = Office.objects.get(slug="buergerbuero-bilk")
    counter = Client()
    counter.force_login(StaffFactory(roles=[Role.CASEWORKER], roles__offices=[bilk]))
    code = print_letter(counter, resident.email)
    new_phone = Client()
    with resident.capture(execute=True):
        new_phone.post("/konto/zugangscode/", {"code": code.lower(), "email": resident.email})
    link = link_in_last_mail(mail_dir, resident.email)
    page = new_phone.get(link)
    assert "Passkey erstellen" in page.content.decode()
    with resident.capture(execute=True):
        result = register(new_phone, Authenticator(), name="Neues Handy")
    assert result["response"].json() == {"redirect": "/konto/"}
    assert sorted(user.passkeys.values_list("name", flat=True)) == ["Handy", "Neues Handy"]
    notice = mails_to(mail_dir, resident.email)[-1]
    assert notice["Subject"] == "Neuer Passkey für Ihr Konto"
    assert "„Neues Handy“" in notice.get_content()
    assert "Zugangscode-Brief" in notice.get_content()
    # Link and code are spent.
    assert new_phone.get(link).status_code == 404
    assert AccessCode.objects.get(account=user).used_at is not None


@pytest.mark.django_db
def test_without_the_confirmation_the_service_refuses_the_passkey(resident):
    user = resident.sign_up()
    staff = StaffFactory(roles=[Role.CASEWORKER])
    code = AccessCode.objects.create(
        digest="x" * 64,
        account=user,
        issued_by=staff,
        office=Office.objects.first(),
        expires_at=user.created_at.replace(year=user.created_at.year + 1),
    )
    credential = NewCredential("neu", b"key", 0, [], "", False, True)
    with pytest.raises(CeremonyError):
        assisted.redeem_access_code(
            code, credential, email=user.email, user_handle="h", passkey_name="Fremd"
        )
    # a confirmation for another letter does not count either
    other_code = AccessCode.objects.create(
        digest="y" * 64,
        account=user,
        issued_by=staff,
        office=code.office,
        expires_at=code.expires_at,
    )
    wrong = assisted.request_confirmation(other_code)
    with pytest.raises(CeremonyError):
        assisted.redeem_access_code(
            code,
            credential,
            email=user.email,
            user_handle="h",
            passkey_name="Fremd",
            confirmation=wrong,
        )
    assert user.passkeys.count() == 1


@pytest.mark.django_db
def test_a_letter_for_a_person_linked_to_an_account_needs_the_same_confirmation(resident, mail_dir):
    user = resident.sign_up()
    bilk = Office.objects.get(slug="buergerbuero-bilk")
    counter = Client()
    counter.force_login(StaffFactory(roles=[Role.CASEWORKER], roles__offices=[bilk]))
    person = PersonFactory(given_name="Kim", family_name="Muster", office=bilk, account=user)
    counter.post(f"/verwaltung/buergerservice/personen/{person.public_id}/vertreten/")
    code = letter_code(counter.post("/verwaltung/buergerservice/zugangscode-brief/"))
    other_address = Client().post(
        "/konto/zugangscode/", {"code": code, "email": "dieb@beispiel.de"}
    )
    assert "passt nicht zum Konto" in other_address.content.decode()
    with resident.capture(execute=True):
        same = Client().post("/konto/zugangscode/", {"code": code, "email": resident.email})
    assert "Bitte bestätigen Sie per E-Mail" in same.content.decode()
    assert Token.objects.filter(purpose=Token.Purpose.LETTER_CONFIRMATION, user=user).exists()
    assert user.passkeys.count() == 1


@pytest.mark.django_db
def test_a_letter_goes_only_to_the_address_on_record(rogue, resident, mail_dir):
    user = resident.sign_up()
    # By phone, without an address on record: no letter at all.
    represent_account(rogue, resident.email, consent="phone", channel="phone")
    refused = rogue.post("/verwaltung/buergerservice/zugangscode-brief/", follow=True)
    assert refused["Content-Type"].startswith("text/html")
    assert "keine Anschrift hinterlegt" in refused.content.decode()
    assert not AccessCode.objects.filter(account=user).exists()
    # With a counter record of the account, the letter is addressed there, whatever the way.
    PersonFactory(
        given_name="Kim",
        family_name="Muster",
        street="Kölner Straße 5",
        postcode="40211",
        office=Office.objects.get(slug="buergerbuero-benrath"),
        account=user,
    )
    text = letter_text(rogue.post("/verwaltung/buergerservice/zugangscode-brief/"))
    assert "Kim Muster" in text and "Kölner Straße 5" in text and "40211 Düsseldorf" in text
    assert "Bestätigungslink" in text
