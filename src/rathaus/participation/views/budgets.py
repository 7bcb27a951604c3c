"""Participatory budgets: the budget with its projects, the ballot (checked, reviewed, then
cast – with a passkey confirmation, one vote per person), the result with every step of the
rule and its published count; for the office the count and paper ballots."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts.decorators import strong_auth_required
from rathaus.accounts.policy import staff_required
from rathaus.core.forms import posted

from ..forms import BallotForm, PaperBallotForm
from ..models import Budget, Result
from ..services import NotAllowed, budgets, visible_to
from ..services.processes import MANAGE, by_channel, may_manage, refusal

__all__ = ["budget", "count", "result", "result_file", "staff_budget", "vote"]


def _budget(request: HttpRequest, slug: str, pk: int) -> Budget:
    found = get_object_or_404(
        Budget.objects.select_related("process__office", "district"), pk=pk, process__slug=slug
    )
    if not visible_to(found.process, request.user):
        raise Http404
    return found


def _closed(budget: Budget) -> str:
    return refusal(budget.process, "vote")


def budget(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _budget(request, slug, pk)
    projects = list(budgets.projects_of(found))
    context = {
        "process": found.process,
        "budget": found,
        "projects": projects,
        "closed": _closed(found),
        "voted": budgets.has_voted(found, request.user),
        "counted": Result.objects.filter(budget=found).exists(),
        "total": sum(p.cost for p in projects),
    }
    return render(request, "participation/budget.html", context)


@strong_auth_required
def vote(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Choose, review, cast. Nothing is stored before "Stimme abgeben"; a ballot that cannot
    be cast comes back as it was filled in, with the reason."""
    found = _budget(request, slug, pk)
    if budgets.has_voted(found, request.user):
        messages.info(request, _("Sie haben in dieser Beteiligung schon abgestimmt."))
        return redirect("participation:budget", slug=slug, pk=pk)
    projects = list(budgets.projects_of(found))
    data = posted(request)
    form = BallotForm(data, budget=found, projects=projects)
    problem, review = _closed(found), None
    step = data.get("schritt") if data is not None else None
    if data is not None and not problem and form.is_valid() and step != "aendern":
        quarter = form.cleaned_data.get("stadtteil")
        try:
            if step == "abgeben":
                budgets.cast(found, form.chosen(), user=request.user, quarter=quarter)
                messages.success(
                    request, _("Danke! Ihre Stimme ist gezählt. Eine Bestätigung kommt per E-Mail.")
                )
                return redirect("participation:budget", slug=slug, pk=pk)
            review = budgets.check(found, form.chosen(), quarter=quarter)
        except NotAllowed as refused:
            problem = refused.message
    status = 409 if problem and data is not None else 400 if form.errors else 200
    context = {
        "process": found.process,
        "budget": found,
        "projects": projects,
        "form": form,
        "problem": problem,
        "review": review,
        "costs": {str(p.pk): p.cost for p in projects},
        "review_cost": sum(p.cost for p in review) if review else 0,
        "review_points": sum(review.values()) if review else 0,
    }
    return render(request, "participation/vote.html", context, status=status)


def result(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _budget(request, slug, pk)
    context = {
        "process": found.process,
        "budget": found,
        "published": budgets.published(found),
        "closed": _closed(found),
    }
    return render(request, "participation/result.html", context)


def result_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The published count as a file (the bytes whose SHA-256 is in the transparency log)."""
    found = _budget(request, slug, pk)
    counted = get_object_or_404(Result, budget=found)
    response = HttpResponse(counted.document.encode(), content_type="application/json")
    response["Content-Disposition"] = (
        f'attachment; filename="buergerbudget-{found.process.slug}-{found.pk}.json"'
    )
    return response


def _managed(request: HttpRequest, slug: str, pk: int) -> Budget:
    found = get_object_or_404(
        Budget.objects.select_related("process__office", "district"), pk=pk, process__slug=slug
    )
    if not may_manage(request.user, found.process):
        raise PermissionDenied(MANAGE)
    return found


@staff_required(MANAGE)
def staff_budget(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Votes so far by channel (not what they were), paper ballots, and the count."""
    found = _managed(request, slug, pk)
    projects = list(budgets.projects_of(found))
    data = posted(request)
    form = PaperBallotForm(data, budget=found, projects=projects)
    problem = ""
    if data is not None and form.is_valid():
        fields = form.cleaned_data
        person = budgets.identity(
            found.process, fields["given_name"], fields["family_name"], fields["birth_date"]
        )
        try:
            budgets.cast(
                found,
                form.chosen(),
                person=person,
                quarter=fields.get("stadtteil"),
                channel=fields["channel"],
                entered_by=request.user,
            )
        except NotAllowed as refused:
            problem = refused.message
        else:
            messages.success(request, _("Der Stimmzettel ist erfasst."))
            return redirect("participation:staff_budget", slug=slug, pk=pk)
    context = {
        "process": found.process,
        "budget": found,
        "projects": projects,
        "form": form,
        "problem": problem,
        "by_channel": by_channel(found.votes.all()),
        "votes": found.votes.count(),
        "over": budgets.voting_over(found),
        "counted": Result.objects.filter(budget=found).first(),
        "closed": _closed(found),
        "section": "home",
    }
    status = 409 if problem else 400 if form.errors else 200
    return render(request, "participation/staff/budget.html", context, status=status)


@require_POST
@staff_required(MANAGE)
def count(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _managed(request, slug, pk)
    try:
        budgets.count(found, by=request.user)
    except NotAllowed as refused:
        messages.error(request, refused.message)
        return redirect("participation:staff_budget", slug=slug, pk=pk)
    messages.success(request, _("Ausgezählt. Das Ergebnis ist veröffentlicht."))
    return redirect("participation:result", slug=slug, pk=pk)
