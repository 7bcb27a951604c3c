"""Read-only views of the log for the operator: the log is written by the sequencer only."""

from django.contrib import admin

from .models import Checkpoint, Cosignature, Entry, Pending, WitnessedLog


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    list_display = ["index", "kind", "reference", "sequenced_at"]
    list_filter = ["kind"]
    search_fields = ["reference", "sha256"]


@admin.register(Pending)
class PendingAdmin(ReadOnly):
    list_display = ["id", "kind", "sha256", "created_at"]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnly):
    list_display = ["id", "size", "created_at"]


@admin.register(Cosignature)
class CosignatureAdmin(ReadOnly):
    list_display = ["checkpoint", "witness", "created_at"]


@admin.register(WitnessedLog)
class WitnessedLogAdmin(admin.ModelAdmin):
    """Deleting a followed log is how an operator restarts witnessing after a key change."""

    list_display = ["origin", "url", "size", "checked_at"]
    readonly_fields = ["origin", "url", "verifier_key", "size", "checkpoint", "checked_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False
