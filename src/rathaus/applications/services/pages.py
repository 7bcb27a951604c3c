"""One page of an application posted: the same workflow for residents online and for staff
entering a paper or counter application.

What is guaranteed: nothing is stored unchecked – every button that keeps input
("Zwischenspeichern", "Zurück", adding or removing a row or a file) stores only what
passes each input's length and character rules, and says what it could not keep;
"Weiter" stores a page only when all of it is valid, its uploads included; a page
posted for another form version stores nothing.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from ..formdef.engine import VERSION_FIELD, FormSchema, PageForm
from ..forms import ADD_ROW, BACK, NEXT, REMOVE_FILE, REMOVE_ROW, SAVE, PageAction
from ..models import Application
from . import drafts

_ROW = re.compile(r"^(?P<key>[a-z][a-z0-9_]*)-(?P<index>[0-9]{1,3})-(?P<rest>.+)$", re.ASCII)


class ForgedAction(Exception):
    """The pressed button does not exist on this page (a tampered request)."""


@dataclass(frozen=True)
class Outcome:
    """What follows a posted page: show ``form`` again, or go to page ``go_to`` (the number of
    pages means the review), or leave the form because it was ``saved`` for later."""

    form: PageForm | None = None
    go_to: int | None = None
    saved: bool = False


def post_page(
    application: Application,
    index: int,
    data: QueryDict,
    files: Any,
    *,
    action: PageAction,
    by: Any,
    language: str = "de",
) -> Outcome:
    """Handle one posted page of a draft (``index`` counts from 0) for the pressed button; a
    page shown again is in ``language``."""
    schema, _note = drafts.display_schema(application, language)
    if data.get(VERSION_FIELD) != str(schema.version):
        return Outcome(form=_other_version(schema, index, application, data))
    form = PageForm(schema, index, application.answers, data=data, files=files)
    form = _with_rows_changed(schema, index, application, form, action, files)
    groups = tuple(f"{key}-" for key in form.row_counts)
    if action.kind == NEXT:
        return _next(application, index, form, groups, by=by)

    refused = _keep(application, form, groups)
    if action.kind == REMOVE_FILE:
        drafts.remove_file(application, action.key, action.number)
    if refused:
        return Outcome(form=form.show_only(refused))
    if action.kind == SAVE:
        return Outcome(saved=True)
    if action.kind == BACK:
        return Outcome(go_to=max(0, index - 1))
    if action.kind == REMOVE_FILE:
        return Outcome(go_to=index)
    return Outcome(form=PageForm(schema, index, application.answers))  # rows changed


def _other_version(
    schema: FormSchema, index: int, application: Application, data: QueryDict
) -> PageForm:
    """Sent for another version of the form (or forged): store nothing, say so."""
    form = PageForm(schema, index, application.answers, data=data)
    form.is_valid()
    if not form.non_field_errors():
        form.add_error(
            None, _("Das Formular konnte nicht zugeordnet werden. Bitte laden Sie die Seite neu.")
        )
    return form


def _with_rows_changed(
    schema: FormSchema,
    index: int,
    application: Application,
    form: PageForm,
    action: PageAction,
    files: Any,
) -> PageForm:
    """The page after "add a row" or "remove row n"; refuses buttons the page does not have."""
    if action.kind == REMOVE_FILE:
        file_keys = {s["key"] for s in form.visible if s["type"] == "file"}
        if action.key not in file_keys:
            raise ForgedAction(action)
        return form
    if action.kind not in {ADD_ROW, REMOVE_ROW}:
        return form
    count = form.row_counts.get(action.key)
    if count is None:
        raise ForgedAction(action)
    if action.kind == ADD_ROW:
        data, count = form.data, count + 1
    else:
        if action.number >= count:
            raise ForgedAction(action)
        data, count = _without_row(form.data, action.key, action.number), count - 1
    return PageForm(
        schema, index, application.answers, data=data, files=files, rows={action.key: count}
    )


def _without_row(data: QueryDict, key: str, removed: int) -> QueryDict:
    """The posted data with one row of a repeating group taken out and the rest renumbered."""
    result = QueryDict(mutable=True)
    for name, values in data.lists():
        match = _ROW.match(name)
        if match and match["key"] == key:
            row = int(match["index"])
            if row == removed:
                continue
            if row > removed:
                name = f"{key}-{row - 1}-{match['rest']}"
        result.setlist(name, values)
    return result


def _keep(application: Application, form: PageForm, groups: tuple[str, ...]) -> dict[str, str]:
    """Store what may be kept of the page; returns, by input name, why the rest was not."""
    kept, refused = form.draft_values()
    drafts.save_answers(application, kept, replace_prefixes=groups)
    return refused


def _next(
    application: Application, index: int, form: PageForm, groups: tuple[str, ...], *, by: Any
) -> Outcome:
    """ "Weiter": uploads are checked first and stored only if the whole page is fine."""
    specs = form.form_schema.file_specs()
    visible = {s["key"] for s in form.visible}
    uploads = {
        key: form.files.getlist(key)
        for key in specs
        if key in visible and form.files and form.files.getlist(key)
    }
    upload_failed = False
    for key, items in uploads.items():
        try:
            drafts.check_files(application, key, items, spec=specs[key])
        except ValidationError as error:
            form.add_error(key, error)
            upload_failed = True
    if not form.is_valid() or upload_failed:
        return Outcome(form=form)
    for key, items in uploads.items():
        try:
            drafts.attach_files(application, key, items, spec=specs[key], by=by)
        except ValidationError as error:  # the disk is full or read-only
            form.add_error(key, error)
            return Outcome(form=form)
    missing = form.missing_files(application.answers)
    for spec in missing:
        form.add_error(
            spec["key"], _("Bitte laden Sie eine Datei hoch: %(label)s") % {"label": spec["label"]}
        )
    if missing:
        return Outcome(form=form)
    # Inputs of questions that do not apply are not validated: they get the draft's checks.
    _keep(application, form, groups)
    return Outcome(go_to=index + 1)
