"""The registration form (parents online; staff for a family), the answer to an offer, the
search for daycares.

Daycares are named in text fields with a shared list of suggestions (``<datalist>``): one
list of 450 names on the page instead of ten drop-downs with 450 entries each. A field takes
the suggestion ("Name (Nr. 123)"), the number alone or the exact name.
"""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import TextField
from rathaus.offices.models import District, Quarter

from .models import AuditAttributes, Daycare, GroupForm, Hours, Period

__all__ = [
    "AnswerForm",
    "AssistedRegistrationForm",
    "FindForm",
    "FindRegistrationForm",
    "RegistrationForm",
    "daycare_label",
    "months",
]

_LETTER = re.compile(r"[^\W\d_]")
_NUMBER = re.compile(r"(?:\(\s*Nr\.\s*(\d{1,9})\s*\)|^\s*(\d{1,9})\s*)$")
DATALIST = "kita-vorschlaege"
MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


def daycare_label(daycare: Daycare) -> str:
    return f"{daycare.name} (Nr. {daycare.pk})"


def months(period: Period) -> list[tuple[str, str]]:
    """The start months a family may choose, as ("2027-08", "August 2027")."""
    choices, day = [], period.start.replace(day=1)
    while day <= period.last_start:
        choices.append((day.strftime("%Y-%m"), f"{MONTHS[day.month - 1]} {day.year}"))
        day = day.replace(year=day.year + (day.month == 12), month=day.month % 12 + 1)
    return choices


