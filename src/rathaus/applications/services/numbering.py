"""Reference numbers (Aktenzeichen): DUS-2026-000123, gap-free per year across all servers.

Gap-free because the number is taken inside the submission's transaction under the row
lock of the year's counter: a submission that fails gives its number back with the
rollback, and parallel submissions wait for each other (at most ``LOCK_TIMEOUT_MS``).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rathaus.core.locking import for_update

from ..models import ReferenceCounter

GUARD = "applications.reference_counter"


def next_reference() -> str:
    """The next number of this year (call it in the transaction that stores it)."""
    year = timezone.localdate().year
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(year=year)
        counter = for_update(ReferenceCounter.objects.filter(year=year), guard=GUARD).get()
        counter.last += 1
        counter.save(update_fields=["last"])
    return _format(year, counter.last)


def _format(year: int, number: int) -> str:
    return f"{settings.CASE_REFERENCE_PREFIX}-{year}-{number:06d}"


def with_number(number: int) -> list[str]:
    """Every reference that has ``number``, one per year that gave out numbers: staff type
    "123" and find DUS-2026-000123 through the unique index, not a scan for a suffix."""
    years = ReferenceCounter.objects.values_list("year", flat=True)
    return [_format(year, number) for year in years]
