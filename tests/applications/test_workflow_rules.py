"""The workflow's rules hold in the service, whichever channel asks: "entschieden" only with a
Bescheid, a Rückfrage only with a question – and a question may be asked right away."""

import pytest

from rathaus.applications.models import Application, Decision
from rathaus.applications.services import cases, decisions


def status_of(application: Application) -> str:
    application.refresh_from_db()
    return application.status


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["received", "in_progress"])
def test_the_status_form_cannot_decide_a_case(submitted, caseworker_client, start):
    url = f"/verwaltung/vorgaenge/{submitted.public_id}/"
    if start == "in_progress":
        caseworker_client.post(url + "status/", {"status": "in_progress"})
    response = caseworker_client.post(url + "status/", {"status": "decided"}, follow=True)
    assert "mit einem Bescheid" in response.content.decode()
    assert status_of(submitted) == start
    assert not Decision.objects.filter(application=submitted).exists()


@pytest.mark.django_db
def test_the_service_cannot_decide_a_case_without_a_bescheid(submitted, caseworker):
    cases.change_status(submitted, Application.Status.IN_PROGRESS, by=caseworker)
    with pytest.raises(cases.CaseError, match="Bescheid"):
        cases.change_status(submitted, Application.Status.DECIDED, by=caseworker)
    assert status_of(submitted) == Application.Status.IN_PROGRESS


@pytest.mark.django_db
def test_a_bescheid_decides_the_case(submitted, caseworker):
    decisions.decide(
        submitted,
        kind="approval",
        amount=None,
        reasoning="Alles vollständig.",
        legal_remedy=decisions.LEGAL_REMEDY,
        by=caseworker,
    )
    assert status_of(submitted) == Application.Status.DECIDED


@pytest.mark.django_db
def test_the_status_form_cannot_set_a_query_without_a_question(submitted, caseworker_client):
    url = f"/verwaltung/vorgaenge/{submitted.public_id}/"
    caseworker_client.post(url + "status/", {"status": "query"})
    assert status_of(submitted) == Application.Status.RECEIVED


@pytest.mark.django_db
def test_a_question_can_be_asked_as_soon_as_the_case_arrives(
    submitted, caseworker_client, mail_dir, django_capture_on_commit_callbacks
):
    assert submitted.status == Application.Status.RECEIVED
    with django_capture_on_commit_callbacks(execute=True):
        response = caseworker_client.post(
            f"/verwaltung/vorgaenge/{submitted.public_id}/rueckfrage/",
            {"text": "Bitte reichen Sie den Lageplan nach."},
        )
    assert response.status_code == 302
    assert status_of(submitted) == Application.Status.QUERY
    assert submitted.questions.get().text == "Bitte reichen Sie den Lageplan nach."
    assert any("Rückfrage" in p.read_text() for p in mail_dir.iterdir())


@pytest.mark.django_db
def test_the_case_page_offers_the_question_right_away(submitted, caseworker_client):
    html = caseworker_client.get(f"/verwaltung/vorgaenge/{submitted.public_id}/").content.decode()
    assert f"/verwaltung/vorgaenge/{submitted.public_id}/rueckfrage/" in html
    assert 'name="status" value="decided"' not in html
    assert 'name="status" value="query"' not in html


@pytest.mark.django_db
def test_no_mail_goes_out_for_a_question_that_was_not_stored(
    submitted, caseworker, mail_dir, django_capture_on_commit_callbacks
):
    cases.withdraw(submitted, by=submitted.applicant)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(cases.CaseError):
        cases.ask(submitted, "Noch eine Frage?", by=caseworker)
    assert not submitted.questions.exists()
    assert not any("Rückfrage" in p.read_text() for p in mail_dir.iterdir())
