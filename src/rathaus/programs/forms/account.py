"""Forms of a resident's account: the people they book for, and the confirmations of a
cancellation and of a place offered from the waiting list."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import TextField

from ..services.participants import year_range

__all__ = ["BirthYearField", "CancelForm", "ClaimForm", "ParticipantForm", "PickForm"]

# A name has at least one letter in it (any script); "!!!" or "123" is not a name.
_LETTER = re.compile(r"[^\W\d_]")


class BirthYearField(forms.IntegerField):
    """A four-digit year from 110 years ago to this year, typed (not a spinner)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Geburtsjahr"))
        kwargs.setdefault(
            "help_text", _("Nur das Jahr, zum Beispiel 2019. Wir brauchen es für die Altersgrenze.")
        )
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 4}),
        )
        super().__init__(**kwargs)
        self.error_messages.update(
            required=_("Bitte geben Sie das Geburtsjahr an."),
            invalid=_("Bitte geben Sie das Geburtsjahr als vierstellige Zahl an, z. B. 2019."),
        )

    def validate(self, value) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        first, last = year_range()
        if not first <= value <= last:
            raise ValidationError(
                _("Bitte geben Sie ein Geburtsjahr zwischen %(first)s und %(last)s an."),
                code="out_of_range",
                params={"first": first, "last": last},
            )


class ParticipantForm(forms.Form):
    """A child or another person the resident books for."""

    name = TextField(
        label=_("Vorname und Name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Bitte geben Sie den Namen an.")},
    )
    birth_year = BirthYearField()

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not _LETTER.search(name):
            raise ValidationError(
                _("Bitte geben Sie einen Namen mit Buchstaben an."), code="no_letters"
            )
        return name


class PickForm(forms.Form):
    """Which of my participants a change is about (checked against the account in the view)."""

    person = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class CancelForm(forms.Form):
    """The button "Ja, stornieren" sends ``bestaetigt=ja``; nothing else cancels."""

    bestaetigt = forms.ChoiceField(
        choices=[("ja", _("Ja, stornieren"))],
        error_messages={
            "required": _("Bitte bestätigen Sie die Stornierung mit „Ja, verbindlich stornieren“."),
            "invalid_choice": _(
                "Bitte bestätigen Sie die Stornierung mit „Ja, verbindlich stornieren“."
            ),
        },
    )


class ClaimForm(forms.Form):
    """Accept or decline the place offered from the waiting list (one of two buttons)."""

    ACCEPT, DECLINE = "annehmen", "ablehnen"

    entscheidung = forms.ChoiceField(
        choices=[(ACCEPT, _("Platz annehmen")), (DECLINE, _("Platz ablehnen"))],
        error_messages={
            "required": _("Bitte wählen Sie: Platz annehmen oder Platz ablehnen."),
            "invalid_choice": _("Bitte wählen Sie: Platz annehmen oder Platz ablehnen."),
        },
    )
