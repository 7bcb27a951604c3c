"""The public filters of the council pages (GET): nothing is required, and a wrong value is
named next to its field and otherwise ignored, so the list still answers."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import FilterForm, TextField

from .models import Organization, Paper


class YearField(forms.IntegerField):
    def __init__(self) -> None:
        super().__init__(
            label=_("Jahr"),
            required=False,
            min_value=1990,
            max_value=2100,
            error_messages={
                "invalid": _("Bitte geben Sie ein Jahr wie 2026 ein."),
                "min_value": _("Bitte geben Sie ein Jahr ab 1990 ein."),
                "max_value": _("Bitte geben Sie ein Jahr bis 2100 ein."),
            },
            widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
        )


class MeetingFilterForm(FilterForm):
    gremium = forms.ModelChoiceField(
        label=_("Gremium"),
        required=False,
        queryset=Organization.objects.filter(
            deleted=False, organization_type=Organization.Type.BOARD
        ),
        empty_label=_("Alle Gremien"),
        error_messages={"invalid_choice": _("Dieses Gremium gibt es nicht.")},
    )
    jahr = YearField()


class PaperSearchForm(FilterForm):
    q = TextField(label=_("Suchbegriff oder Drucksachennummer"), required=False, max_length=100)
    art = forms.ChoiceField(
        label=_("Art"),
        required=False,
        error_messages={"invalid_choice": _("Diese Art von Drucksache gibt es nicht.")},
    )
    jahr = YearField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = (
            Paper.objects.filter(deleted=False)
            .order_by("paper_type")
            .values_list("paper_type", flat=True)
            .distinct()
        )
        self.fields["art"].choices = [("", _("Alle Arten")), *((kind, kind) for kind in kinds)]
