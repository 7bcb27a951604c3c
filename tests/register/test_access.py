"""Who may write: data stewards and administrators of the responsible office, nobody else;
everyone may read what is published."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from rathaus.accounts.models import Role
from rathaus.register import services
from rathaus.register.models import Record
from tests.factories import StaffFactory, UserFactory

from .conftest import form_data


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_steward_of_another_office_can_neither_open_nor_change_the_record(draft, other_steward):
    client = _client(other_steward)
    edit = f"/algorithmen/verwalten/{draft.slug}/"
    assert client.get(edit).status_code == 403
    data = form_data(office=draft.office_id, risks="übernommen", reason="fremd")
    assert client.post(edit, data).status_code == 403
    draft.refresh_from_db()
    assert draft.risks != "übernommen"
    assert draft.name not in client.get("/algorithmen/verwalten/").content.decode()
    with pytest.raises(PermissionDenied):
        services.publish(draft, by=other_steward, reason="fremd")
    assert draft.versions.count() == 0


def test_a_steward_cannot_create_a_record_for_an_office_not_theirs(other_steward, office):
    answer = _client(other_steward).post(
        "/algorithmen/verwalten/neu/", form_data(office=office.pk, aktion="veroeffentlichen")
    )
    assert answer.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in answer.content.decode()
    assert not Record.objects.filter(slug="test-wohngeld-pruefung").exists()


@pytest.mark.parametrize(
    "who", ["anonymous", "resident", "caseworker of the office", "catalogue editor"]
)
def test_without_the_role_the_staff_pages_stay_closed(who, draft, office):
    client = Client()
    if who == "resident":
        client.force_login(UserFactory())
    elif who == "caseworker of the office":
        client.force_login(StaffFactory(roles=[Role.CASEWORKER], roles__offices=[office]))
    elif who == "catalogue editor":
        client.force_login(StaffFactory(roles=[Role.CATALOGUE_EDITOR], roles__offices=[office]))
    for path in (
        "/algorithmen/verwalten/",
        "/algorithmen/verwalten/neu/",
        f"/algorithmen/verwalten/{draft.slug}/",
    ):
        answer = client.get(path)
        assert answer.status_code in {302, 403}, (who, path, answer.status_code)
        if answer.status_code == 302:
            assert "/anmelden" in answer["Location"] or "login" in answer["Location"]
    answer = client.post(
        f"/algorithmen/verwalten/{draft.slug}/",
        form_data(office=office.pk, aktion="veroeffentlichen"),
    )
    assert answer.status_code in {302, 403}
    draft.refresh_from_db()
    assert draft.current is None


def test_an_administrator_of_the_office_may_keep_its_records(draft, office):
    admin = StaffFactory(roles=[Role.ADMINISTRATOR], roles__offices=[office])
    data = form_data(office=office.pk, aktion="veroeffentlichen")
    answer = _client(admin).post(f"/algorithmen/verwalten/{draft.slug}/", data)
    assert answer.status_code == 302
    draft.refresh_from_db()
    assert draft.current.number == 1


def test_the_staff_list_shows_only_the_records_of_ones_offices(steward_client, draft):
    listing = steward_client.get("/algorithmen/verwalten/").content.decode()
    assert draft.name in listing
    assert "Kita-Platzvergabe" not in listing  # the Jugendamt's record (demo)


def test_a_record_cannot_be_moved_into_ones_own_office(draft, other_steward):
    """The steward of another office takes the record over by naming their own office."""
    from rathaus.offices.models import Office

    draft.office = Office.objects.get(slug="umweltamt")
    with pytest.raises(PermissionDenied):
        services.save(draft, by=other_steward)
    assert Record.objects.get(pk=draft.pk).office.slug == "amt-fuer-wohnungswesen"
