"""The checker where staff write easy-language texts: a back-office page that mixes in
``EasyLanguageHints`` shows the hints for the saved text below the field and says after
saving how many there are. Hints never block saving: staff decide (a name of an office may
stay long)."""

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import easy_language


class EasyLanguageHints:
    """ModelAdmin mixin; put ``"easy_language_hints"`` in ``readonly_fields`` and in the
    fieldset after the field named by ``easy_language_field``."""

    easy_language_field = "easy_language"

    def _easy_text(self, obj: Any) -> str:
        return (getattr(obj, self.easy_language_field, "") or "") if obj is not None else ""

    @admin.display(description=_("Prüfung Leichte Sprache"))
    def easy_language_hints(self, obj: Any) -> str:
        text = self._easy_text(obj)
        if not text.strip():
            return _("Noch kein Text in Leichter Sprache.")
        findings = easy_language.check(text)
        if not findings:
            return _("Keine Hinweise: Der Text hält die Regeln ein, die die Prüfung kennt.")
        return format_html(
            '<p>{}</p><ul class="easy-language-hints">{}</ul>',
            ngettext("%(count)d Hinweis:", "%(count)d Hinweise:", len(findings))
            % {"count": len(findings)},
            format_html_join(
                "",
                "<li>{}: <q>{}</q> – {}</li>",
                (
                    (
                        _("Zeile %(line)d, Spalte %(column)d")
                        % {"line": f.line, "column": f.column},
                        f.text if len(f.text) <= 60 else f.text[:57] + "…",
                        f.hint,
                    )
                    for f in findings
                ),
            ),
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """After the whole page is saved (pages may write the object their own way)."""
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        text = self._easy_text(form.instance)
        if count := len(easy_language.check(text)) if text.strip() else 0:
            messages.warning(
                request,
                ngettext(
                    "Leichte Sprache: %(count)d Hinweis – siehe „Prüfung Leichte Sprache“.",
                    "Leichte Sprache: %(count)d Hinweise – siehe „Prüfung Leichte Sprache“.",
                    count,
                )
                % {"count": count},
            )
