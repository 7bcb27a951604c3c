from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.core import channels
from rathaus.core.forms import TextField
from rathaus.core.secrets import normalise_code
from rathaus.offices.models import Office

from .models import Person, Representation
from .services.assisted import CONSENT_CHANNELS

EMAIL_ERRORS = {
    "required": _("Bitte geben Sie Ihre E-Mail-Adresse ein."),
    "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de."),
}


def email_field(label=None, **kwargs) -> forms.EmailField:
    return forms.EmailField(
        label=label or _("E-Mail-Adresse"),
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        **kwargs,
    )


class SignupForm(forms.Form):
    email = email_field(
        help_text=_(
            "Wir schicken Ihnen einen Link. Mehr als Ihre E-Mail-Adresse brauchen wir nicht."
        )
    )


class RecoveryForm(forms.Form):
    email = email_field()
    code = TextField(
        label=_("Wiederherstellungscode"),
        max_length=20,
        help_text=_("Einer der zehn Codes, die Sie bei der Registrierung erhalten haben."),
        error_messages={"required": _("Bitte geben Sie einen Wiederherstellungscode ein.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class PasskeyNameForm(forms.Form):
    name = TextField(
        label=_("Name des Passkeys"),
        max_length=100,
        help_text=_("Damit Sie ihn wiedererkennen, z. B. „Handy“ oder „Sicherheitsschlüssel“."),
        error_messages={"required": _("Bitte geben Sie dem Passkey einen Namen.")},
    )


class EmailChangeForm(forms.Form):
    email = email_field(label=_("Neue E-Mail-Adresse"))


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, ich möchte mein Konto endgültig löschen."),
        error_messages={"required": _("Bitte bestätigen Sie, dass Sie Ihr Konto löschen möchten.")},
    )


class AccessCodeForm(forms.Form):
    code = TextField(
        label=_("Zugangscode aus Ihrem Brief"),
        max_length=20,
        help_text=_("Zwölf Zeichen, z. B. K7Q4-M2XP-9DHT. Groß- und Kleinschreibung ist egal."),
        error_messages={"required": _("Bitte geben Sie den Zugangscode ein.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )
    email = email_field(
        help_text=_(
            "Für ein neues Konto: Ihre E-Mail-Adresse. Haben Sie schon ein Konto: "
            "die E-Mail-Adresse dieses Kontos."
        )
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != 14:
            raise forms.ValidationError(
                _("Der Zugangscode hat zwölf Zeichen, z. B. K7Q4-M2XP-9DHT.")
            )
        return code


class OfficeChoiceMixin:
    """Staff with several offices say for which one they act; with one, it is that one."""

    fixed_office: Office | None = None

    def add_office_field(self, offices) -> None:
        offices = list(offices)
        if len(offices) == 1:
            self.fixed_office = Office.objects.get(pk=offices[0])
            return
        self.fields["office"] = forms.ModelChoiceField(
            label=_("Für die Dienststelle"),
            queryset=Office.objects.filter(pk__in=offices),
            empty_label=None,
            error_messages={
                "required": _("Bitte wählen Sie die Dienststelle."),
                "invalid_choice": _("Sie sind dieser Dienststelle nicht zugeordnet."),
            },
        )

    def chosen_office(self) -> Office:
        return self.fixed_office or self.cleaned_data["office"]


class PersonForm(OfficeChoiceMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "birth_date",
            "street",
            "postcode",
            "city",
            "phone",
            "email",
            "purpose",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"autocomplete": "off"})}
        error_messages = {
            "given_name": {"required": _("Bitte geben Sie den Vornamen ein.")},
            "family_name": {"required": _("Bitte geben Sie den Familiennamen ein.")},
            "purpose": {"required": _("Bitte sagen Sie, wofür die Daten erfasst werden.")},
            "birth_date": {"invalid": _("Bitte geben Sie das Datum so ein: 26.11.1980.")},
        }

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_office_field(offices)
        self.fields["birth_date"].help_text = _(
            "Nur wenn die Leistung es braucht. Format: 26.11.1980"
        )

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and (not postcode.isdigit() or len(postcode) != 5):
            raise forms.ValidationError(_("Die Postleitzahl hat fünf Ziffern."))
        return postcode


def purpose_field(**kwargs) -> TextField:
    return TextField(
        label=_("Anlass"),
        max_length=300,
        help_text=_(
            "Wofür Sie handeln, z. B. „Antrag auf Bewohnerparkausweis“. Die Person sieht das."
        ),
        error_messages={"required": _("Bitte nennen Sie den Anlass der Vertretung.")},
        **kwargs,
    )


class RepresentAccountForm(OfficeChoiceMixin, forms.Form):
    email = email_field(label=_("E-Mail-Adresse des Kontos"))
    consent = forms.ChoiceField(
        label=_("Einwilligung"),
        choices=[c for c in Representation.Consent.choices if c[0] != "no_account"],
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte halten Sie fest, wie die Person eingewilligt hat.")},
    )
    channel = forms.ChoiceField(
        label=_("Weg"),
        choices=channels.choices(*Representation.CHANNELS),
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie den Weg.")},
    )
    purpose = purpose_field()

    def __init__(self, *args, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_office_field(offices)

    def clean(self) -> dict:
        data = super().clean()
        consent, channel = data.get("consent"), data.get("channel")
        if consent and channel and channel not in CONSENT_CHANNELS[consent]:
            self.add_error(
                "consent",
                _(
                    "Diese Einwilligung passt nicht zum Weg: Den Ausweis prüfen Sie nur am "
                    "Schalter, Rückfragen stellen Sie am Telefon."
                ),
            )
        return data


class PersonRepresentForm(forms.Form):
    """Acting for a person of one's office: the way, and the occasion (default: the record's)."""

    channel = forms.ChoiceField(choices=channels.choices(*Representation.CHANNELS), required=False)
    purpose = purpose_field(required=False)


class PersonSearchForm(forms.Form):
    q = TextField(label=_("Name"), max_length=100, required=False)
