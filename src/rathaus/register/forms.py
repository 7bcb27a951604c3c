"""The register's forms: the public search and the record an office keeps."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import TextField, reject_control_characters_in
from rathaus.offices.models import Office

from . import procurement
from .models import Record

__all__ = ["AuditForm", "ProcurementForm", "RecordForm", "SearchForm"]

# Addresses of the register's own pages below /algorithmen/.
RESERVED = {"verwalten", "pruefungen"}
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
        label=_("Status"), required=False, choices=[("", _("alle")), *Record.Phase.choices]
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
        reject_control_characters_in(self)
        self.fields["reason"].error_messages["required"] = _(
            "Bitte geben Sie an, was sich geändert hat und warum."
        )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED:
            raise ValidationError(
                _("„%(slug)s“ ist für Seiten des Registers reserviert."), params={"slug": slug}
            )
        return slug

    def clean_code_paths(self) -> str:
        return _paths(self.cleaned_data["code_paths"])

    def clean_test_paths(self) -> str:
        return _paths(self.cleaned_data["test_paths"])


class AuditForm(forms.Form):
    """An uploaded file of decisions and the columns that say what to compare."""

    title = TextField(
        label=_("Titel der Prüfung"),
        max_length=200,
        help_text=_("z. B. „Wohngeld-Vorprüfung, Anträge Januar bis Juni 2026“"),
    )
    office = forms.ModelChoiceField(
        label=_("Dienststelle"), queryset=Office.objects.none(), empty_label=_("Bitte wählen")
    )
    record = forms.ModelChoiceField(
        label=_("Eintrag im Register (freiwillig)"),
        help_text=_("Ist der Eintrag veröffentlicht, erscheint der Bericht öffentlich bei ihm."),
        queryset=Record.objects.none(),
        required=False,
        empty_label=_("ohne Eintrag"),
    )
    file = forms.FileField(
        label=_("Entscheidungen (CSV oder XLSX)"),
        help_text=_(
            "Eine Zeile je Entscheidung, höchstens 20 MB. Die Datei wird nur gelesen und nicht "
            "gespeichert; es bleiben die Zahlen des Berichts."
        ),
    )
    outcome = TextField(
        label=_("Spalte mit dem Ergebnis"),
        max_length=100,
        help_text=_("Ausgewählt oder nicht: 1/0, ja/nein oder true/false."),
    )
    protected = TextField(
        label=_("Spalten mit geschützten Merkmalen"),
        max_length=500,
        help_text=_("Mit Komma getrennt, z. B. geschlecht, staatsangehoerigkeit, stadtbezirk"),
    )
    label = TextField(
        label=_("Spalte mit dem tatsächlichen Ausgang (freiwillig)"),
        max_length=100,
        required=False,
        help_text=_("Was in Wahrheit zutraf (1/0); damit prüft der Bericht auch die Fehlerraten."),
    )
    score = TextField(
        label=_("Spalte mit einem Punktwert (freiwillig)"),
        max_length=100,
        required=False,
    )
    min_cases = forms.IntegerField(
        label=_("Mindestzahl an Fällen je Gruppe"),
        min_value=10,
        max_value=1000,
        initial=30,
        help_text=_("Kleinere Gruppen erscheinen als „zu wenige Fälle“."),
    )

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        offices = offices if offices is not None else Office.objects.none()
        self.fields["office"].queryset = offices
        self.fields["record"].queryset = Record.objects.filter(office__in=offices)

    def clean_protected(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["protected"].split(",")]
        return [name for name in names if name]

    def clean(self) -> dict:
        data = super().clean()
        office, record = data.get("office"), data.get("record")
        if office and record and record.office_id != office.pk:
            self.add_error("record", _("Der Eintrag gehört zu einer anderen Dienststelle."))
        return data


class ProcurementForm(forms.Form):
    """The procurement checklist: a state and the evidence for every criterion."""

    reason = RecordForm.base_fields["reason"]

    def __init__(self, *args, record: Record, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = procurement.rows(record.procurement_checklist or {})
        for row in self.rows:
            self.fields[f"{row['key']}_state"] = forms.ChoiceField(
                label=row["question"],
                choices=list(procurement.STATES.items()),
                initial=row["state"],
            )
            self.fields[f"{row['key']}_evidence"] = TextField(
                label=_("Nachweis"),
                help_text=_("z. B. Prüfbericht, Messprotokoll, Vertragsklausel"),
                required=False,
                max_length=500,
                initial=row["evidence"],
            )
        self.fields["reason"].required = record.current_id is not None
        self.fields["reason"].error_messages["required"] = _(
            "Bitte geben Sie an, was sich geändert hat und warum."
        )
        self.order_fields([*(name for name in self.fields if name != "reason"), "reason"])

    def checklist(self) -> dict:
        return {
            row["key"]: {
                "state": self.cleaned_data[f"{row['key']}_state"],
                "evidence": self.cleaned_data[f"{row['key']}_evidence"],
            }
            for row in self.rows
        }
