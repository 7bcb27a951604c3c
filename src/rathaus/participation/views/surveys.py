"""Surveys: the questions (answered once, signed in, while the phase runs) and the counted
results; for the owning office every answer as a spreadsheet."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from rathaus.accounts.decorators import resident_required
from rathaus.accounts.policy import staff_required
from rathaus.core.forms import posted

from ..forms import PaperPersonForm
from ..models import Survey
from ..services import NotAllowed, budgets, may_manage, surveys, visible_to
from ..services.processes import MANAGE, by_channel

__all__ = ["answers_file", "enter_on_paper", "survey"]


def _survey(request: HttpRequest, slug: str, pk: int) -> Survey:
    found = get_object_or_404(
        Survey.objects.select_related("process__office", "phase"), pk=pk, process__slug=slug
    )
    if not visible_to(found.process, request.user):
        raise Http404
    return found


def _managed(request: HttpRequest, slug: str, pk: int) -> Survey:
    found = get_object_or_404(
        Survey.objects.select_related("process__office", "phase"), pk=pk, process__slug=slug
    )
    if not may_manage(request.user, found.process):
        raise PermissionDenied(MANAGE)
    return found


def survey(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Anyone reads the questions; answering needs an account (``answer_survey``)."""
    found = _survey(request, slug, pk)
    if request.method == "POST":
        return answer_survey(request, slug, pk)
    return _page(request, found, surveys.form(found))


@resident_required
def answer_survey(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _survey(request, slug, pk)
    page = surveys.form(found, posted(request))
    problem = ""
    if page.is_valid():
        try:
            surveys.answer(found, page, user=request.user)
        except NotAllowed as refused:
            problem = refused.message
        else:
            messages.success(
                request, _("Danke! Ihre Antworten sind gespeichert – ohne Ihren Namen.")
            )
            return redirect("participation:survey", slug=slug, pk=pk)
    return _page(request, found, page, problem=problem, status=409 if problem else 400)


def _page(
    request: HttpRequest, found: Survey, page, *, problem: str = "", status: int = 200
) -> HttpResponse:
    closed = surveys.closed(found)
    staff = may_manage(request.user, found.process)
    context = {
        "process": found.process,
        "survey": found,
        "form": page,
        "problem": problem,
        "closed": closed,
        "answered": surveys.answered(found, request.user),
        "results": surveys.results(found) if staff or surveys.ended(found) else None,
        "staff": staff,
    }
    return render(request, "participation/survey.html", context, status=status)


@staff_required(MANAGE)
def answers_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _managed(request, slug, pk)
    response = HttpResponse(surveys.answers_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="umfrage-{found.pk}.csv"'
    return response


@staff_required(MANAGE)
def enter_on_paper(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A questionnaire from the citizens' office, a letter or an event, typed in by staff of
    the owning office: the questions of the online page and who answered (as a check
    value), so the same person is not counted twice."""
    found = _managed(request, slug, pk)
    data = posted(request)
    page = surveys.form(found, data)
    person = PaperPersonForm(data, prefix="person")
    problem = ""
    if data is not None and all([page.is_valid(), person.is_valid()]):
        fields = person.cleaned_data
        try:
            surveys.enter(
                found,
                page,
                person=budgets.identity(
                    found.process, fields["given_name"], fields["family_name"], fields["birth_date"]
                ),
                channel=fields["channel"],
                entered_by=request.user,
            )
        except NotAllowed as refused:
            problem = refused.message
        else:
            messages.success(request, _("Der Fragebogen ist erfasst."))
            return redirect("participation:survey_on_paper", slug=slug, pk=pk)
    context = {
        "process": found.process,
        "survey": found,
        "form": page,
        "person": person,
        "problem": problem,
        "closed": surveys.closed(found),
        "by_channel": by_channel(found.participations.all()),
        "section": "home",
    }
    status = 409 if problem else 400 if data is not None and (page.errors or person.errors) else 200
    return render(request, "participation/staff/survey.html", context, status=status)
