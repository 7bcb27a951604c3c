from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import TextField

from .formdef.types import GermanDecimalField
from .models import Decision


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ich versichere, dass meine Angaben richtig und vollständig sind."),
        error_messages={"required": _("Bitte bestätigen Sie, dass Ihre Angaben stimmen.")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class AnswerForm(forms.Form):
    answer = TextField(
        label=_("Ihre Antwort"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Bitte schreiben Sie eine Antwort.")},
    )
    dateien = MultipleFileField(
        label=_("Dateien"),
        required=False,
        help_text=_("PDF, JPEG oder PNG, je höchstens 10 MB."),
    )


class NoteForm(forms.Form):
    text = TextField(
        label=_("Interne Notiz"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Bitte schreiben Sie eine Notiz.")},
    )


class QuestionForm(forms.Form):
    text = TextField(
        label=_("Rückfrage an die antragstellende Person"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Die Person bekommt eine E-Mail und antwortet online."),
        error_messages={"required": _("Bitte formulieren Sie die Rückfrage.")},
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Entscheidung"),
        choices=Decision.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie die Entscheidung.")},
    )
    amount = GermanDecimalField(
        label=_("Bewilligter Betrag in Euro"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        places=2,
        help_text=_("Nur bei Förderungen und Zuschüssen, z. B. 1.250,00."),
    )
    reasoning = TextField(
        label=_("Begründung"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Ein Bescheid braucht eine Begründung.")},
    )
    legal_remedy = TextField(
        label=_("Rechtsbehelfsbelehrung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Die Rechtsbehelfsbelehrung fehlt.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Decision.Kind.REJECTION:
            cleaned["amount"] = None
        return cleaned


class PaperIntakeForm(forms.Form):
    received_on = forms.DateField(
        label=_("Eingegangen am"),
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        help_text=_("Datum des Eingangsstempels, z. B. 26.11.2026."),
        error_messages={
            "required": _("Bitte geben Sie das Eingangsdatum an."),
            "invalid": _("Bitte geben Sie das Datum so ein: 26.11.2026."),
        },
    )
    channel = forms.ChoiceField(
        label=_("Eingang"),
        choices=[("post", _("Post")), ("counter", _("Schalter")), ("phone", _("Telefon"))],
        widget=forms.RadioSelect,
        initial="post",
    )


class ScanForm(forms.Form):
    dateien = MultipleFileField(
        label=_("Scans des Papierantrags"),
        help_text=_("PDF, JPEG oder PNG, je höchstens 10 MB."),
        error_messages={"required": _("Bitte wählen Sie mindestens eine Datei.")},
    )
