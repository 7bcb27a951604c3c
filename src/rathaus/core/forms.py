"""Form rendering and input rules shared by every module.

``KernFormRenderer`` renders every Django form in KERN markup with the German
error-summary pattern: a list at the top linking to each field, and the message
again at the field. ``TextField`` refuses control characters, which have no place
in anything a person types.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

__all__ = [
    "FilterForm",
    "KernFormRenderer",
    "TextField",
    "posted",
    "reject_control_characters",
    "reject_control_characters_in",
]

# Tab, line feed and carriage return are fine in long text; the rest of C0/C1 is not.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def reject_control_characters(value: str) -> None:
    if _CONTROL.search(value or ""):
        raise ValidationError(
            _("Der Text enthält unsichtbare Steuerzeichen. Bitte geben Sie ihn erneut ein."),
            code="control_characters",
        )


def reject_control_characters_in(form: forms.BaseForm) -> None:
    """The rule of ``TextField`` for the text fields a ModelForm made from its model."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField):
            field.validators.append(reject_control_characters)


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST, even an empty one (``request.POST or None`` would drop it)."""
    return request.POST if request.method == "POST" else None


class TextField(forms.CharField):
    """A CharField with a length limit stated in German and no control characters."""

    default_validators = [reject_control_characters]

    def __init__(self, *, max_length: int, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]
        self.validators.append(
            MaxLengthValidator(
                max_length,
                message=_(
                    "Bitte kürzen Sie Ihre Eingabe auf höchstens %(limit_value)d Zeichen "
                    "(derzeit %(show_value)d)."
                ),
            )
        )


class FilterForm(forms.Form):
    """Public filters of a list (GET): nothing is required, and a wrong value is named next
    to its field and otherwise ignored, so the list still answers."""

    def value(self, name: str) -> Any:
        """The field's value if it was valid, else nothing (the filter is left out)."""
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None


class KernFormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class AccessibilityFeedbackForm(forms.Form):
    message = TextField(
        label=_("Ihre Nachricht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Beschreiben Sie, welche Barriere Sie gefunden haben."),
        error_messages={"required": _("Bitte beschreiben Sie die Barriere.")},
    )
    page_url = TextField(
        label=_("Betroffene Seite"),
        max_length=500,
        required=False,
        help_text=_("Adresse oder Name der Seite, falls Sie sie kennen."),
    )
    name = TextField(label=_("Ihr Name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        required=False,
        help_text=_("Nur wenn Sie eine Antwort wünschen."),
        error_messages={
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.")
        },
    )
    # Filled in only by bots that fill in every field; hidden from people and screen readers.
    website = forms.CharField(required=False, widget=forms.HiddenInput)
