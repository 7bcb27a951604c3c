from typing import Any

from django.contrib import admin
from django.db import models

from rathaus.core.admin import AuditedAdmin
from rathaus.language.admin import EasyLanguageHints

from . import services
from .models import (
    LifeSituation,
    LifeSituationService,
    Service,
    ServiceChannel,
    SynonymGroup,
    Topic,
)


class CatalogAdmin(AuditedAdmin):
    """Catalogue pages save through ``catalog.services`` (search index, audit trail)."""

    policy_action = "catalog.edit"

    def snapshot(self, obj: models.Model) -> dict[str, Any]:
        return services.snapshot(obj)

    def changed(self, obj: models.Model, *, by: Any, before: dict[str, Any]) -> None:
        services.catalogue_changed(obj, by=by, before=before)

    def deleted(self, obj: models.Model, *, by: Any) -> None:
        services.catalogue_deleted(obj, by=by)


class ChannelInline(admin.TabularInline):
    model = ServiceChannel
    extra = 0


class LifeSituationInline(admin.TabularInline):
    model = LifeSituationService
    extra = 0
    autocomplete_fields = ("life_situation",)


@admin.register(Service)
class ServiceAdmin(EasyLanguageHints, CatalogAdmin):
    list_display = ("title", "leika", "office", "topic", "is_published", "last_reviewed")
    list_filter = ("is_published", "topic", "office__kind")
    search_fields = ("title", "leika", "slug", "synonyms", "keywords")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("office",)
    inlines = (ChannelInline, LifeSituationInline)
    readonly_fields = ("easy_language_hints",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "leika", "topic", "office", "is_published")}),
        (
            "Texte",
            {
                "fields": (
                    "summary",
                    "description",
                    "easy_language",
                    "easy_language_hints",
                    "audience",
                )
            },
        ),
        (
            "Voraussetzungen und Kosten",
            {
                "fields": (
                    "required_documents",
                    "fee_amount",
                    "fee_note",
                    "processing_time",
                    "target_days",
                    "retention_days",
                    "legal_basis",
                )
            },
        ),
        ("Online-Antrag", {"fields": ("requires_strong_auth",)}),
        ("Suche", {"fields": ("keywords", "synonyms", "popularity", "last_reviewed")}),
    )


@admin.register(LifeSituation)
class LifeSituationAdmin(CatalogAdmin):
    list_display = ("title", "position")
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Topic)
class TopicAdmin(CatalogAdmin):
    list_display = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(SynonymGroup)
class SynonymGroupAdmin(CatalogAdmin):
    list_display = ("terms",)
    search_fields = ("terms",)
