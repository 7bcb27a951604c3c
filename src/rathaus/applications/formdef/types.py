"""The field types of application forms: how each becomes Django form fields, a stored value
and a line on a receipt.

Every type works without JavaScript. Values in ``answers`` are what was typed (so
nothing is lost on an error); values in ``cleaned`` are typed and JSON-ready.
"""

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from rathaus.core.forms import TextField

from .streets import DUESSELDORF_STREETS

Spec = dict[str, Any]

# Postcodes of Düsseldorf: 40210–40629.
DUESSELDORF_POSTCODE = re.compile(r"^40(2[1-9]\d|[3-5]\d\d|6[0-2]\d)$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()/\-]{5,28}[0-9]$")


def parse_decimal(text: str) -> Decimal:
    """German or plain notation: ``1.234,50``, ``1234,5``, ``1234.50``, ``12 €``."""
    value = (text or "").replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if not value:
        raise InvalidOperation
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", value):
        value = value.replace(".", "")
    number = Decimal(value)
    if not number.is_finite():
        raise InvalidOperation
    return number


class GermanDecimalField(forms.Field):
    """A number field that reads German notation and says what went wrong in German."""

    widget = forms.TextInput
    max_length = 30  # longer than any sensible number; also the limit for drafts

    def __init__(self, *, min_value=None, max_value=None, places: int | None = None, **kwargs):
        self.min_value, self.max_value, self.places = min_value, max_value, places
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        value = str(value or "").strip()
        if value in self.empty_values:
            return None
        if len(value) > self.max_length:
            raise ValidationError(_("Diese Zahl ist zu lang."), code="max_length")
        try:
            number = parse_decimal(value)
        except (InvalidOperation, ValueError) as error:
            raise ValidationError(
                _("Bitte geben Sie eine Zahl ein, z. B. 1.234,50."), code="invalid"
            ) from error
        if self.places is not None and -number.as_tuple().exponent > self.places:
            raise ValidationError(
                _("Bitte höchstens %(places)d Stellen nach dem Komma.") % {"places": self.places}
            )
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(
                _("Der Wert muss mindestens %(min)s sein.") % {"min": _number(self.min_value)}
            )
        if self.max_value is not None and number > self.max_value:
            raise ValidationError(
                _("Der Wert darf höchstens %(max)s sein.") % {"max": _number(self.max_value)}
            )
        return number


