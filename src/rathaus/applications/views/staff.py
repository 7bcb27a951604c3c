"""The caseworkers' side: inbox, case, Rückfrage, decision, paper intake, processing times."""

import re
from datetime import timedelta
from statistics import median

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts import policy
from rathaus.accounts.models import User
from rathaus.accounts.services import assisted
from rathaus.catalog.models import Service
from rathaus.core.channels import Channel
from rathaus.core.forms import posted

from ..formdef.engine import display, validate_all
from ..forms import (
    INBOX_ALL,
    INBOX_OPEN,
    OVERDUE,
    AssignForm,
    DecisionForm,
    InboxFilterForm,
    IntakeForm,
    NoteForm,
    PaperIntakeForm,
    QuestionForm,
    ScanForm,
    StatusForm,
)
from ..models import Application, FormDefinition
from ..services import cases, decisions, drafts, numbering
from .filling import Urls, bad_request, page
from .resident import _file_response

VIEW, PROCESS = "cases.view", "cases.process"
OPEN = [Application.Status.RECEIVED, Application.Status.IN_PROGRESS, Application.Status.QUERY]
PAGE_SIZE = 50


def _cases(user: User):
    """Cases of the offices the staff member may see (drafts are the residents' own)."""
    return Application.objects.filter(office__in=policy.offices_for(user, VIEW)).exclude(
        status=Application.Status.DRAFT
    )


def _case(request: HttpRequest, public_id) -> Application:
    return get_object_or_404(
        _cases(request.user).select_related(
            "service", "form", "applicant", "person", "assignee", "office"
        ),
        public_id=public_id,
    )


def _reference_query(q: str) -> Q:
    """A whole Aktenzeichen, or just its number (``123`` finds DUS-2026-000123)."""
    if re.fullmatch(r"[A-Z]+-[0-9]{4}-[0-9]+", q, re.ASCII):
        return Q(reference=q)
    if re.fullmatch(r"[0-9]{1,9}", q, re.ASCII):
        return Q(reference__in=numbering.with_number(int(q)))
    return Q(reference__contains=q)


