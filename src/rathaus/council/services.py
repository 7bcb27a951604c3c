"""Council records: what the public pages show, storing a document, and withdrawing a
record so that OParl clients learn of it.

OParl (1.1, "Gelöschte Objekte") forbids removing an object: it keeps its URL and says
``deleted``, with ``modified`` set to the moment of withdrawal. Objects that the API shows
inside others (an agenda item inside its meeting, a membership inside its person, a
consultation inside its paper) also change the ``modified`` of that outer object, so a
client that asks for what changed since yesterday fetches the meeting again.
"""

import hashlib
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Case, Prefetch, Q, QuerySet, When
from django.utils import timezone

from rathaus.core import audit, pdf

from .models import (
    AgendaItem,
    Consultation,
    File,
    Meeting,
    Membership,
    Organization,
    Paper,
    Person,
    Record,
)

__all__ = [
    "agenda",
    "boards",
    "current_members",
    "meetings",
    "papers",
    "store_file",
    "touch_outer",
    "upcoming",
    "withdraw",
]


def _outer(record: Record) -> list[Record]:
    """The objects the API shows ``record`` inside of."""
    if isinstance(record, AgendaItem):
        return [record.meeting]
    if isinstance(record, Membership):
        return [record.person]
    if isinstance(record, Consultation):
        return [record.paper]
    return []


def touch_outer(record: Record) -> None:
    """Mark the objects that embed ``record`` as changed now."""
    for outer in _outer(record):
        type(outer).objects.filter(pk=outer.pk).update(modified_at=timezone.now())


@transaction.atomic
def withdraw(record: Record, *, by=None) -> None:
    """Withdraw ``record`` from the public: gone from the pages, ``deleted`` in the API."""
    record.deleted = True
    record.save(update_fields=["deleted", "modified_at"])
    touch_outer(record)
    audit.record(f"rathaus.council.{record._meta.model_name}.withdrawn", actor=by, target=record)


def store_file(file: File, data: bytes) -> File:
    """Keep ``data`` as the content of ``file`` with its size, SHA-512 checksum and the
    PDF/A level it declares."""
    file.size = len(data)
    file.sha512 = hashlib.sha512(data).hexdigest()
    file.archival = pdf.archival_level(data) if file.mime_type == "application/pdf" else ""
    file.content.save(file.file_name, ContentFile(data), save=False)
    file.save()
    return file


# --- What the public pages show ------------------------------------------------------------


def boards() -> QuerySet[Organization]:
    """The council and its committees and district representations (not the factions)."""
    return Organization.objects.filter(
        deleted=False, organization_type=Organization.Type.BOARD
    ).order_by("pk")


def current_members(organization: Organization, today: date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    return (
        Membership.objects.filter(organization=organization, deleted=False, person__deleted=False)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person", "on_behalf_of")
        .annotate(
            rank=Case(
                When(role="Vorsitz", then=0), When(role__startswith="stellv", then=1), default=2
            )
        )
        .order_by("rank", "-voting_right", "person__family_name", "person__given_name")
    )


def meetings(organization: Organization | None = None) -> QuerySet[Meeting]:
    found = Meeting.objects.filter(deleted=False).prefetch_related(
        Prefetch("organizations", Organization.objects.filter(deleted=False))
    )
    if organization is not None:
        found = found.filter(organizations=organization)
    return found.select_related("location").order_by("start", "pk")


def upcoming(now: datetime | None = None, organization: Organization | None = None):
    """Meetings from the start of today in the city's time on (today's count as upcoming)."""
    today = timezone.localtime(now or timezone.now())
    return meetings(organization).filter(
        start__gte=today.replace(hour=0, minute=0, second=0, microsecond=0)
    )


def agenda(meeting: Meeting) -> QuerySet[AgendaItem]:
    """The agenda in order, each item with its paper (through the consultation)."""
    return (
        AgendaItem.objects.filter(meeting=meeting, deleted=False)
        .select_related("consultation__paper", "resolution_file")
        .order_by("order")
    )


def papers(*, words: str = "", paper_type: str = "", year: int | None = None):
    found = Paper.objects.filter(deleted=False)
    for word in words.split()[:8]:
        found = found.filter(Q(name__icontains=word) | Q(reference__icontains=word))
    if paper_type:
        found = found.filter(paper_type=paper_type)
    if year:
        found = found.filter(date__year=year)
    return found.prefetch_related(
        Prefetch("originator_organizations", Organization.objects.filter(deleted=False)),
        Prefetch("originator_persons", Person.objects.filter(deleted=False)),
    ).order_by("-date", "-pk")
