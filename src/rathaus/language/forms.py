from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import TextField

from .assistant import MAX_QUESTION_LENGTH


class QuestionForm(forms.Form):
    """A question to the service assistant (GET, so an answer has an address)."""

    frage = TextField(
        label=_("Ihre Frage"),
        max_length=MAX_QUESTION_LENGTH,
        help_text=_("Zum Beispiel: „Ich bin umgezogen, was muss ich machen?“ oder „my dog tax“"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "send"}),
    )
    leicht = forms.BooleanField(label=_("Antwort in Leichter Sprache"), required=False)
    speichern = forms.BooleanField(
        label=_("Frage anonym speichern, damit die Stadt den Assistenten verbessern kann"),
        required=False,
        help_text=_(
            "Gespeichert werden nur die Frage (ohne E-Mail-Adressen und Nummern), der Tag und "
            "die gefundenen Leistungen – keine Adresse, kein Konto, kein Cookie."
        ),
    )
