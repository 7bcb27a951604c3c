"""The form builder in the back office: pages and fields of a service's form, preview,
publish as a new version, import and export as JSON. Catalogue editors use it."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from rathaus.core.admin import PolicyAdmin

from .formdef.engine import FormSchema, PageForm
from .formdef.schema import draft_to_schema, validate_schema
from .formdef.types import DUESSELDORF_STREETS
from .models import DraftField, DraftPage, FormDefinition, FormDraft
from .services import forms as form_service


class PageInline(admin.TabularInline):
    model = DraftPage
    extra = 0
    fields = ("position", "title", "intro")


class FieldInline(admin.StackedInline):
    model = DraftField
    extra = 0
    fields = (
        ("page", "position", "group"),
        ("key", "type", "required"),
        "label",
        "help_text",
        "purpose",
        "options",
        ("visible_if_field", "visible_if_value"),
        ("min_value", "max_value", "max_length", "date_rule"),
        ("pattern", "pattern_message"),
        ("accept", "max_size_mb", "max_items"),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Pages and groups of this form only.
        draft_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "page":
            kwargs["queryset"] = DraftPage.objects.filter(draft_id=draft_id)
        if db_field.name == "group":
            kwargs["queryset"] = DraftField.objects.filter(draft_id=draft_id, type="group")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Formular als JSON-Datei"))


@admin.register(FormDraft)
class FormDraftAdmin(PolicyAdmin):
    policy_action = "catalog.edit"
    list_display = ("service", "updated_at", "published_version")
    search_fields = ("service__title",)
    autocomplete_fields = ("service",)
    inlines = (PageInline, FieldInline)
    change_form_template = "admin/applications/formdraft/change_form.html"

    @admin.display(description=_("Veröffentlichte Version"))
    def published_version(self, draft: FormDraft) -> int | None:
        latest = FormDefinition.objects.filter(service=draft.service).order_by("-version").first()
        return latest.version if latest else None

    def get_urls(self):
        own = [
            path(
                "<int:pk>/vorschau/<int:number>/",
                self.admin_site.admin_view(self.preview),
                name="applications_formdraft_preview",
            ),
            path(
                "<int:pk>/veroeffentlichen/",
                self.admin_site.admin_view(self.publish),
                name="applications_formdraft_publish",
            ),
            path(
                "<int:pk>/export.json",
                self.admin_site.admin_view(self.export),
                name="applications_formdraft_export",
            ),
            path(
                "<int:pk>/import/",
                self.admin_site.admin_view(self.import_view),
                name="applications_formdraft_import",
            ),
        ]
        return own + super().get_urls()

    def _draft(self, request: HttpRequest, pk: int) -> FormDraft:
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(FormDraft.objects.select_related("service"), pk=pk)

    def preview(self, request: HttpRequest, pk: int, number: int) -> HttpResponse:
        """The form as residents will see it; a POST checks the inputs but stores nothing."""
        draft = self._draft(request, pk)
        schema = draft_to_schema(draft)
        errors = validate_schema(schema)
        context = {
            **self.admin_site.each_context(request),
            "draft": draft,
            "errors": errors,
            "opts": self.model._meta,
        }
        if errors or not schema["pages"]:
            return TemplateResponse(request, "admin/applications/formdraft/preview.html", context)
        index = max(0, min(number - 1, len(schema["pages"]) - 1))
        form_schema = FormSchema(schema=schema, version=0)
        data = request.POST if request.method == "POST" else None
        form = PageForm(form_schema, index, {}, data=data, files=request.FILES or None)
        checked = form.is_valid() if data is not None else None
        context.update(
            form=form,
            page=schema["pages"][index],
            index=index,
            pages=schema["pages"],
            checked=checked,
            streets=DUESSELDORF_STREETS,
        )
        return TemplateResponse(request, "admin/applications/formdraft/preview.html", context)

    def publish(self, request: HttpRequest, pk: int) -> HttpResponse:
        """GET asks for confirmation (with what would be published); POST publishes."""
        draft = self._draft(request, pk)
        if request.method != "POST":
            schema = draft_to_schema(draft)
            return render(
                request,
                "admin/applications/formdraft/publish.html",
                {
                    **self.admin_site.each_context(request),
                    "draft": draft,
                    "errors": validate_schema(schema),
                    "pages": schema["pages"],
                    "opts": self.model._meta,
                },
            )
        if request.method == "POST":
            try:
                definition = form_service.publish(draft, by=request.user)
            except form_service.FormError as error:
                for problem in error.errors:
                    messages.error(request, problem)
            else:
                messages.success(
                    request, _("Version %(v)d ist veröffentlicht.") % {"v": definition.version}
                )
        return redirect(reverse("admin:applications_formdraft_change", args=[pk]))

    def export(self, request: HttpRequest, pk: int) -> HttpResponse:
        draft = self._draft(request, pk)
        response = HttpResponse(form_service.export_json(draft), content_type="application/json")
        response["Content-Disposition"] = (
            f'attachment; filename="formular-{draft.service.slug}.json"'
        )
        return response

    def import_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        draft = self._draft(request, pk)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                form_service.import_json(
                    draft, upload.read(2_000_000).decode("utf-8", "replace"), by=request.user
                )
            except form_service.FormError as error:
                for problem in error.errors:
                    form.add_error("file", problem)
            else:
                messages.success(
                    request, _("Das Formular ist importiert (noch nicht veröffentlicht).")
                )
                return redirect(reverse("admin:applications_formdraft_change", args=[pk]))
        return render(
            request,
            "admin/applications/formdraft/import.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "draft": draft,
                "opts": self.model._meta,
            },
        )


@admin.register(FormDefinition)
class FormDefinitionAdmin(PolicyAdmin):
    """Published versions are never changed; they are listed for reference."""

    policy_action = "catalog.edit"
    list_display = ("service", "version", "published_at", "published_by")
    list_filter = ("service",)
    readonly_fields = ("service", "version", "schema", "published_at", "published_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