def _number(value: Decimal | float | int, places: int | None = None) -> str:
    value = Decimal(value)
    if places is None:
        places = max(0, -value.normalize().as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def iban_is_valid(iban: str) -> bool:
    """ISO 13616 check digits (mod 97); German IBANs have 22 characters."""
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        return False
    if iban.startswith("DE") and len(iban) != 22:
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def _required_message(spec: Spec) -> str:
    return _("Bitte beantworten Sie: %(label)s") % {"label": spec["label"]}


def _help(spec: Spec) -> str:
    parts = [spec.get("help", "")]
    if spec.get("purpose"):
        parts.append(_("Wofür wir das brauchen: %(purpose)s") % {"purpose": spec["purpose"]})
    return " ".join(p for p in parts if p)


def _common(spec: Spec, required: bool) -> dict[str, Any]:
    return {
        "label": spec["label"],
        "required": required,
        "help_text": _help(spec),
        "error_messages": {"required": _required_message(spec)},
    }


class FieldType(ABC):
    """A question type: its Django form fields, its stored value, its line on a receipt."""

    @abstractmethod
    def form_fields(self, spec: Spec, name: str, required: bool) -> dict[str, forms.Field]:
        """The Django form fields (by input name) that ask this question."""

    def value(self, cleaned_data: dict[str, Any], name: str) -> Any:
        """The JSON-ready value from a valid form's ``cleaned_data``."""
        return cleaned_data.get(name)

    def display(self, spec: Spec, value: Any) -> str:
        return "" if value in (None, "", []) else str(value)


class SingleField(FieldType):
    """Most types: one Django field named like the question's key."""

    widget_attrs: dict[str, str] = {}

    def form_fields(self, spec: Spec, name: str, required: bool) -> dict[str, forms.Field]:
        return {name: self.field(spec, required)}

    @abstractmethod
    def field(self, spec: Spec, required: bool) -> forms.Field:
        """The Django form field for this spec."""


class Text(SingleField):
    default_max = 200
    widget: Callable[..., forms.Widget] = forms.TextInput

    def field(self, spec: Spec, required: bool) -> forms.Field:
        field = TextField(
            max_length=spec.get("max_length") or self.default_max,
            widget=self.widget(attrs=self.widget_attrs),
            **_common(spec, required),
        )
        if pattern := spec.get("pattern"):
            message = spec.get("pattern_message") or _("Die Eingabe hat nicht die erwartete Form.")
            field.validators.append(RegexValidator(f"^(?:{pattern})$", message))
        return field


class Textarea(Text):
    default_max = 5000

    def widget(self, attrs=None) -> forms.Widget:
        return forms.Textarea(attrs={"rows": 5, **(attrs or {})})


class Number(SingleField):
    places: int | None = None

    def field(self, spec: Spec, required: bool) -> forms.Field:
        return GermanDecimalField(
            min_value=_decimal(spec.get("min")),
            max_value=_decimal(spec.get("max")),
            places=self.places,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **_common(spec, required),
        )

    def value(self, cleaned_data: dict[str, Any], name: str) -> str | None:
        number = cleaned_data.get(name)
        return None if number is None else str(number)

    def display(self, spec: Spec, value: Any) -> str:
        if value in (None, ""):
            return ""
        unit = spec.get("unit", "")
        return f"{_number(Decimal(value))}{' ' + unit if unit else ''}"


class Money(Number):
    places = 2

    def display(self, spec: Spec, value: Any) -> str:
        return "" if value in (None, "") else f"{_number(Decimal(value), 2)}\u00a0€"


def _decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


class Date(SingleField):
    def field(self, spec: Spec, required: bool) -> forms.Field:
        rule = spec.get("date_rule", "")

        def check(value: date) -> None:
            today = timezone.localdate()
            if rule == "past" and value > today:
                raise ValidationError(_("Das Datum muss in der Vergangenheit liegen."))
            if rule == "future" and value < today:
                raise ValidationError(_("Das Datum darf nicht in der Vergangenheit liegen."))

        common = _common(spec, required)
        common["error_messages"]["invalid"] = _("Bitte geben Sie das Datum so ein: 26.11.2026.")
        return forms.DateField(
            input_formats=["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"],
            validators=[check],
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            **common,
        )

    def value(self, cleaned_data: dict[str, Any], name: str) -> str | None:
        day = cleaned_data.get(name)
        return day.isoformat() if day else None

    def display(self, spec: Spec, value: Any) -> str:
        return date.fromisoformat(value).strftime("%d.%m.%Y") if value else ""


def _options(spec: Spec) -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in spec.get("options", [])]


class Choice(SingleField):
    def field(self, spec: Spec, required: bool) -> forms.Field:
        options = _options(spec)
        common = _common(spec, required)
        common["error_messages"]["invalid_choice"] = _("Bitte wählen Sie eine der Möglichkeiten.")
        if len(options) <= 5:
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        return forms.ChoiceField(choices=[("", _("Bitte wählen")), *options], **common)

    def display(self, spec: Spec, value: Any) -> str:
        return dict(_options(spec)).get(value, value or "")


class YesNo(Choice):
    def field(self, spec: Spec, required: bool) -> forms.Field:
        return super().field({**spec, "options": [["ja", _("Ja")], ["nein", _("Nein")]]}, required)

    def display(self, spec: Spec, value: Any) -> str:
        return {"ja": _("Ja"), "nein": _("Nein")}.get(value, "")


class MultiChoice(SingleField):
    def field(self, spec: Spec, required: bool) -> forms.Field:
        common = _common(spec, required)
        common["error_messages"]["invalid_choice"] = _(
            "Bitte wählen Sie nur angebotene Möglichkeiten."
        )
        return forms.MultipleChoiceField(
            choices=_options(spec), widget=forms.CheckboxSelectMultiple, **common
        )

    def display(self, spec: Spec, value: Any) -> str:
        labels = dict(_options(spec))
        return ", ".join(labels.get(v, v) for v in value or [])


class Email(SingleField):
    def field(self, spec: Spec, required: bool) -> forms.Field:
        common = _common(spec, required)
        common["error_messages"]["invalid"] = _(
            "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de."
        )
        return forms.EmailField(
            max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}), **common
        )


class Phone(Text):
    widget_attrs = {"autocomplete": "tel", "inputmode": "tel"}

    def field(self, spec: Spec, required: bool) -> forms.Field:
        field = super().field({**spec, "max_length": 30}, required)
        field.validators.append(
            RegexValidator(PHONE, _("Bitte geben Sie eine Telefonnummer ein, z. B. 0211 123456."))
        )
        return field


