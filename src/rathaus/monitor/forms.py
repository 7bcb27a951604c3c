"""The staff forms of the monitor: a target of the committee, a paper assumption."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import reject_control_characters

from .figures import all_tallies
from .models import PaperAssumption, Target

__all__ = ["AssumptionForm", "TargetForm"]


def _no_control_characters(form: forms.ModelForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.CharField):
            field.validators.append(reject_control_characters)


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["value", "year", "basis"]
        widgets = {"basis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, share: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.share = share
        # German decimals ("92,5"): a text field, since a number field refuses the comma.
        self.fields["value"].localize = True
        self.fields["value"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        self.fields["value"].widget.is_localized = True
        self.fields["value"].error_messages["required"] = _("Bitte geben Sie das Ziel an.")
        _no_control_characters(self)

    def clean_value(self):
        value = self.cleaned_data["value"]
        if self.share and value > 100:
            raise forms.ValidationError(_("Ein Anteil kann höchstens 100 Prozent betragen."))
        return value

    def clean_basis(self) -> str:
        return self.cleaned_data["basis"].strip()


class AssumptionForm(forms.ModelForm):
    class Meta:
        model = PaperAssumption
        fields = ["tally", "service", "sheets", "letters", "basis"]
        widgets = {"basis": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tally"] = forms.ChoiceField(
            label=_("Art der Vorgänge"),
            choices=[("", _("Bitte wählen"))]
            + [(tally.key, tally.title) for tally in all_tallies() if tally.saves_paper],
        )
        self.fields["service"] = forms.SlugField(
            label=self.fields["service"].label,
            help_text=self.fields["service"].help_text,
            required=False,
            max_length=120,
            error_messages={
                "invalid": _(
                    "Bitte den Kurznamen der Leistung aus ihrer Adresse angeben, z. B. "
                    "„wohnsitz-anmelden“ (nur Kleinbuchstaben, Ziffern und Bindestriche)."
                )
            },
        )
        self.fields["basis"].error_messages["required"] = _(
            "Bitte nennen Sie die Grundlage der Annahme, damit andere sie nachvollziehen können."
        )
        _no_control_characters(self)
