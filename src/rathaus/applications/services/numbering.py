"""Reference numbers (Aktenzeichen): DUS-2026-000123, gap-free per year across all servers."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import ReferenceCounter


def next_reference() -> str:
    """The next number of this year; the row update serialises parallel submissions."""
    year = timezone.localdate().year
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(year=year)
        ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
        number = ReferenceCounter.objects.get(year=year).last
    return _format(year, number)


def _format(year: int, number: int) -> str:
    return f"{settings.CASE_REFERENCE_PREFIX}-{year}-{number:06d}"


def with_number(number: int) -> list[str]:
    """Every reference that has ``number``, one per year that gave out numbers: staff type
    "123" and find DUS-2026-000123 through the unique index, not a scan for a suffix."""
    years = ReferenceCounter.objects.values_list("year", flat=True)
    return [_format(year, number) for year in years]
