"""Background work of the appointments module: daily release and housekeeping, and every
minute the holds that expired, the cancelled times whose waiting period ended, reminders."""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from rathaus.core.periodic import daily, every_minute

from .models import Appointment, Counter
from .services import booking, challenge, days, figures, notices, privacy

__all__ = ["appointments_daily", "appointments_every_minute", "send_reminders"]


def release_days(now=None) -> int:
    """Create the counter days to the end of every office's horizon (the published release
    itself is a date limit, see ``days.last_bookable_day``)."""
    now = now or timezone.now()
    office_ids = set(Counter.objects.filter(is_active=True).values_list("office_id", flat=True))
    days.ensure_released(office_ids, now)
    return len(office_ids)


def send_reminders(now=None) -> int:
    """The day before: one reminder per appointment booked earlier than that."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        status=Appointment.Status.BOOKED,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=24),
        confirmed_at__lt=F("starts_at") - timedelta(hours=24),
    ).exclude(email="")
    sent = 0
    for appointment in due.select_related("office").prefetch_related("items__service"):
        claimed = Appointment.objects.filter(pk=appointment.pk, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if claimed:
            notices.send_reminder(appointment)
            sent += 1
    return sent


@every_minute
def appointments_every_minute() -> None:
    booking.expire_holds()
    days.refresh_due()
    send_reminders()
    challenge.forget_expired()


@daily
@task()
def appointments_daily() -> dict[str, int]:
    return {
        "offices_released": release_days(),
        "lead_time_samples": figures.sample_lead_times(),
        "anonymised": privacy.anonymise_past(),
    }
