"""Überweisung: the provider's bank details, the booking code as the reference, and an
EPC/GiroCode QR code that banking apps read (segno)."""

import segno.helpers  # make_epc_qr lives in a submodule that "import segno" does not load
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.core.templatetags.rathaus import euro

from ...models import Booking, Offer
from .base import PaymentProvider


class Transfer(PaymentProvider):
    identifier = "transfer"
    verbose_name = gettext_lazy("Überweisung")
    payment_days = 14

    def is_enabled(self, offer: Offer) -> bool:
        return bool(offer.provider.iban and offer.provider.account_holder)

    @staticmethod
    def reference(booking: Booking) -> str:
        return f"Buchung {booking.code}"

    def girocode_svg(self, booking: Booking) -> str:
        """The EPC QR code (version 002, SEPA credit transfer) as inline SVG."""
        provider = booking.offer.provider
        code = segno.helpers.make_epc_qr(
            name=provider.account_holder[:70],
            iban=provider.iban.replace(" ", ""),
            amount=booking.total,
            text=self.reference(booking),
            bic=provider.bic or None,
            encoding="UTF-8",
        )
        return code.svg_inline(scale=4, title=_("GiroCode für die Überweisung"))

    def instructions(self, booking: Booking, *, for_mail: bool = False) -> dict:
        provider = booking.offer.provider
        return {
            "text": _("Bitte überweisen Sie %(amount)s innerhalb von %(days)s Tagen.")
            % {"amount": euro(booking.total), "days": self.payment_days},
            "account_holder": provider.account_holder,
            "iban": provider.iban,
            "bic": provider.bic,
            "reference": self.reference(booking),
            "girocode": "" if for_mail else self.girocode_svg(booking),
        }
