"""The register's pages: the public list, a record, its history and its versions as files;
the offices' list and form of their records."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rathaus import ledger
from rathaus.accounts import policy
from rathaus.core import pdf
from rathaus.core.forms import posted
from rathaus.core.http import private
from rathaus.core.uploads import check_size
from rathaus.language import translations
from rathaus.offices.models import Office

from . import procurement as checklist
from . import services
from .fairness import AuditError, describe
from .forms import AuditForm, ProcurementForm, RecordForm, SearchForm
from .models import Audit, Record, Version

__all__ = [
    "audit_new",
    "audit_public",
    "audit_staff",
    "audits",
    "edit",
    "history",
    "index",
    "procurement",
    "record",
    "staff",
    "version_file",
]

# What a machine may translate for a visitor in another language (names stay German).
TRANSLATED_FIELDS = ("summary", *services.TEXT_FIELDS)


def index(request: HttpRequest) -> HttpResponse:
    """Every published record, searchable by words, office, phase and role."""
    offices = Office.objects.filter(pk__in=services.published().values("office_id")).order_by(
        "name"
    )
    form = SearchForm(request.GET or None, offices=offices)
    records = services.published().order_by("name")
    if form.is_valid():
        data = form.cleaned_data
        records = services.search(
            data["q"],
            office=data["stelle"].pk if data["stelle"] else None,
            phase=data["stand"],
            role=data["rolle"],
        )
    return render(
        request,
        "register/index.html",
        {"form": form, "records": records, "searched": form.is_bound},
    )


def _public(slug: str) -> Record:
    return get_object_or_404(services.published(), slug=slug)


def record(request: HttpRequest, slug: str) -> HttpResponse:
    entry = _public(slug)
    language = get_language()
    translated = translations.texts(entry, TRANSLATED_FIELDS, language)
    return render(
        request,
        "register/record.html",
        {
            "record": entry,
            "translated": translated,
            "translation_note": translations.note(translated, language),
            "sections": [
                (name, Record._meta.get_field(name).verbose_name, translated[name])
                for name in services.TEXT_FIELDS
                if translated[name].text.strip()
            ],
            "sources": services.source_links(entry),
            "standing": ledger.standing(entry.current.sha256),
            "can_edit": policy.can(request.user, services.EDIT, entry.office_id),
            "audit": services.latest_public(entry),
            "checklist": checklist.rows(entry.procurement_checklist or {}),
        },
    )


def history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every version, newest first, each with what it changed against the one before."""
    entry = _public(slug)
    versions = list(entry.versions.order_by("number"))
    rows = [
        (version, services.changes(versions[i - 1] if i else None, version))
        for i, version in enumerate(versions)
    ]
    return render(request, "register/history.html", {"record": entry, "rows": list(reversed(rows))})


