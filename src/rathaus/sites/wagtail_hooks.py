"""Wagtail admin hooks: the service chooser, and no user administration in the CMS (staff
accounts, their passkeys and groups are kept in the Verwaltung, /verwaltung/)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .choosers import service_chooser_viewset


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
