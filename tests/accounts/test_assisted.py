"""The analogue way stays open: staff act for people at the counter, and paper leads online."""

import pytest
from django.test import Client

from rathaus.accounts.models import AccessLogEntry, Person, Representation, Role, User
from rathaus.core.models import AuditEntry
from rathaus.offices.models import Office
from tests.factories import StaffFactory
from tests.passkeys import Authenticator

from .conftest import (
    letter_code,
    letter_text,
    link_in_last_mail,
    mails_to,
    register,
    represent_account,
)


@pytest.fixture
def bilk():
    return Office.objects.get(slug="buergerbuero-bilk")


@pytest.fixture
def counter(client, bilk):
    """A caseworker of the Bürgerbüro Bilk, signed in."""
    staff = StaffFactory(
        full_name="Kübra Yılmaz",
        staff_number="S-0102",
        roles=[Role.CASEWORKER],
        roles__offices=[bilk],
    )
    client.force_login(staff)
    client.staff = staff
    return client


def record_person(counter, **extra) -> Person:
    data = {
        "given_name": "Erika",
        "family_name": "Mustermann",
        "birth_date": "12.08.1956",
        "street": "Musterweg 7",
        "postcode": "40225",
        "city": "Düsseldorf",
        "purpose": "Antrag auf Wohngeld am Schalter",
        **extra,
    }
    response = counter.post("/verwaltung/buergerservice/personen/neu/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Person.objects.get(family_name=data["family_name"])


@pytest.mark.django_db
def test_staff_record_a_person_without_an_account(counter, bilk):
    person = record_person(counter)
    assert person.office == bilk
    assert person.created_by == counter.staff
    assert person.birth_date.isoformat() == "1956-08-12"
    assert AuditEntry.objects.filter(action="rathaus.accounts.person.created").exists()


@pytest.mark.django_db
def test_bad_person_data_is_explained_and_kept(counter):
    response = counter.post(
        "/verwaltung/buergerservice/personen/neu/",
        {
            "given_name": "Erika",
            "family_name": "",
            "birth_date": "31.02.1990",
            "postcode": "4022",
            "purpose": "",
        },
    )
    html = response.content.decode()
    assert "Bitte geben Sie den Familiennamen ein." in html
    assert "Bitte geben Sie das Datum so ein" in html
    assert "fünf Ziffern" in html
    assert 'value="Erika"' in html
    assert not Person.objects.filter(given_name="Erika").exists()


@pytest.mark.django_db
def test_every_look_at_a_person_is_logged(counter):
    person = record_person(counter)
    counter.get(f"/verwaltung/buergerservice/personen/{person.public_id}/")
    entry = AccessLogEntry.objects.get(subject_id=person.public_id)
    assert entry.staff == counter.staff
    assert entry.office_label == "Bürgerbüro Bilk"
    assert entry.purpose == "Antrag auf Wohngeld am Schalter"


@pytest.mark.django_db
def test_staff_of_another_office_do_not_find_the_person(counter, bilk):
    person = record_person(counter)
    benrath = Office.objects.get(slug="buergerbuero-benrath")
    other = Client()
    other.force_login(StaffFactory(roles=[Role.CASEWORKER], roles__offices=[benrath]))
    assert other.get(f"/verwaltung/buergerservice/personen/{person.public_id}/").status_code == 404
    assert (
        other.post(f"/verwaltung/buergerservice/personen/{person.public_id}/vertreten/").status_code
        == 404
    )
    html = other.get("/verwaltung/buergerservice/?q=Mustermann").content.decode()
    assert "Erika" not in html
    assert not AccessLogEntry.objects.filter(subject_id=person.public_id).exists()


@pytest.mark.django_db
def test_acting_for_an_account_needs_consent_and_is_recorded(counter, resident, mail_dir):
    user = resident.sign_up()
    missing = counter.post("/verwaltung/buergerservice/konto-vertreten/", {"email": resident.email})
    assert "wie die Person eingewilligt hat" in missing.content.decode()
    assert "Bitte nennen Sie den Anlass der Vertretung." in missing.content.decode()
    with resident.capture(execute=True):
        response = represent_account(counter, resident.email.upper())
    assert response.status_code == 302
    representation = Representation.objects.get(account=user)
    assert representation.staff == counter.staff
    assert representation.subject_id == user.public_id
    assert representation.purpose == "Antrag auf Bewohnerparkausweis"
    banner = counter.get("/verwaltung/buergerservice/").content.decode()
    assert f"Sie handeln für das Konto {resident.email}" in banner
    # The resident sees it in their account, and is told by e-mail at once.
    assert "Kübra Yılmaz (S-0102)" in resident.client.get("/konto/zugriffe/").content.decode()
    (notice,) = mails_to(mail_dir, resident.email)[-1:]
    assert notice["Subject"] == "Die Stadtverwaltung handelt jetzt für Ihr Konto"
    text = notice.get_content()
    assert "Kübra Yılmaz (S-0102) (Bürgerbüro Bilk)" in text
    assert "Antrag auf Bewohnerparkausweis" in text
    assert "/konto/vertretungen/" in text
    counter.post("/verwaltung/buergerservice/vertretung-beenden/")
    representation.refresh_from_db()
    assert representation.ended_at is not None
    assert representation.ended_by == Representation.Ending.STAFF


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("consent", "channel"), [("in_person", "phone"), ("in_person", "paper"), ("phone", "counter")]
)
def test_a_consent_that_the_way_of_contact_cannot_give_is_refused(
    counter, resident, consent, channel
):
    resident.sign_up()
    html = represent_account(counter, resident.email, consent=consent, channel=channel)
    assert "Diese Einwilligung passt nicht zum Weg" in html.content.decode()
    assert not Representation.objects.exists()


