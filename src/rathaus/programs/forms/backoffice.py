"""Forms of the provider back office and the assisted channel.

Every posted value goes through a field here, hidden ones included; a refusal is a German
sentence at the field, and what was typed stays in the form.
"""

import re
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import TextField

from ..models import BookingParticipant, Offer
from ..services import lottery, payments
from ..services.statement import MAX_BYTES
from .account import BirthYearField

__all__ = [
    "ASSIST_PEOPLE_MAX",
    "AssistBookingForm",
    "AssistSearchForm",
    "AttendanceForm",
    "BookingActionForm",
    "CancelOfferForm",
    "CancelSessionForm",
    "MessageForm",
    "StatementConfirmForm",
    "StatementForm",
]

# A letter of any script: "!!!" or "123" is no name.
_LETTER = re.compile(r"[^\W\d_]")
# Digits, spaces and the usual marks of a German phone number; at least five digits.
_PHONE = re.compile(r"^\+?[0-9 ()/.\-]{5,30}$")
# At most this many people on one booking by phone, whatever the offer allows.
ASSIST_PEOPLE_MAX = 10


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValidationError(_("Bitte schreiben Sie den Betreff in eine Zeile."), code="lines")
    return " ".join(value.split())


def _name(value: str) -> str:
    value = " ".join(value.split())
    if value and not _LETTER.search(value):
        raise ValidationError(
            _("Bitte geben Sie einen Namen mit Buchstaben an."), code="no_letters"
        )
    return value


class AttendanceForm(forms.Form):
    """A checkbox per participant of the offer: ticked = came to this session."""

    anwesend = forms.MultipleChoiceField(
        label=_("Wer war da?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nicht angekreuzte Personen werden als „nicht da“ gespeichert."),
        error_messages={"invalid_choice": _("Bitte wählen Sie nur Personen aus der Liste.")},
    )

    def __init__(self, *args, people: list[BookingParticipant], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anwesend"].choices = [
            (
                str(p.pk),
                f"{p.name} (Jahrgang {p.birth_year})" if p.birth_year else p.name,
            )
            for p in people
        ]

    def present(self) -> set[int]:
        return {int(pk) for pk in self.cleaned_data["anwesend"]}


class MessageForm(forms.Form):
    betreff = TextField(
        label=_("Betreff"),
        max_length=150,
        error_messages={"required": _("Bitte geben Sie einen Betreff an.")},
    )
    text = TextField(
        label=_("Nachricht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Geht per E-Mail an die Kontaktperson jeder gültigen Buchung, mit den Angaben zur "
            "Buchung darunter. Bitte keine vertraulichen Angaben."
        ),
        error_messages={"required": _("Bitte schreiben Sie eine Nachricht.")},
    )

    def clean_betreff(self) -> str:
        return _one_line(self.cleaned_data["betreff"])

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not _LETTER.search(text):
            raise ValidationError(_("Bitte schreiben Sie eine Nachricht mit Worten."))
        return text


