"""Back office of the council information system (/verwaltung/council/): the staff of the
council's office (role Sitzungsdienst, working for the office a body names) enter meetings
with their agenda, papers with their consultations, committees, members and documents;
administrators see every body.

Nothing is deleted: "Löschen" withdraws the record (``services.withdraw``), so the pages drop
it and OParl clients learn of it; agenda items and consultations are withdrawn with their
"Zurückgezogen" box. Documents are uploaded as PDF (checked by content, with checksum).
"""

import re
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rathaus.accounts import policy
from rathaus.core.admin import AuditedAdmin
from rathaus.core.uploads import check_upload

from . import services
from .models import (
    AgendaItem,
    Body,
    Consultation,
    File,
    LegislativeTerm,
    Location,
    Meeting,
    Membership,
    Organization,
    Paper,
    Person,
)

EDIT = "council.edit"
# The file's name is part of its address (/ratsinfo/dateien/<id>/<name>): plain characters.
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,150}\.pdf")


def _administrator(request: HttpRequest) -> bool:
    return policy.can(request.user, "staff.manage")


def _offices(request: HttpRequest) -> frozenset[int]:
    return frozenset(policy.offices_for(request.user, EDIT))


def _in_scope(model: type[models.Model], request: HttpRequest) -> models.QuerySet:
    """The rows of ``model`` the request's user may choose: those of their bodies."""
    rows = model._default_manager.all()
    if _administrator(request):
        return rows
    if model is Body:
        return rows.filter(office_id__in=_offices(request))
    return rows.filter(body__office_id__in=_offices(request))


