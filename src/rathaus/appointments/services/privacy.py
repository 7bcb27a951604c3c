"""Appointments in an account's data export, and what happens to them when it is deleted;
erasing names and contacts of past appointments after the retention period."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts.models import User
from rathaus.accounts.services.privacy import Block, DataSource, Retained, on

from ..models import Appointment

__all__ = ["DATA_SOURCE", "anonymise_past"]


def _appointments(user: User):
    return (
        Appointment.objects.filter(account=user)
        .select_related("office")
        .prefetch_related("items__service")
    )


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
        for a in _appointments(user)
    ]


def readable(user: User) -> list[Block]:
    """Each appointment in words, as the readable export shows it."""
    return [
        Block(
            heading=_("Termin %(code)s am %(at)s")
            % {"code": a.code, "at": on(a.starts_at, time=True)},
            facts=[
                (_("Dienststelle"), a.office.name),
                (_("Status"), a.get_status_display()),
                (
                    _("Leistungen"),
                    ", ".join(
                        _("%(service)s (%(persons)s Pers.)")
                        % {"service": item.service.title, "persons": item.persons}
                        for item in a.items.all()
                    ),
                ),
                (_("Name"), a.name or "–"),
                (_("E-Mail-Adresse"), a.email or "–"),
                (_("Telefon"), a.phone or "–"),
                (_("Gebucht am"), on(a.created_at)),
            ],
        )
        for a in _appointments(user)
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


DATA_SOURCE = DataSource(
    key="appointments",
    title=gettext_lazy("Ihre Termine"),
    export=export,
    on_delete=on_delete,
    retention=retention,
    readable=readable,
    actions={
        "rathaus.appointments.booked": gettext_lazy("Termin gebucht"),
        "rathaus.appointments.held": gettext_lazy("Termin vorgemerkt"),
        "rathaus.appointments.confirmed": gettext_lazy("Termin bestätigt"),
        "rathaus.appointments.rescheduled": gettext_lazy("Termin verschoben"),
        "rathaus.appointments.cancelled": gettext_lazy("Termin abgesagt"),
    },
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