class CancelOfferForm(forms.Form):
    grund = TextField(
        label=_("Grund der Absage"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Steht in der E-Mail an alle Teilnehmenden."),
        error_messages={"required": _("Bitte geben Sie den Grund der Absage an.")},
    )
    bestaetigt = forms.BooleanField(
        label=_("Ja, das ganze Angebot absagen und alle Teilnehmenden benachrichtigen"),
        error_messages={
            "required": _("Bitte bestätigen Sie, dass das ganze Angebot abgesagt werden soll.")
        },
    )

    def clean_grund(self) -> str:
        return self.cleaned_data["grund"].strip()


class CancelSessionForm(forms.Form):
    grund = TextField(
        label=_("Grund"),
        max_length=300,
        help_text=_("Steht in der E-Mail an alle Teilnehmenden und beim Termin."),
        error_messages={"required": _("Bitte geben Sie den Grund an.")},
    )

    def clean_grund(self) -> str:
        return _one_line(self.cleaned_data["grund"])


class BookingActionForm(forms.Form):
    PAID, REFUNDED, CANCEL = "bezahlt", "erstattet", "stornieren"

    aktion = forms.ChoiceField(
        choices=[
            (PAID, _("Als bezahlt vermerken")),
            (REFUNDED, _("Als erstattet vermerken")),
            (CANCEL, _("Buchung stornieren")),
        ],
        error_messages={
            "required": _("Bitte wählen Sie eine Aktion."),
            "invalid_choice": _("Diese Aktion gibt es nicht."),
        },
    )
    bestaetigt = forms.BooleanField(
        label=_("Ja, diese Buchung stornieren; die Person erhält eine E-Mail"), required=False
    )


class StatementForm(forms.Form):
    datei = forms.FileField(
        label=_("Kontoauszug als CSV-Datei"),
        help_text=_(
            "Die Umsätze aus Ihrem Online-Banking als CSV (höchstens 2 MB). Überweisungen mit "
            "einem Buchungscode wie K7Q4-M2XP im Verwendungszweck werden erkannt."
        ),
        error_messages={
            "required": _("Bitte wählen Sie die CSV-Datei aus."),
            "empty": _("Die Datei ist leer."),
            "invalid": _("Bitte wählen Sie eine Datei aus."),
        },
    )

    def clean_datei(self) -> bytes:
        upload = self.cleaned_data["datei"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _(
                    "Die Datei ist zu groß (höchstens %(mb)s MB). Bitte exportieren Sie einen "
                    "kürzeren Zeitraum."
                ),
                code="too_large",
                params={"mb": MAX_BYTES // (1024 * 1024)},
            )
        return upload.read(MAX_BYTES + 1)


_CONFIRM_LINE = re.compile(
    r"^(?P<codes>[A-Z0-9]{4}-[A-Z0-9]{4}(?:\+[A-Z0-9]{4}-[A-Z0-9]{4}){0,9});"
    r"(?P<amount>[0-9]{1,7}\.[0-9]{2});(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})?$"
)


class StatementConfirmForm(forms.Form):
    """The preview's confirm button carries the transfers to apply (checked again there)."""

    zahlungen = forms.CharField(
        widget=forms.HiddenInput,
        max_length=200_000,
        error_messages={"required": _("Es gibt keine Zahlungen zum Übernehmen.")},
    )

    def clean_zahlungen(self) -> list[tuple[list[str], Decimal, date | None]]:
        items = []
        for line in self.cleaned_data["zahlungen"].splitlines()[:10_000]:
            found = _CONFIRM_LINE.match(line.strip())
            if not found:
                raise ValidationError(
                    _("Die Vorschau ist nicht mehr gültig. Bitte laden Sie die Datei erneut hoch."),
                    code="invalid",
                )
            try:
                day = date.fromisoformat(found["day"]) if found["day"] else None
            except ValueError as error:
                raise ValidationError(
                    _("Die Vorschau ist nicht mehr gültig. Bitte laden Sie die Datei erneut hoch."),
                    code="invalid",
                ) from error
            items.append((found["codes"].split("+"), Decimal(found["amount"]), day))
        return items


class AssistSearchForm(forms.Form):
    q = TextField(
        label=_("Angebot suchen"),
        max_length=100,
        required=False,
        help_text=_("Titel, Anbieter, Ort oder Stichwort, z. B. „Schwimmkurs Bilk“."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    frei = forms.BooleanField(label=_("Nur mit freien Plätzen"), required=False)


class AssistBookingForm(forms.Form):
    """Booking for a caller or a visitor: contact, up to ``max_places_per_booking`` people
    with name and birth year, how they reached us. For an offer whose places are drawn
    (``drawing``) it enters the lottery instead: no payment method yet (winners pay as
    the offer's first method says), but what its priority groups ask."""

    CHANNELS = [("phone", _("Telefon")), ("counter", _("Vor Ort am Schalter"))]

    kontakt_name = TextField(
        label=_("Name der anrufenden oder anwesenden Person"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Bitte geben Sie den Namen der Person an.")},
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        required=False,
        help_text=_("Dorthin geht die Buchungsbestätigung."),
        error_messages={
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de.")
        },
    )
    telefon = TextField(
        label=_("Telefonnummer"),
        max_length=30,
        required=False,
        help_text=_("Für Rückfragen des Anbieters, wenn es keine E-Mail-Adresse gibt."),
    )

    def __init__(self, *args, offer: Offer, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        self.count = max(1, min(offer.max_places_per_booking, ASSIST_PEOPLE_MAX))
        self.needs_year = offer.age_min is not None or offer.age_max is not None
        for n in range(1, self.count + 1):
            self.fields[f"person_{n}_name"] = TextField(
                label=_("Person %(n)s: Vorname und Name") % {"n": n},
                max_length=100,
                required=n == 1,
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
                error_messages={"required": _("Bitte geben Sie an, wer teilnimmt.")},
            )
            self.fields[f"person_{n}_jahr"] = BirthYearField(
                label=_("Person %(n)s: Geburtsjahr") % {"n": n},
                required=False,
                help_text=_("Nur das Jahr, z. B. 2019; nötig für die Altersgrenze.")
                if self.needs_year
                else _("Nur das Jahr, z. B. 1960."),
            )
        self.drawing = offer.allocation == Offer.Allocation.LOTTERY and not offer.lottery_drawn_at
        groups = lottery.priorities(offer) if self.drawing else []
        if "duesselpass" in groups:
            self.fields["duesselpass"] = forms.BooleanField(
                label=_("Die Person hat einen DüsselPass (Vorrang bei der Verlosung)"),
                required=False,
                help_text=_("Den DüsselPass bitte beim ersten Termin zeigen."),
            )
        elif offer.price and offer.price_reduced < offer.price:
            self.fields["duesselpass"] = forms.BooleanField(
                label=_("Die Person hat einen DüsselPass (ermäßigter Preis)"),
                required=False,
                help_text=_("Den DüsselPass bitte beim ersten Termin zeigen."),
            )
        if "district" in groups and offer.district_id:
            self.fields["im_bezirk"] = forms.BooleanField(
                label=_("Die Person wohnt im %(district)s (Vorrang bei der Verlosung)")
                % {"district": offer.district},
                required=False,
            )
        methods = [] if self.drawing else payments.methods_for(offer)
        if methods:
            self.fields["zahlungsart"] = forms.ChoiceField(
                label=_("Zahlungsart"),
                widget=forms.RadioSelect,
                choices=[(m, payments.provider(m).verbose_name) for m in methods],
                initial=methods[0],
                error_messages={
                    "required": _("Bitte wählen Sie, wie die Person bezahlt."),
                    "invalid_choice": _("Bitte wählen Sie eine der angebotenen Zahlungsarten."),
                },
            )
        self.fields["weg"] = forms.ChoiceField(
            label=_("Gebucht über"),
            widget=forms.RadioSelect,
            choices=self.CHANNELS,
            initial="phone",
            error_messages={
                "required": _("Bitte wählen Sie, wie die Person sich gemeldet hat."),
                "invalid_choice": _("Bitte wählen Sie Telefon oder Schalter."),
            },
        )

    def clean_kontakt_name(self) -> str:
        return _name(self.cleaned_data["kontakt_name"])

    def clean_telefon(self) -> str:
        phone = " ".join(self.cleaned_data["telefon"].split())
        if phone and (not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < 5):
            raise ValidationError(
                _("Bitte geben Sie die Telefonnummer nur mit Ziffern an, z. B. 0211 123456."),
                code="phone",
            )
        return phone

    def clean(self) -> dict:
        data = super().clean()
        for n in range(1, self.count + 1):
            name_key, year_key = f"person_{n}_name", f"person_{n}_jahr"
            if name_key in data:
                try:
                    data[name_key] = _name(data[name_key])
                except ValidationError as error:
                    self.add_error(name_key, error)
                    continue
            name, year = data.get(name_key), data.get(year_key)
            if not name and year is not None and name_key not in self.errors:
                self.add_error(name_key, _("Bitte geben Sie auch den Namen an."))
            if name and year is None and self.needs_year and year_key not in self.errors:
                self.add_error(
                    year_key,
                    _("Bitte geben Sie das Geburtsjahr an: Das Angebot hat eine Altersgrenze."),
                )
        if (
            not data.get("email")
            and not data.get("telefon")
            and "email" not in self.errors
            and "telefon" not in self.errors
        ):
            self.add_error(
                "email",
                _(
                    "Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an, damit der "
                    "Anbieter die Person erreichen kann."
                ),
            )
        return data

    def people(self) -> list[tuple[str, int | None]]:
        return [
            (self.cleaned_data[f"person_{n}_name"], self.cleaned_data.get(f"person_{n}_jahr"))
            for n in range(1, self.count + 1)
            if self.cleaned_data.get(f"person_{n}_name")
        ]
