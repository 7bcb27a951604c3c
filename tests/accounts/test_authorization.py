"""Nobody sees data that is not theirs: every page with personal data, tried the other way round."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from rathaus.accounts.models import AccessLogEntry, Passkey, Role
from rathaus.accounts.services.access_log import log_access
from rathaus.offices.models import Office
from tests.factories import StaffFactory

RESIDENT_PAGES = [
    "/konto/",
    "/konto/passkeys/",
    "/konto/passkeys/neu/",
    "/konto/daten/",
    "/konto/daten/export.json",
    "/konto/daten/uebersicht/",
    "/konto/e-mail/",
    "/konto/loeschen/",
    "/konto/zugriffe/",
    "/konto/wiederherstellungscodes/erneuern/",
]
STAFF_PAGES = [
    "/verwaltung/",
    "/verwaltung/buergerservice/",
    "/verwaltung/buergerservice/personen/neu/",
    "/verwaltung/buergerservice/konto-vertreten/",
    "/verwaltung/accounts/staffaccount/",
    "/verwaltung/accounts/accesslogentry/",
    "/verwaltung/core/auditentry/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", RESIDENT_PAGES)
def test_resident_pages_need_a_signed_in_resident(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_are_closed_to_residents(resident, path):
    resident.sign_up()
    response = resident.client.get(path)
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert "/verwaltung/" in response["Location"]
        assert resident.email not in resident.client.get(response["Location"]).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/verwaltung/buergerservice/", {Role.CASEWORKER, Role.TEAM_LEAD}),
        ("/verwaltung/accounts/staffaccount/", {Role.ADMINISTRATOR}),
        ("/verwaltung/accounts/accesslogentry/", {Role.ADMINISTRATOR, Role.DATA_STEWARD}),
        ("/verwaltung/catalog/service/", {Role.ADMINISTRATOR, Role.CATALOGUE_EDITOR}),
    ],
)
def test_each_staff_page_is_open_only_to_its_roles(path, allowed):
    for role in Role.values:
        client = Client()
        client.force_login(StaffFactory(roles=[role]))
        status = client.get(path).status_code
        assert (status == 200) == (role in allowed), (role, status)


@pytest.mark.django_db
def test_my_pages_show_only_my_data(resident, other_resident):
    mine = resident.sign_up()
    theirs = other_resident.sign_up()
    staff = StaffFactory(full_name="Nur Bei Mir")
    log_access(
        staff,
        subject_id=mine.public_id,
        record_type="Konto",
        record_id=mine.pk,
        purpose="mein Anlass",
    )
    for path in ["/konto/", "/konto/passkeys/", "/konto/zugriffe/", "/konto/daten/uebersicht/"]:
        html = other_resident.client.get(path).content.decode()
        assert resident.email not in html
        assert "mein Anlass" not in html
    export = other_resident.client.get("/konto/daten/export.json").content.decode()
    assert resident.email not in export and str(mine.public_id) not in export
    their_passkey = Passkey.objects.get(user=theirs)
    assert resident.client.get(f"/konto/passkeys/{their_passkey.pk}/entfernen/").status_code == 404


@pytest.mark.django_db
def test_the_access_log_cannot_be_changed():
    staff = StaffFactory()
    entry = log_access(
        staff, subject_id=staff.public_id, record_type="Test", record_id=1, purpose="Prüfung"
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(purpose="verfälscht")
    entry.refresh_from_db()
    assert entry.purpose == "Prüfung"


@pytest.mark.django_db
def test_young_access_log_entries_cannot_be_deleted_on_postgresql():
    staff = StaffFactory()
    entry = log_access(
        staff, subject_id=staff.public_id, record_type="Test", record_id=1, purpose="Prüfung"
    )
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            AccessLogEntry.objects.filter(pk=entry.pk).delete()
        assert AccessLogEntry.objects.filter(pk=entry.pk).exists()
        # Past the retention period the daily task may delete it.
        old = AccessLogEntry(
            staff=staff,
            staff_label="x",
            subject_id=staff.public_id,
            record_type="Test",
            record_id="2",
            purpose="alt",
            accessed_at=timezone.now() - timedelta(days=731),
        )
        old.save()
        AccessLogEntry.objects.filter(pk=old.pk).delete()
        assert not AccessLogEntry.objects.filter(pk=old.pk).exists()
    else:
        # SQLite (the embedded demo) guards only against changes (migration 0002 says why):
        # deleting works there, and only the retention task does it.
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
        assert not AccessLogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_staff_see_only_their_offices_persons(client):
    from rathaus.accounts.services import assisted

    bilk = Office.objects.get(slug="buergerbuero-bilk")
    benrath = Office.objects.get(slug="buergerbuero-benrath")
    author = StaffFactory(roles=[Role.CASEWORKER], roles__offices=[bilk])
    person = assisted.create_person(
        staff=author, office=bilk, given_name="Otto", family_name="Normal", purpose="Test"
    )
    outsider = StaffFactory(roles=[Role.CASEWORKER], roles__offices=[benrath])
    client.force_login(outsider)
    assert client.get(f"/verwaltung/buergerservice/personen/{person.public_id}/").status_code == 404
    editor = StaffFactory(roles=[Role.CATALOGUE_EDITOR], roles__offices=[bilk])
    client.force_login(editor)
    assert client.get(f"/verwaltung/buergerservice/personen/{person.public_id}/").status_code == 403
