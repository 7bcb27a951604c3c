"""The office's pages (role Bürgerbeteiligung, for the processes of its office): the
moderation queue, answering comments, and comments received by letter, phone or at events."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from rathaus.accounts.policy import staff_required
from rathaus.core.forms import posted

from ..forms import AssistForm, HideForm, ResponseForm, StatusForm
from ..models import Comment, Process, Proposal, Section
from ..services import NotAllowed, comments, moderation, notices, proposals, responses
from ..services.processes import MANAGE, comments_of, manageable, may_manage, process_of

__all__ = ["assist", "decide", "home", "moderate", "process", "proposals_list", "queue"]


@staff_required(MANAGE)
def home(request: HttpRequest) -> HttpResponse:
    processes = (
        manageable(request.user)
        .prefetch_related("budgets", "surveys")
        .annotate(
            waiting=Count(
                "drafts__sections__comments",
                filter=Q(
                    drafts__sections__comments__parent=None,
                    drafts__sections__comments__response=None,
                    drafts__sections__comments__hidden_at=None,
                    drafts__sections__comments__withdrawn_at=None,
                ),
            )
        )
    )
    return render(
        request,
        "participation/staff/home.html",
        {
            "processes": processes,
            "reported": moderation.waiting(request.user),
            "section": "home",
        },
    )


@staff_required(MANAGE)
def queue(request: HttpRequest) -> HttpResponse:
    context = {"waiting": moderation.queue(request.user), "section": "queue"}
    return render(request, "participation/staff/queue.html", context)


def _managed(request: HttpRequest, slug: str) -> Process:
    found = get_object_or_404(Process.objects.select_related("office"), slug=slug)
    if not may_manage(request.user, found):
        raise PermissionDenied(MANAGE)
    return found


@staff_required(MANAGE)
def moderate(request: HttpRequest, pk: int, kind: str = "comment") -> HttpResponse:
    """Look at one comment or proposal with its reports: hide it (with a public reason), keep
    it, or show a hidden one again."""
    if kind == "proposal":
        item = get_object_or_404(Proposal.objects.select_related("process__office"), pk=pk)
    else:
        item = get_object_or_404(
            Comment.objects.select_related("section__draft__process__office"), pk=pk
        )
    process = process_of(item)
    if not may_manage(request.user, process):
        raise PermissionDenied(MANAGE)
    action = request.POST.get("entscheidung") if request.method == "POST" else None
    form = HideForm(request.POST if action == "ausblenden" else None)
    problem = ""
    try:
        if action == "ausblenden" and form.is_valid():
            moderation.hide(item, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(
                request, _("Der Beitrag ist ausgeblendet; die Person wird informiert.")
            )
            return redirect("participation:queue")
        if action == "behalten":
            moderation.keep(item, by=request.user)
            messages.success(
                request, _("Die Meldungen sind erledigt; der Beitrag bleibt sichtbar.")
            )
            return redirect("participation:queue")
        if action == "wieder_zeigen":
            moderation.restore(item, by=request.user)
            messages.success(request, _("Der Beitrag ist wieder sichtbar."))
            return redirect("participation:queue")
    except NotAllowed as refusal:
        problem = refusal.message
    context = {
        "item": item,
        "process": process,
        "link": notices.link(item),
        "reports": item.reports.all(),
        "form": form,
        "problem": problem,
    }
    status = 400 if form.is_bound or problem else 200
    return render(request, "participation/staff/moderate.html", context, status=status)


@staff_required(MANAGE)
def process(request: HttpRequest, slug: str) -> HttpResponse:
    """The comments still waiting for an answer; one answer for one or several of them."""
    found = _managed(request, slug)
    waiting = responses.unanswered(found)
    form = ResponseForm(posted(request), comments=waiting)
    problem = ""
    if form.is_valid():
        try:
            responses.publish(
                found,
                list(form.cleaned_data["comments"]),
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except NotAllowed as refusal:
            problem = refusal.message
        else:
            messages.success(
                request, _("Die Antwort ist veröffentlicht; die Verfasser*innen werden informiert.")
            )
            return redirect("participation:staff_process", slug=found.slug)
    context = {
        "process": found,
        "form": form,
        "waiting": waiting,
        "answered": comments_of(found).exclude(response=None).count(),
        "problem": problem,
    }
    status = 409 if problem else 400 if form.is_bound else 200
    return render(request, "participation/staff/process.html", context, status=status)


@staff_required(MANAGE)
def assist(request: HttpRequest, slug: str) -> HttpResponse:
    """Type in a comment that came by letter, phone or at an event."""
    found = _managed(request, slug)
    form = AssistForm(posted(request), sections=Section.objects.filter(draft__process=found))
    problem = ""
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            comments.assist(data.pop("section"), staff=request.user, **data)
        except NotAllowed as refusal:
            problem = refusal.message
        else:
            messages.success(request, _("Der Beitrag ist erfasst und veröffentlicht."))
            return redirect("participation:assist", slug=found.slug)
    status = 409 if problem else 400 if form.is_bound else 200
    return render(
        request,
        "participation/staff/assist.html",
        {"process": found, "form": form, "problem": problem},
        status=status,
    )


@staff_required(MANAGE)
def proposals_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The process's proposals: those whose answer is due first, then all by status."""
    found = _managed(request, slug)
    context = {
        "process": found,
        "due": proposals.due(found),
        "all": proposals.listing(found, order="neueste"),
    }
    return render(request, "participation/staff/proposals.html", context)


@staff_required(MANAGE)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A new status for a proposal, with the public reason (and the estimated cost)."""
    proposal = get_object_or_404(Proposal.objects.select_related("process__office"), pk=pk)
    if not may_manage(request.user, proposal.process):
        raise PermissionDenied(MANAGE)
    form = StatusForm(posted(request), initial={"status": proposal.status, "cost": proposal.cost})
    problem = ""
    if form.is_valid():
        try:
            proposals.change_status(proposal, by=request.user, **form.cleaned_data)
        except NotAllowed as refusal:
            problem = refusal.message
        else:
            messages.success(
                request, _("Der neue Stand ist veröffentlicht; die Person wird informiert.")
            )
            return redirect("participation:staff_proposals", slug=proposal.process.slug)
    context = {
        "process": proposal.process,
        "proposal": proposal,
        "history": proposal.history.all(),
        "support_count": proposal.supports.count(),
        "form": form,
        "problem": problem,
    }
    status = 409 if problem else 400 if form.is_bound else 200
    return render(request, "participation/staff/decide.html", context, status=status)
