"""Forms of the portal (search) and of the data stewards (metadata, upload, release)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import TextField

from .models import FREQUENCIES, LICENCES, THEMES, Dataset, Organisation

__all__ = ["ApprovalForm", "DatasetForm", "SearchForm", "UploadForm"]

SORTS = {
    "": (_("neueste zuerst"), "metadata_modified desc"),
    "titel": (_("Titel A–Z"), "title_string asc"),
    "name": (_("Kurzname A–Z"), "name asc"),
}


class SearchForm(forms.Form):
    q = TextField(label=_("Suchbegriff"), required=False, max_length=200)
    sortierung = forms.ChoiceField(
        label=_("Sortierung"),
        required=False,
        choices=[(key, label) for key, (label, _sort) in SORTS.items()],
    )


def _words(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class DatasetForm(forms.ModelForm):
    """The metadata a steward keeps; keywords and column lists as comma-separated text."""

    themes = forms.MultipleChoiceField(
        label=_("Themen"),
        choices=list(THEMES.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte wählen Sie mindestens ein Thema.")},
    )
    keywords_text = TextField(
        label=_("Schlagwörter"),
        help_text=_("Mit Komma getrennt, z. B. Umwelt, Förderung, Dachbegrünung"),
        required=False,
        max_length=1000,
    )
    licence = forms.ChoiceField(
        label=_("Lizenz"), choices=[(key, title) for key, (title, _url, _id) in LICENCES.items()]
    )
    frequency = forms.ChoiceField(label=_("Aktualisierung"), choices=list(FREQUENCIES.items()))
    dimensions_text = TextField(
        label=_("Merkmalsspalten"),
        help_text=_("Spalten, die eine Tabellenzelle bestimmen (z. B. Stadtbezirk, Monat)."),
        required=False,
        max_length=1000,
    )
    fetch_url = forms.URLField(
        label=_("Abrufadresse"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Optional: eine CSV- oder XLSX-Adresse, die täglich abgerufen wird."),
    )
    measures_text = TextField(
        label=_("Zählspalten mit Personen oder Fällen"),
        help_text=_("Diese Zahlen schützt die Geheimhaltung (z. B. Anzahl)."),
        required=False,
        max_length=1000,
    )

    class Meta:
        model = Dataset
        fields = [
            "title",
            "slug",
            "description",
            "organisation",
            "themes",
            "licence",
            "frequency",
            "temporal_start",
            "temporal_end",
            "contact_name",
            "contact_email",
            "disclosure",
            "min_count",
            "fetch_url",
        ]
        widgets = {
            "temporal_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "temporal_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "slug": _("Kleinbuchstaben, Ziffern und Bindestriche; Teil der Adresse."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("title")
        self.fields["min_count"].widget.attrs.update(min=2, max=50)
        if self.instance.pk:
            self.fields["keywords_text"].initial = ", ".join(self.instance.keywords)
            self.fields["dimensions_text"].initial = ", ".join(self.instance.dimensions)
            self.fields["measures_text"].initial = ", ".join(self.instance.measures)

    def clean_min_count(self) -> int:
        value = self.cleaned_data["min_count"]
        if value < 2 or value > 50:
            raise forms.ValidationError(_("Die Mindestfallzahl muss zwischen 2 und 50 liegen."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("temporal_start"), data.get("temporal_end")
        if start and end and end < start:
            self.add_error("temporal_end", _("Das Ende liegt vor dem Beginn."))
        measures = _words(data.get("measures_text", ""))
        if measures and data.get("disclosure") == Dataset.Disclosure.NONE:
            self.add_error(
                "disclosure",
                _("Zählspalten mit Personen brauchen ein Geheimhaltungsverfahren."),
            )
        if data.get("disclosure") not in (None, Dataset.Disclosure.NONE) and not measures:
            self.add_error("measures_text", _("Bitte nennen Sie die Zählspalten."))
        return data

    def save(self, commit: bool = True) -> Dataset:
        dataset = super().save(commit=False)
        dataset.themes = self.cleaned_data["themes"]
        dataset.keywords = _words(self.cleaned_data.get("keywords_text", ""))[:30]
        dataset.dimensions = _words(self.cleaned_data.get("dimensions_text", ""))
        dataset.measures = _words(self.cleaned_data.get("measures_text", ""))
        if commit:
            dataset.save()
        return dataset


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Datei (CSV, XLSX oder GeoJSON, höchstens 20 MB)"),
        error_messages={"required": _("Bitte wählen Sie eine Datei aus.")},
    )


class ApprovalForm(forms.Form):
    """One reason per finding; a steward who publishes despite a finding says why."""

    def __init__(self, *args, findings=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for finding in findings:
            self.fields[f"reason_{finding.pk}"] = TextField(
                label=_("Begründung für „%(column)s“") % {"column": finding.column},
                help_text=finding.message,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": _("Bitte begründen Sie die Freigabe.")},
            )

    def reasons(self) -> dict[int, str]:
        return {
            int(name.removeprefix("reason_")): value for name, value in self.cleaned_data.items()
        }
