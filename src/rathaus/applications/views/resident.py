"""Residents' applications: start, fill in, review, submit; then follow the case online."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts.decorators import resident_required, strong_auth_required
from rathaus.catalog.models import Service
from rathaus.core.forms import posted

from ..formdef.engine import display, validate_all
from ..forms import AnswerForm, SubmitForm
from ..models import Application, Event
from ..services import cases, drafts
from ..services.paper_forms import paper_form_pdf
from .filling import Urls, page


def _own(request: HttpRequest, public_id, **filters) -> Application:
    """An application of the signed-in resident; anybody else's is 404."""
    return get_object_or_404(
        Application.objects.select_related("service", "form", "office"),
        public_id=public_id,
        applicant=request.user,
        **filters,
    )


def _urls(application: Application) -> Urls:
    return Urls(
        page=lambda index: reverse("applications:page", args=[application.public_id, index + 1]),
        review=reverse("applications:review", args=[application.public_id]),
        leave=reverse("applications:mine"),
    )


@resident_required
def mine(request: HttpRequest) -> HttpResponse:
    applications = Application.objects.filter(applicant=request.user).select_related("service")
    return render(request, "applications/mine.html", {"applications": applications})


@resident_required
def start(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_object_or_404(Service.objects.published(), slug=slug)
    form = drafts.current_form(service)
    if form is None:
        raise Http404
    if request.method == "POST":
        application = drafts.start(service, applicant=request.user)
        return redirect("applications:page", application.public_id, 1)
    open_drafts = Application.objects.filter(
        applicant=request.user, service=service, status=Application.Status.DRAFT
    )
    return render(
        request,
        "applications/start.html",
        {"service": service, "form": form, "drafts": open_drafts},
    )


@resident_required
def fill(request: HttpRequest, public_id, number: int) -> HttpResponse:
    application = _own(request, public_id, status=Application.Status.DRAFT)
    return page(request, application, number - 1, urls=_urls(application), by=request.user)


def _review_context(application: Application, submit_form=None, problems=None) -> dict:
    schema = drafts.schema_of(application)
    check = validate_all(schema, application.answers)
    return {
        "application": application,
        "pages": display(schema, {**check.values}),
        "problems": problems if problems is not None else check.errors,
        "submit_form": submit_form or SubmitForm(),
        "urls": _urls(application),
    }


@resident_required
def review(request: HttpRequest, public_id) -> HttpResponse:
    application = _own(request, public_id, status=Application.Status.DRAFT)
    if request.method == "POST":
        return _submit(request, public_id)
    return render(request, "applications/review.html", _review_context(application))


def _submit_checked(request: HttpRequest, public_id) -> HttpResponse:
    application = _own(request, public_id, status=Application.Status.DRAFT)
    form = SubmitForm(posted(request))
    if not form.is_valid():
        return render(request, "applications/review.html", _review_context(application, form))
    try:
        submitted = drafts.submit(application, by=request.user)
    except drafts.SubmissionError as error:
        messages.error(request, str(error))
        return render(
            request, "applications/review.html", _review_context(application, form, error.pages)
        )
    return redirect("applications:submitted", submitted.public_id)


_submit_strong = strong_auth_required(_submit_checked)


def _submit(request: HttpRequest, public_id) -> HttpResponse:
    """Official requests (requires_strong_auth) need a fresh passkey confirmation first."""
    service = get_object_or_404(Application, public_id=public_id, applicant=request.user).service
    handler = _submit_strong if service.requires_strong_auth else _submit_checked
    return handler(request, public_id)


@resident_required
def submitted(request: HttpRequest, public_id) -> HttpResponse:
    application = _own(request, public_id)
    if application.status == Application.Status.DRAFT:
        return redirect("applications:review", public_id)
    return render(request, "applications/submitted.html", {"application": application})


@resident_required
def detail(request: HttpRequest, public_id) -> HttpResponse:
    application = _own(request, public_id)
    if application.status == Application.Status.DRAFT:
        return redirect("applications:page", public_id, 1)
    schema = drafts.schema_of(application)
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "pages": display(schema, application.cleaned),
            "history": application.events.filter(kind__in=Event.VISIBLE_TO_APPLICANT),
            "questions": application.questions.prefetch_related("files"),
            "documents": application.documents.all(),
            "files": application.files.filter(question__isnull=True),
            "answer_form": AnswerForm(),
        },
    )


@resident_required
def answer(request: HttpRequest, public_id, question_id: int) -> HttpResponse:
    application = _own(request, public_id)
    question = get_object_or_404(application.questions, pk=question_id, answered_at__isnull=True)
    form = AnswerForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            cases.answer_with_files(
                question, form.cleaned_data["answer"], form.cleaned_data["dateien"], by=request.user
            )
        except cases.CaseError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error("dateien", error)
        else:
            messages.success(request, _("Danke, Ihre Antwort ist angekommen."))
            return redirect("applications:detail", public_id)
    return render(
        request,
        "applications/answer.html",
        {"application": application, "question": question, "answer_form": form},
    )


@resident_required
@require_POST
def withdraw(request: HttpRequest, public_id) -> HttpResponse:
    application = _own(request, public_id)
    try:
        cases.withdraw(application, by=request.user)
    except cases.CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Ihr Antrag %s ist zurückgezogen.") % application.reference)
    return redirect("applications:detail", public_id)


@resident_required
@require_POST
def discard(request: HttpRequest, public_id) -> HttpResponse:
    application = _own(request, public_id, status=Application.Status.DRAFT)
    if not drafts.discard(application):  # submitted a moment ago, e.g. in another tab
        messages.info(request, _("Der Antrag ist schon eingereicht und bleibt bestehen."))
        return redirect("applications:detail", application.public_id)
    messages.success(request, _("Der Entwurf ist gelöscht."))
    return redirect("applications:mine")


@resident_required
def document(request: HttpRequest, public_id, document_id: int) -> FileResponse:
    application = _own(request, public_id)
    stored = get_object_or_404(application.documents, pk=document_id)
    return _file_response(
        stored.file, f"{stored.get_kind_display()} {application.reference}.pdf", "application/pdf"
    )


@resident_required
def stored_file(request: HttpRequest, public_id, file_id: int) -> FileResponse:
    application = _own(request, public_id)
    stored = get_object_or_404(application.files, pk=file_id)
    return _file_response(stored.file, stored.original_name, stored.content_type)


def _file_response(file, name: str, content_type: str) -> FileResponse:
    response = FileResponse(
        file.open("rb"), content_type=content_type, as_attachment=False, filename=name
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def printable(request: HttpRequest, slug: str) -> HttpResponse:
    """The empty form as a PDF to fill in by hand (analogue stays possible)."""
    service = get_object_or_404(Service.objects.published(), slug=slug)
    form = drafts.current_form(service)
    if form is None:
        raise Http404
    return _pdf_response(paper_form_pdf(service, form), f"Antrag-{service.slug}.pdf")


@resident_required
def printable_draft(request: HttpRequest, public_id) -> HttpResponse:
    application = _own(request, public_id)
    content = paper_form_pdf(application.service, application.form, application.answers)
    return _pdf_response(content, f"Antrag-{application.service.slug}.pdf")


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
