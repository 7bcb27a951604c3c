"""Figures for open data: how long people wait for an appointment, and how many there were.

Per office and month: the median lead time until the earliest free appointment (sampled
once a day) and the number of appointments by service. Only counts, no persons: the open
data module publishes them (and suppresses small numbers) when it lands.
"""

import statistics
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from rathaus.offices.models import Office

from ..models import Appointment, AppointmentService, LeadTimeSample, OfficeService
from . import calendar, slots

__all__ = ["month_figures", "sample_lead_times"]


def _month(year: int, month: int) -> tuple[datetime, datetime]:
    first = date(year, month, 1)
    following = (first + timedelta(days=32)).replace(day=1)
    tz = timezone.get_default_timezone()
    return (
        datetime.combine(first, datetime.min.time(), tzinfo=tz),
        datetime.combine(following, datetime.min.time(), tzinfo=tz),
    )


def sample_lead_times(now: datetime | None = None) -> int:
    """Record, per office, how far ahead its earliest free appointment is (for one person and
    the office's shortest service, the usual first question)."""
    now = calendar.utc(now)
    samples = []
    offices = (
        OfficeService.objects.filter(is_active=True)
        .order_by("office_id", "minutes_per_person", "pk")
        .select_related("service")
    )
    shortest = {}
    for row in offices:
        shortest.setdefault(row.office_id, row.service)
    for office_id, service in shortest.items():
        found = slots.earliest([service], 1, limit=1, now=now, office_ids=[office_id])
        hours = (found[0].starts_at - now).total_seconds() / 3600 if found else None
        samples.append(LeadTimeSample(office_id=office_id, sampled_at=now, lead_hours=hours))
    LeadTimeSample.objects.bulk_create(samples)
    return len(samples)


def month_figures(office: Office, year: int, month: int) -> dict:
    """``{"office", "month", "median_lead_days", "samples", "appointments_by_service"}``."""
    start, end = _month(year, month)
    leads = [
        s
        for s in LeadTimeSample.objects.filter(
            office=office, sampled_at__gte=start, sampled_at__lt=end
        ).values_list("lead_hours", flat=True)
        if s is not None
    ]
    counted = (
        AppointmentService.objects.filter(
            appointment__office=office,
            appointment__starts_at__gte=start,
            appointment__starts_at__lt=end,
            appointment__status__in=[
                Appointment.Status.BOOKED,
                Appointment.Status.ARRIVED,
                Appointment.Status.DONE,
                Appointment.Status.NO_SHOW,
            ],
        )
        .values("service__slug")
        .annotate(n=Count("pk"))
        .order_by("service__slug")
    )
    return {
        "office": office.slug,
        "month": f"{year:04d}-{month:02d}",
        "median_lead_days": round(statistics.median(leads) / 24, 1) if leads else None,
        "samples": len(leads),
        "appointments_by_service": {row["service__slug"]: row["n"] for row in counted},
    }