@pytest.mark.django_db
def test_staff_accounts_cannot_be_represented(counter):
    colleague = StaffFactory()
    html = represent_account(counter, colleague.email).content.decode()
    assert "kein Bürgerkonto" in html


@pytest.mark.django_db
def test_a_paper_customer_moves_online_with_the_code_letter(
    counter, mail_dir, django_capture_on_commit_callbacks
):
    person = record_person(counter)
    counter.post(
        f"/verwaltung/buergerservice/personen/{person.public_id}/vertreten/", {"channel": "counter"}
    )
    letter = counter.post("/verwaltung/buergerservice/zugangscode-brief/")
    text = letter_text(letter)
    assert "Erika Mustermann" in text and "Musterweg 7" in text
    code = letter_code(letter)

    resident = Client()
    page = resident.post(
        "/konto/zugangscode/", {"code": code.lower(), "email": "erika@beispiel.de"}
    )
    assert "Passkey erstellen" in page.content.decode()
    result = register(resident, Authenticator(), name="Tablet")
    assert result["response"].json() == {"redirect": "/konto/wiederherstellungscodes/"}
    user = User.objects.get(email="erika@beispiel.de")
    person.refresh_from_db()
    assert person.account == user
    # The letter works once.
    again = Client().post("/konto/zugangscode/", {"code": code, "email": "x@beispiel.de"})
    assert "gilt nicht" in again.content.decode()


@pytest.mark.django_db
def test_a_code_letter_for_an_account_needs_that_accounts_address(counter, resident, mail_dir):
    user = resident.sign_up()
    represent_account(counter, resident.email)
    code = letter_code(counter.post("/verwaltung/buergerservice/zugangscode-brief/"))
    stranger = Client()
    html = stranger.post(
        "/konto/zugangscode/", {"code": code, "email": "dieb@beispiel.de"}
    ).content.decode()
    assert "passt nicht zum Konto" in html
    # The holder's own address: the passkey still waits for the e-mail link (test_takeover.py).
    owner = Client()
    with resident.capture(execute=True):
        owner.post("/konto/zugangscode/", {"code": code, "email": resident.email})
    owner.get(link_in_last_mail(mail_dir, resident.email))
    assert register(owner, Authenticator(), name="Neues Handy")["response"].status_code == 200
    assert user.passkeys.count() == 2


@pytest.mark.django_db
def test_the_code_letter_needs_an_open_representation(counter):
    assert counter.post("/verwaltung/buergerservice/zugangscode-brief/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["", "abc", "x" * 30, "<script>", "AAAA-BBBB-CCCC"])
def test_nonsense_codes_get_a_clear_answer(client, code):
    html = client.post(
        "/konto/zugangscode/", {"code": code, "email": "a@beispiel.de"}
    ).content.decode()
    assert ("Zugangscode" in html) and ("Bitte" in html or "gilt nicht" in html or "zwölf" in html)
    assert "<script>" not in html.split("<main", 1)[1]
