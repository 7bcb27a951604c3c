"""Zahlung vor Ort: paid in cash or by card at the first session; staff mark it."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.core.templatetags.rathaus import euro

from ...models import Booking
from .base import PaymentProvider


class OnSite(PaymentProvider):
    identifier = "on_site"
    verbose_name = gettext_lazy("Zahlung vor Ort")

    def instructions(self, booking: Booking, *, for_mail: bool = False) -> dict:
        return {
            "text": _(
                "Bitte bezahlen Sie %(amount)s beim ersten Termin vor Ort (bar oder mit Karte)."
            )
            % {"amount": euro(booking.total)}
        }