class DaycareField(TextField):
    """A daycare named by its suggestion, number or exact name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"list": DATALIST, "autocomplete": "off"})
        )
        super().__init__(max_length=250, **kwargs)

    def clean(self, value):
        value = " ".join((super().clean(value) or "").split())
        if not value:
            return None
        match = _NUMBER.search(value)
        if match:
            found = Daycare.objects.filter(pk=int(match.group(1) or match.group(2))).first()
        else:
            named = list(Daycare.objects.filter(name__iexact=value)[:2])
            found = named[0] if len(named) == 1 else None
        if found is None:
            raise ValidationError(
                _(
                    "Wir finden keine Kita „%(value)s“. Bitte wählen Sie einen Vorschlag aus der "
                    "Liste oder geben Sie die Kita-Nummer an."
                ),
                code="unknown_daycare",
                params={"value": value[:80]},
            )
        return found


class RegistrationForm(forms.Form):
    """One child, its start and hours, the family's address and the facts the published
    criteria read, the ranked wishes and – voluntary, kept apart – the audit attributes."""

    child_given_name = TextField(label=_("Vorname des Kindes"), max_length=100)
    child_family_name = TextField(label=_("Familienname des Kindes"), max_length=100)
    birth_date = forms.DateField(
        label=_("Geburtsdatum des Kindes"),
        help_text=_("Zum Beispiel 14.03.2025"),
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d.%m.%Y", attrs={"inputmode": "numeric", "size": 10}),
        error_messages={"invalid": _("Bitte geben Sie das Datum so an: 14.03.2025.")},
    )
    start_month = forms.ChoiceField(
        label=_("Betreuung ab"),
        error_messages={"invalid_choice": _("Bitte wählen Sie einen Monat aus der Liste.")},
    )
    hours = forms.TypedChoiceField(
        label=_("Betreuungsumfang"),
        choices=Hours.choices,
        coerce=int,
        initial=Hours.H35,
        error_messages={"invalid_choice": _("Bitte wählen Sie 25, 35 oder 45 Stunden.")},
    )
    parent_name = TextField(
        label=_("Ihr Name (Elternteil oder sorgeberechtigte Person)"), max_length=200
    )
    email = forms.EmailField(label=_("E-Mail-Adresse"), required=False, max_length=254)
    phone = TextField(label=_("Telefon"), max_length=50, required=False)
    street = TextField(label=_("Straße und Hausnummer"), max_length=200)
    postcode = forms.RegexField(
        label=_("Postleitzahl"),
        regex=r"^\d{5}$",
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
        error_messages={"invalid": _("Bitte geben Sie die fünfstellige Postleitzahl an.")},
    )
    district = forms.ModelChoiceField(
        label=_("Stadtbezirk, in dem Sie wohnen"),
        queryset=District.objects.all(),
        empty_label=_("Bitte wählen"),
        error_messages={"invalid_choice": _("Bitte wählen Sie Ihren Stadtbezirk aus der Liste.")},
    )
    sibling = DaycareField(
        label=_("Ein Geschwisterkind wird schon betreut in"),
        help_text=_("Kinder mit Geschwisterkind in derselben Kita haben dort Vorrang."),
    )
    inclusion_needs = forms.BooleanField(
        label=_("Mein Kind hat besonderen Förderbedarf (Inklusion)"), required=False
    )
    parents_working = forms.BooleanField(
        label=_("Alle Sorgeberechtigten sind berufstätig, in Ausbildung oder im Studium"),
        required=False,
    )
    nationality = forms.ChoiceField(
        label=_("Staatsangehörigkeit des Kindes"),
        choices=[("", _("Keine Angabe")), *AuditAttributes.Nationality.choices],
        required=False,
    )
    home_language = forms.ChoiceField(
        label=_("Sprache in der Familie"),
        choices=[("", _("Keine Angabe")), *AuditAttributes.HomeLanguage.choices],
        required=False,
    )
    gender = forms.ChoiceField(
        label=_("Geschlecht des Kindes"),
        choices=[("", _("Keine Angabe")), *AuditAttributes.Gender.choices],
        required=False,
    )

    AUDIT = ("nationality", "home_language", "gender")

    def __init__(self, *args, period: Period, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        self.fields["start_month"].choices = months(period)
        self.wish_names = [f"wish_{n}" for n in range(1, period.max_wishes + 1)]
        for n, name in enumerate(self.wish_names, 1):
            self.fields[name] = DaycareField(label=_("Wunsch %(n)d") % {"n": n})
        first = self.fields["wish_1"]
        first.required = True
        first.error_messages["required"] = _("Bitte nennen Sie mindestens eine Kita.")
        first.help_text = _(
            "Ihr liebster Wunsch zuerst. Nennen Sie ruhig alle Kitas, die für Sie in Frage "
            "kommen: Weitere Wünsche verschlechtern Ihre Chancen bei den ersten nie."
        )

    def details_fields(self):
        return [
            self[name]
            for name in self.fields
            if name not in self.wish_names and name not in self.AUDIT and name != "sibling"
        ]

    def _name(self, field: str) -> str:
        name = " ".join(self.cleaned_data[field].split())
        if not _LETTER.search(name):
            raise ValidationError(
                _("Bitte geben Sie einen Namen mit Buchstaben an."), code="no_letters"
            )
        return name

    def clean_child_given_name(self) -> str:
        return self._name("child_given_name")

    def clean_child_family_name(self) -> str:
        return self._name("child_family_name")

    def clean_parent_name(self) -> str:
        return self._name("parent_name")

    def clean_start_month(self) -> date:
        year, month = self.cleaned_data["start_month"].split("-")
        return date(int(year), int(month), 1)

    def clean(self):
        cleaned = super().clean()
        wishes = [cleaned.get(name) for name in self.wish_names]
        named = [daycare for daycare in wishes if daycare is not None]
        seen = set()
        for name, daycare in zip(self.wish_names, wishes, strict=True):
            if daycare is not None and daycare.pk in seen:
                self.add_error(name, _("Diese Kita steht schon weiter oben in Ihrer Liste."))
            elif daycare is not None:
                seen.add(daycare.pk)
        if not named and not any(self.errors.get(name) for name in self.wish_names):
            self.add_error("wish_1", _("Bitte nennen Sie mindestens eine Kita."))
        cleaned["wishes"] = named
        return cleaned

    def details(self) -> dict:
        from .services.registrations import DETAILS

        return {name: self.cleaned_data[name] for name in DETAILS}

    def audit_attributes(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in self.AUDIT}

    def siblings(self) -> list[Daycare]:
        sibling = self.cleaned_data.get("sibling")
        return [sibling] if sibling else []

    @classmethod
    def initial_from(cls, registration) -> dict:
        initial = {
            name: getattr(registration, name)
            for name in (
                "child_given_name",
                "child_family_name",
                "birth_date",
                "hours",
                "parent_name",
                "email",
                "phone",
                "street",
                "postcode",
                "inclusion_needs",
                "parents_working",
            )
        }
        initial["district"] = registration.district_id
        initial["start_month"] = registration.start_month.strftime("%Y-%m")
        for wish in registration.wishes.select_related("daycare"):
            initial[f"wish_{wish.rank}"] = daycare_label(wish.daycare)
        sibling = registration.sibling_daycares.first()
        if sibling:
            initial["sibling"] = daycare_label(sibling)
        attributes = AuditAttributes.objects.filter(registration=registration).first()
        for name in cls.AUDIT:
            initial[name] = getattr(attributes, name, "") if attributes else ""
        return initial


class AssistedRegistrationForm(RegistrationForm):
    """Staff register for a family at the counter, on the phone or from a paper form; with
    the family's account if it has one (the registration then shows in it)."""

    channel = forms.ChoiceField(
        label=_("Wie kam die Anmeldung?"),
        choices=[
            ("counter", _("Vor Ort am Schalter")),
            ("phone", _("Telefon")),
            ("paper", _("Anmeldebogen auf Papier")),
        ],
        error_messages={"invalid_choice": _("Bitte wählen Sie Schalter, Telefon oder Papier.")},
    )
    account_email = forms.EmailField(
        label=_("Konto der Familie (E-Mail-Adresse, falls vorhanden)"),
        required=False,
        max_length=254,
    )

    def clean_account_email(self):
        from rathaus.accounts.models import User

        email = self.cleaned_data["account_email"]
        if not email:
            return None
        account = User.objects.filter(email__iexact=email, is_staff=False).first()
        if account is None:
            raise ValidationError(
                _(
                    "Es gibt kein Konto mit dieser Adresse. Lassen Sie das Feld leer, wenn die "
                    "Familie kein Konto hat."
                ),
                code="no_account",
            )
        return account

    def details_fields(self):
        staff = ("channel", "account_email")
        return [self[name] for name in staff] + [
            field for field in super().details_fields() if field.name not in staff
        ]