def version_file(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A version exactly as its hash went into the transparency log."""
    version = get_object_or_404(
        Version, record__slug=slug, record__current__isnull=False, number=number
    )
    response = HttpResponse(version.document.encode(), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{slug}-fassung-{number}.json"'
    return response


@policy.staff_required(services.EDIT)
def procurement(request: HttpRequest, slug: str) -> HttpResponse:
    """The record's procurement checklist; saving a published record publishes it."""
    entry = get_object_or_404(Record, slug=slug)
    if not policy.can(request.user, services.EDIT, entry.office_id):
        raise PermissionDenied(services.EDIT)
    form = ProcurementForm(posted(request), record=entry)
    if form.is_bound and form.is_valid():
        entry.procurement_checklist = form.checklist()
        try:
            version = services.save(entry, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Fassung %(n)s ist veröffentlicht und im Transparenzlog eingetragen.")
                % {"n": version.number}
                if version
                else _("Die Checkliste ist gespeichert."),
            )
            return redirect("register:edit", entry.slug)
    return private(
        render(request, "register/staff/procurement.html", {"form": form, "record": entry})
    )


@policy.staff_required(services.EDIT)
def staff(request: HttpRequest) -> HttpResponse:
    """The records of the offices the staff member answers for."""
    offices = policy.offices_for(request.user, services.EDIT)
    records = Record.objects.filter(office_id__in=offices).select_related("office", "current")
    return private(render(request, "register/staff/list.html", {"records": records}))


@policy.staff_required(services.EDIT)
def edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """A new record (saved as a draft) or a record of one's office: save, publish."""
    entry = get_object_or_404(Record, slug=slug) if slug else Record()
    if slug and not policy.can(request.user, services.EDIT, entry.office_id):
        raise PermissionDenied(services.EDIT)
    offices = Office.objects.filter(pk__in=policy.offices_for(request.user, services.EDIT))
    form = RecordForm(posted(request), instance=entry, offices=offices)
    publishing = request.POST.get("aktion") == "veroeffentlichen"
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            with transaction.atomic():
                entry = form.save(commit=False)
                version = services.save(entry, by=request.user, reason=reason)
                if publishing and entry.current_id is None:
                    first = reason or services.FIRST_PUBLICATION
                    version = services.publish(entry, by=request.user, reason=first)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if version is not None:
                messages.success(
                    request,
                    _("Fassung %(n)s ist veröffentlicht und im Transparenzlog eingetragen.")
                    % {"n": version.number},
                )
            else:
                messages.success(request, _("Der Eintrag ist gespeichert."))
            return redirect("register:edit", entry.slug)
    return private(
        render(
            request,
            "register/staff/edit.html",
            {"form": form, "record": entry if entry.pk else None},
        )
    )


@policy.staff_required(services.EDIT)
def audits(request: HttpRequest) -> HttpResponse:
    """The fairness audits of one's offices, newest first."""
    return private(
        render(request, "register/staff/audits.html", {"audits": services.visible_to(request.user)})
    )


@policy.staff_required(services.EDIT)
def audit_new(request: HttpRequest) -> HttpResponse:
    """Upload decisions, name the columns, get the report."""
    offices = Office.objects.filter(pk__in=policy.offices_for(request.user, services.EDIT))
    form = AuditForm(posted(request), request.FILES or None, offices=offices)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            check_size(upload, max_mb=20)
            made = services.audit_file(
                title=data["title"],
                office=data["office"],
                record=data["record"],
                name=upload.name,
                data=upload.read(),
                outcome=data["outcome"],
                protected=data["protected"],
                label=data["label"],
                score=data["score"],
                min_cases=data["min_cases"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        except AuditError as error:
            form.add_error(None, str(error))
        else:
            return redirect("register:audit", made.pk)
    return private(render(request, "register/staff/audit_new.html", {"form": form}))


def audit_public(request: HttpRequest, slug: str, pk: int, pdf_file: bool = False):
    """A report under its published record's address: anyone may read it."""
    found = get_object_or_404(
        Audit.objects.select_related("record", "office"),
        pk=pk,
        record__slug=slug,
        record__current__isnull=False,
    )
    return _report(request, found, pdf_file)


@policy.staff_required(services.EDIT)
def audit_staff(request: HttpRequest, pk: int, pdf_file: bool = False) -> HttpResponse:
    """A report of one's offices (also one that belongs to no record)."""
    found = get_object_or_404(services.visible_to(request.user), pk=pk)
    return private(_report(request, found, pdf_file))


def _report(request: HttpRequest, found: Audit, pdf_file: bool) -> HttpResponse:
    context = {
        "audit": found,
        "verdicts": [(attribute, describe(attribute)) for attribute in found.results["attributes"]],
    }
    if not pdf_file:
        return render(request, "register/audit.html", context)
    response = HttpResponse(
        pdf.render("register/audit_pdf.html", context, request=request),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="fairness-pruefung-{found.pk}.pdf"'
    return response
