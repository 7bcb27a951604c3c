"""Translations of the pages (wagtail-localize), kept to the rules of German pages.

- **One address in every language.** A page's slug is synchronised, not translated; the
  visitor's language (the switch in the header, as everywhere in Rathaus) picks the live
  translation of the page at that address, and a page not yet translated is shown in German
  with a note (``views.serve``, ``localized``).
- **Four eyes.** wagtail-localize publishes from its translation editor as the system, past
  the workflow. Here a translation goes live only through ``publish``: by a member of the
  site's reviewers who translated none of its texts, complete, and free of accessibility
  findings (``SitePage.publish`` refuses every other way for a page not in German).
- **Rights.** A translated home page sits beside the German one in the page tree, so the
  site's editors and reviewers get the same rights and workflow there (``tree_copied``).
- **Machine translation** through the language module's backend (LibreTranslate or an
  OpenAI-compatible endpoint), HTML tags kept.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import GroupPagePermission, Locale, Page, WorkflowPage
from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.models import SegmentOverride, StringSegment, StringTranslation, Translation
from wagtail_localize.strings import StringValue

from rathaus.language import translations

from .models import ReviewTask

# Set while a reviewer's approved publishing (or the demo loader) runs: the model's guard lets
# a translation go live without a user only then.
_approved_publishing: ContextVar[bool] = ContextVar("approved_publishing", default=False)


class MachineTranslator(BaseMachineTranslator):
    """wagtail-localize's "Übersetzen mit …" button, through ``rathaus.language``."""

    display_name = "Rathaus-Übersetzungsdienst"

    def translate(self, source_locale, target_locale, strings) -> dict:
        strings = list(strings)
        texts = translations.machine_translate(
            [string.data for string in strings], target_locale.language_code, html=True
        )
        return {string: StringValue(text) for string, text in zip(strings, texts, strict=True)}

    def can_translate(self, source_locale, target_locale) -> bool:
        return (
            translations.configured()
            and source_locale.language_code == translations.SOURCE_LANGUAGE
            and target_locale.language_code != source_locale.language_code
        )


# Locale ids by language code: every page view asks several times, and locales change only
# by a migration or an administrator (``forget_locales`` runs on both).
_locale_ids: dict[str, int] = {}


def _locale_id(language_code: str) -> int | None:
    try:
        code = get_supported_content_language_variant(language_code)
    except LookupError:
        return None
    if code not in _locale_ids:
        found = Locale.objects.filter(language_code=code).values_list("pk", flat=True).first()
        if found is None:
            return None
        _locale_ids[code] = found
    return _locale_ids[code]


def forget_locales(**kwargs) -> None:
    _locale_ids.clear()


def default_locale_id() -> int | None:
    return _locale_id(settings.LANGUAGE_CODE)


def active_locale_id() -> int | None:
    """The locale of the visitor's language (German when there is none for it)."""
    return _locale_id(get_language() or settings.LANGUAGE_CODE) or default_locale_id()


def source_of(page: Page) -> Page:
    """The German page that ``page`` translates (``page`` itself when it is German)."""
    default = default_locale_id()
    if page.locale_id == default:
        return page
    source = Page.objects.filter(translation_key=page.translation_key, locale_id=default).first()
    return source.specific if source is not None else page


def localized(pages: Sequence[Page], *, specific: bool = False) -> list[Page]:
    """The live translations of ``pages`` in the visitor's language, in one query; a page
    without one stays as it is (German). An alias is no translation: Wagtail makes the
    untranslated parents of a translated page aliases of the German ones."""
    pages = list(pages)
    locale_id = active_locale_id()
    if locale_id is None or all(page.locale_id == locale_id for page in pages):
        return pages
    found = Page.objects.live().filter(
        translation_key__in=[page.translation_key for page in pages],
        locale_id=locale_id,
        alias_of__isnull=True,
    )
    if specific:
        found = found.specific()
    by_key = {page.translation_key: page for page in found}
    return [by_key.get(page.translation_key, page) for page in pages]


# --- publishing ---------------------------------------------------------------------------