class FindRegistrationForm(forms.Form):
    """Staff look up a registration by the child's name and birth date."""

    q = TextField(label=_("Name des Kindes oder des Elternteils"), max_length=100, required=False)
    geburtsdatum = forms.DateField(
        label=_("Geburtsdatum des Kindes"),
        required=False,
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d.%m.%Y", attrs={"inputmode": "numeric", "size": 10}),
        error_messages={"invalid": _("Bitte geben Sie das Datum so an: 14.03.2025.")},
    )


class AnswerForm(forms.Form):
    """Accept (``annehmen``) or decline (``ablehnen``) an offered place."""

    antwort = forms.ChoiceField(
        choices=[("annehmen", _("Annehmen")), ("ablehnen", _("Ablehnen"))],
        error_messages={
            "required": _("Bitte wählen Sie: annehmen oder ablehnen."),
            "invalid_choice": _("Bitte wählen Sie: annehmen oder ablehnen."),
        },
    )


class FindForm(forms.Form):
    """Find daycares: by district, the child's age group, the hours needed, a word."""

    q = TextField(label=_("Name oder Stichwort"), max_length=100, required=False)
    bezirk = forms.ModelChoiceField(
        label=_("Stadtbezirk"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("Alle Stadtbezirke"),
    )
    gruppe = forms.ChoiceField(
        label=_("Alter des Kindes"),
        choices=[
            ("", _("Jedes Alter")),
            ("II", _("unter 3 Jahren")),
            ("III", _("3 Jahre bis Schuleintritt")),
        ],
        required=False,
    )
    stunden = forms.TypedChoiceField(
        label=_("Betreuungsumfang"),
        choices=[("", _("Jeder Umfang")), *Hours.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    wohnort = forms.ModelChoiceField(
        label=_("Nach Entfernung sortieren von (Ihr Stadtteil)"),
        queryset=Quarter.objects.order_by("name"),
        required=False,
        empty_label=_("Nicht nach Entfernung sortieren"),
        error_messages={"invalid_choice": _("Bitte wählen Sie einen Stadtteil aus der Liste.")},
    )
    art = forms.ChoiceField(
        label=_("Art"),
        choices=[("", _("Kitas und Tagespflege")), *Daycare.Kind.choices],
        required=False,
    )

    GROUPS = {"II": (GroupForm.II, GroupForm.I), "III": (GroupForm.III, GroupForm.I)}
