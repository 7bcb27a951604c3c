"""The forms of the applications pages: every posted or queried value is read through one."""

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rathaus.core import channels
from rathaus.core.channels import Channel
from rathaus.core.forms import TextField

from .formdef.types import GermanDecimalField
from .models import Application, Decision


@dataclass(frozen=True)
class PageAction:
    """What a button on an application page asks for: ``kind`` with a group or file question
    ``key`` and a row ``number`` or stored file id."""

    kind: str
    key: str = ""
    number: int | None = None


NEXT, BACK, SAVE, ADD_ROW, REMOVE_ROW, REMOVE_FILE = (
    "weiter",
    "zurueck",
    "speichern",
    "add",
    "remove",
    "remove-file",
)
_KEY = r"[a-z][a-z0-9_]{0,49}"
_ACTIONS = re.compile(
    rf"(?P<plain>weiter|zurueck|speichern)"
    rf"|add:(?P<add>{_KEY})"
    rf"|remove:(?P<row_key>{_KEY}):(?P<row>[0-9]{{1,3}})"
    rf"|remove-file:(?P<file_key>{_KEY}):(?P<file>[0-9]{{1,18}})",
    re.ASCII,
)


def parse_action(value: str) -> PageAction:
    """The button's value (``weiter``, ``add:hunde``, ``remove:hunde:1``, ``remove-file:plan:7``).

    Raises ValidationError for anything else: only the page's own buttons send these.
    """
    match = _ACTIONS.fullmatch(value)
    if match is None:
        raise ValidationError(_("Diese Aktion gibt es nicht."), code="invalid")
    if match["plain"]:
        return PageAction(match["plain"])
    if match["add"]:
        return PageAction(ADD_ROW, match["add"])
    if match["row_key"]:
        return PageAction(REMOVE_ROW, match["row_key"], int(match["row"]))
    return PageAction(REMOVE_FILE, match["file_key"], int(match["file"]))


class PageActionForm(forms.Form):
    """The pressed button of an application page; without one (Enter in a field) "Weiter"."""

    _aktion = forms.CharField(required=False, strip=False, max_length=100)

    def clean__aktion(self) -> PageAction:
        return parse_action(self.cleaned_data["_aktion"] or NEXT)


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
        label=_("Betrag in Euro"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        places=2,
        help_text=_(
            "Bei Förderungen der bewilligte Zuschuss (z. B. 1.250,00), bei der Hundesteuer die "
            "Jahressteuer; leer lassen, um sie aus den Angaben zu berechnen."
        ),
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
        choices=channels.choices(Channel.PAPER, Channel.COUNTER, Channel.PHONE),
        widget=forms.RadioSelect,
        initial=Channel.PAPER,
    )


class ScanForm(forms.Form):
    dateien = MultipleFileField(
        label=_("Scans des Papierantrags"),
        help_text=_("PDF, JPEG oder PNG, je höchstens 10 MB."),
        error_messages={"required": _("Bitte wählen Sie mindestens eine Datei.")},
    )


class AssignForm(forms.Form):
    """Whom a case goes to: a colleague of the office, or (without a choice) oneself."""

    assignee = forms.ModelChoiceField(
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("Diese Person gibt es in der Dienststelle nicht.")},
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = colleagues


class IntakeForm(forms.Form):
    """Which service's form staff start for the person they act for."""

    leistung = forms.ModelChoiceField(queryset=None, to_field_name="slug")

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leistung"].queryset = services


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=Application.Status.choices,
        error_messages={
            "required": _("Bitte wählen Sie einen Status."),
            "invalid_choice": _("Diesen Status gibt es nicht."),
        },
    )
    kommentar = TextField(label=_("Kommentar"), max_length=2000, required=False)


INBOX_OPEN, INBOX_ALL, OVERDUE = "offen", "alle", "ueberfaellig"


class InboxFilterForm(forms.Form):
    """The inbox filters, as query parameters; a value no filter offers is an error."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", ""),
            (INBOX_OPEN, _("Alle offenen")),
            *Application.Status.choices[1:],
            (INBOX_ALL, _("Alle")),
        ],
        error_messages={"invalid_choice": _("Diesen Status gibt es nicht.")},
    )
    leistung = forms.SlugField(
        label=_("Leistung"),
        required=False,
        max_length=100,
        error_messages={"invalid": _("Diese Leistung gibt es nicht.")},
    )
    q = TextField(label=_("Aktenzeichen"), max_length=50, required=False)
    frist = forms.ChoiceField(
        label=_("Frist"),
        required=False,
        choices=[("", ""), (OVERDUE, _("Nur überfällige"))],
        error_messages={"invalid_choice": _("Diesen Filter gibt es nicht.")},
    )
    meine = forms.ChoiceField(
        label=_("Nur mir zugewiesene"),
        required=False,
        choices=[("", ""), ("1", _("Ja"))],
        error_messages={"invalid_choice": _("Diesen Filter gibt es nicht.")},
    )
    seite = forms.IntegerField(
        label=_("Seite"),
        required=False,
        min_value=1,
        max_value=1_000_000,
        error_messages={"invalid": _("Diese Seite gibt es nicht.")},
    )

    def clean_seite(self) -> int:
        return self.cleaned_data["seite"] or 1

    def clean_status(self) -> str:
        return self.cleaned_data["status"] or INBOX_OPEN
