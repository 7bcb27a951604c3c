"""Proposals: the list with filters, a proposal with its history, submitting one, supporting
and withdrawing; the picture of a proposal is served only while the proposal is shown."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts.decorators import resident_required
from rathaus.core.forms import posted
from rathaus.core.http import page_query

from ..forms import ProposalFilterForm, ProposalForm
from ..models import Participant, Proposal, ProposalSupport
from ..services import NotAllowed, proposals, visible_to
from ..services.processes import own, refusal
from .public import find_process
from .resident import toggle_support, withdraw_own

__all__ = ["image", "listing", "proposal", "propose", "support", "withdraw"]

PER_PAGE = 20


def listing(request: HttpRequest, slug: str) -> HttpResponse:
    process = find_process(request, slug)
    form = ProposalFilterForm(request.GET, process=process)
    found = proposals.listing(
        process,
        user=request.user,
        district=form.value("bezirk"),
        category=form.value("kategorie"),
        status=form.value("stand") or "",
        words=form.value("q") or "",
        order=form.value("sortierung") or "unterstuetzung",
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("seite"))
    context = {
        "process": process,
        "form": form,
        "page": page,
        "query": page_query(request),
        "closed": refusal(process, "propose"),
    }
    return render(request, "participation/proposals.html", context)


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    found = get_object_or_404(
        Proposal.objects.select_related("process__office", "district", "category", "author"),
        pk=pk,
    )
    if not visible_to(found.process, request.user):
        raise Http404
    return found


def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    found = _proposal(request, pk)
    supported = False
    if request.user.is_authenticated:
        supported = ProposalSupport.objects.filter(proposal=found, user=request.user).exists()
    context = {
        "process": found.process,
        "proposal": found,
        "history": found.history.all(),
        "support_count": found.supports.count(),
        "supported": supported,
        "mine": request.user.is_authenticated and own(found, request.user),
        "closed": refusal(found.process, "support_proposal"),
    }
    return render(request, "participation/proposal.html", context)


def image(request: HttpRequest, pk: int) -> FileResponse:
    found = _proposal(request, pk)
    if not found.image or not found.shown:
        raise Http404
    response = FileResponse(found.image.open("rb"))
    response["Content-Type"] = "image/png" if found.image.name.endswith(".png") else "image/jpeg"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@resident_required
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    process = find_process(request, slug)
    data = posted(request)
    participant = Participant.objects.filter(user=request.user).first()
    form = ProposalForm(
        data,
        request.FILES if data is not None else None,
        process=process,
        initial={"public_name": participant.public_name if participant else ""},
    )
    problem = refusal(process, "propose")
    if data is not None and not problem and form.is_valid():
        try:
            made = proposals.submit(process, user=request.user, **form.cleaned_data)
        except NotAllowed as refused:
            problem = refused.message
        else:
            messages.success(request, _("Danke! Ihr Vorschlag ist veröffentlicht."))
            return redirect("participation:proposal", pk=made.pk)
    status = 409 if data is not None and problem else 400 if form.is_bound else 200
    context = {"process": process, "form": form, "problem": problem}
    return render(request, "participation/propose.html", context, status=status)


@require_POST
@resident_required
def support(request: HttpRequest, pk: int) -> HttpResponse:
    found = _proposal(request, pk)
    toggle_support(
        request,
        found,
        proposals,
        given=_("Danke! Sie unterstützen diesen Vorschlag."),
        taken=_("Sie unterstützen diesen Vorschlag nicht mehr."),
    )
    return redirect("participation:proposal", pk=found.pk)


@require_POST
@resident_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    found = _proposal(request, pk)
    withdraw_own(request, found, proposals, done=_("Ihr Vorschlag ist zurückgezogen."))
    return redirect("participation:proposal", pk=found.pk)
