"""Submissions race through real servers: parallel submissions get consecutive reference
numbers without a gap, and a draft submitted and discarded at the same moment is either a
case with all its files or gone with all its files – never a case without files.

Each test has a control run with its guard switched off: on PostgreSQL it shows the race
the guard prevents; on SQLite write transactions run one at a time anyway
(``transaction_mode = IMMEDIATE``), so there the run without the guard holds as well, and
the test says so.
"""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from rathaus.applications.demo import FORMS
from rathaus.applications.demo.filler import TINY_PDF, answers_for
from rathaus.applications.formdef.schema import schema_to_draft
from rathaus.applications.models import Application, FormDraft, ReferenceCounter, StoredFile
from rathaus.applications.services import drafts, numbering
from rathaus.applications.services import forms as form_service
from tests.concurrency import Answer, Browser, at_once, guards_off
from tests.factories import ServiceFactory, UserFactory
from tests.support import app_servers

from .conftest import verified_client

# The residents' pages send other hosts to the passkey host; the servers run on 127.0.0.1.
SERVERS = {"WEBAUTHN_RP_ID": "127.0.0.1"}


def service_with_form():
    """A service with the Dachbegrünung form (required uploads included), version 1."""
    service = ServiceFactory(slug="wettlauf-antrag", requires_strong_auth=False)
    draft = FormDraft.objects.create(service=service)
    path = FORMS / "foerderung-dachbegruenung.json"
    schema_to_draft(json.loads(path.read_text(encoding="utf-8")), draft)
    form_service.publish(draft, by=None)
    return service


def draft_with_files(service, number: int):
    """A complete draft of a resident of its own, its required files uploaded; and the
    resident's signed-in test client."""
    client = verified_client(UserFactory(email=f"antrag{number}@beispiel.de"))
    application = drafts.start(service, applicant=client.user)
    drafts.save_answers(application, answers_for(application.form.schema))
    for key, spec in drafts.schema_of(application).file_specs().items():
        if spec.get("required"):
            upload = SimpleUploadedFile(f"{key}.pdf", TINY_PDF, content_type="application/pdf")
            drafts.attach_files(application, key, [upload], spec=spec, by=client.user)
    assert application.files.exists()
    return application, client


def submitting(base: str, application: Application, client):
    review = f"/antraege/{application.public_id}/pruefen/"

    def prepare():
        browser = Browser(base, signed_in_as=client)
        token = browser.csrf(review)
        return lambda: browser.post(review, {"confirm": "on"}, token=token)

    return prepare


def discarding(base: str, application: Application, client):
    def prepare():
        browser = Browser(base, signed_in_as=client)
        token = browser.csrf(f"/antraege/{application.public_id}/pruefen/")
        path = f"/antraege/{application.public_id}/verwerfen/"
        return lambda: browser.post(path, {}, token=token)

    return prepare


SUBMISSIONS = 20


def submit_all_at_once(**env: str) -> tuple[list[Answer], int]:
    service = service_with_form()
    ready = [draft_with_files(service, n) for n in range(SUBMISSIONS)]
    year = timezone.localdate().year
    before = ReferenceCounter.objects.filter(year=year).values_list("last", flat=True).first()
    with app_servers(2, workers=2, env={**SERVERS, **env}) as bases:
        answers = at_once(
            [submitting(bases[n % 2], app, client) for n, (app, client) in enumerate(ready)]
        )
    return answers, before or 0


def numbers() -> list[int]:
    """This year's reference numbers (each year counts on its own, e.g. the demo's archive)."""
    year = timezone.localdate().year
    references = Application.objects.filter(reference__contains=f"-{year}-").values_list(
        "reference", flat=True
    )
    return sorted(int(reference.rsplit("-", 1)[1]) for reference in references)


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_get_consecutive_reference_numbers_without_a_gap():
    answers, before = submit_all_at_once(**{"GUNICORN_CMD_ARGS": "--threads 8"})
    assert [a.status for a in answers] == [302] * SUBMISSIONS, [a.status for a in answers]
    given = [n for n in numbers() if n > before]
    assert given == list(range(before + 1, before + SUBMISSIONS + 1))
    year = timezone.localdate().year
    assert ReferenceCounter.objects.get(year=year).last == before + SUBMISSIONS


@pytest.mark.django_db(transaction=True)
def test_without_the_counter_lock_parallel_submissions_collide():
    """Control run: without the row lock two submissions read the same last number; the
    second one's reference is refused by the unique index, so not every submission gets
    through (PostgreSQL). On SQLite one write transaction at a time keeps them in line."""
    answers, before = submit_all_at_once(
        **guards_off(numbering.GUARD), **{"GUNICORN_CMD_ARGS": "--threads 8"}
    )
    through = [a.status for a in answers].count(302)
    print(f"control run on {connection.vendor}: {through} of {SUBMISSIONS} submissions through")
    if connection.vendor == "postgresql":
        assert through < SUBMISSIONS
    else:
        assert through == SUBMISSIONS
        assert numbers()[-SUBMISSIONS:] == list(range(before + 1, before + SUBMISSIONS + 1))


PAIRS = 10


@pytest.mark.django_db(transaction=True)
def test_a_draft_submitted_and_discarded_at_once_is_never_a_case_without_files(settings):
    service = service_with_form()
    ready = [draft_with_files(service, n) for n in range(PAIRS)]
    files = {
        app.pk: [Path(settings.MEDIA_ROOT) / f.file.name for f in app.files.all()]
        for app, _ in ready
    }
    jobs = []
    with app_servers(2, workers=2, env={**SERVERS, "GUNICORN_CMD_ARGS": "--threads 4"}) as bases:
        for n, (application, client) in enumerate(ready):
            jobs.append(submitting(bases[n % 2], application, client))
            jobs.append(discarding(bases[(n + 1) % 2], application, client))
        answers = at_once(jobs)
    assert not [a for a in answers if a.status >= 500], [a.status for a in answers]
    outcomes = []
    for application, _ in ready:
        case = Application.objects.filter(pk=application.pk).first()
        on_disk = [path.exists() for path in files[application.pk]]
        if case is None:
            assert not any(on_disk), "a discarded draft left files behind"
            assert not StoredFile.objects.filter(application_id=application.pk).exists()
            outcomes.append("verworfen")
        else:
            assert case.status == Application.Status.RECEIVED and case.reference
            assert all(on_disk), f"{case.reference} lost its files"
            assert case.files.count() == len(on_disk)
            outcomes.append("eingereicht")
    print("submit vs. discard:", {o: outcomes.count(o) for o in set(outcomes)})
