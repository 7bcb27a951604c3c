"""The operator's read-only view of the catalogue; stewards work in ``/opendaten/verwalten/``
(which writes through the services: search index, audit trail, transparency log)."""

from django.contrib import admin

from .models import Dataset, Finding, Organisation, Release


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "email"]
    search_fields = ["title", "slug"]


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "organisation", "source", "disclosure", "state"]
    list_filter = ["source", "disclosure", "state", "organisation"]
    search_fields = ["title", "slug"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["dataset", "number", "state", "row_count", "published_at"]
    list_filter = ["state"]
    exclude = ["csv", "geojson", "package"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["release", "column", "kind", "overridden_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
