"""Filling in an application page by page: shared by residents online and staff at the counter.

The view reads the pressed button, hands the page to ``services.pages.post_page`` and
shows what follows. A button the page does not have is a tampered request: 400.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..formdef.engine import PageForm
from ..formdef.types import DUESSELDORF_STREETS
from ..forms import PageActionForm
from ..models import Application
from ..services import drafts, pages


@dataclass(frozen=True)
class Urls:
    """Where the page buttons lead: differs for residents and for staff."""

    page: Callable[[int], str]
    review: str
    leave: str


def bad_request(request: HttpRequest) -> HttpResponse:
    """A request no page of ours sends (a changed hidden field or button): nothing happens."""
    return render(request, "applications/bad_request.html", status=400)


def page(
    request: HttpRequest,
    application: Application,
    index: int,
    *,
    urls: Urls,
    by: object,
    template: str = "applications/page.html",
) -> HttpResponse:
    language = get_language()
    form_schema, translation_note = drafts.display_schema(application, language)
    if not 0 <= index < len(form_schema.pages):
        return redirect(urls.page(0))

    def show(form: PageForm) -> HttpResponse:
        context = {"application": application, "index": index, "pages": form_schema.pages}
        context["translation_note"] = translation_note
        context |= {"urls": urls, "form": form, "streets": DUESSELDORF_STREETS}
        return render(request, template, context)

    if request.method != "POST":
        return show(PageForm(form_schema, index, application.answers))
    action_form = PageActionForm(request.POST)
    if not action_form.is_valid():
        return bad_request(request)
    try:
        outcome = pages.post_page(
            application,
            index,
            request.POST,
            request.FILES,
            action=action_form.cleaned_data["_aktion"],
            by=by,
            language=language,
        )
    except pages.ForgedAction:
        return bad_request(request)
    if outcome.form is not None:
        return show(outcome.form)
    if outcome.saved:
        messages.success(request, _("Gespeichert. Sie können bis zu 30 Tage später weitermachen."))
        return redirect(urls.leave)
    return redirect(
        urls.page(outcome.go_to) if outcome.go_to < len(form_schema.pages) else urls.review
    )
