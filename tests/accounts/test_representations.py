"""Residents see who acted for them and end it at once; a representation is bound to one
staff session, one office and one working day (issue 8, item 1)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.accounts.models import Representation, Role
from rathaus.accounts.services import staff as staff_service
from rathaus.applications.models import Application
from rathaus.offices.models import Office
from tests.factories import StaffFactory

from .conftest import represent_account

LETTER = "/verwaltung/buergerservice/zugangscode-brief/"
INTAKE = "/verwaltung/vorgaenge/erfassen/"


@pytest.fixture
def bilk():
    return Office.objects.get(slug="buergerbuero-bilk")


@pytest.fixture
def counter(client, bilk):
    client.staff = StaffFactory(
        full_name="Kübra Yılmaz",
        staff_number="S-0102",
        roles=[Role.CASEWORKER],
        roles__offices=[bilk],
    )
    client.force_login(client.staff)
    return client


@pytest.fixture
def acting(counter, resident) -> Representation:
    """The counter acts for the resident's account right now."""
    resident.sign_up()
    assert represent_account(counter, resident.email).status_code == 302
    return Representation.objects.get()


def can_act(counter) -> bool:
    """Whether the staff session still acts for someone (the banner and the letter)."""
    banner = "Sie handeln für" in counter.get("/verwaltung/buergerservice/").content.decode()
    letter = counter.post(LETTER).status_code == 200
    assert banner == letter
    return banner


@pytest.mark.django_db
def test_residents_see_who_acts_for_them_and_end_it_at_once(counter, resident, acting):
    page = resident.client.get("/konto/vertretungen/").content.decode()
    for shown in [
        "Kübra Yılmaz (S-0102)",
        "Bürgerbüro Bilk",
        "Schalter",
        "Antrag auf Bewohnerparkausweis",
        "läuft",
    ]:
        assert shown in page, shown
    assert (
        acting.started_at.astimezone(timezone.get_current_timezone()).strftime("%d.%m.%Y %H:%M")
        in page
    )
    assert can_act(counter)
    ended = resident.client.post(f"/konto/vertretungen/{acting.pk}/beenden/")
    assert ended.status_code == 302
    # Effective with the next staff request: no banner, no letter, no application entered.
    assert not can_act(counter)
    counter.post(INTAKE, {"leistung": "foerderung-dachbegruenung"})
    assert not Application.objects.filter(on_behalf=acting).exists()
    acting.refresh_from_db()
    assert acting.ended_by == Representation.Ending.RESIDENT
    page = resident.client.get("/konto/vertretungen/").content.decode()
    assert "von Ihnen beendet am" in page
    # Ending twice is not possible.
    assert resident.client.post(f"/konto/vertretungen/{acting.pk}/beenden/").status_code == 404


@pytest.mark.django_db
def test_while_it_is_open_the_counter_may_enter_an_application(counter, acting):
    counter.post(INTAKE, {"leistung": "foerderung-dachbegruenung"})
    assert Application.objects.filter(on_behalf=acting).count() == 1


@pytest.mark.django_db
def test_another_resident_neither_sees_nor_ends_it(counter, acting, other_resident):
    other_resident.sign_up()
    page = other_resident.client.get("/konto/vertretungen/").content.decode()
    assert "Kübra" not in page and "Bisher hat niemand" in page
    assert (
        other_resident.client.post(f"/konto/vertretungen/{acting.pk}/beenden/").status_code == 404
    )
    assert can_act(counter)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(counter, acting):
    anonymous = Client()
    assert anonymous.get("/konto/vertretungen/")["Location"].startswith("/konto/anmelden/")
    response = anonymous.post(f"/konto/vertretungen/{acting.pk}/beenden/")
    assert response["Location"].startswith("/konto/anmelden/")
    assert can_act(counter)


@pytest.mark.django_db
def test_staff_of_another_office_cannot_use_it(counter, acting):
    colleague = Client()
    colleague.force_login(
        StaffFactory(
            roles=[Role.CASEWORKER],
            roles__offices=[Office.objects.get(slug="buergerbuero-benrath")],
        )
    )
    # The representation lives in the session of the one who started it.
    session = colleague.session
    session["accounts.representation"] = acting.pk
    session.save()
    assert not can_act(colleague)
    assert can_act(counter)


@pytest.mark.django_db
def test_it_ends_when_the_staff_member_leaves_the_office(counter, acting, bilk):
    staff_service.set_staff(
        counter.staff,
        roles=[Role.CASEWORKER],
        offices=[Office.objects.get(slug="buergerbuero-benrath")],
        by=None,
    )
    assert not can_act(counter)


@pytest.mark.django_db
def test_it_ends_after_a_working_day(counter, acting):
    long_ago = timezone.now() - timedelta(hours=9)
    Representation.objects.filter(pk=acting.pk).update(
        started_at=long_ago, expires_at=long_ago + timedelta(hours=8)
    )
    assert not can_act(counter)


@pytest.mark.django_db
def test_an_office_one_does_not_work_for_cannot_be_chosen(client, resident, bilk):
    resident.sign_up()
    benrath = Office.objects.get(slug="buergerbuero-benrath")
    two_offices = StaffFactory(roles=[Role.CASEWORKER], roles__offices=[bilk, benrath])
    client.force_login(two_offices)
    elsewhere = Office.objects.exclude(pk__in=[bilk.pk, benrath.pk]).first()
    html = represent_account(client, resident.email, office=elsewhere.pk).content.decode()
    assert "Sie sind dieser Dienststelle nicht zugeordnet" in html
    assert not Representation.objects.exists()
