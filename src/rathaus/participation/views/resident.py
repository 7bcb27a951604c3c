"""What signed-in residents do: comment, reply, support, withdraw, report.

Each view parses its form, calls one service and goes back to the comment's place; a refusal
(phase closed, too many comments, already reported) is shown on the page, with what was
typed kept in the form.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts.decorators import resident_required
from rathaus.core.forms import posted

from ..forms import CommentForm, ReplyForm, ReportForm
from ..models import Comment, Proposal
from ..services import NotAllowed, comments, moderation, visible_to
from ..services.processes import process_of
from .public import find_section, section_page

__all__ = ["comment", "reply", "report", "support", "withdraw"]

REPLY = "antwort"  # the reply form's field names, apart from the comment form's on the same page


def _back(comment: Comment) -> str:
    process = comment.section.draft.process
    anchor = comment.parent_id or comment.pk
    path = reverse("participation:section", args=[process.slug, comment.section_id])
    return f"{path}#kommentar-{anchor}"


def _comment(request: HttpRequest, pk: int) -> Comment:
    found = get_object_or_404(
        Comment.objects.select_related("section__draft__process__office", "author"), pk=pk
    )
    if not visible_to(found.section.draft.process, request.user):
        raise Http404
    return found


@require_POST
@resident_required
def comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    section = find_section(request, slug, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return section_page(request, section, comment_form=form, status=400)
    try:
        made = comments.write(section, user=request.user, **form.cleaned_data)
    except NotAllowed as refusal:
        return section_page(
            request, section, comment_form=form, problem=refusal.message, status=409
        )
    messages.success(request, _("Danke! Ihr Kommentar ist veröffentlicht."))
    return redirect(_back(made))


@require_POST
@resident_required
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _comment(request, pk)
    form = ReplyForm(request.POST, prefix=REPLY)
    if not form.is_valid():
        return section_page(request, parent.section, reply_to=parent, reply_form=form, status=400)
    try:
        made = comments.write(parent.section, user=request.user, parent=parent, **form.cleaned_data)
    except NotAllowed as refusal:
        return section_page(
            request,
            parent.section,
            reply_to=parent,
            reply_form=form,
            problem=refusal.message,
            status=409,
        )
    messages.success(request, _("Danke! Ihre Antwort ist veröffentlicht."))
    return redirect(_back(made))


def toggle_support(request: HttpRequest, item, service, *, given: str, taken: str) -> None:
    """Support ``item`` through ``service`` (comments or proposals), or take the support back
    (``zuruecknehmen``); the outcome or the refusal is the next page's message."""
    try:
        if request.POST.get("zuruecknehmen"):
            service.withdraw_support(item, user=request.user)
            messages.success(request, taken)
        else:
            service.support(item, user=request.user)
            messages.success(request, given)
    except NotAllowed as refusal:
        messages.error(request, refusal.message)


def withdraw_own(request: HttpRequest, item, service, *, done: str) -> None:
    try:
        service.withdraw(item, user=request.user)
        messages.success(request, done)
    except NotAllowed as refusal:
        messages.error(request, refusal.message)


@require_POST
@resident_required
def support(request: HttpRequest, pk: int) -> HttpResponse:
    found = _comment(request, pk)
    toggle_support(
        request,
        found,
        comments,
        given=_("Danke! Sie unterstützen diesen Kommentar."),
        taken=_("Sie unterstützen diesen Kommentar nicht mehr."),
    )
    return redirect(_back(found))


@require_POST
@resident_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    found = _comment(request, pk)
    withdraw_own(request, found, comments, done=_("Ihr Kommentar ist zurückgezogen."))
    return redirect(_back(found))


@resident_required
def report(request: HttpRequest, pk: int, kind: str = "comment") -> HttpResponse:
    """Report a comment or (``kind="proposal"``) a proposal to the moderation."""
    if kind == "proposal":
        found = get_object_or_404(Proposal.objects.select_related("process"), pk=pk)
        back = reverse("participation:proposal", args=[pk])
    else:
        found = _comment(request, pk)
        back = _back(found)
    if not visible_to(process_of(found), request.user):
        raise Http404
    form = ReportForm(posted(request))
    problem = ""
    if form.is_valid():
        try:
            moderation.report(found, user=request.user, **form.cleaned_data)
        except NotAllowed as refusal:
            problem = refusal.message
        else:
            messages.success(request, _("Danke! Die Moderation sieht sich den Beitrag an."))
            return redirect(back)
    status = 409 if problem else 400 if form.is_bound else 200
    context = {"item": found, "form": form, "problem": problem, "back": back}
    return render(request, "participation/report.html", context, status=status)