class ScopeChoices:
    """Choices of bodies, committees, persons, meetings … limited to the user's bodies."""

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.related_model.__module__ == Body.__module__:
            kwargs["queryset"] = _in_scope(db_field.related_model, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.related_model.__module__ == Body.__module__:
            kwargs["queryset"] = _in_scope(db_field.related_model, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BodyScopedAdmin(ScopeChoices, AuditedAdmin):
    """Rows belong to a body; staff see the rows of the bodies their office keeps."""

    policy_action = EDIT
    list_filter: tuple = ("deleted",)

    def _allowed(self, request: HttpRequest) -> bool:
        return _administrator(request) or bool(_offices(request))

    def owns(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None or _administrator(request):
            return self._allowed(request)
        return obj.body.office_id in _offices(request)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return _in_scope(self.model, request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.owns(request, obj)

    has_change_permission = has_delete_permission = has_view_permission

    def deleted(self, obj: models.Model, *, by: Any) -> None:
        services.withdraw(obj, by=by)

    def get_deleted_objects(self, objs, request: HttpRequest):
        """Withdrawing touches nothing else: no cascade to list, nothing protected."""
        return [str(obj) for obj in objs], {}, set(), []


class CouncilInline(ScopeChoices, admin.StackedInline):
    extra = 0
    can_delete = False  # withdrawn with the box "Zurückgezogen", never removed

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _administrator(request) or bool(_offices(request))

    has_change_permission = has_add_permission = has_view_permission


class AgendaItemInline(CouncilInline):
    model = AgendaItem
    fields = (("number", "order", "public", "deleted"), "name", "result", "resolution_text")
    ordering = ("order",)


class ConsultationInline(CouncilInline):
    model = Consultation
    fields = (("meeting", "agenda_item"), ("role", "authoritative", "deleted"), "organizations")


class BodyChildAdmin(BodyScopedAdmin):
    """A record of a body; its inlines' rows take the same body."""

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        for inline_form in formset.forms:
            if inline_form.has_changed() and not inline_form.instance.body_id:
                inline_form.instance.body = form.instance.body
        super().save_formset(request, form, formset, change)


@admin.register(Meeting)
class MeetingAdmin(BodyChildAdmin):
    list_display = ("name", "start", "meeting_state", "cancelled", "deleted")
    list_filter = ("meeting_state", "cancelled", "deleted", "organizations")
    search_fields = ("name",)
    date_hierarchy = "start"
    filter_horizontal = ("organizations", "participants", "auxiliary_files")
    fieldsets = (
        (None, {"fields": ("body", "name", "organizations", ("start", "end"), "location")}),
        (_("Stand"), {"fields": ("meeting_state", "cancelled")}),
        (
            _("Dokumente"),
            {"fields": ("invitation", "results_protocol", "verbatim_protocol", "auxiliary_files")},
        ),
        (_("Teilnehmende"), {"fields": ("participants",)}),
    )
    inlines = (AgendaItemInline,)


@admin.register(Paper)
class PaperAdmin(BodyChildAdmin):
    list_display = ("reference", "name", "paper_type", "date", "deleted")
    list_filter = ("paper_type", "deleted", "under_direction_of")
    search_fields = ("reference", "name")
    date_hierarchy = "date"
    filter_horizontal = (
        "related_papers",
        "superordinated_papers",
        "auxiliary_files",
        "locations",
        "originator_persons",
        "originator_organizations",
        "under_direction_of",
    )
    fieldsets = (
        (None, {"fields": ("body", "reference", "name", "paper_type", "date", "summary")}),
        (
            _("Wer"),
            {"fields": ("originator_organizations", "originator_persons", "under_direction_of")},
        ),
        (_("Dokumente"), {"fields": ("main_file", "auxiliary_files")}),
        (_("Bezüge"), {"fields": ("related_papers", "superordinated_papers", "locations")}),
    )
    inlines = (ConsultationInline,)


class MembershipInline(CouncilInline):
    model = Membership
    fk_name = "person"
    fields = (
        ("organization", "on_behalf_of"),
        ("role", "voting_right"),
        ("start_date", "end_date"),
        "deleted",
    )


@admin.register(Person)
class PersonAdmin(BodyChildAdmin):
    list_display = ("family_name", "given_name", "status", "deleted")
    search_fields = ("family_name", "given_name")
    fields = ("body", ("form_of_address", "title"), ("given_name", "family_name"), "status")
    inlines = (MembershipInline,)


@admin.register(Organization)
class OrganizationAdmin(BodyScopedAdmin):
    list_display = ("name", "organization_type", "classification", "deleted")
    list_filter = ("organization_type", "deleted")
    search_fields = ("name", "short_name")
    fields = (
        "body",
        ("name", "short_name"),
        ("organization_type", "classification"),
        "description",
        ("start_date", "end_date"),
        "sub_organization_of",
        "location",
        "website",
    )


@admin.register(LegislativeTerm, Location)
class PlainAdmin(BodyScopedAdmin):
    exclude = ("deleted",)


class FileForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("Datei (PDF, möglichst PDF/A)"),
        required=False,
        help_text=_("Ersetzt die gespeicherte Datei; Größe und Prüfsumme werden neu berechnet."),
    )

    class Meta:
        model = File
        fields = ("body", "name", "file_name", "date", "text")

    def clean_file_name(self) -> str:
        name = self.cleaned_data["file_name"]
        if not FILE_NAME.fullmatch(name):
            raise forms.ValidationError(
                _(
                    "Bitte nur Buchstaben ohne Umlaute, Ziffern, Bindestrich und Unterstrich, "
                    "mit der Endung .pdf (zum Beispiel einladung-2026-12-17.pdf)."
                )
            )
        return name

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None and not self.instance.content:
            raise forms.ValidationError(_("Bitte wählen Sie die Datei aus."))
        if upload is not None:
            check_upload(upload, kinds=("pdf",))
        return upload


@admin.register(File)
class FileAdmin(BodyScopedAdmin):
    form = FileForm
    list_display = ("name", "file_name", "date", "size", "archival", "deleted")
    search_fields = ("name", "file_name")
    readonly_fields = ("size", "sha512", "archival")

    def save_model(self, request: HttpRequest, obj: File, form, change: bool) -> None:
        upload = form.cleaned_data.get("upload")
        if upload is None:
            return super().save_model(request, obj, form, change)
        stored = File.objects.filter(pk=obj.pk).first() if change else None
        request._audit_before = self.snapshot(stored) if stored else {}
        obj.mime_type = "application/pdf"
        services.store_file(obj, upload.read())
        return None


@admin.register(Body)
class BodyAdmin(ScopeChoices, AuditedAdmin):
    """The city's body and the office whose staff keep its records: administrators only."""

    list_display = ("name", "ags", "office")
    exclude = ("deleted",)
