"""Entering a lottery: the same choice of participants as a booking, plus what the
offer's priority groups need to know (and nothing the lottery does not use)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Offer, Participant
from ..services import lottery
from .booking import BookingForm

__all__ = ["LotteryForm", "WithdrawForm"]


class LotteryForm(BookingForm):
    """``people`` and ``duesselpass`` as for a booking; ``lives_in_district`` only when the
    district is a priority group. No payment method yet: winners pay as the offer's first
    payment method says (shown on the page)."""

    def __init__(self, *args, offer: Offer, participants: list[Participant], **kwargs):
        super().__init__(*args, offer=offer, participants=participants, **kwargs)
        self.fields.pop("payment_method", None)
        groups = lottery.priorities(offer)
        if "duesselpass" in groups:
            self.fields["duesselpass"] = forms.BooleanField(
                label=_("Ich habe einen DüsselPass"),
                required=False,
                help_text=_(
                    "Inhaber*innen eines DüsselPasses haben bei dieser Verlosung Vorrang. "
                    "Bitte bringen Sie ihn zum ersten Termin mit."
                ),
            )
        if "district" in groups and offer.district_id:
            quarters = ", ".join(q.name for q in offer.district.quarters.order_by("name"))
            self.fields["lives_in_district"] = forms.BooleanField(
                label=_("Ich wohne im %(district)s") % {"district": offer.district},
                required=False,
                help_text=_(
                    "Wer im Stadtbezirk des Angebots wohnt, hat bei dieser Verlosung Vorrang. "
                    "Zum %(district)s gehören: %(quarters)s."
                )
                % {"district": offer.district, "quarters": quarters},
            )


class WithdrawForm(forms.Form):
    """The button that takes an entry back (posted to the same address as the entry)."""

    withdraw = forms.BooleanField(required=True)
