"""Residents' pages: the processes, a process with its phases and drafts, a draft section with
its comments (and, for signed-in residents, the forms to take part), the guidelines."""

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.council import services as council

from ..forms import CommentForm, ReplyForm
from ..models import Comment, Participant, Process, Result, Section
from ..services import comments, overview, visible_to
from ..services.processes import refusal

__all__ = [
    "find_process",
    "find_section",
    "guidelines",
    "index",
    "process",
    "section",
    "section_page",
]

ORDERS = {
    "aelteste": _("älteste zuerst"),
    "neueste": _("neueste zuerst"),
    "unterstuetzung": _("meiste Unterstützung"),
}


def find_process(request: HttpRequest, slug: str) -> Process:
    process = get_object_or_404(Process.objects.select_related("office", "committee"), slug=slug)
    if not visible_to(process, request.user):
        raise Http404
    return process


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/index.html", {"groups": overview()})


def process(request: HttpRequest, slug: str) -> HttpResponse:
    found = find_process(request, slug)
    now = timezone.now()
    sections = Section.objects.filter(draft__process=found).annotate(
        comment_count=Count(
            "comments", filter=Q(comments__hidden_at=None, comments__withdrawn_at=None)
        ),
        answered=Count("comments", filter=Q(comments__response__isnull=False)),
    )
    drafts = [
        {
            "draft": draft,
            "sections": [s for s in sections if s.draft_id == draft.pk],
        }
        for draft in found.drafts.all()
    ]
    for entry in drafts:
        entry["comment_count"] = sum(s.comment_count for s in entry["sections"])
    next_meeting = council.upcoming(now, found.committee).first() if found.committee else None
    propose_open = not refusal(found, "propose", now)
    return render(
        request,
        "participation/process.html",
        {
            "process": found,
            "phases": list(found.phases.all()),
            "current": found.phase_at(now),
            "drafts": drafts,
            "documents": found.documents.all(),
            "papers": found.papers.filter(deleted=False).order_by("-date"),
            "next_meeting": next_meeting,
            "proposal_count": found.proposals.filter(withdrawn_at=None, hidden_at=None).count(),
            "propose_open": propose_open,
            "surveys": found.surveys.all(),
            "budgets": found.budgets.annotate(
                counted=Exists(Result.objects.filter(budget=OuterRef("pk")))
            ),
            "now": now,
        },
    )


def section_page(
    request: HttpRequest,
    section: Section,
    *,
    comment_form: CommentForm | None = None,
    reply_to: Comment | None = None,
    reply_form: ReplyForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    """The section with its thread; forms with errors come back filled in, where they were."""
    process = section.draft.process
    user = request.user
    order = request.GET.get("sortierung", "aelteste")
    order = order if order in ORDERS else "aelteste"
    closed = refusal(process, "comment")
    name = ""
    if user.is_authenticated:
        participant = Participant.objects.filter(user=user).first()
        name = participant.public_name if participant else ""
    sections = list(section.draft.sections.all())
    position = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    context = {
        "process": process,
        "section": section,
        "thread": comments.thread(section, user=user, order=order),
        "order": order,
        "orders": ORDERS,
        "closed": closed,
        "problem": problem,
        "comment_form": comment_form or CommentForm(initial={"public_name": name}),
        "reply_to": reply_to,
        "reply_form": reply_form,
        "public_name": name,
        "previous": sections[position - 1] if position else None,
        "next": sections[position + 1] if position + 1 < len(sections) else None,
    }
    return render(request, "participation/section.html", context, status=status)


def find_section(request: HttpRequest, slug: str, pk: int) -> Section:
    found = get_object_or_404(
        Section.objects.select_related("draft__process__office"), pk=pk, draft__process__slug=slug
    )
    if not visible_to(found.draft.process, request.user):
        raise Http404
    return found


def section(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return section_page(request, find_section(request, slug, pk))


def guidelines(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/guidelines.html")
