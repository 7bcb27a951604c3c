import pytest

from rathaus.accounts.models import Role
from rathaus.catalog import search
from rathaus.catalog.models import Service
from rathaus.core.models import AuditEntry
from tests.factories import StaffFactory, UserFactory


def admin_form(service: Service, **changes) -> dict:
    """The change form of a service as the browser would send it back."""
    data = {
        "title": service.title,
        "slug": service.slug,
        "leika": service.leika,
        "topic": service.topic_id or "",
        "office": service.office_id,
        "is_published": "on" if service.is_published else "",
        "summary": service.summary,
        "description": service.description,
        "easy_language": service.easy_language,
        "audience": service.audience,
        "required_documents": service.required_documents,
        "fee_amount": service.fee_amount if service.fee_amount is not None else "",
        "fee_note": service.fee_note,
        "processing_time": service.processing_time,
        "target_days": service.target_days,
        "retention_days": service.retention_days,
        "legal_basis": service.legal_basis,
        "keywords": service.keywords,
        "synonyms": service.synonyms,
        "popularity": service.popularity,
        "requires_strong_auth": "on" if service.requires_strong_auth else "",
        "last_reviewed": service.last_reviewed.isoformat() if service.last_reviewed else "",
    }
    channels = list(service.channels.all())
    data.update(
        {
            "channels-TOTAL_FORMS": len(channels),
            "channels-INITIAL_FORMS": len(channels),
            "channels-MIN_NUM_FORMS": 0,
            "channels-MAX_NUM_FORMS": 1000,
            "lifesituationservice_set-TOTAL_FORMS": 0,
            "lifesituationservice_set-INITIAL_FORMS": 0,
            "lifesituationservice_set-MIN_NUM_FORMS": 0,
            "lifesituationservice_set-MAX_NUM_FORMS": 1000,
        }
    )
    for i, channel in enumerate(channels):
        data.update(
            {
                f"channels-{i}-id": channel.pk,
                f"channels-{i}-service": service.pk,
                f"channels-{i}-kind": channel.kind,
                f"channels-{i}-label": channel.label,
                f"channels-{i}-url": channel.url,
                f"channels-{i}-note": channel.note,
                f"channels-{i}-position": channel.position,
            }
        )
    # Existing life-situation links are kept by not sending their forms.
    data["lifesituationservice_set-TOTAL_FORMS"] = service.lifesituationservice_set.count()
    data["lifesituationservice_set-INITIAL_FORMS"] = service.lifesituationservice_set.count()
    for i, link in enumerate(service.lifesituationservice_set.all()):
        data.update(
            {
                f"lifesituationservice_set-{i}-id": link.pk,
                f"lifesituationservice_set-{i}-service": service.pk,
                f"lifesituationservice_set-{i}-life_situation": link.life_situation_id,
                f"lifesituationservice_set-{i}-position": link.position,
            }
        )
    data.update(changes)
    return data


@pytest.mark.django_db
def test_editing_a_service_records_who_changed_what_and_reindexes(client):
    staff = StaffFactory(full_name="Sabine Schmitz", staff_number="S-4711")
    client.force_login(staff)
    service = Service.objects.get(slug="hundesteuer-anmelden")
    old_title = service.title
    url = f"/verwaltung/catalog/service/{service.pk}/change/"
    response = client.post(url, admin_form(service, title="Hundesteuer anmelden (Bello-Edition)"))
    assert response.status_code == 302, response.content.decode()[:3000]

    entry = AuditEntry.objects.get(action="rathaus.catalog.service.changed")
    assert entry.actor_label == "Sabine Schmitz (S-4711)"
    assert entry.changes == {"title": [old_title, "Hundesteuer anmelden (Bello-Edition)"]}
    hits = search.search("Bello").hits
    assert [h.service.slug for h in hits] == ["hundesteuer-anmelden"]

    history = client.get(f"/verwaltung/catalog/service/{service.pk}/history/").content.decode()
    assert "Sabine Schmitz" in history and "Bello-Edition" in history and old_title in history


@pytest.mark.django_db
def test_saving_without_changes_writes_no_history(client):
    client.force_login(StaffFactory())
    service = Service.objects.get(slug="hundesteuer-anmelden")
    client.post(f"/verwaltung/catalog/service/{service.pk}/change/", admin_form(service))
    assert not AuditEntry.objects.filter(action__startswith="rathaus.catalog.service").exists()


@pytest.mark.django_db
def test_residents_cannot_enter_the_back_office(client):
    client.force_login(UserFactory())
    response = client.get("/verwaltung/catalog/service/")
    assert response.status_code == 302
    assert "/verwaltung/anmelden/" in client.get(response["Location"])["Location"]


@pytest.mark.django_db
def test_staff_without_the_editor_role_cannot_edit_the_catalogue(client):
    client.force_login(StaffFactory(roles=[Role.CASEWORKER]))
    service = Service.objects.get(slug="hundesteuer-anmelden")
    assert client.get(f"/verwaltung/catalog/service/{service.pk}/change/").status_code == 403
    response = client.post(
        f"/verwaltung/catalog/service/{service.pk}/change/", admin_form(service, title="Gehackt")
    )
    assert response.status_code == 403
    service.refresh_from_db()
    assert service.title != "Gehackt"


@pytest.mark.django_db
def test_audit_entries_cannot_be_edited_in_the_back_office(client):
    client.force_login(StaffFactory())
    entry = AuditEntry.objects.create(action="rathaus.test", actor_label="x")
    response = client.post(f"/verwaltung/core/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
