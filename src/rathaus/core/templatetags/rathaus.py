"""Template helpers shared by every module: KERN widgets, money and list formatting, the
language of a text."""

from decimal import Decimal
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

register = template.Library()


@register.filter
def widget_kind(field: BoundField) -> str:
    """Which KERN pattern a field needs: choices (fieldset), checkbox, select or input."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


def _described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def kern_widget(field: BoundField) -> SafeString:
    """Render the widget with KERN classes and the ARIA links to hint and error."""
    kind = widget_kind(field)
    error = bool(field.errors)
    if kind == "checkbox":
        css = "kern-form-check__checkbox"
    elif kind == "select":
        css = "kern-form-input__select"
    else:
        css = "kern-form-input__input"
    if error:
        css += f" {css}--error"
    attrs = {"class": css}
    if described := _described_by(field):
        attrs["aria-describedby"] = described
    if error:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def kern_choice(choice: BoundWidget, field: BoundField) -> SafeString:
    """Render one radio button or checkbox of a group in KERN markup."""
    # CheckboxSelectMultiple is a subclass of RadioSelect: ask for the input type.
    radio = field.field.widget.input_type == "radio"
    css = "kern-form-check__radio" if radio else "kern-form-check__checkbox"
    if field.errors:
        css += f" {css}--error"
    choice.data["attrs"] = {**choice.data.get("attrs", {}), "class": css}
    return choice.tag(wrap_label=False)


@register.filter
def euro(amount: Decimal | float | int | None) -> str:
    """Money with the active language's separators: ``1.234,50 €`` in German."""
    if amount is None:
        return ""
    number = number_format(Decimal(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{number}\u00a0€"


@register.filter
def percent(rate: float | None) -> str:
    """A rate between 0 and 1 as a percentage with one decimal: ``12,5 %`` in German."""
    return "" if rate is None else f"{number_format(rate * 100, 1)} %"


@register.filter
def points(difference: float | None) -> str:
    """A difference of two rates in percentage points: ``4,2 Prozentpunkte``."""
    if difference is None:
        return ""
    return gettext("%(n)s Prozentpunkte") % {"n": number_format(difference * 100, 1)}


@register.filter
def lines(text: str) -> list[str]:
    """The non-empty lines of a text field kept as one item per line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.filter
def lang_attr(text: Any) -> SafeString:
    """`` lang="de"`` for a text (anything with ``.language``) in another language than the
    page's, e.g. German content left untranslated on an English page; else nothing."""
    language = getattr(text, "language", "")
    if not language or language == get_language():
        return SafeString()
    return format_html(' lang="{}"', language)


@register.filter
def paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines."""
    return [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n") if p.strip()]


@register.simple_tag(takes_context=True)
def menu(context: template.Context, name: str) -> list:
    """The module links of a shared menu ("account", "staff") the current user may see."""
    from rathaus.core import navigation

    request = context.get("request")
    return navigation.sections(name, getattr(request, "user", None))