@policy.staff_required(VIEW)
def inbox(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = InboxFilterForm(request.GET, auto_id="f-%s")
    filters.is_valid()  # a filter that is no filter is shown as an error, the others apply
    chosen = filters.cleaned_data
    rows = (
        _cases(request.user)
        .select_related("service", "assignee")
        .only(
            "public_id",
            "reference",
            "status",
            "channel",
            "received_on",
            "due_on",
            "attention",
            "service__title",
            "assignee__full_name",
        )
    )
    status = chosen.get("status", INBOX_OPEN)
    if status == INBOX_OPEN:
        rows = rows.filter(status__in=OPEN)
    elif status != INBOX_ALL:
        rows = rows.filter(status=status)
    if service := chosen.get("leistung"):
        rows = rows.filter(service__slug=service)
    if chosen.get("frist") == OVERDUE:
        rows = rows.filter(due_on__lt=today, status__in=OPEN)
    if chosen.get("meine"):
        rows = rows.filter(assignee=request.user)
    if q := chosen.get("q", "").strip().upper():
        rows = rows.filter(_reference_query(q))
    rows = rows.order_by("due_on", "submitted_at", "pk")
    page_obj = Paginator(rows, PAGE_SIZE).get_page(chosen.get("seite", 1))
    services = Service.objects.filter(
        pk__in=FormDefinition.objects.values("service"),
        office__in=policy.offices_for(request.user, VIEW),
    ).order_by("title")
    return render(
        request,
        "applications/staff/inbox.html",
        {
            "page": page_obj,
            "today": today,
            "statuses": Application.Status.choices[1:],
            "services": services,
            "filters": request.GET,
            "filter_form": filters,
            "section": "inbox",
        },
        status=400 if filters.errors else 200,
    )


@policy.staff_required(VIEW)
def case(request: HttpRequest, public_id) -> HttpResponse:
    application = _case(request, public_id)
    cases.open_case(application, by=request.user)
    schema = drafts.schema_of(application)
    return render(
        request,
        "applications/staff/case.html",
        {
            "application": application,
            "pages": display(schema, application.cleaned),
            "events": application.events.all(),
            "questions": application.questions.prefetch_related("files"),
            "documents": application.documents.all(),
            "files": application.files.all(),
            "transitions": [Application.Status(s) for s in cases.next_steps(application)],
            "colleagues": cases.colleagues(application),
            "may_assign": policy.can(request.user, "cases.assign", application.office_id),
            "note_form": NoteForm(),
            "question_form": QuestionForm(),
            "decision_form": DecisionForm(initial={"legal_remedy": decisions.LEGAL_REMEDY}),
            "scan_form": ScanForm(),
            "today": timezone.localdate(),
        },
    )


def _processing(request: HttpRequest, public_id) -> Application:
    application = _case(request, public_id)
    policy.require(request.user, PROCESS, application.office_id)
    return application


def _done(request: HttpRequest, application: Application, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("applications:case", application.public_id)


@policy.staff_required(PROCESS)
@require_POST
def take(request: HttpRequest, public_id) -> HttpResponse:
    application = _processing(request, public_id)
    form = AssignForm(request.POST, colleagues=cases.colleagues(application))
    if not form.is_valid():
        return bad_request(request)
    assignee = form.cleaned_data["assignee"] or request.user
    try:
        cases.assign(application, assignee, by=request.user)
    except cases.CaseError as error:
        messages.error(request, str(error))
        return redirect("applications:case", public_id)
    return _done(request, application, _("Zugewiesen an %s.") % assignee.audit_label)


@policy.staff_required(PROCESS)
@require_POST
def status(request: HttpRequest, public_id) -> HttpResponse:
    application = _processing(request, public_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return bad_request(request)
    try:
        cases.change_status(
            application,
            form.cleaned_data["status"],
            by=request.user,
            comment=form.cleaned_data["kommentar"],
        )
    except cases.CaseError as error:
        messages.error(request, str(error))
        return redirect("applications:case", public_id)
    return _done(request, application, _("Status: %s") % application.get_status_display())


@policy.staff_required(PROCESS)
@require_POST
def note(request: HttpRequest, public_id) -> HttpResponse:
    application = _processing(request, public_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["text"]))
        return redirect("applications:case", public_id)
    cases.add_note(application, form.cleaned_data["text"], by=request.user)
    return _done(request, application, _("Notiz gespeichert."))


@policy.staff_required(PROCESS)
def question(request: HttpRequest, public_id) -> HttpResponse:
    application = _processing(request, public_id)
    form = QuestionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            cases.ask(application, form.cleaned_data["text"], by=request.user)
        except cases.CaseError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, application, _("Die Rückfrage ist verschickt."))
    return render(
        request, "applications/staff/question.html", {"application": application, "form": form}
    )


@policy.staff_required(PROCESS)
def decide(request: HttpRequest, public_id) -> HttpResponse:
    application = _processing(request, public_id)
    form = DecisionForm(posted(request), initial={"legal_remedy": decisions.LEGAL_REMEDY})
    if request.method == "POST" and form.is_valid():
        try:
            decisions.decide(
                application,
                kind=form.cleaned_data["kind"],
                amount=form.cleaned_data["amount"],
                reasoning=form.cleaned_data["reasoning"],
                legal_remedy=form.cleaned_data["legal_remedy"],
                by=request.user,
            )
        except cases.CaseError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, application, _("Der Bescheid ist erstellt und zugestellt."))
    return render(
        request, "applications/staff/decide.html", {"application": application, "form": form}
    )


@policy.staff_required(PROCESS)
def scans(request: HttpRequest, public_id) -> HttpResponse:
    application = _processing(request, public_id)
    form = ScanForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            drafts.attach_scans(application, form.cleaned_data["dateien"], by=request.user)
        except ValidationError as error:
            form.add_error("dateien", error)
        else:
            return _done(request, application, _("Die Scans sind beim Vorgang."))
    return render(
        request, "applications/staff/scans.html", {"application": application, "form": form}
    )


@policy.staff_required(VIEW)
def staff_file(request: HttpRequest, public_id, file_id: int) -> FileResponse:
    application = _case(request, public_id)
    stored = get_object_or_404(application.files, pk=file_id)
    cases.log_staff_read(application, _("Anlage „%s“") % stored.original_name, by=request.user)
    return _file_response(stored.file, stored.original_name, stored.content_type)


