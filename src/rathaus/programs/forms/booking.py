"""The booking form: who takes part, a DüsselPass, how to pay.

It is built from the participants the view already loaded (one query), so the booking POST
of the rush costs no extra reads; choices of other accounts are simply not in the list.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ..models import Offer, Participant
from ..services import booking, payments
from .account import BirthYearField

__all__ = ["SELF", "BookingForm"]

SELF = "ich"
# What the "add a child" round trip carries in the address to fill the form in again.
KEPT = ("people", "duesselpass", "payment_method", "birth_year")


def age_range(offer: Offer) -> str:
    """ "5 bis 8 Jahre", "ab 16 Jahren", "bis 12 Jahre" or "" for everybody."""
    if offer.age_min is not None and offer.age_max is not None:
        return _("%(min)s bis %(max)s Jahre") % {"min": offer.age_min, "max": offer.age_max}
    if offer.age_min is not None:
        return _("ab %(min)s Jahren") % {"min": offer.age_min}
    if offer.age_max is not None:
        return _("bis %(max)s Jahre") % {"max": offer.age_max}
    return ""


class BookingForm(forms.Form):
    people = forms.MultipleChoiceField(
        label=_("Wer nimmt teil?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Bitte wählen Sie mindestens eine Person aus."),
            "invalid_choice": _("Bitte wählen Sie nur Personen aus der Liste."),
        },
    )
    birth_year = BirthYearField(
        label=_("Ihr Geburtsjahr"),
        required=False,
        help_text=_(
            "Nur wenn Sie selbst teilnehmen: Dieses Angebot hat eine Altersgrenze. "
            "Wir merken uns das Jahr für Ihre nächsten Buchungen."
        ),
    )
    duesselpass = forms.BooleanField(
        label=_("Ich habe einen DüsselPass (ermäßigter Preis)"),
        required=False,
        help_text=_("Bitte bringen Sie den DüsselPass zum ersten Termin mit."),
    )
    payment_method = forms.ChoiceField(
        label=_("Zahlungsart"),
        widget=forms.RadioSelect,
        required=False,
        error_messages={
            "invalid_choice": _("Bitte wählen Sie eine der angebotenen Zahlungsarten.")
        },
    )

    def __init__(self, *args, offer: Offer, participants: list[Participant], **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        self.me = next((p for p in participants if p.is_self), None)
        self.participants = {str(p.pk): p for p in participants if not p.is_self}
        self.self_allowed = offer.age_min is None or offer.age_min >= 16
        has_ages = offer.age_min is not None or offer.age_max is not None
        self.needs_birth_year = (
            self.self_allowed and has_ages and (self.me is None or self.me.birth_year is None)
        )
        choices = [(SELF, self._label(_("Ich selbst"), self.me))] if self.self_allowed else []
        choices += [(key, self._label(p.name, p)) for key, p in self.participants.items()]
        self.fields["people"].choices = choices
        if len(choices) == 1:
            self.fields["people"].initial = [choices[0][0]]
        if not self.needs_birth_year:
            del self.fields["birth_year"]
        methods = payments.methods_for(offer)
        if methods:
            self.fields["payment_method"].required = True
            self.fields["payment_method"].choices = [
                (m, payments.provider(m).verbose_name) for m in methods
            ]
            self.fields["payment_method"].initial = methods[0]
            self.fields["payment_method"].error_messages["required"] = _(
                "Bitte wählen Sie, wie Sie bezahlen möchten."
            )
        else:
            del self.fields["payment_method"]
        if offer.price == 0 or offer.price_reduced >= offer.price:
            del self.fields["duesselpass"]

    def _label(self, name: str, person: Participant | None) -> str:
        """The name with the birth year, and a word when the age does not fit."""
        if person is None or person.birth_year is None:
            return str(name)
        label = _("%(name)s (Jahrgang %(year)s)") % {"name": name, "year": person.birth_year}
        if not booking.age_fits(self.offer, person.birth_year):
            label += " – " + str(_("passt nicht in die Altersgruppe"))
        return label

    def clean(self) -> dict:
        data = super().clean()
        if (
            self.needs_birth_year
            and SELF in data.get("people", [])
            and data.get("birth_year") is None
            and "birth_year" not in self.errors
        ):
            self.add_error(
                "birth_year",
                ValidationError(
                    _(
                        "Bitte geben Sie Ihr Geburtsjahr an: Dieses Angebot hat eine "
                        "Altersgrenze (%(ages)s)."
                    ),
                    code="required",
                    params={"ages": age_range(self.offer)},
                ),
            )
        return data

    @classmethod
    def initial_from(cls, query: QueryDict) -> dict:
        """The choices carried back in the address after adding a child (only plain values;
        the form shows unknown ones as not chosen)."""
        initial: dict = {}
        if people := [p[:20] for p in query.getlist("people")[:20]]:
            initial["people"] = people
        if query.get("duesselpass") in {"on", "1", "true"}:
            initial["duesselpass"] = True
        if method := query.get("payment_method", "")[:20]:
            initial["payment_method"] = method
        try:
            year = BirthYearField(required=False).clean(query.get("birth_year", "")[:4])
        except ValidationError:
            year = None
        if year is not None:
            initial["birth_year"] = year
        return initial
