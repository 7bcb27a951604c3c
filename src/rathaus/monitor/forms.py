"""The monitor's forms: a target of the committee, a paper assumption, a place of the Wi-Fi
register, and the filters of the public Wi-Fi list."""

from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import reject_control_characters_in
from rathaus.offices.models import District, Quarter

from .figures import all_tallies
from .models import PaperAssumption, Target, WifiPlace
from .services import wifi
from .services.wifi import in_city

__all__ = ["AssumptionForm", "TargetForm", "WifiFilterForm", "WifiPlaceForm"]


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
        reject_control_characters_in(self)

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
        reject_control_characters_in(self)


class CoordinateField(forms.DecimalField):
    """A latitude or longitude with a decimal comma or point: "51,2254" and "51.2254"."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=8, decimal_places=5, **kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 10})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _date_field(label: str, *, required: bool) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=_("Zum Beispiel 01.06.2026"),
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d.%m.%Y", attrs={"inputmode": "numeric", "size": 10}),
        error_messages={"invalid": _("Bitte geben Sie das Datum so an: 01.06.2026.")},
    )


class QuarterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Quarter) -> str:
        return f"{obj.name} ({obj.district.name})"


class WifiPlaceForm(forms.ModelForm):
    """A public place of the Wi-Fi register, as staff enter it."""

    latitude = CoordinateField(
        label=_("Breitengrad"), help_text=_("WGS 84 in Grad, z. B. 51,22540")
    )
    longitude = CoordinateField(label=_("Längengrad"), help_text=_("WGS 84 in Grad, z. B. 6,77640"))
    quarter = QuarterChoiceField(
        label=_("Stadtteil"),
        queryset=Quarter.objects.select_related("district").order_by("name"),
        empty_label=_("Bitte wählen"),
        error_messages={"invalid_choice": _("Bitte wählen Sie einen Stadtteil aus der Liste.")},
    )
    registered_on = _date_field(_("Aufgenommen am"), required=True)
    active_since = _date_field(_("In Betrieb seit"), required=False)

    class Meta:
        model = WifiPlace
        fields = list(wifi.FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _(
            "Bitte geben Sie den Namen des Ortes an."
        )
        self.fields["kind"].choices = [("", _("Bitte wählen")), *WifiPlace.Kind.choices]
        self.fields["status"].choices = [("", _("Bitte wählen")), *WifiPlace.Status.choices]
        reject_control_characters_in(self)

    def clean(self):
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if latitude is not None and longitude is not None and not in_city(latitude, longitude):
            (south, west), (north, east) = settings.RATHAUS["MAP"]["BOUNDS"]
            self.add_error(
                "latitude",
                _(
                    "Der Punkt liegt nicht im Stadtgebiet (Breitengrad %(south)s bis %(north)s, "
                    "Längengrad %(west)s bis %(east)s). Sind Breiten- und Längengrad vertauscht?"
                )
                % {
                    "south": number_format(south),
                    "north": number_format(north),
                    "west": number_format(west),
                    "east": number_format(east),
                },
            )
        if data.get("status") == WifiPlace.Status.ACTIVE:
            if not data.get("access_points"):
                self.add_error(
                    "access_points",
                    _("Ein Ort in Betrieb hat mindestens einen Zugangspunkt."),
                )
            if not data.get("active_since"):
                self.add_error(
                    "active_since",
                    _("Bitte geben Sie an, seit wann das WLAN an diesem Ort in Betrieb ist."),
                )
        since, registered = data.get("active_since"), data.get("registered_on")
        if since and registered and since < registered:
            self.add_error(
                "active_since",
                _("Die Inbetriebnahme kann nicht vor der Aufnahme in den Plan liegen."),
            )
        return data


class WifiFilterForm(forms.Form):
    """The public list's filters (GET): nothing is required, a wrong value is ignored."""

    status = forms.ChoiceField(
        label=_("Ausbaustand"),
        required=False,
        choices=[("", _("Alle")), *WifiPlace.Status.choices],
    )
    art = forms.ChoiceField(
        label=_("Art des Ortes"),
        required=False,
        choices=[("", _("Alle")), *WifiPlace.Kind.choices],
    )
    bezirk = forms.ModelChoiceField(
        label=_("Stadtbezirk"),
        required=False,
        queryset=District.objects.all(),
        empty_label=_("Alle"),
    )

    def places(self):
        places = WifiPlace.objects.all()
        if not self.is_valid():
            return places
        if self.cleaned_data["status"]:
            places = places.filter(status=self.cleaned_data["status"])
        if self.cleaned_data["art"]:
            places = places.filter(kind=self.cleaned_data["art"])
        if self.cleaned_data["bezirk"]:
            places = places.filter(quarter__district=self.cleaned_data["bezirk"])
        return places
