import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from rathaus.accounts.models import Role
from rathaus.accounts.services import assisted
from rathaus.applications.models import Application, StoredFile
from rathaus.applications.services import cases
from rathaus.applications.services.retention import apply_retention
from rathaus.core.channels import Channel
from rathaus.core.models import AuditEntry
from tests.factories import PersonFactory, StaffFactory

from .conftest import page_data, pdf_upload


@pytest.fixture
def counter_client(client, dach_service):
    staff = StaffFactory(
        full_name="Kai Schalter", roles=[Role.CASEWORKER], roles__offices=[dach_service.office]
    )
    client.force_login(staff)
    client.user = staff
    return client


@pytest.mark.django_db
def test_a_paper_application_becomes_the_same_kind_of_case(counter_client, dach_service):
    person = assisted.create_person(
        staff=counter_client.user,
        office=dach_service.office,
        given_name="Erika",
        family_name="Papier",
        street="Musterweg 7",
        postcode="40225",
        city="Düsseldorf",
        purpose="Papierantrag Dachbegrünung",
    )
    counter_client.post(
        f"/verwaltung/buergerservice/personen/{person.public_id}/vertreten/", {"channel": "paper"}
    )
    response = counter_client.post(
        "/verwaltung/vorgaenge/erfassen/", {"leistung": "foerderung-dachbegruenung"}
    )
    application = Application.objects.get(person=person)
    assert (
        response["Location"] == f"/verwaltung/vorgaenge/erfassen/{application.public_id}/seite/1/"
    )
    for index in range(len(application.form.schema["pages"])):
        application.refresh_from_db()
        counter_client.post(
            f"/verwaltung/vorgaenge/erfassen/{application.public_id}/seite/{index + 1}/",
            page_data(application, index),
        )
    received = (timezone.localdate() - timedelta(days=3)).strftime("%d.%m.%Y")
    bad = counter_client.post(
        f"/verwaltung/vorgaenge/erfassen/{application.public_id}/pruefen/",
        {"received_on": "gestern", "channel": "paper"},
    )
    assert "Bitte geben Sie das Datum so ein" in bad.content.decode()
    counter_client.post(
        f"/verwaltung/vorgaenge/erfassen/{application.public_id}/pruefen/",
        {"received_on": received, "channel": "paper"},
    )
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED
    assert application.channel == Channel.PAPER
    assert application.received_on == timezone.localdate() - timedelta(days=3)
    assert application.on_behalf.person == person
    assert application.entered_by == counter_client.user
    counter_client.post(
        f"/verwaltung/vorgaenge/{application.public_id}/scans/",
        {"dateien": [pdf_upload("scan-1.pdf"), pdf_upload("scan-2.pdf")]},
    )
    assert StoredFile.objects.filter(application=application, field_key="_scan").count() == 2
    case = counter_client.get(f"/verwaltung/vorgaenge/{application.public_id}/").content.decode()
    assert "Post" in case and "Scan" in case


@pytest.mark.django_db
def test_the_bescheid_for_a_paper_case_has_the_address_window(counter_client, dach_service):
    from rathaus.applications.demo import sample_application
    from rathaus.applications.services import decisions

    person = PersonFactory(
        given_name="Otto",
        family_name="Brief",
        street="Kölner Straße 5",
        postcode="40211",
        office=dach_service.office,
        created_by=counter_client.user,
    )
    application = sample_application(dach_service, None, by=counter_client.user)
    Application.objects.filter(pk=application.pk).update(person=person)
    application.refresh_from_db()
    decisions.decide(
        application,
        kind="approval",
        amount=None,
        reasoning="Passt.",
        legal_remedy="Klage.",
        by=counter_client.user,
    )
    document = application.documents.get(kind="decision")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(document.file.read())).pages)
    assert "Otto Brief" in text and "Kölner Straße 5" in text and "40211 Düsseldorf" in text


@pytest.mark.django_db
def test_retention_deletes_closed_cases_after_their_period_and_old_drafts(
    submitted, resident_client
):
    draft = Application.objects.create(
        service=submitted.service,
        form=submitted.form,
        applicant=submitted.applicant,
        draft_expires_at=timezone.now() - timedelta(days=1),
    )
    fresh_draft = Application.objects.create(
        service=submitted.service,
        form=submitted.form,
        applicant=submitted.applicant,
        draft_expires_at=timezone.now() + timedelta(days=10),
    )
    caseworker = StaffFactory(roles=[Role.CASEWORKER], roles__offices=[submitted.office])
    cases.change_status(submitted, Application.Status.IN_PROGRESS, by=caseworker)
    cases.change_status(submitted, Application.Status.WITHDRAWN, by=caseworker)
    submitted.refresh_from_db()
    files = [f.file.path for f in submitted.files.all()] + [
        d.file.path for d in submitted.documents.all()
    ]
    assert apply_retention(today=submitted.retain_until) == {
        "cases_deleted": 0,
        "drafts_deleted": 1,
    }
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert Application.objects.filter(pk=fresh_draft.pk).exists()
    result = apply_retention(today=submitted.retain_until + timedelta(days=1))
    assert result["cases_deleted"] == 1
    assert not Application.objects.filter(pk=submitted.pk).exists()
    assert not any(__import__("os").path.exists(path) for path in files)
    entry = AuditEntry.objects.filter(action="rathaus.applications.retention.applied").latest(
        "created_at"
    )
    assert submitted.reference in entry.data["references"]


@pytest.mark.django_db
def test_retention_period_comes_from_the_service(submitted):
    caseworker = StaffFactory(roles=[Role.CASEWORKER], roles__offices=[submitted.office])
    submitted.service.retention_days = 365
    submitted.service.save()
    cases.withdraw(submitted, by=caseworker)
    submitted.refresh_from_db()
    assert submitted.retain_until == (timezone.now() + timedelta(days=365)).date()
    assert isinstance(submitted.retain_until, date)
