"""Wagtail admin hooks: the service chooser, the easy-language check after saving, and no
user administration in the CMS (staff accounts, their passkeys and groups are kept in the
Verwaltung, /verwaltung/)."""

from django.contrib import messages
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks

from rathaus.language import easy_language

from .choosers import service_chooser_viewset
from .models import SitePage

SHOWN_HINTS = 3


@hooks.register("register_admin_viewset")
def register_service_chooser():
    return service_chooser_viewset


@hooks.register("construct_main_menu")
def hide_user_administration(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "settings"]


@hooks.register("insert_global_admin_js")
def start_date_pickers():
    return format_html('<script src="{}" defer></script>', static("sites/admin.js"))


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
