"""Back office for the master data of appointments: rules, counters, bookable services,
exceptional opening hours. Day-to-day work happens under /verwaltung/termine/."""

from django.contrib import admin
from django.utils import timezone

from rathaus.core.admin import AuditedAdmin

from .models import BookingRules, Counter, OfficeService, OpeningException
from .services import days


class OfficeDataAdmin(AuditedAdmin):
    """Master data of offices: the same permission as editing offices."""

    policy_action = "offices.edit"
    list_filter = ("office",)
    list_select_related = ("office",)


class OfficesAdmin(OfficeDataAdmin):
    """Changes that move free times: the office's counter days are recomputed after saving."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        days.refresh_office(obj.office_id, timezone.localdate())


@admin.register(BookingRules)
class BookingRulesAdmin(OfficesAdmin):
    list_display = ("office", "online_booking", "horizon_days", "lead_hours", "release_time")
    list_filter = ("online_booking",)


@admin.register(Counter)
class CounterAdmin(OfficesAdmin):
    list_display = ("office", "number", "name", "is_active")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        days.ensure_released([obj.office_id], timezone.now())


@admin.register(OfficeService)
class OfficeServiceAdmin(OfficeDataAdmin):
    list_display = ("service", "office", "minutes_per_person", "max_persons", "is_active")
    list_select_related = ("office", "service")
    search_fields = ("service__title", "office__name")
    autocomplete_fields = ("service",)


@admin.register(OpeningException)
class OpeningExceptionAdmin(OfficesAdmin):
    list_display = ("day", "office", "is_open", "opens", "closes", "reason")
    date_hierarchy = "day"
    exclude = ("created_by",)
