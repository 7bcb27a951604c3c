from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.core.forms import TextField

from .search.analysis import MAX_QUERY_LENGTH


class SearchInput(forms.TextInput):
    input_type = "search"


class SearchForm(forms.Form):
    q = TextField(
        label=_("Wonach suchen Sie?"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text=_("Zum Beispiel: Personalausweis, Ummeldung, Hundesteuer"),
        widget=SearchInput(attrs={"autocomplete": "off"}),
    )
