"""Retention: closed cases are deleted when their period ends; old drafts disappear."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from rathaus.core import audit
from rathaus.core.periodic import daily

from ..models import Application


@transaction.atomic
def apply_retention(today=None) -> dict[str, int]:
    """Delete closed cases past ``retain_until`` (files and documents with them) and drafts
    older than DRAFT_RETENTION_DAYS. Returns what was done; the audit trail keeps it."""
    today = today or timezone.localdate()
    now = timezone.now()
    expired = Application.objects.filter(retain_until__lt=today)
    references = list(expired.values_list("reference", flat=True))
    for application in expired.prefetch_related("files", "documents"):
        for stored in [*application.files.all(), *application.documents.all()]:
            stored.file.delete(save=False)
    cases = expired.delete()[1].get("applications.Application", 0)
    drafts = Application.objects.filter(status=Application.Status.DRAFT, draft_expires_at__lt=now)
    for application in drafts.prefetch_related("files"):
        for stored in application.files.all():
            stored.file.delete(save=False)
    draft_count = drafts.delete()[1].get("applications.Application", 0)
    result = {"cases_deleted": cases, "drafts_deleted": draft_count}
    audit.record(
        "rathaus.applications.retention.applied", data={**result, "references": references}
    )
    return result


@daily
@task()
def retention_daily() -> dict[str, int]:
    return apply_retention()
