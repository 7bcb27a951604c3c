"""Editors saving one record at the same moment through real servers: each save becomes its
own version, numbered without gaps, each in the log, none lost to an error."""

import json

import pytest
from django.test import Client

from rathaus.accounts.models import Role
from rathaus.ledger.models import Entry, Pending
from rathaus.offices.models import Office
from rathaus.register import services
from rathaus.register.models import Record
from tests.concurrency import Browser, at_once
from tests.factories import StaffFactory
from tests.support import app_servers

from .conftest import form_data

EDITORS = 6


@pytest.mark.django_db(transaction=True)
def test_editors_saving_at_once_each_get_their_own_version():
    office = Office.objects.create(slug="test-amt", name="Testamt", kind=Office.Kind.AUTHORITY)
    record = Record.objects.create(office=office, **form_data())
    services.publish(record, by=None, reason="Erste Veröffentlichung")
    editors = []
    for n in range(EDITORS):
        client = Client()
        client.force_login(
            StaffFactory(
                email=f"register{n}@beispiel.de", roles=[Role.DATA_STEWARD], roles__offices=[office]
            )
        )
        editors.append(client)
    page = f"/algorithmen/verwalten/{record.slug}/"

    def save(base: str, client: Client, n: int):
        def prepare():
            browser = Browser(base, signed_in_as=client)
            token = browser.csrf(page)
            data = form_data(office=office.pk, risks=f"Bewertung {n}", reason=f"Prüfung {n}")
            data.pop("slug")
            return lambda: browser.post(page, {**data, "aktion": "speichern"}, token=token)

        return prepare

    with app_servers(2, workers=2, env={"GUNICORN_CMD_ARGS": "--threads 4"}) as bases:
        answers = at_once([save(bases[n % 2], client, n) for n, client in enumerate(editors)])

    assert all(a.status == 302 for a in answers), [(a.status, a.body[:300]) for a in answers]
    numbers = sorted(record.versions.values_list("number", flat=True))
    assert numbers == list(range(1, EDITORS + 2))
    reasons = set(record.versions.exclude(number=1).values_list("reason", flat=True))
    assert reasons == {f"Prüfung {n}" for n in range(EDITORS)}
    prefix = f"algorithmen/{record.slug}/"
    logged = {
        *Pending.objects.filter(reference__startswith=prefix).values_list("reference", flat=True),
        *Entry.objects.filter(reference__startswith=prefix).values_list("reference", flat=True),
    }
    assert logged == {f"{prefix}fassung-{n}" for n in range(1, EDITORS + 2)}
    record.refresh_from_db()
    assert record.current.number == EDITORS + 1
    # The current version says what the record says: no save slipped past its version.
    assert json.loads(record.current.document)["risks"] == record.risks
