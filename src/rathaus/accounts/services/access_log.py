"""The staff access log: every read of a resident's personal data by staff, append-only."""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from rathaus.offices.models import Office

from .. import policy
from ..models import AccessLogEntry, User


def log_access(
    staff: User, *, subject_id: uuid.UUID, record_type: str, record_id: object, purpose: str
) -> AccessLogEntry:
    """Record that ``staff`` read personal data of ``subject_id`` (an account or a person)."""
    return log_accesses(staff, [(subject_id, record_type, record_id)], purpose=purpose)[0]


def log_accesses(
    staff: User, records: list[tuple[uuid.UUID, str, object]], *, purpose: str
) -> list[AccessLogEntry]:
    """The same for several records read at once (a list page): one insert."""
    if not records:
        return []
    offices = policy.office_ids(staff)
    office_label = ", ".join(Office.objects.filter(pk__in=offices).values_list("name", flat=True))
    return AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            staff=staff,
            staff_label=staff.audit_label[:200],
            office_label=office_label[:200],
            subject_id=subject_id,
            record_type=record_type[:100],
            record_id=str(record_id)[:64],
            purpose=purpose[:300],
        )
        for subject_id, record_type, record_id in records
    )


def subject_ids(user: User) -> list[uuid.UUID]:
    """The pseudonymous ids under which staff may have read this person's data."""
    ids = [user.public_id]
    person = getattr(user, "person", None)  # the counter record this account grew from
    if person is not None:
        ids.append(person.public_id)
    return ids


def entries_for(user: User) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(Q(subject_id__in=subject_ids(user)))


def retention_end(accessed_at_date: date) -> date:
    return accessed_at_date + timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
