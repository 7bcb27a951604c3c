"""Parents register a child once for several daycares, change it until the deadline and
withdraw it; every form answers bad input in German and keeps what was entered."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from rathaus.core.models import AuditEntry
from rathaus.kita.models import AuditAttributes, Registration
from rathaus.kita.services import registrations
from tests.support import mails

from .conftest import birth, close_registration, details, form_data, register

URL = "/konto/kita/anmelden/"


def test_a_parent_registers_with_three_wishes_in_their_order(
    family_client, family, kitas, period, mail_dir, django_capture_on_commit_callbacks
):
    page = family_client.get(URL)
    assert page.status_code == 200
    assert "Nennen Sie ruhig alle Kitas" in page.content.decode()
    assert f"{kitas['wolke'].name} (Nr. {kitas['wolke'].pk})" in page.content.decode()

    data = form_data(kitas["stern"], kitas["sonne"], kitas["wolke"], gender="girl")
    with django_capture_on_commit_callbacks(execute=True):
        answer = family_client.post(URL, data)
    assert answer.status_code == 303
    made = Registration.objects.get(account=family)
    assert answer["Location"] == f"/konto/kita/{made.public_id}/"
    assert [w.daycare for w in made.wishes.order_by("rank")] == [
        kitas["stern"],
        kitas["sonne"],
        kitas["wolke"],
    ]
    assert made.status == Registration.Status.SUBMITTED
    assert made.channel == "online" and made.entered_by is None
    # The audit attribute is kept apart, and only what was given.
    attributes = AuditAttributes.objects.get(registration=made)
    assert (attributes.gender, attributes.nationality) == ("girl", "")
    assert AuditEntry.objects.filter(action="kita.registered").exists()
    [sent] = mails(mail_dir)
    body = sent.get_body(("plain",)).get_content()
    assert sent["To"] == "alex@beispiel.de"
    assert "1. Testkita Sternchen\n2. Testkita Sonnenschein\n3. Testkita Wolke" in body
    status = family_client.get(answer["Location"]).content.decode()
    assert "Status: Angemeldet" in status and "Anmeldung ändern" in status


def test_registering_needs_the_passkey_confirmation(family, kitas):
    client = Client()
    client.force_login(family)
    answer = client.post(URL, form_data(kitas["sonne"]))
    assert answer.status_code == 302 and answer["Location"].startswith("/konto/bestaetigen/")
    assert not Registration.objects.filter(account=family).exists()


def test_anonymous_visitors_are_asked_to_sign_in(client, kitas):
    answer = client.get(URL)
    assert answer.status_code == 302 and "/anmelden/" in answer["Location"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("child_given_name", "", "Dieses Feld ist zwingend erforderlich."),
        ("child_given_name", "!!!", "Bitte geben Sie einen Namen mit Buchstaben an."),
        ("child_family_name", "Muster\u202e", "unsichtbare Steuerzeichen"),
        ("child_given_name", "x" * 101, "höchstens 100 Zeichen"),
        ("birth_date", "31.02.2025", "Bitte geben Sie das Datum so an: 14.03.2025."),
        ("birth_date", "morgen", "Bitte geben Sie das Datum so an: 14.03.2025."),
        ("postcode", "4021", "fünfstellige Postleitzahl"),
        ("postcode", "<script>", "fünfstellige Postleitzahl"),
        ("hours", "40", "Bitte wählen Sie 25, 35 oder 45 Stunden."),
        ("start_month", "1999-01", "Bitte wählen Sie einen Monat aus der Liste."),
        ("district", "999999", "Bitte wählen Sie Ihren Stadtbezirk aus der Liste."),
        ("email", "keine-adresse", "gültige E-Mail-Adresse"),
        ("wish_2", "Kita, die es nicht gibt", "Wir finden keine Kita „Kita, die es nicht gibt“"),
        ("wish_2", "(Nr. 999999999)", "Wir finden keine Kita"),
    ],
)
def test_bad_input_is_answered_in_german_and_keeps_what_was_entered(
    family_client, family, kitas, field, value, message
):
    data = form_data(kitas["sonne"], street="Lindenallee 7")
    data[field] = value
    answer = family_client.post(URL, data)
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Bitte prüfen Sie Ihre Angaben" in page
    assert message in page
    assert 'value="Lindenallee 7"' in page
    assert "Testkita Sonnenschein (Nr." in page
    assert not Registration.objects.filter(account=family).exists()


def test_the_same_kita_twice_no_wish_or_too_many_are_refused(family_client, family, kitas):
    twice = family_client.post(URL, form_data(kitas["sonne"], kitas["sonne"]))
    assert "Diese Kita steht schon weiter oben in Ihrer Liste." in twice.content.decode()
    none = family_client.post(URL, form_data())
    assert "Bitte nennen Sie mindestens eine Kita." in none.content.decode()
    assert not Registration.objects.filter(account=family).exists()


def test_the_rules_are_checked_whoever_calls(kitas, period, family):
    """The service refuses what the form would: it is the one place the rules live."""
    cases = {
        "birth_date": {"birth_date": timezone.localdate() + timedelta(days=3)},
        "start_month": {"start_month": period.start.replace(year=period.start.year + 2)},
    }
    for field, wrong in cases.items():
        with pytest.raises(ValidationError) as refused:
            register(period, [kitas["sonne"]], account=family, **wrong)
        assert field in refused.value.error_dict
    with pytest.raises(ValidationError) as school:
        register(period, [kitas["mond"]], account=family, birth_date=birth(6, 1))
    assert "Schulalter" in str(school.value)
    with pytest.raises(ValidationError, match="höchstens 10 Kitas"):
        register(period, [kitas["sonne"]] * 11, account=family)
    assert not Registration.objects.filter(account=family).exists()


def test_a_kita_without_places_this_year_cannot_be_wished(family_client, family, kitas, period):
    kitas["stern"].places.all().delete()
    answer = family_client.post(URL, form_data(kitas["sonne"], kitas["stern"]))
    assert answer.status_code == 400
    assert "Diese Kitas vergeben im" in answer.content.decode()
    assert "Testkita Sternchen" in answer.content.decode()


def test_a_child_is_registered_once(family_client, family, kitas, period):
    register(period, [kitas["sonne"]], account=family)
    answer = family_client.post(URL, form_data(kitas["mond"]))
    assert answer.status_code == 400
    assert (
        "ist für das" in answer.content.decode() and "schon angemeldet" in answer.content.decode()
    )
    assert Registration.objects.filter(account=family).count() == 1
    # A sibling of another name is a new registration.
    assert (
        family_client.post(URL, form_data(kitas["mond"], child_given_name="Ben")).status_code == 303
    )


def test_changes_until_the_deadline_then_no_more(family_client, family, kitas, period):
    made = register(period, [kitas["sonne"]], account=family)
    change = f"/konto/kita/{made.public_id}/aendern/"
    page = family_client.get(change).content.decode()
    assert "Testkita Sonnenschein (Nr." in page and 'value="Musterweg 5"' in page
    answer = family_client.post(change, form_data(kitas["mond"], kitas["sonne"], hours="35"))
    assert answer.status_code == 303
    made.refresh_from_db()
    assert made.hours == 35
    assert [w.daycare for w in made.wishes.order_by("rank")] == [kitas["mond"], kitas["sonne"]]

    close_registration(period)
    late = family_client.post(change, form_data(kitas["stern"]))
    assert late.status_code == 303
    assert [w.daycare for w in made.wishes.order_by("rank")] == [kitas["mond"], kitas["sonne"]]
    assert family_client.get(URL).status_code == 409


def test_withdrawing_takes_the_child_out(
    family_client, family, kitas, period, mail_dir, django_capture_on_commit_callbacks
):
    made = register(period, [kitas["sonne"]], account=family)
    with django_capture_on_commit_callbacks(execute=True):
        answer = family_client.post(f"/konto/kita/{made.public_id}/zurueckziehen/")
    assert answer.status_code == 303
    made.refresh_from_db()
    assert made.status == Registration.Status.WITHDRAWN
    assert any("zurückgezogen" in m["Subject"] for m in mails(mail_dir))
    # Withdrawn registrations do not count as the child being registered.
    assert registrations.register(period, details(), [kitas["mond"]], account=family)