def translators(translation: Translation) -> set[int]:
    """Everyone who wrote a text of this translation (by hand or with the machine button)."""
    strings = StringTranslation.objects.filter(
        locale_id=translation.target_locale_id,
        context__object_id=translation.source.object_id,
    ).values_list("last_translated_by_id", flat=True)
    overrides = SegmentOverride.objects.filter(
        locale_id=translation.target_locale_id,
        context__object_id=translation.source.object_id,
    ).values_list("last_translated_by_id", flat=True)
    return {*strings, *overrides} - {None}


def missing_texts(translation: Translation) -> int:
    segments = StringSegment.objects.filter(source=translation.source)
    return (
        segments.annotate_translation(translation.target_locale)
        .filter(translation__isnull=True)
        .count()
    )


def editor_translation(page: Page) -> Translation | None:
    """The translation that wagtail-localize's editor shows for ``page``, if any."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=True,
        )
        .select_related("source", "target_locale")
        .first()
    )


def publish_refusal(translation: Translation, page: Page, user) -> str | None:
    """Why ``user`` may not publish this translation now, or None."""
    if not page.permissions_for_user(user).can_publish():
        return _(
            "Übersetzungen veröffentlicht eine Person aus der Freigabegruppe des Auftritts. "
            "Bitten Sie sie darum, wenn alle Texte übersetzt sind."
        )
    if user.pk in translators(translation):
        return _(
            "An dieser Übersetzung haben Sie selbst mitgeschrieben. Veröffentlichen muss eine "
            "zweite Person."
        )
    if missing := missing_texts(translation):
        return ngettext(
            "Noch %(count)d Text ist nicht übersetzt. Eine Seite geht nur vollständig in "
            "einer Sprache online.",
            "Noch %(count)d Texte sind nicht übersetzt. Eine Seite geht nur vollständig in "
            "einer Sprache online.",
            missing,
        ) % {"count": missing}
    return None


def publish(translation: Translation, page: Page, user) -> str | None:
    """Publish the translation as ``user`` after the checks; the refusal, or None when live.

    The draft is written as the system (the translators are recorded with their texts), so
    the model's own guard sees ``user`` as the second person."""
    if refusal := publish_refusal(translation, page, user):
        return refusal
    try:
        with transaction.atomic():
            translation.source.create_or_update_translation(
                translation.target_locale, user=None, publish=False, copy_parent_pages=True
            )
            revision = page.specific_class.objects.get(pk=page.pk).get_latest_revision()
            with approved():
                revision.publish(user=user, skip_permission_checks=True)
    except PermissionDenied as refused:
        return str(refused)
    return None


def unapproved(page: Page, user) -> bool:
    """Whether a page in another language than German is going live without a second
    person: by wagtail-localize's own publishing (no user) outside ``publish``."""
    return user is None and not _approved_publishing.get() and page.locale_id != default_locale_id()


@contextmanager
def approved() -> Iterator[None]:
    """Publishing that has passed the checks (``publish``, the demo loader)."""
    token = _approved_publishing.set(True)
    try:
        yield
    finally:
        _approved_publishing.reset(token)


# --- rights in the translated trees ------------------------------------------------------


def tree_copied(sender, source_obj, target_obj, **kwargs) -> None:
    """A translated home page (``copy_for_translation_done``) gets the German home's rights
    and workflow; reviewers may publish there, through ``publish`` only."""
    if not isinstance(target_obj, Page) or target_obj.depth != 2:
        return
    publish_right = Permission.objects.get(
        content_type__app_label="wagtailcore", codename="publish_page"
    )
    for grant in GroupPagePermission.objects.filter(page_id=source_obj.pk):
        GroupPagePermission.objects.get_or_create(
            group_id=grant.group_id, page=target_obj, permission_id=grant.permission_id
        )
    for workflow_page in WorkflowPage.objects.filter(page_id=source_obj.pk):
        WorkflowPage.objects.get_or_create(
            page=target_obj, defaults={"workflow": workflow_page.workflow}
        )
        for task in ReviewTask.objects.filter(workflow_tasks__workflow=workflow_page.workflow):
            for group in task.groups.all():
                GroupPagePermission.objects.get_or_create(
                    group=group, page=target_obj, permission=publish_right
                )
