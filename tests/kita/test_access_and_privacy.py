"""Nobody sees a registration that is not theirs; what a family's account holds of Kita
registrations is in its data export, goes with its deletion, and is anonymised after the
Kita year plus the retention period. The demo city has its Kitas and a finished round."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rathaus.accounts.services import privacy
from rathaus.kita.models import AuditAttributes, Daycare, Outcome, Period, Registration, Round
from rathaus.kita.services import privacy as kita_privacy
from rathaus.kita.services import responses, rounds
from tests.applications.conftest import verified_client

from .conftest import close_registration, register


@pytest.fixture
def mine(period, kitas, family):
    return register(period, [kitas["sonne"], kitas["mond"]], account=family)


@pytest.mark.parametrize("suffix", ["", "aendern/"])
def test_another_family_gets_404_like_nothing_is_there(mine, other_family, suffix):
    other = verified_client(other_family)
    assert other.get(f"/konto/kita/{mine.public_id}/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["zurueckziehen/", "antwort/"])
def test_another_family_cannot_act_on_it(mine, other_family, suffix):
    other = verified_client(other_family)
    assert (
        other.post(f"/konto/kita/{mine.public_id}/{suffix}", {"antwort": "annehmen"}).status_code
        == 404
    )
    mine.refresh_from_db()
    assert mine.status == Registration.Status.SUBMITTED


def test_anonymous_visitors_are_sent_to_sign_in(client, mine):
    for url in (f"/konto/kita/{mine.public_id}/", "/konto/kita/", "/verwaltung/kita/"):
        answer = client.get(url)
        assert answer.status_code == 302 and "anmelden" in answer["Location"]


def test_residents_and_other_staff_are_kept_out_of_the_back_office(
    family_client, manager_client, mine
):
    assert family_client.get("/verwaltung/kita/").status_code == 302
    from django.test import Client

    from rathaus.accounts.models import Role
    from tests.factories import StaffFactory

    catalogue = Client()
    catalogue.force_login(StaffFactory(email="katalog@beispiel.de", roles=[Role.CATALOGUE_EDITOR]))
    assert catalogue.get("/verwaltung/kita/").status_code == 403
    assert manager_client.get("/verwaltung/kita/").status_code == 200


def test_the_export_holds_the_registration(family, mine):
    export = privacy.export_data(family)
    section = next(s for s in export["sections"] if s["key"] == "kita")
    [entry] = section["data"]
    assert entry["child"] == "Mia Muster"
    assert entry["wishes"] == ["Testkita Sonnenschein", "Testkita Mondlicht"]
    blocks = kita_privacy.readable(family)
    assert blocks[0].lists[0][1] == ["1. Testkita Sonnenschein", "2. Testkita Mondlicht"]


def test_deleting_the_account_keeps_an_accepted_place_and_declines_an_offered_one(
    period, kitas, family
):
    placed = register(period, [kitas["sonne"]], account=family, child_given_name="Anna")
    offered = register(period, [kitas["wolke"]], account=family, child_given_name="Ben")
    close_registration(period)
    rounds.run(period)
    responses.accept(Outcome.objects.get(registration=placed))
    kept = privacy.delete_account(family)
    assert any("Anna" in str(item.what) for item in kept)
    placed.refresh_from_db()
    assert placed.account is None and placed.status == Registration.Status.ACCEPTED
    assert not Registration.objects.filter(pk=offered.pk).exists()


def test_registrations_are_anonymised_after_the_retention_period(period, kitas, family):
    made = register(period, [kitas["sonne"]], account=family)
    AuditAttributes.objects.create(registration=made, gender="boy")
    assert (
        kita_privacy.anonymise_due() == 0
        or not Registration.objects.filter(pk=made.pk, anonymised_at__isnull=False).exists()
    )
    later = timezone.make_aware(
        timezone.datetime.combine(
            period.start + timedelta(days=period.retention_days + 1), timezone.datetime.min.time()
        )
    )
    assert kita_privacy.anonymise_due(now=later) >= 1
    made.refresh_from_db()
    assert made.child_given_name == "anonymisiert" and made.street == "" and made.email == ""
    assert made.account is None and made.birth_date.day == 1
    assert not AuditAttributes.objects.filter(registration=made).exists()
    # What the figures need stays.
    assert made.district_id and made.hours == 45 and made.wishes.count() == 1


def test_the_demo_city_has_its_kitas_and_a_finished_round(db):
    assert Daycare.objects.filter(is_demo=True).count() >= 400
    assert Daycare.objects.filter(kind=Daycare.Kind.CHILDMINDING).exists()
    finished = Round.objects.filter(period__slug__startswith="kita-jahr-").get(number=1)
    assert finished.stable and finished.offered > 1000
    assert Outcome.objects.filter(round=finished, status=Outcome.Status.ACCEPTED).count() > 500
    current = Period.objects.exclude(pk=finished.period_id).get(slug__startswith="kita-jahr-")
    assert current.registrations.count() >= 2000 and current.registration_closes > timezone.now()


def test_public_pages_show_the_kitas_and_the_rules(client, kitas, period):
    home = client.get("/kita/").content.decode()
    assert "Taktik lohnt sich bei diesem Verfahren nie" in home
    assert period.seed_digest in home and period.seed not in home
    found = client.get("/kita/einrichtungen/", {"q": "Testkita", "gruppe": "III", "stunden": "45"})
    text = found.content.decode()
    assert "Testkita Sonnenschein" in text and "Testkita Wolke" in text
    assert "Testkita Mondlicht" not in text and "Testkita Sternchen" not in text
    page = client.get("/kita/einrichtungen/test-sonne/").content.decode()
    assert "Gruppenform II (unter 3 Jahren), 45 Std.: 1 Platz" in page
    assert client.get("/kita/einrichtungen/", {"bezirk": "x" * 500}).status_code == 200


def test_daycares_are_sorted_by_distance_from_the_familys_quarter(client, kitas):
    """Sonne sits in Benrath's middle, Mond 2 km north of it, Stern in the Altstadt."""
    from rathaus.offices.models import Quarter

    benrath = Quarter.objects.get(name="Benrath")
    altstadt = Quarter.objects.get(name="Altstadt")
    for slug, (lat, lon) in {
        "test-sonne": (benrath.latitude, benrath.longitude),
        "test-mond": (benrath.latitude + 0.018, benrath.longitude),
        "test-stern": (altstadt.latitude, altstadt.longitude),
    }.items():
        Daycare.objects.filter(slug=slug).update(latitude=lat, longitude=lon)
    text = client.get(
        "/kita/einrichtungen/", {"q": "Testkita", "wohnort": benrath.pk}
    ).content.decode()
    order = [text.index(name) for name in ("Sonnenschein", "Mondlicht", "Sternchen")]
    assert order == sorted(order)
    assert "ca. 0,0 km Luftlinie von Benrath" in text and "ca. 2,0 km Luftlinie" in text
    wrong = client.get("/kita/einrichtungen/", {"wohnort": "Mars"}).content.decode()
    assert "Bitte wählen Sie einen Stadtteil aus der Liste." in wrong
