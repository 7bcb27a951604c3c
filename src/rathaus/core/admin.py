"""The back office shell (/verwaltung/) and what every audited admin page shares."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import AccessibilityFeedback, AuditEntry

admin.site.site_header = _("Digitales Rathaus – Verwaltung")
admin.site.site_title = _("Verwaltung")
admin.site.index_title = _("Übersicht")


# Who may use a back-office page: decided by the accounts policy once it is loaded
# (accounts registers it in its AppConfig.ready); until then only superusers.
def _superusers_only(user: Any, action: str) -> bool:
    return bool(getattr(user, "is_superuser", False))


_permission_check: Callable[[Any, str], bool] = _superusers_only


def set_permission_check(check: Callable[[Any, str], bool]) -> None:
    global _permission_check
    _permission_check = check


class PolicyAdmin(admin.ModelAdmin):
    """A back-office page allowed by the permission ``policy_action``, not by model permissions."""

    policy_action = "staff.manage"

    def _allowed(self, request: HttpRequest) -> bool:
        return _permission_check(request.user, self.policy_action)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)


class AuditedAdmin(PolicyAdmin):
    """Saves through the module's service functions and shows the audit trail as history.

    Subclasses point ``changed`` and ``deleted`` at their module's services; the
    snapshot taken before the form is saved lets the audit entry show old and new values.
    """

    def snapshot(self, obj: models.Model) -> dict[str, Any]:
        fields = [f.name for f in obj._meta.concrete_fields if not f.primary_key]
        return audit.snapshot(obj, fields) if obj.pk else {}

    def changed(self, obj: models.Model, *, by: Any, before: dict[str, Any]) -> None:
        audit.record(
            f"rathaus.admin.{obj._meta.label_lower}.{'changed' if before else 'created'}",
            actor=by,
            target=obj,
            changes=audit.diff(before, self.snapshot(obj)),
        )

    def deleted(self, obj: models.Model, *, by: Any) -> None:
        audit.record(f"rathaus.admin.{obj._meta.label_lower}.deleted", actor=by, target=obj)
        obj.delete()

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        request._audit_before = self.snapshot(stored) if stored else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        self.changed(form.instance, by=request.user, before=getattr(request, "_audit_before", {}))

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        self.deleted(obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        for obj in queryset:
            self.deleted(obj, by=request.user)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        obj = get_object_or_404(self.model, pk=object_id)
        if not self.has_view_or_change_permission(request, obj):
            return super().history_view(request, object_id, extra_context)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Änderungsverlauf: %s") % obj,
            "subtitle": None,
            "object": obj,
            "opts": self.model._meta,
            "entries": audit.history(obj)[:200],
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/audit_history.html", context)


class ReadOnlyAdmin(PolicyAdmin):
    """Records nobody edits in the back office (logs): view only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    policy_action = "audit.view"

    list_display = ("created_at", "action", "actor_label", "object_repr")
    list_filter = ("action",)
    search_fields = ("action", "object_repr", "actor_label")
    date_hierarchy = "created_at"


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(PolicyAdmin):
    policy_action = "catalog.edit"

    list_display = ("created_at", "page_url", "handled")
    list_filter = ("handled",)
    readonly_fields = ("created_at", "name", "email", "page_url", "message")
    fields = ("created_at", "page_url", "name", "email", "message", "handled")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
