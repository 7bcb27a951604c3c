"""The youth office registers for families at the counter, on the phone and from the paper
form, finds a registration, and records a family's answer; the family is told each time."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from rathaus.accounts.models import AccessLogEntry, Role
from rathaus.kita.models import Outcome, Registration
from rathaus.kita.services import rounds
from tests.factories import StaffFactory
from tests.support import mails

from .conftest import birth, close_registration, form_data, register

URL = "/verwaltung/kita/anmelden/"


@pytest.fixture
def counter(db):
    user = StaffFactory(email="jugendamt.schalter@beispiel.de", roles=[Role.CASEWORKER])
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def test_staff_register_for_a_family_with_an_account_and_the_family_is_told(
    counter, family, family_client, kitas, period, mail_dir, django_capture_on_commit_callbacks
):
    data = form_data(kitas["sonne"], kitas["mond"], channel="phone", account_email=family.email)
    with django_capture_on_commit_callbacks(execute=True):
        answer = counter.post(URL, data)
    assert answer.status_code == 303
    made = Registration.objects.get(account=family)
    assert (made.channel, made.entered_by) == ("phone", counter.user)
    [sent] = mails(mail_dir)
    assert (
        "Mitarbeiter des Jugendamts hat sie für Sie erfasst"
        in sent.get_body(("plain",)).get_content()
    )
    # The family sees it in its account.
    assert "Mia Muster" in family_client.get("/konto/kita/").content.decode()


def test_a_paper_form_is_entered_after_the_deadline_until_the_first_round(counter, kitas, period):
    close_registration(period)
    answer = counter.post(URL, form_data(kitas["stern"], channel="paper"))
    assert answer.status_code == 303
    made = Registration.objects.get(period=period, child_given_name="Mia")
    assert made.channel == "paper" and made.account is None
    rounds.run(period)
    late = counter.post(URL, form_data(kitas["stern"], channel="paper", child_given_name="Ben"))
    assert late.status_code == 409
    assert not Registration.objects.filter(period=period, child_given_name="Ben").exists()


def test_bad_input_on_the_staff_form_is_answered_and_kept(counter, kitas, period):
    answer = counter.post(
        URL, form_data(kitas["sonne"], channel="fax", account_email="niemand@beispiel.de")
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Bitte wählen Sie Schalter, Telefon oder Papier." in page
    assert "Es gibt kein Konto mit dieser Adresse." in page
    assert 'value="niemand@beispiel.de"' in page and "Testkita Sonnenschein (Nr." in page


def test_staff_find_a_registration_read_it_and_record_the_answer(
    counter, family, kitas, period, mail_dir, django_capture_on_commit_callbacks
):
    made = register(period, [kitas["sonne"]], account=family, birth_date=birth(1, 2))
    found = counter.get("/verwaltung/kita/anmeldungen/", {"q": "mia muster"})
    assert f"/verwaltung/kita/anmeldungen/{made.public_id}/" in found.content.decode()
    by_birth = counter.get(
        "/verwaltung/kita/anmeldungen/", {"geburtsdatum": made.birth_date.strftime("%d.%m.%Y")}
    )
    assert made.child_name in by_birth.content.decode()
    assert AccessLogEntry.objects.filter(staff=counter.user, subject_id=family.public_id).exists()
    nonsense = counter.get("/verwaltung/kita/anmeldungen/", {"geburtsdatum": "gestern"})
    assert "Bitte geben Sie das Datum so an" in nonsense.content.decode()

    close_registration(period)
    rounds.run(period)
    detail = counter.get(f"/verwaltung/kita/anmeldungen/{made.public_id}/").content.decode()
    assert "Familie nimmt an" in detail and "Testkita Sonnenschein" in detail
    with django_capture_on_commit_callbacks(execute=True):
        answer = counter.post(
            f"/verwaltung/kita/anmeldungen/{made.public_id}/antwort/", {"antwort": "annehmen"}
        )
    assert answer.status_code == 303
    assert Outcome.objects.get(registration=made).status == Outcome.Status.ACCEPTED
    assert any(m["Subject"] == "Sie haben den Kita-Platz angenommen" for m in mails(mail_dir))


def test_only_the_youth_office_registers_for_families(
    manager_client, family_client, client, kitas, period
):
    assert manager_client.get(URL).status_code == 403
    assert family_client.get(URL).status_code == 302  # to the staff sign-in
    assert client.get("/verwaltung/kita/anmeldungen/").status_code == 302
    assert manager_client.get("/verwaltung/kita/anmeldungen/").status_code == 403


def test_the_paper_form_is_a_real_pdf_with_the_rules(client, kitas, period):
    answer = client.get("/kita/anmeldebogen.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert "Anmeldung für einen Kita-Platz" in text
    assert "Geschwisterkind in derselben Kita" in text
    assert "Taktik lohnt sich bei diesem Verfahren nie" in " ".join(text.split())
