"""The filters of the offer search, read from the address (``GET``).

Every field is optional. A value that makes no sense (an age of "zehn", a date in the
year 30000, a district that does not exist) gets a German message at its field and is
left out of the search; the other filters still apply, so a bad link never ends in an
error page. The address the form writes back (paging, calendar feed) holds only what
was valid.
"""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import TextField
from rathaus.offices.models import District

from ..models import Category, Offer
from ..services.search import TIMES_OF_DAY, WEEKDAYS, Filters, is_staff

__all__ = ["MAX_PAGE", "SearchForm", "page_number"]

MAX_QUERY_LENGTH = 100
MAX_AGE = 120
MAX_PAGE = 1000
_NUMBER = re.compile(r"[0-9]{1,3}")
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)

WEEKDAY_LABELS = {
    "mo": _("Montag"),
    "di": _("Dienstag"),
    "mi": _("Mittwoch"),
    "do": _("Donnerstag"),
    "fr": _("Freitag"),
    "sa": _("Samstag"),
    "so": _("Sonntag"),
}
TIME_LABELS = {
    "vormittags": Offer.TimeOfDay.MORNING.label,
    "nachmittags": Offer.TimeOfDay.AFTERNOON.label,
    "abends": Offer.TimeOfDay.EVENING.label,
}


def page_number(value: str | None) -> int:
    """The page asked for in ``?seite=``; 1 for anything that is not a page number."""
    try:
        return max(1, min(int((value or "1")[:5]), MAX_PAGE))
    except ValueError:
        return 1


class DistrictField(forms.ModelChoiceField):
    """A Stadtbezirk by its number (``?bezirk=3``); anything but a short number is refused
    before it reaches the database."""

    def to_python(self, value):
        if value not in self.empty_values and not _NUMBER.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SearchInput(forms.TextInput):
    input_type = "search"


def _day_field(label: str, help_text: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 10}),
        error_messages={"invalid": _("Bitte geben Sie das Datum als TT.MM.JJJJ an.")},
    )


class SearchForm(forms.Form):
    q = TextField(
        label=_("Suchbegriff"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text=_("Zum Beispiel: Schwimmkurs, Theater, Computerkurs"),
        widget=SearchInput(attrs={"autocomplete": "off"}),
    )
    kategorie = forms.ChoiceField(
        label=_("Kategorie"),
        required=False,
        error_messages={"invalid_choice": _("Bitte wählen Sie eine Kategorie aus der Liste.")},
    )
    alter = forms.IntegerField(
        label=_("Alter in Jahren"),
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        help_text=_("Zum Beispiel das Alter Ihres Kindes. Wir zeigen, was für dieses Alter passt."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3, "autocomplete": "off"}),
        error_messages={
            "invalid": _("Bitte geben Sie das Alter als ganze Zahl an, z. B. 6."),
            "min_value": _("Bitte geben Sie ein Alter ab 0 Jahren an."),
            "max_value": _("Bitte geben Sie ein Alter bis %(limit_value)s Jahre an."),
        },
    )
    von = _day_field(_("Von"), _("TT.MM.JJJJ – Angebote an diesem Tag oder später"))
    bis = _day_field(_("Bis"), _("TT.MM.JJJJ – Angebote, die spätestens an diesem Tag beginnen"))
    tag = forms.MultipleChoiceField(
        label=_("Wochentage"),
        required=False,
        choices=list(WEEKDAY_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Bitte wählen Sie Wochentage aus der Liste.")},
    )
    zeit = forms.MultipleChoiceField(
        label=_("Tageszeit"),
        required=False,
        choices=list(TIME_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Bitte wählen Sie Tageszeiten aus der Liste.")},
    )
    bezirk = DistrictField(
        label=_("Stadtbezirk"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("Alle Stadtbezirke"),
        to_field_name="number",
        error_messages={"invalid_choice": _("Diesen Stadtbezirk gibt es nicht.")},
    )
    stufenlos = forms.BooleanField(label=_("Nur stufenlos erreichbare Orte"), required=False)
    kostenlos = forms.BooleanField(label=_("Nur kostenlose Angebote"), required=False)
    frei = forms.BooleanField(label=_("Nur Angebote mit freien Plätzen"), required=False)

    # Behind "Weitere Filter" on the page (programs/_filters.html), open when one is set.
    MORE = ("alter", "von", "bis", "tag", "zeit", "bezirk", "stufenlos", "kostenlos", "frei")

    def __init__(self, data: QueryDict | None = None, *, user=None, **kwargs):
        super().__init__(data if data is not None else QueryDict(), **kwargs)
        staff = is_staff(user)
        self.fields["kategorie"].choices = [("", _("Alle Kategorien"))] + [
            (value, label)
            for value, label in Category.choices
            if staff or value != Category.STAFF_TRAINING
        ]

    def _check_day(self, name: str) -> date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(
                _("Bitte geben Sie ein Datum zwischen %(first)s und %(last)s an."),
                code="out_of_range",
                params={"first": FIRST_DAY.strftime("%d.%m.%Y"), "last": "31.12.2100"},
            )
        return day

    def clean_von(self) -> date | None:
        return self._check_day("von")

    def clean_bis(self) -> date | None:
        return self._check_day("bis")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("von") and data.get("bis") and data["bis"] < data["von"]:
            self.add_error("bis", _("Das Ende des Zeitraums liegt vor seinem Anfang."))
        return data

    def valid_data(self) -> dict:
        """The fields that were valid (all of them, when the form is)."""
        self.is_valid()
        return self.cleaned_data

    def filters(self) -> Filters:
        data = self.valid_data()
        return Filters(
            q=data.get("q") or "",
            category=data.get("kategorie") or "",
            age=data.get("alter"),
            district=data.get("bezirk"),
            date_from=data.get("von"),
            date_to=data.get("bis"),
            weekdays=[WEEKDAYS[day] for day in data.get("tag") or []],
            times_of_day=[TIMES_OF_DAY[time] for time in data.get("zeit") or []],
            free_only=bool(data.get("frei")),
            step_free=bool(data.get("stufenlos")),
            free_of_charge=bool(data.get("kostenlos")),
        )

    def query(self) -> QueryDict:
        """The valid filters as address parameters (for paging and the calendar feed)."""
        data = self.valid_data()
        query = QueryDict(mutable=True)
        for name in ("q", "kategorie"):
            if data.get(name):
                query[name] = data[name]
        if data.get("alter") is not None:
            query["alter"] = str(data["alter"])
        for name in ("von", "bis"):
            if data.get(name):
                query[name] = data[name].strftime("%d.%m.%Y")
        for name in ("tag", "zeit"):
            if data.get(name):
                query.setlist(name, data[name])
        if data.get("bezirk"):
            query["bezirk"] = str(data["bezirk"].number)
        for name in ("stufenlos", "kostenlos", "frei"):
            if data.get(name):
                query[name] = "1"
        return query

    def more_open(self) -> bool:
        """Whether the page opens "Weitere Filter": one of them is set or wrong."""
        query = self.query()
        return any(name in self.errors or name in query for name in self.MORE)
