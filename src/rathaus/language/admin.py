"""The language module in the back office.

The checker where staff write easy-language texts: a back-office page that mixes in
``EasyLanguageHints`` shows the hints for the saved text below the field and says after
saving how many there are. Hints never block saving: staff decide (a name of an office may
stay long). Besides: machine translations to review, and the questions residents shared
with the service assistant."""

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rathaus.core.admin import PolicyAdmin, ReadOnlyAdmin

from . import easy_language
from .models import ContentTranslation, LoggedQuestion


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


@admin.register(LoggedQuestion)
class LoggedQuestionAdmin(ReadOnlyAdmin):
    """What residents chose to share with the catalogue editors: which questions found
    nothing or the wrong service (then a synonym or keyword is missing)."""

    policy_action = "catalog.edit"
    list_display = ("question", "found", "language", "easy", "day")
    list_filter = ("language", "easy", "day")
    search_fields = ("question", "found")


@admin.register(ContentTranslation)
class ContentTranslationAdmin(PolicyAdmin):
    """Staff read machine translations, correct them and mark them reviewed; the page then
    shows them without the "machine-translated" note until the German text changes."""

    policy_action = "catalog.edit"
    list_display = ("subject", "field", "language", "is_reviewed", "updated_at")
    list_filter = ("language", ("reviewed_at", admin.EmptyFieldListFilter), "field")
    search_fields = ("text",)
    fields = ("subject_link", "field", "language", "text", "reviewed_by", "reviewed_at")
    readonly_fields = ("subject_link", "field", "language", "reviewed_by", "reviewed_at")
    actions = ("mark_reviewed",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("Geprüft"), boolean=True)
    def is_reviewed(self, obj: ContentTranslation) -> bool:
        return obj.reviewed

    @admin.display(description=_("Inhalt"))
    def subject_link(self, obj: ContentTranslation) -> str:
        return str(obj.subject)

    def save_model(self, request: HttpRequest, obj: ContentTranslation, form, change) -> None:
        """Saving a corrected text is a review of it."""
        obj.reviewed_by, obj.reviewed_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Als geprüft markieren"))
    def mark_reviewed(self, request: HttpRequest, queryset) -> None:
        count = queryset.update(reviewed_by=request.user, reviewed_at=timezone.now())
        self.message_user(
            request,
            ngettext(
                "%(count)d Übersetzung als geprüft markiert.",
                "%(count)d Übersetzungen als geprüft markiert.",
                count,
            )
            % {"count": count},
        )
