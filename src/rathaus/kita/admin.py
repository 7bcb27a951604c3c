from django.contrib import admin

from .models import Daycare, Period, Places, Provider, ProviderMembership


class PlacesInline(admin.TabularInline):
    model = Places
    extra = 0


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Daycare)
class DaycareAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "provider", "district"]
    list_filter = ["kind", "district", "provider__kind"]
    search_fields = ["name", "street"]
    inlines = [PlacesInline]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "registration_closes", "tie_break"]
    readonly_fields = ["seed_digest", "seed_published_at"]


@admin.register(ProviderMembership)
class ProviderMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "provider"]
