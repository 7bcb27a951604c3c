"""The public pages of the council information system (``/ratsinfo/``): the council and its
committees, their meetings with agendas, the papers and their documents, and a calendar
feed of the meetings. Everything here is public; nothing needs an account."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.core.http import page_query

from . import calendar, links, services
from .forms import MeetingFilterForm, PaperSearchForm
from .models import Consultation, File, Meeting, Organization, Paper, Record

__all__ = [
    "file",
    "file_download",
    "index",
    "meeting",
    "meetings",
    "meetings_ics",
    "organization",
    "paper",
    "papers",
]

MEETINGS_PER_PAGE = 50
PAPERS_PER_PAGE = 25


def _public(record: Record) -> None:
    """A withdrawn record is gone from the pages (the API still says it was withdrawn)."""
    if record.deleted:
        raise Http404(_("Dieser Eintrag wurde zurückgezogen."))


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "council/index.html",
        {
            "boards": services.boards(),
            "upcoming": services.upcoming()[:8],
            "recent_papers": services.papers()[:8],
        },
    )


def organization(request: HttpRequest, pk: int) -> HttpResponse:
    board = get_object_or_404(Organization, pk=pk)
    _public(board)
    now = timezone.now()
    held = services.meetings(board).filter(start__lt=now).order_by("-start")
    return render(
        request,
        "council/organization.html",
        {
            "board": board,
            "members": services.current_members(board),
            "upcoming": services.upcoming(now, board)[:6],
            "held": held[:12],
            "papers": services.papers().filter(under_direction_of=board)[:12],
        },
    )


def meetings(request: HttpRequest) -> HttpResponse:
    form = MeetingFilterForm(request.GET)
    found = services.meetings(form.value("gremium"))
    year = form.value("jahr")
    if year:
        found = found.filter(start__year=year)
    page = Paginator(found, MEETINGS_PER_PAGE).get_page(request.GET.get("seite"))
    context = {"form": form, "page": page, "query": page_query(request)}
    return render(request, "council/meetings.html", context)


def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        Meeting.objects.select_related(
            "location", "invitation", "results_protocol", "verbatim_protocol"
        ),
        pk=pk,
    )
    _public(found)
    return render(
        request,
        "council/meeting.html",
        {
            "meeting": found,
            "boards": found.organizations.filter(deleted=False),
            "agenda": services.agenda(found),
            "files": found.auxiliary_files.filter(deleted=False),
        },
    )


def meetings_ics(request: HttpRequest) -> HttpResponse:
    """All meetings, or one body's (``?gremium=<id>``), for calendar subscriptions."""
    form = MeetingFilterForm(request.GET)
    board = form.value("gremium")
    name = board.name if board else _("Sitzungen von Rat und Ausschüssen")
    response = HttpResponse(
        calendar.feed(services.meetings(board), name=name),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="sitzungen.ics"'
    return response


def papers(request: HttpRequest) -> HttpResponse:
    form = PaperSearchForm(request.GET)
    found = services.papers(
        words=form.value("q") or "", paper_type=form.value("art") or "", year=form.value("jahr")
    )
    page = Paginator(found, PAPERS_PER_PAGE).get_page(request.GET.get("seite"))
    context = {"form": form, "page": page, "query": page_query(request)}
    return render(request, "council/papers.html", context)


def paper(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Paper.objects.select_related("main_file"), pk=pk)
    _public(found)
    consultations = (
        Consultation.objects.filter(paper=found, deleted=False)
        .select_related("meeting", "agenda_item")
        .prefetch_related("organizations")
        .order_by("meeting__start", "pk")
    )
    return render(
        request,
        "council/paper.html",
        {
            "paper": found,
            "consultations": consultations,
            "files": found.auxiliary_files.filter(deleted=False),
            "related": found.related_papers.filter(deleted=False),
            "originators": [
                *found.originator_organizations.filter(deleted=False),
                *found.originator_persons.filter(deleted=False),
            ],
            "directed_by": found.under_direction_of.filter(deleted=False),
            "participation": links.for_paper(found),
        },
    )


def _file(pk: int, name: str, *, attachment: bool) -> FileResponse:
    found = get_object_or_404(File, pk=pk, file_name=name)
    _public(found)
    if not found.content:
        raise Http404(_("Zu diesem Eintrag ist keine Datei gespeichert."))
    response = FileResponse(
        found.content.open("rb"),
        as_attachment=attachment,
        filename=found.file_name,
        content_type=found.mime_type,
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def file(request: HttpRequest, pk: int, name: str) -> FileResponse:
    return _file(pk, name, attachment=False)


def file_download(request: HttpRequest, pk: int, name: str) -> FileResponse:
    return _file(pk, name, attachment=True)
