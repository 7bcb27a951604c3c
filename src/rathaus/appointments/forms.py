"""Forms of the appointments module: what residents and staff type, checked with German
messages; times travel as ``tag`` (2026-12-01) and ``zeit`` (08:30) parameters."""

from datetime import date, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rathaus.catalog.models import Service
from rathaus.core.forms import TextField
from rathaus.offices.models import District

from .models import UNIT_MINUTES, Counter, OfficeService
from .services.booking import normalise_phone

MAX_PERSONS = 5


def bookable_services():
    ids = OfficeService.objects.filter(is_active=True).values("service_id")
    return Service.objects.published().filter(pk__in=ids).order_by("title")


class ServicesField(forms.ModelMultipleChoiceField):
    """Services by slug (``?leistung=personalausweis-beantragen&leistung=…``)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            queryset=bookable_services(),
            to_field_name="slug",
            label=_("Ihr Anliegen"),
            help_text=_("Sie können mehrere Leistungen in einem Termin erledigen."),
            error_messages={
                "required": _("Bitte wählen Sie mindestens eine Leistung."),
                "invalid_choice": _("Diese Leistung kann nicht online gebucht werden."),
                "invalid_pk_value": _("Diese Leistung kann nicht online gebucht werden."),
                "list": _("Bitte wählen Sie mindestens eine Leistung."),
            },
            **kwargs,
        )

    def label_from_instance(self, obj: Service) -> str:
        return obj.title


def persons_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Für wie viele Personen?"),
        help_text=_("Zum Beispiel für die Ausweise der ganzen Familie."),
        choices=[(n, str(n)) for n in range(1, MAX_PERSONS + 1)],
        coerce=int,
        initial=1,
        error_messages={
            "invalid_choice": _("Bitte wählen Sie 1 bis 5 Personen."),
            "required": _("Bitte wählen Sie, für wie viele Personen der Termin ist."),
        },
    )


class SearchForm(forms.Form):
    leistung = ServicesField()
    personen = persons_field()
    bezirk = forms.ModelChoiceField(
        label=_("Stadtbezirk (freiwillig)"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("Alle Stadtbezirke"),
        to_field_name="number",
        error_messages={"invalid_choice": _("Diesen Stadtbezirk gibt es nicht.")},
    )


class ChoiceForm(forms.Form):
    """What to book at one office (the calendar and booking pages carry it in the address)."""

    leistung = ServicesField()
    personen = persons_field()


def parse_time(day_text: str, time_text: str) -> tuple[date, int] | None:
    """``("2026-12-01", "08:30")`` → ``(date(2026, 12, 1), 102)``; ``None`` if nonsense."""
    try:
        day = date.fromisoformat((day_text or "")[:10])
        moment = time.fromisoformat((time_text or "")[:5])
    except ValueError:
        return None
    if moment.minute % UNIT_MINUTES:
        return None
    return day, (moment.hour * 60 + moment.minute) // UNIT_MINUTES


def date_field() -> forms.DateField:
    return forms.DateField(
        label=_("Datum"),
        help_text=_("TT.MM.JJJJ"),
        error_messages={
            "required": _("Bitte geben Sie das Datum an."),
            "invalid": _("Bitte geben Sie das Datum als TT.MM.JJJJ an."),
        },
    )


class ContactForm(forms.Form):
    """Who comes: a name (shown at the counter) and one way to reach them."""

    name = TextField(
        label=_("Vor- und Nachname"),
        max_length=150,
        help_text=_(
            "Der Termin ist persönlich: Am Schalter wird der Name mit Ihrem Ausweis verglichen. "
            "Er lässt sich nach der Buchung nicht mehr ändern."
        ),
        error_messages={"required": _("Bitte geben Sie Ihren Namen an.")},
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_("Dorthin senden wir den Link zur Bestätigung und die Terminbestätigung."),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de."),
        },
    )
    phone = TextField(
        label=_("Telefonnummer (freiwillig)"),
        max_length=30,
        required=False,
        help_text=_("Nur für Rückfragen, falls der Termin ausfallen muss."),
    )

    def __init__(self, *args, email_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = email_required
        if not email_required:
            self.fields["email"].label = _("E-Mail-Adresse (wenn vorhanden)")
            self.fields["phone"].label = _("Telefonnummer")
            self.fields["phone"].help_text = _("Telefon oder E-Mail: eines von beiden.")

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2 or not any(ch.isalpha() for ch in name):
            raise ValidationError(_("Bitte geben Sie Ihren Namen an, wie er im Ausweis steht."))
        if any(ch in name for ch in "<>{}[]\\/@#$%^*=|~"):
            raise ValidationError(_("Der Name darf keine Sonderzeichen wie < > / @ enthalten."))
        return name

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not normalise_phone(phone):
            raise ValidationError(
                _("Bitte geben Sie eine Telefonnummer mit Vorwahl an, z. B. 0211 1234567.")
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("email") and not cleaned.get("phone"):
            raise ValidationError(_("Bitte geben Sie eine E-Mail-Adresse oder Telefonnummer an."))
        return cleaned


class WalkInForm(forms.Form):
    note = TextField(label=_("Anliegen (freiwillig)"), max_length=200, required=False)


class BlockForm(forms.Form):
    counters = forms.ModelMultipleChoiceField(
        label=_("Schalter"),
        queryset=Counter.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte wählen Sie mindestens einen Schalter.")},
    )
    day = date_field()
    start = forms.TimeField(
        label=_("von"),
        error_messages={
            "required": _("Bitte geben Sie den Beginn an."),
            "invalid": _("Bitte geben Sie die Uhrzeit als HH:MM an."),
        },
    )
    end = forms.TimeField(
        label=_("bis"),
        error_messages={
            "required": _("Bitte geben Sie das Ende an."),
            "invalid": _("Bitte geben Sie die Uhrzeit als HH:MM an."),
        },
    )
    reason = TextField(label=_("Grund"), max_length=200, required=False)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counters"].queryset = Counter.objects.filter(office=office, is_active=True)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("Das Ende muss nach dem Beginn liegen."))
        return cleaned


class CloseDayForm(forms.Form):
    day = date_field()
    reason = TextField(
        label=_("Grund (steht in der Absage an die Bürgerinnen und Bürger)"),
        max_length=200,
        error_messages={"required": _("Bitte nennen Sie den Grund.")},
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_day(self) -> date:
        day = self.cleaned_data["day"]
        if day < self.today:
            raise ValidationError(_("Vergangene Tage können nicht geschlossen werden."))
        return day


def parse_day(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default
