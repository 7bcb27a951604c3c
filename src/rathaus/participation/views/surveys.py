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

from ..models import Survey
from ..services import NotAllowed, may_manage, surveys, visible_to
from ..services.processes import MANAGE

__all__ = ["answers_file", "survey"]


def _survey(request: HttpRequest, slug: str, pk: int) -> Survey:
    found = get_object_or_404(
        Survey.objects.select_related("process__office", "phase"), pk=pk, process__slug=slug
    )
    if not visible_to(found.process, request.user):
        raise Http404
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
    found = get_object_or_404(Survey.objects.select_related("process"), pk=pk, process__slug=slug)
    if not may_manage(request.user, found.process):
        raise PermissionDenied(MANAGE)
    response = HttpResponse(surveys.answers_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="umfrage-{found.pk}.csv"'
    return response
