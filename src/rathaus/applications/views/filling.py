"""Filling in an application page by page: shared by residents online and staff at the counter.

The page view keeps everything that was typed: a page with errors is shown again
with the input; "Zwischenspeichern" stores what is there without checking it;
adding or removing a row of a repeating group changes nothing else.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..formdef.engine import VERSION_FIELD, PageForm
from ..formdef.types import DUESSELDORF_STREETS
from ..models import Application
from ..services import drafts

ROW = re.compile(r"^(?P<key>[a-z][a-z0-9_]*)-(?P<index>\d+)-(?P<rest>.+)$")


@dataclass(frozen=True)
class Urls:
    """Where the page buttons lead: differs for residents and for staff."""

    page: Any  # callable(index) -> url
    review: str
    leave: str


def without_row(data: QueryDict, key: str, removed: int) -> QueryDict:
    """The posted data with one row of a repeating group taken out and the rest renumbered."""
    result = QueryDict(mutable=True)
    for name, values in data.lists():
        match = ROW.match(name)
        if match and match["key"] == key:
            index = int(match["index"])
            if index == removed:
                continue
            if index > removed:
                name = f"{key}-{index - 1}-{match['rest']}"
        if name == f"{key}-rows":
            values = [str(max(0, int(values[0] or 0) - 1))]
        result.setlist(name, values)
    return result


def page(
    request: HttpRequest,
    application: Application,
    index: int,
    *,
    urls: Urls,
    by: Any,
    template: str = "applications/page.html",
) -> HttpResponse:
    form_schema = drafts.schema_of(application)
    pages = form_schema.pages
    if not 0 <= index < len(pages):
        return redirect(urls.page(0))
    context = {"application": application, "index": index, "pages": pages, "urls": urls}
    if request.method != "POST":
        form = PageForm(form_schema, index, application.answers)
        return render(request, template, {**context, "form": form, "streets": DUESSELDORF_STREETS})

    if request.POST.get(VERSION_FIELD) != str(form_schema.version):
        # Sent for another version of the form (or forged): store nothing, say so.
        form = PageForm(form_schema, index, application.answers, data=request.POST)
        form.is_valid()
        if not form.non_field_errors():
            form.add_error(
                None,
                _("Das Formular konnte nicht zugeordnet werden. Bitte laden Sie die Seite neu."),
            )
        return render(request, template, {**context, "form": form, "streets": DUESSELDORF_STREETS})

    action = request.POST.get("_aktion", "weiter")
    data = request.POST
    if action.startswith("add:") or action.startswith("remove:"):
        kind, key, *rest = action.split(":")
        groups = {s["key"] for s in pages[index]["fields"] if s["type"] == "group"}
        if key in groups:
            if kind == "remove" and rest and rest[0].isdigit():
                data = without_row(request.POST, key, int(rest[0]))
            elif kind == "add":
                data = request.POST.copy()
                current = int(data.get(f"{key}-rows") or 0)
                data[f"{key}-rows"] = str(current + 1)
    form = PageForm(form_schema, index, application.answers, data=data, files=request.FILES)
    group_prefixes = tuple(f"{s['key']}-" for s in pages[index]["fields"] if s["type"] == "group")

    if action.startswith(("add:", "remove:")) or action == "speichern":
        # Rows changed or "save for later": keep what is there, check nothing yet.
        drafts.save_answers(application, form.raw_values(), replace_prefixes=group_prefixes)
        if action == "speichern":
            messages.success(
                request,
                _("Gespeichert. Sie können bis zu 30 Tage später weitermachen."),
            )
            return redirect(urls.leave)
        form = PageForm(form_schema, index, application.answers)
        return render(request, template, {**context, "form": form, "streets": DUESSELDORF_STREETS})

    if action.startswith("remove-file:"):
        _kind, key, file_id = [*action.split(":"), "", ""][:3]
        if file_id.isdigit():
            drafts.remove_file(application, key, int(file_id))
        drafts.save_answers(application, form.raw_values(), replace_prefixes=group_prefixes)
        return redirect(urls.page(index))

    # Uploads are checked first and stored only if the whole page is fine: nothing half.
    uploads = {
        key: request.FILES.getlist(key)
        for key in form_schema.file_specs()
        if request.FILES.getlist(key) and any(s["key"] == key for s in form.visible)
    }
    upload_failed = False
    for key, files in uploads.items():
        try:
            drafts.check_files(application, key, files, spec=form_schema.file_specs()[key])
        except ValidationError as error:
            form.add_error(key, error)
            upload_failed = True

    if action == "zurueck":
        drafts.save_answers(application, form.raw_values(), replace_prefixes=group_prefixes)
        return redirect(urls.page(max(0, index - 1)))
    if form.is_valid() and not upload_failed:
        for key, files in uploads.items():
            drafts.attach_files(application, key, files, spec=form_schema.file_specs()[key], by=by)
        uploads = {}  # stored: nothing to choose again
        missing = form.missing_files(application.answers)
        for spec in missing:
            form.add_error(
                spec["key"],
                _("Bitte laden Sie eine Datei hoch: %(label)s") % {"label": spec["label"]},
            )
        if not missing:
            drafts.save_answers(application, form.raw_values(), replace_prefixes=group_prefixes)
            return redirect(urls.page(index + 1) if index + 1 < len(pages) else urls.review)
    return render(
        request, template, {**context, "form": form, "streets": DUESSELDORF_STREETS}, status=200
    )
