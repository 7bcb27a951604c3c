"""What the Kita module reports to the progress monitor: registrations for a daycare place
made online or on paper, by phone or at the youth office (registered from
``KitaConfig.ready``)."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from rathaus.monitor import Tally, TallyRow, monthly, register_tally

from .models import Registration

__all__ = ["REGISTRATIONS", "registration_counts"]


def registration_counts(since: datetime) -> list[TallyRow]:
    made = Registration.objects.filter(created_at__gte=since)
    return monthly(made, "created_at", channel="channel")


REGISTRATIONS = register_tally(
    Tally(
        key="kita-anmeldungen",
        title=_("Kita-Anmeldungen online"),
        description=_(
            "Anteil der Anmeldungen für einen Kita-Platz, die Familien online gemacht haben; "
            "die übrigen kamen auf Papier oder wurden im Jugendamt erfasst."
        ),
        counts=registration_counts,
        open_data="kita-platzvergabe",
        position=60,
    )
)
