"""Appointments in an account's data export, and what happens to them when it is deleted;
erasing names and contacts of past appointments after the retention period."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts.models import User
from rathaus.accounts.services.privacy import DataSource, Retained, register

from ..models import Appointment

__all__ = ["anonymise_past", "register_source"]


def export(user: User) -> list[dict]:
    return [
        {
            "code": a.code,
            "office": a.office.name,
            "starts_at": a.starts_at.isoformat(),
            "status": a.get_status_display(),
            "services": [
                {"service": item.service.title, "persons": item.persons} for item in a.items.all()
            ],
            "name": a.name,
            "email": a.email,
            "phone": a.phone,
            "booked_at": a.created_at.isoformat(),
        }
        for a in Appointment.objects.filter(account=user)
        .select_related("office")
        .prefetch_related("items__service")
    ]


def retention(user: User) -> list[Retained]:
    return [
        Retained(
            what=_("Termin %(code)s am %(day)s")
            % {"code": a.code, "day": a.day.strftime("%d.%m.%Y")},
            until=a.day + timedelta(days=settings.APPOINTMENT_RETENTION_DAYS),
            why=_(
                "Der Termin bleibt gebucht (ohne Verbindung zu Ihrem Konto); Sie verwalten ihn "
                "über den Link aus der Bestätigungs-E-Mail. Name und Kontakt werden "
                "%(days)s Tage nach dem Termin gelöscht."
            )
            % {"days": settings.APPOINTMENT_RETENTION_DAYS},
        )
        for a in Appointment.objects.filter(account=user, anonymised_at__isnull=True)
    ]


def on_delete(user: User) -> list[Retained]:
    kept = retention(user)
    Appointment.objects.filter(account=user).update(account=None)
    return kept


def register_source() -> None:
    register(
        DataSource(
            key="appointments",
            title=gettext_lazy("Ihre Termine"),
            export=export,
            on_delete=on_delete,
            retention=retention,
        )
    )


def anonymise_past(now: datetime | None = None) -> int:
    """Names and contacts go ``APPOINTMENT_RETENTION_DAYS`` after the appointment; what stays
    (office, time, services, status) is what the statistics need."""
    now = now or timezone.now()
    cutoff = timezone.localdate(now) - timedelta(days=settings.APPOINTMENT_RETENTION_DAYS)
    return Appointment.objects.filter(day__lt=cutoff, anonymised_at__isnull=True).update(
        name="",
        email="",
        phone="",
        contact_key="",
        account=None,
        confirm_digest="",
        anonymised_at=now,
    )
