"""Residents and caseworkers working through real forms (the demo forms of the Düsseldorf city)."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rathaus.accounts.models import Role
from rathaus.accounts.services.sessions import SIGNED_IN_AT, VERIFIED_AT
from rathaus.applications.demo.filler import TINY_PDF, answers_for
from rathaus.applications.models import Application
from rathaus.catalog.models import Service
from rathaus.offices.models import Office
from tests.factories import StaffFactory, UserFactory

DACH = "foerderung-dachbegruenung"


def verified_client(user) -> Client:
    """A browser signed in as ``user`` whose passkey confirmed it just now (step-up done)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[VERIFIED_AT] = session[SIGNED_IN_AT] = time.time()
    session.save()
    client.user = user
    return client


def pdf_upload(name: str = "nachweis.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, TINY_PDF, content_type="application/pdf")


def page_data(application: Application, index: int, **overrides) -> dict:
    """What a browser posts for one page: the filler's answers, the version, required files."""
    schema = application.form.schema
    answers = answers_for(schema)
    page = schema["pages"][index]
    names = set()
    for spec in page["fields"]:
        key = spec["key"]
        names |= {
            n for n in answers if n == key or n.startswith(f"{key}__") or n.startswith(f"{key}-")
        }
    data = {name: answers[name] for name in names}
    data["formular_version"] = str(application.form.version)
    data["_aktion"] = "weiter"
    for spec in page["fields"]:
        if (
            spec["type"] == "file"
            and spec.get("required")
            and not application.answers.get(spec["key"])
        ):
            data[spec["key"]] = pdf_upload(f"{spec['key']}.pdf")
    data.update(overrides)
    return data


def fill_all_pages(client: Client, application: Application) -> None:
    for index in range(len(application.form.schema["pages"])):
        application.refresh_from_db()
        response = client.post(
            f"/antraege/{application.public_id}/seite/{index + 1}/", page_data(application, index)
        )
        assert response.status_code == 302, response.content.decode()[-3000:]


def start_application(client: Client, slug: str = DACH) -> Application:
    response = client.post(f"/antraege/neu/{slug}/")
    assert response.status_code == 302
    return Application.objects.filter(applicant=client.user).latest("created_at")


@pytest.fixture
def resident_client():
    return verified_client(UserFactory(email="erika@beispiel.de"))


@pytest.fixture
def other_client():
    return verified_client(UserFactory(email="fremd@beispiel.de"))


@pytest.fixture
def dach_service():
    return Service.objects.get(slug=DACH)


@pytest.fixture
def caseworker(dach_service):
    return StaffFactory(
        full_name="Lea Grün",
        staff_number="S-0404",
        roles=[Role.CASEWORKER],
        roles__offices=[dach_service.office],
    )


@pytest.fixture
def caseworker_client(caseworker):
    client = Client()
    client.force_login(caseworker)
    client.user = caseworker
    return client


@pytest.fixture
def stranger_staff_client():
    """A caseworker of an office that has nothing to do with the Umweltamt."""
    office = Office.objects.get(slug="buergerbuero-benrath")
    client = Client()
    client.force_login(
        StaffFactory(roles=[Role.CASEWORKER, Role.TEAM_LEAD], roles__offices=[office])
    )
    return client


@pytest.fixture
def submitted(resident_client, mail_dir, django_capture_on_commit_callbacks):
    """A Dachbegrünung application submitted online, receipt made and mailed."""
    application = start_application(resident_client)
    fill_all_pages(resident_client, application)
    with django_capture_on_commit_callbacks(execute=True):
        response = resident_client.post(
            f"/antraege/{application.public_id}/pruefen/", {"confirm": "on"}
        )
    assert response.status_code == 302, response.content.decode()[-3000:]
    application.refresh_from_db()
    return application