class Iban(Text):
    widget_attrs = {"autocomplete": "off", "spellcheck": "false"}

    def field(self, spec: Spec, required: bool) -> forms.Field:
        field = super().field({**spec, "max_length": 42}, required)

        def check(value: str) -> None:
            if not iban_is_valid(normalise_iban(value)):
                raise ValidationError(
                    _("Diese IBAN stimmt nicht. Bitte prüfen Sie sie (22 Zeichen, beginnt mit DE).")
                )

        field.validators.append(check)
        return field

    def value(self, cleaned_data: dict[str, Any], name: str) -> str | None:
        return normalise_iban(cleaned_data.get(name) or "") or None

    def display(self, spec: Spec, value: Any) -> str:
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4)) if value else ""


def normalise_iban(value: str) -> str:
    return "".join(value.split()).upper()


class Address(FieldType):
    """Three inputs: street and number (with Düsseldorf street suggestions), postcode, city."""

    parts = ("street", "postcode", "city")

    def form_fields(self, spec: Spec, name: str, required: bool) -> dict[str, forms.Field]:
        base = _common(spec, required)
        street = TextField(
            max_length=150,
            label=_("Straße und Hausnummer"),
            required=required,
            help_text=base["help_text"],
            error_messages={"required": _("Bitte geben Sie Straße und Hausnummer an.")},
            widget=forms.TextInput(
                attrs={"list": "strassen-duesseldorf", "autocomplete": "street-address"}
            ),
        )
        postcode = forms.CharField(
            max_length=5,
            min_length=5,
            label=_("Postleitzahl"),
            required=required,
            error_messages={
                "required": _("Bitte geben Sie die Postleitzahl an."),
                "min_length": _("Die Postleitzahl hat fünf Ziffern."),
                "max_length": _("Die Postleitzahl hat fünf Ziffern."),
            },
            validators=[RegexValidator(r"^\d{5}$", _("Die Postleitzahl hat fünf Ziffern."))],
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
        )
        city = TextField(
            max_length=100,
            label=_("Ort"),
            required=required,
            initial="Düsseldorf",
            error_messages={"required": _("Bitte geben Sie den Ort an.")},
            widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
        )
        return {f"{name}__street": street, f"{name}__postcode": postcode, f"{name}__city": city}

    def value(self, cleaned_data: dict[str, Any], name: str) -> dict[str, str] | None:
        parts = {part: cleaned_data.get(f"{name}__{part}") or "" for part in self.parts}
        return parts if any(parts.values()) else None

    def display(self, spec: Spec, value: Any) -> str:
        if not value:
            return ""
        return f"{value['street']}, {value['postcode']} {value['city']}"


def check_address(value: dict[str, str] | None) -> str | None:
    """A German message if a Düsseldorf address has a postcode from elsewhere."""
    in_duesseldorf = value and value["city"].strip().lower() == "düsseldorf"
    if in_duesseldorf and not DUESSELDORF_POSTCODE.match(value["postcode"]):
        return _("Düsseldorfer Postleitzahlen liegen zwischen 40210 und 40629.")
    return None


class File(SingleField):
    """Uploads are stored as files of the case; the answer holds their ids."""

    def field(self, spec: Spec, required: bool) -> forms.Field:
        accept = ",".join(
            f".{kind}" for kind in spec.get("accept") or ["pdf", "jpeg", "jpg", "png"]
        )
        # Required is checked against the stored files, not the (possibly empty) new upload.
        return forms.FileField(
            label=spec["label"],
            required=False,
            help_text=_help(spec),
            widget=forms.ClearableFileInput(attrs={"accept": accept}),
        )

    def display(self, spec: Spec, value: Any) -> str:
        count = len(value or [])
        return _("keine Datei") if not count else _("%(n)d Datei(en)") % {"n": count}


TYPES: dict[str, FieldType] = {
    "text": Text(),
    "textarea": Textarea(),
    "number": Number(),
    "money": Money(),
    "date": Date(),
    "choice": Choice(),
    "multichoice": MultiChoice(),
    "yesno": YesNo(),
    "address": Address(),
    "iban": Iban(),
    "email": Email(),
    "phone": Phone(),
    "file": File(),
}

__all__ = ["DUESSELDORF_STREETS", "TYPES", "check_address", "iban_is_valid", "parse_decimal"]
