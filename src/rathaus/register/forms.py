"""The register's forms: the public search and the record an office keeps."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import TextField, reject_control_characters
from rathaus.offices.models import Office

from .models import Record

__all__ = ["RecordForm", "SearchForm"]

# A path inside the repository: letters, digits and ._-/ only, never upwards or absolute.
_PATH = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")


class SearchForm(forms.Form):
    q = TextField(label=_("Suchbegriff"), required=False, max_length=200)
    stelle = forms.ModelChoiceField(
        label=_("Dienststelle"),
        required=False,
        queryset=Office.objects.none(),
        empty_label=_("alle"),
        to_field_name="slug",
    )
    stand = forms.ChoiceField(
        label=_("Stand"), required=False, choices=[("", _("alle")), *Record.Phase.choices]
    )
    rolle = forms.ChoiceField(
        label=_("Rolle in der Entscheidung"),
        required=False,
        choices=[("", _("alle")), *Record.DecisionRole.choices],
    )

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stelle"].queryset = offices if offices is not None else Office.objects.none()


def _paths(value: str) -> str:
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    if len(lines) > 30:
        raise ValidationError(_("Bitte höchstens 30 Pfade angeben."))
    for line in lines:
        if len(line) > 200 or not _PATH.fullmatch(line) or ".." in line.split("/"):
            raise ValidationError(
                _("„%(path)s“ ist kein Pfad im Quellcode (z. B. src/rathaus/kita/allocation.py)."),
                params={"path": line[:80]},
            )
    return "\n".join(lines)


class RecordForm(forms.ModelForm):
    """Every field of a record; ``reason`` says what changed (it goes into the history)."""

    reason = TextField(
        label=_("Grund der Änderung"),
        help_text=_("Steht öffentlich in der Änderungshistorie, z. B. „Neue Risikoprüfung“."),
        required=False,
        max_length=500,
    )

    class Meta:
        model = Record
        fields = [
            "name",
            "slug",
            "summary",
            "office",
            "contact_email",
            "phase",
            "decision_role",
            "supplier",
            "purpose",
            "how_it_works",
            "easy_language",
            "data_used",
            "excluded_data",
            "human_oversight",
            "appeal",
            "risks",
            "mitigations",
            "procurement",
            "code_paths",
            "test_paths",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in (
                "purpose",
                "how_it_works",
                "easy_language",
                "data_used",
                "excluded_data",
                "human_oversight",
                "appeal",
                "risks",
                "mitigations",
                "procurement",
            )
        } | {
            "code_paths": forms.Textarea(attrs={"rows": 3}),
            "test_paths": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices if offices is not None else Office.objects.none()
        self.fields["office"].empty_label = _("Bitte wählen")
        if self.instance.current_id:
            self.fields["reason"].required = True
            self.fields["slug"].disabled = True  # its address and log references stay
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(reject_control_characters)
        self.fields["reason"].error_messages["required"] = _(
            "Bitte geben Sie an, was sich geändert hat und warum."
        )

    def clean_code_paths(self) -> str:
        return _paths(self.cleaned_data["code_paths"])

    def clean_test_paths(self) -> str:
        return _paths(self.cleaned_data["test_paths"])
