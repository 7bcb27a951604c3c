from typing import Any

from django.contrib import admin
from django.db import models

from rathaus.core.admin import AuditedAdmin
from rathaus.language.admin import EasyLanguageHints

from . import services
from .models import District, Office, OpeningHours, Quarter


class OfficeAuditedAdmin(AuditedAdmin):
    """Office history shows the opening hours too, not just the office's own fields."""

    policy_action = "offices.edit"

    def snapshot(self, obj: models.Model) -> dict[str, Any]:
        data = super().snapshot(obj)
        if isinstance(obj, Office) and obj.pk:
            data["opening_hours"] = [str(h) for h in obj.opening_hours.all()]
        return data


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Office)
class OfficeAdmin(EasyLanguageHints, OfficeAuditedAdmin):
    list_display = ("name", "kind", "district", "phone", "is_demo")
    readonly_fields = ("easy_language_hints",)
    fields = (
        *("name", "slug", "kind", "description", "easy_language", "easy_language_hints"),
        *("street", "postcode", "city", "district", "phone", "email"),
        *("opening_hours_note", "accessibility", "is_demo"),
    )
    list_filter = ("kind", "district")
    search_fields = ("name", "street", "postcode")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (OpeningHoursInline,)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.hours_changed(form.instance)


class QuarterInline(admin.TabularInline):
    model = Quarter
    extra = 0


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    policy_action = "offices.edit"

    list_display = ("number", "name")
    inlines = (QuarterInline,)
