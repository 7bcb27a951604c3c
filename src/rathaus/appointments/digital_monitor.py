"""What the appointments report to the progress monitor: appointments booked online, by
phone or at the counter (registered from ``AppointmentsConfig.ready``).

An online hold that was never confirmed is no appointment and is not counted."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from rathaus.monitor import Tally, TallyRow, monthly, register_tally

from .models import Appointment

__all__ = ["APPOINTMENTS", "appointment_counts"]


def appointment_counts(since: datetime) -> list[TallyRow]:
    made = Appointment.objects.filter(created_at__gte=since).exclude(
        status__in=(Appointment.Status.HELD, Appointment.Status.EXPIRED)
    )
    return monthly(made, "created_at", channel="channel")


APPOINTMENTS = register_tally(
    Tally(
        key="termine",
        title=_("Termine online gebucht"),
        description=_(
            "Anteil der Termine in Bürgerbüros und Ämtern, die online gebucht wurden; die "
            "übrigen wurden am Telefon oder am Schalter vergeben."
        ),
        counts=appointment_counts,
        open_data="termine-wartezeiten",
        # Booking by phone sends no letter either: an appointment saves no paper.
        saves_paper=False,
        position=40,
    )
)
