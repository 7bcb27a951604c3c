"""What the programme platform reports to the progress monitor: bookings of offers online
or by staff for a caller or at the counter (registered from ``ProgramsConfig.ready``)."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from rathaus.monitor import Tally, TallyRow, monthly, register_tally

from .models import Booking

__all__ = ["BOOKINGS", "booking_counts"]


def booking_counts(since: datetime) -> list[TallyRow]:
    return monthly(Booking.objects.filter(created_at__gte=since), "created_at", channel="channel")


BOOKINGS = register_tally(
    Tally(
        key="buchungen",
        title=_("Angebote online gebucht"),
        description=_(
            "Anteil der Buchungen von Kursen, Kultur- und Ferienangeboten, die online "
            "gemacht wurden; die übrigen buchten Mitarbeitende für Anrufende oder am Schalter."
        ),
        counts=booking_counts,
        open_data="angebote-teilnehmende",
        position=50,
    )
)
