"""Acting for someone lets staff enter applications only where their office is responsible
(a Bürgerbüro, the front desk, for every service), and only while the representation lasts."""

import pytest

from rathaus.accounts.models import Role
from rathaus.accounts.services import assisted
from rathaus.applications.models import Application
from rathaus.catalog.models import Service
from rathaus.offices.models import Office
from tests.factories import StaffFactory

INTAKE = "/verwaltung/vorgaenge/erfassen/"


def _acting_client(client, office: Office):
    staff = StaffFactory(full_name="Kai Schalter", roles=[Role.CASEWORKER], roles__offices=[office])
    client.force_login(staff)
    person = assisted.create_person(
        staff=staff,
        office=office,
        given_name="Erika",
        family_name="Papier",
        street="Musterweg 7",
        postcode="40225",
        city="Düsseldorf",
        purpose="Papierantrag",
    )
    response = client.post(
        f"/verwaltung/buergerservice/personen/{person.public_id}/vertreten/", {"channel": "paper"}
    )
    assert response.status_code == 302
    client.user = staff
    return client, person


@pytest.mark.django_db
def test_an_office_enters_only_its_own_services(client, dach_service):
    other = Service.objects.get(slug="hundesteuer-anmelden")
    assert other.office != dach_service.office
    client, person = _acting_client(client, dach_service.office)
    html = client.get(INTAKE).content.decode()
    assert 'value="foerderung-dachbegruenung"' in html
    assert 'value="hundesteuer-anmelden"' not in html
    refused = client.post(INTAKE, {"leistung": "hundesteuer-anmelden"})
    assert refused.status_code == 400
    assert not Application.objects.filter(person=person).exists()
    assert client.post(INTAKE, {"leistung": dach_service.slug}).status_code == 302


@pytest.mark.django_db
def test_a_buergerbuero_takes_in_applications_for_every_service(client):
    front_desk = Office.objects.filter(kind=Office.Kind.CITIZENS_OFFICE).first()
    client, person = _acting_client(client, front_desk)
    html = client.get(INTAKE).content.decode()
    assert 'value="foerderung-dachbegruenung"' in html and 'value="hundesteuer-anmelden"' in html
    assert client.post(INTAKE, {"leistung": "hundesteuer-anmelden"}).status_code == 302
    application = Application.objects.get(person=person)
    assert application.service.office != front_desk  # the case goes to the responsible office


@pytest.mark.django_db
def test_a_draft_is_out_of_reach_once_the_representation_ended(client, dach_service):
    client, person = _acting_client(client, dach_service.office)
    client.post(INTAKE, {"leistung": dach_service.slug})
    application = Application.objects.get(person=person)
    page = f"{INTAKE}{application.public_id}/seite/1/"
    assert client.get(page).status_code == 200
    representation = application.on_behalf
    representation.ended_at = representation.started_at
    representation.save(update_fields=["ended_at"])
    assert client.get(page).status_code == 404
    assert client.get(f"{INTAKE}{application.public_id}/pruefen/").status_code == 404
