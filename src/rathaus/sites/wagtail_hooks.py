"""Wagtail admin hooks: the service chooser, the easy-language check after saving, no user
administration in the CMS (staff accounts, their passkeys and groups are kept in the
Verwaltung, /verwaltung/), and the translation editor kept to the four-eyes rule."""

import json

from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _
from wagtail import hooks

from rathaus.language import easy_language

from . import admin_views, translation
from .choosers import service_chooser_viewset
from .models import SitePage

SHOWN_HINTS = 3


@hooks.register("register_admin_viewset")
def register_service_chooser():
    return service_chooser_viewset


@hooks.register("register_admin_urls")
def translation_urls():
    """Before wagtail-localize's own URLs of the same paths (this app comes first)."""
    return [
        path(
            "localize/translate/<int:translation_id>/machine_translate/",
            admin_views.machine_translate,
        ),
        path("localize/update/<int:translation_source_id>/", admin_views.update_translations),
    ]


@hooks.register("before_edit_page", order=-1)
def publish_translation(request, page):
    """The translation editor's "Veröffentlichen": by a second person, through
    ``translation.publish`` (wagtail-localize would publish as the system)."""
    if request.method != "POST" or request.POST.get("action") != "publish":
        return None
    target = translation.editor_translation(page)
    if target is None:
        return None
    if refusal := translation.publish(target, page, request.user):
        messages.error(request, refusal)
    else:
        messages.success(
            request,
            _("„%(title)s“ ist jetzt auf %(language)s online.")
            % {
                "title": page.title,
                "language": get_language_info(target.target_locale.language_code)[
                    "name_translated"
                ],
            },
        )
    return redirect(request.path)


@hooks.register("construct_main_menu")
def hide_user_administration(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "settings"]


@hooks.register("insert_global_admin_js")
def admin_script():
    """``sites/admin.js``, with the chooser addresses wagtail-localize sets inline."""
    chooser_urls = {
        "imageChooser": reverse("wagtailimages_chooser:choose"),
        "documentChooser": reverse("wagtaildocs_chooser:choose"),
        "pageChooser": reverse("wagtailadmin_choose_page"),
    }
    return format_html(
        '<script src="{}" data-chooser-urls="{}" defer></script>',
        static("sites/admin.js"),
        json.dumps(chooser_urls),
    )


@hooks.register("insert_global_admin_css")
def admin_styles():
    """``sites/admin.css``: contrast corrections to wagtail-localize's translation editor."""
    return format_html('<link rel="stylesheet" href="{}">', static("sites/admin.css"))


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def easy_language_hints(request, page):
    """The checker of the Leichte-Sprache texts (``rathaus language check``) reads the page's
    text in Leichter Sprache after each save: hints, not a refusal (people decide)."""
    text = page.specific.easy_language if isinstance(page.specific, SitePage) else ""
    if not text.strip() or not (findings := easy_language.check(text)):
        return
    shown = "; ".join(
        _("Zeile %(line)d: „%(text)s“ – %(hint)s")
        % {"line": finding.line, "text": finding.text[:60], "hint": finding.hint}
        for finding in findings[:SHOWN_HINTS]
    )
    more = len(findings) - SHOWN_HINTS
    messages.warning(
        request,
        ngettext(
            "Leichte Sprache: %(count)d Hinweis. %(shown)s",
            "Leichte Sprache: %(count)d Hinweise. %(shown)s",
            len(findings),
        )
        % {"count": len(findings), "shown": shown}
        + (" " + _("… und %(more)d weitere.") % {"more": more} if more > 0 else ""),
    )