@policy.staff_required(VIEW)
def staff_document(request: HttpRequest, public_id, document_id: int) -> FileResponse:
    application = _case(request, public_id)
    stored = get_object_or_404(application.documents, pk=document_id)
    cases.log_staff_read(application, stored.get_kind_display(), by=request.user)
    return _file_response(
        stored.file, f"{stored.get_kind_display()} {application.reference}.pdf", "application/pdf"
    )


# --- Paper and assisted intake -------------------------------------------------------


def _staff_draft(request: HttpRequest, public_id) -> Application:
    """A draft a staff member is entering (paper or counter) while still acting for the
    person: once the representation has ended (the resident ended it, or it expired), the
    draft is out of reach."""
    application = get_object_or_404(
        Application.objects.select_related("service", "form", "on_behalf"),
        public_id=public_id,
        status=Application.Status.DRAFT,
        entered_by=request.user,
    )
    if application.on_behalf is None or not assisted.is_open(application.on_behalf):
        raise Http404
    return application


def _staff_urls(application: Application) -> Urls:
    return Urls(
        page=lambda index: reverse(
            "applications:intake_page", args=[application.public_id, index + 1]
        ),
        review=reverse("applications:intake_review", args=[application.public_id]),
        leave=reverse("applications:inbox"),
    )


@policy.staff_required(PROCESS)
def intake(request: HttpRequest) -> HttpResponse:
    """Enter an application for the person one is acting for (paper, counter or phone)."""
    representation = assisted.current_representation(request)
    services = drafts.intake_services(representation) if representation else Service.objects.none()
    if request.method == "POST" and representation:
        form = IntakeForm(request.POST, services=services)
        if not form.is_valid():
            return bad_request(request)
        application = drafts.start(
            form.cleaned_data["leistung"],
            applicant=representation.account,
            person=representation.person,
            on_behalf=representation,
            entered_by=request.user,
            channel=Channel.PAPER,
        )
        return redirect("applications:intake_page", application.public_id, 1)
    return render(
        request,
        "applications/staff/intake.html",
        {"representation": representation, "services": services, "section": "intake"},
    )


@policy.staff_required(PROCESS)
def intake_page(request: HttpRequest, public_id, number: int) -> HttpResponse:
    application = _staff_draft(request, public_id)
    return page(
        request,
        application,
        number - 1,
        urls=_staff_urls(application),
        by=request.user,
        template="applications/staff/intake_page.html",
    )


@policy.staff_required(PROCESS)
def intake_review(request: HttpRequest, public_id) -> HttpResponse:
    application = _staff_draft(request, public_id)
    schema = drafts.schema_of(application)
    form = PaperIntakeForm(posted(request), initial={"received_on": timezone.localdate()})
    problems = validate_all(schema, application.answers).errors
    if request.method == "POST" and form.is_valid():
        try:
            submitted = drafts.submit(
                application,
                by=request.user,
                received_on=form.cleaned_data["received_on"],
                channel=form.cleaned_data["channel"],
            )
        except drafts.SubmissionError as error:
            messages.error(request, str(error))
            problems = error.pages
        else:
            return _done(request, submitted, _("Der Antrag %s ist erfasst.") % submitted.reference)
    return render(
        request,
        "applications/staff/intake_review.html",
        {
            "application": application,
            "pages": display(schema, validate_all(schema, application.answers).values),
            "problems": problems,
            "form": form,
            "urls": _staff_urls(application),
        },
    )


@policy.staff_required(VIEW)
def processing_times(request: HttpRequest) -> HttpResponse:
    """Per service: decided cases of the last 365 days, median days to a decision, overdue."""
    since = timezone.now() - timedelta(days=365)
    visible = _cases(request.user)
    rows = []
    for service in Service.objects.filter(pk__in=visible.values("service")).order_by("title"):
        decided = visible.filter(service=service, decided_at__gte=since).values_list(
            "submitted_at", "decided_at"
        )
        days = [(d - s).total_seconds() / 86400 for s, d in decided if s and d]
        rows.append(
            {
                "service": service,
                "decided": len(days),
                "median_days": round(median(days), 1) if days else None,
                "open": visible.filter(service=service, status__in=OPEN).count(),
                "overdue": visible.filter(
                    Q(due_on__lt=timezone.localdate()), service=service, status__in=OPEN
                ).count(),
                "target": service.target_days,
            }
        )
    return render(
        request, "applications/staff/processing_times.html", {"rows": rows, "section": "times"}
    )
