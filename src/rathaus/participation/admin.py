"""Back office of participation (/verwaltung/participation/): the office that owns a process
(role Bürgerbeteiligung) sets up its description, phases, documents, drafts and budgets with
the projects on the ballot; comments are moderated and answered on the office's own pages
(/verwaltung/beteiligung/), never edited."""

import itertools
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rathaus.accounts import policy
from rathaus.core.admin import AuditedAdmin
from rathaus.core.uploads import check_upload

from .models import (
    Budget,
    Document,
    Draft,
    Phase,
    Process,
    Project,
    Proposal,
    Section,
    Survey,
)
from .services import surveys
from .services.processes import MANAGE, manageable

# Paths below /beteiligung/ that are pages of their own, not processes.
RESERVED_SLUGS = {"regeln", "kommentare", "vorschlaege", "meldungen"}


def _offices(request: HttpRequest) -> frozenset[int]:
    return frozenset(policy.offices_for(request.user, MANAGE))


def _may_manage_some(request: HttpRequest) -> bool:
    return policy.can(request.user, "staff.manage") or bool(_offices(request))


class OfficeInline:
    """The parts of a process (phases, documents, sections, projects) follow their page:
    whoever may change it may change them; the page's queryset keeps out other offices'."""

    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_manage_some(request)

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


class PhaseFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        spans = sorted(
            (f.cleaned_data["starts_at"], f.cleaned_data.get("ends_at"))
            for f in self.forms
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and f.cleaned_data.get("starts_at")
        )
        for (_start, end), (next_start, _next_end) in itertools.pairwise(spans):
            if end is None or end > next_start:
                raise forms.ValidationError(
                    _(
                        "Die Phasen dürfen sich nicht überschneiden: Jede endet, bevor die "
                        "nächste beginnt."
                    )
                )


class PhaseInline(OfficeInline, admin.TabularInline):
    model = Phase
    formset = PhaseFormSet
    fields = ("kind", "title", "starts_at", "ends_at", "description")


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ("title", "file", "order")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "content_type"):
            check_upload(upload, kinds=("pdf",))
        return upload


class DocumentInline(OfficeInline, admin.TabularInline):
    model = Document
    form = DocumentForm


class OwnOffice(AuditedAdmin):
    """Rows of the processes of the staff member's offices (administrators: all)."""

    policy_action = MANAGE

    def _allowed(self, request: HttpRequest) -> bool:
        return _may_manage_some(request)

    def process_of(self, obj: Any) -> Process:
        return obj

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None or policy.can(request.user, "staff.manage"):
            return self._allowed(request)
        return self.process_of(obj).office_id in _offices(request)

    has_change_permission = has_delete_permission = has_view_permission


class ProcessForm(forms.ModelForm):
    class Meta:
        model = Process
        fields = (
            "title",
            "slug",
            "office",
            "district",
            "summary",
            "published",
            "description",
            "easy_language",
            "committee",
            "papers",
            "assisted",
        )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("Dieser Kurzname ist schon vergeben. Bitte wählen Sie einen anderen.")
            )
        return slug


@admin.register(Process)
class ProcessAdmin(OwnOffice):
    form = ProcessForm
    list_display = ("title", "office", "published", "created_at")
    list_filter = ("published", "office")
    search_fields = ("title", "summary")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("papers",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "office", "district", "summary", "published")}),
        (_("Beschreibung"), {"fields": ("description", "easy_language")}),
        (_("Rat und Ausschüsse"), {"fields": ("committee", "papers")}),
        (_("Teilnahme"), {"fields": ("assisted",)}),
    )
    inlines = (PhaseInline, DocumentInline)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return manageable(request.user)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "office" and not policy.can(request.user, "staff.manage"):
            kwargs["queryset"] = db_field.related_model.objects.filter(pk__in=_offices(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SectionInline(OfficeInline, admin.StackedInline):
    model = Section
    fields = (("number", "order"), "heading", "text")


@admin.register(Draft)
class DraftAdmin(OwnOffice):
    """A draft of a process the staff member's office owns."""

    list_display = ("title", "process")
    fields = ("process", "title", "introduction")
    inlines = (SectionInline,)

    def process_of(self, obj: Draft) -> Process:
        return obj.process

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return Draft.objects.filter(process__in=manageable(request.user))

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "process":
            kwargs["queryset"] = manageable(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ("number", "proposal", "cost")

    def clean(self) -> dict:
        data = super().clean()
        proposal, budget = (
            data.get("proposal"),
            self.instance.budget if self.instance.budget_id else None,
        )
        if proposal is not None and proposal.status != Proposal.Status.ACCEPTED:
            self.add_error("proposal", _("Zur Abstimmung stehen nur angenommene Vorschläge."))
        if proposal is not None and budget is not None and proposal.process_id != budget.process_id:
            self.add_error("proposal", _("Der Vorschlag gehört zu einer anderen Beteiligung."))
        return data


class ProjectInline(OfficeInline, admin.TabularInline):
    model = Project
    form = ProjectForm

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "proposal":
            kwargs["queryset"] = Proposal.objects.filter(
                process__in=manageable(request.user), status=Proposal.Status.ACCEPTED
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Budget)
class BudgetAdmin(DraftAdmin):
    """A budget and the accepted proposals on its ballot; fixed once the first vote is in."""

    list_display = ("title", "process", "amount", "rule")
    fields = (
        "process",
        "title",
        "district",
        "amount",
        "rule",
        "ballot",
        "points",
        "district_check",
    )
    inlines = (ProjectInline,)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return Budget.objects.filter(process__in=manageable(request.user))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.votes.exists():
            return False  # the ballot must not change while people vote on it
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ("process", "phase", "title", "introduction", "schema")

    def clean_schema(self) -> Any:
        schema = self.cleaned_data["schema"]
        if errors := surveys.check_schema(schema):
            raise forms.ValidationError(errors)
        return schema

    def clean(self) -> dict:
        data = super().clean()
        process, phase = data.get("process"), data.get("phase")
        if process is not None and phase is not None and phase.process_id != process.pk:
            self.add_error("phase", _("Bitte wählen Sie eine Phase dieser Beteiligung."))
        return data


@admin.register(Survey)
class SurveyAdmin(DraftAdmin):
    """A survey's questions as JSON (the applications' form export); fixed once answered."""

    form = SurveyForm
    list_display = ("title", "process", "phase")
    fields = ("process", "phase", "title", "introduction", "schema")
    inlines = ()

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return Survey.objects.filter(process__in=manageable(request.user))

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "phase":
            kwargs["queryset"] = Phase.objects.filter(process__in=manageable(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.answers.exists():
            return False  # answers refer to these questions
        return super().has_change_permission(request, obj)

    has_delete_permission = has_change_permission
