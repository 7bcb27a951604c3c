"""Another resident, or staff of another office, see nothing of a case."""

import pytest

from rathaus.applications.models import Application


def resident_urls(application: Application) -> list[str]:
    base = f"/antraege/{application.public_id}/"
    file = application.files.first()
    document = application.documents.first()
    urls = [
        base,
        base + "eingereicht/",
        base + "formular.pdf",
        base + "seite/1/",
        base + "pruefen/",
    ]
    if file:
        urls.append(base + f"dateien/{file.pk}/")
    if document:
        urls.append(base + f"dokumente/{document.pk}/")
    return urls


@pytest.mark.django_db
def test_another_resident_gets_404_everywhere(submitted, other_client):
    for url in resident_urls(submitted):
        assert other_client.get(url).status_code == 404, url
    assert other_client.post(f"/antraege/{submitted.public_id}/zurueckziehen/").status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.RECEIVED
    assert submitted.reference not in other_client.get("/antraege/").content.decode()


@pytest.mark.django_db
def test_staff_of_another_office_get_404_and_no_log_entry(submitted, stranger_staff_client):
    from rathaus.accounts.models import AccessLogEntry

    base = f"/verwaltung/vorgaenge/{submitted.public_id}/"
    for url in [
        base,
        base + f"dateien/{submitted.files.first().pk}/",
        base + f"dokumente/{submitted.documents.first().pk}/",
    ]:
        assert stranger_staff_client.get(url).status_code == 404, url
    for url in [
        base + "status/",
        base + "notiz/",
        base + "rueckfrage/",
        base + "bescheid/",
        base + "zuweisen/",
    ]:
        assert (
            stranger_staff_client.post(url, {"status": "in_progress", "text": "x"}).status_code
            == 404
        ), url
    assert (
        submitted.reference
        not in stranger_staff_client.get("/verwaltung/vorgaenge/").content.decode()
    )
    assert not AccessLogEntry.objects.filter(subject_id=submitted.applicant.public_id).exists()


@pytest.mark.django_db
def test_residents_do_not_reach_the_case_pages(submitted, resident_client):
    response = resident_client.get(f"/verwaltung/vorgaenge/{submitted.public_id}/")
    assert response.status_code == 302
    assert "/verwaltung/anmelden/" in response["Location"]


@pytest.mark.django_db
def test_files_are_served_privately_and_sandboxed(submitted, resident_client):
    file = submitted.files.first()
    response = resident_client.get(f"/antraege/{submitted.public_id}/dateien/{file.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert not str(file.file.path).startswith(
        str(__import__("django.conf", fromlist=["settings"]).settings.STATIC_ROOT)
    )
