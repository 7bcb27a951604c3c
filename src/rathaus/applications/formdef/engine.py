"""Application forms from their JSON definition: one Django form per page.

``answers`` hold what the person entered, flat by input name (``dachflaeche``,
``adresse__postcode``, ``kinder-0-vorname``), so a page shows exactly what was
typed. ``PageForm.values()`` turns a valid page into typed, nested values.

Conditions (``visible_if``) on an earlier page's answer hide a question; on the
same page the question stays on screen (without JavaScript) and counts only when
the condition holds.
"""

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.translation import gettext as _

from rathaus.core.forms import reject_control_characters

from .types import TYPES, Address, Spec, check_address

VERSION_FIELD = "formular_version"
DEFAULT_MAX_ROWS = 20
# A row count or a row number as a browser sends it: ASCII digits only ("²" is no number).
_ROW_COUNT = re.compile(r"[0-9]{1,3}", re.ASCII)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
# Inputs without their own length limit (dates, numbers, choices) keep at most this much.
DRAFT_VALUE_LIMIT = 100


@dataclass(frozen=True)
class FormSchema:
    schema: dict[str, Any]
    version: int

    @property
    def pages(self) -> list[dict[str, Any]]:
        return self.schema["pages"]

    def page_of(self, key: str) -> int | None:
        for index, page in enumerate(self.pages):
            if any(spec["key"] == key for spec in page["fields"]):
                return index
        return None

    def file_specs(self) -> dict[str, Spec]:
        return {s["key"]: s for page in self.pages for s in page["fields"] if s["type"] == "file"}


def condition_holds(spec: Spec, values: dict[str, Any]) -> bool:
    condition = spec.get("visible_if")
    if not condition:
        return True
    value = values.get(condition["field"])
    if isinstance(value, list):
        return str(condition["equals"]) in [str(v) for v in value]
    return str(value or "") == str(condition["equals"])


def max_rows(spec: Spec) -> int:
    return spec.get("max_items") or DEFAULT_MAX_ROWS


def posted_row_count(spec: Spec, raw: Any) -> int | None:
    """The row count a browser sent for a repeating group, or None if it cannot be one."""
    if isinstance(raw, str) and _ROW_COUNT.fullmatch(raw) and int(raw) <= max_rows(spec):
        return int(raw)
    return None


def group_rows(spec: Spec, values: dict[str, Any]) -> int:
    """How many rows a repeating group shows: what was entered, within its minimum and maximum
    (a count that is no number shows none, one beyond the maximum the maximum)."""
    key = spec["key"]
    if f"{key}-rows" in values:
        raw = str(values[f"{key}-rows"])
        count = (int(raw) if len(raw) <= 3 else max_rows(spec)) if _DIGITS.fullmatch(raw) else 0
    else:
        row_name = re.compile(rf"{re.escape(key)}-([0-9]{{1,3}})-", re.ASCII)
        indexes = {int(m[1]) for name in values if (m := row_name.match(name))}
        count = max(indexes) + 1 if indexes else 0
    minimum = 1 if spec.get("required") else 0
    return max(minimum, min(count, max_rows(spec)))


class PageForm(forms.Form):
    """The questions of one page, bound to a POST or showing the saved answers."""

    def __init__(
        self,
        form: FormSchema,
        page_index: int,
        answers: dict[str, Any],
        *,
        data: QueryDict | dict | None = None,
        files: Any = None,
        rows: dict[str, int] | None = None,
    ):
        super().__init__(data=data, files=files, initial=dict(answers))
        self.form_schema = form
        self.page = form.pages[page_index]
        self.answers = answers
        posted = _plain(data) if data is not None else {}
        current = {**answers, **posted}
        self.visible: list[Spec] = []
        self.same_page_conditions: dict[str, Spec] = {}
        self.row_counts: dict[str, int] = {}
        self.forged_rows: list[str] = []
        keys_here = {spec["key"] for spec in self.page["fields"]}
        for spec in self.page["fields"]:
            condition = spec.get("visible_if")
            if (
                condition
                and condition["field"] not in keys_here
                and not condition_holds(spec, answers)
            ):
                continue  # answered "no" on an earlier page: the question does not apply
            self.visible.append(spec)
            conditional = bool(condition and condition["field"] in keys_here)
            if conditional:
                self.same_page_conditions[spec["key"]] = spec
            required = spec.get("required", False) and not conditional
            if spec["type"] == "group":
                self._add_group(spec, current, posted, rows)
            else:
                self.fields.update(TYPES[spec["type"]].form_fields(spec, spec["key"], required))
        self.fields[VERSION_FIELD] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        self.initial[VERSION_FIELD] = form.version
        if self.is_bound and self.row_counts:
            # The hidden row counts carry the rows actually shown, whatever was posted.
            self.data = self.data.copy()
            for key, count in self.row_counts.items():
                self.data[f"{key}-rows"] = str(count)

    def _add_group(
        self,
        spec: Spec,
        current: dict[str, Any],
        posted: dict[str, Any],
        rows: dict[str, int] | None,
    ) -> None:
        key, rows_name = spec["key"], f"{spec['key']}-rows"
        if rows and key in rows:
            count = group_rows(spec, {rows_name: str(rows[key])})
        else:
            count = group_rows(spec, current)
            if rows_name in posted and posted_row_count(spec, posted[rows_name]) is None:
                self.forged_rows.append(spec["label"])
        self.row_counts[key] = count
        self.fields[rows_name] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        self.initial[rows_name] = count
        for index in range(count):
            for member in spec["fields"]:
                name = f"{key}-{index}-{member['key']}"
                self.fields.update(
                    TYPES[member["type"]].form_fields(member, name, member.get("required", False))
                )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for label in self.forged_rows:
            self.add_error(
                None,
                _(
                    "Die Anzahl der Einträge bei „%(label)s“ wurde nicht richtig übertragen. "
                    "Bitte prüfen Sie die Einträge und senden Sie die Seite noch einmal."
                )
                % {"label": label},
            )
        version = self.data.get(VERSION_FIELD) if self.is_bound else None
        if version not in (None, "") and str(version) != str(self.form_schema.version):
            raise forms.ValidationError(
                _(
                    "Dieses Formular wurde in einer anderen Version geöffnet. Bitte laden Sie die "
                    "Seite neu; Ihre gespeicherten Angaben bleiben erhalten."
                ),
                code="version",
            )
        for key, spec in self.same_page_conditions.items():
            names = [n for n in self.fields if n == key or n.startswith(f"{key}__")]
            if not self.applies(spec):
                for name in names:  # does not apply: drop what was typed and any complaint
                    cleaned.pop(name, None)
                    self.errors.pop(name, None)
            elif spec["type"] == "file":
                continue  # uploads are checked against the stored files (missing_files)
            elif spec.get("required") and not any(cleaned.get(n) for n in names):
                self.add_error(
                    names[0], _("Bitte beantworten Sie: %(label)s") % {"label": spec["label"]}
                )
        for spec in self.visible:
            if spec["type"] == "address":
                value = TYPES["address"].value(cleaned, spec["key"])
                if message := check_address(value):
                    self.add_error(f"{spec['key']}__postcode", message)
        return cleaned

    def applies(self, spec: Spec) -> bool:
        """Whether a visible question counts, given what is entered on this page now."""
        if spec["key"] not in self.same_page_conditions:
            return True
        return condition_holds(spec, {**self.answers, **_plain(self.data)})

    def missing_files(self, stored: dict[str, Any]) -> list[Spec]:
        """Required uploads that apply but have no stored file yet."""
        return [
            spec
            for spec in self.visible
            if spec["type"] == "file"
            and spec.get("required")
            and self.applies(spec)
            and not stored.get(spec["key"])
        ]

    def raw_values(self) -> dict[str, Any]:
        """What was posted for this page's inputs, as typed (saved even if not yet valid)."""
        raw = {}
        for name, field in self.fields.items():
            if name == VERSION_FIELD or isinstance(field, forms.FileField):
                continue
            if isinstance(field, forms.MultipleChoiceField):
                raw[name] = (
                    self.data.getlist(name)
                    if hasattr(self.data, "getlist")
                    else self.data.get(name, [])
                )
            else:
                raw[name] = self.data.get(name, "")
        return raw

    def draft_values(self) -> tuple[dict[str, Any], dict[str, str]]:
        """What may be kept for later from this page, and why the rest may not (by input name).

        A draft need not be complete or correct yet, but it gets the checks that protect
        what is stored: each input's length limit, no control characters, only offered
        choices – the same rules "Weiter" applies.
        """
        kept, refused = {}, {}
        for name, raw in self.raw_values().items():
            if problem := _draft_problem(self.fields[name], raw):
                refused[name] = problem
            else:
                kept[name] = raw
        return kept, refused

    def show_only(self, errors: dict[str, str]) -> "PageForm":
        """This bound form with just these errors (the inputs a draft could not keep)."""
        self.cleaned_data = {}
        self._errors = ErrorDict()
        for name, message in errors.items():
            self.add_error(name, message)
        return self

    def values(self) -> dict[str, Any]:
        """Typed values of a valid page, by question key (groups as lists of rows)."""
        values: dict[str, Any] = {}
        for spec in self.visible:
            if not self.applies(spec):
                continue
            kind = TYPES.get(spec["type"])
            if spec["type"] == "group":
                rows = []
                for index in range(self.row_counts[spec["key"]]):
                    row = {
                        member["key"]: TYPES[member["type"]].value(
                            self.cleaned_data, f"{spec['key']}-{index}-{member['key']}"
                        )
                        for member in spec["fields"]
                    }
                    if any(v not in (None, "", [], {}) for v in row.values()):
                        rows.append(row)
                values[spec["key"]] = rows
            elif spec["type"] == "file":
                values[spec["key"]] = list(self.answers.get(spec["key"], []))
            else:
                values[spec["key"]] = kind.value(self.cleaned_data, spec["key"])
        return values

    def spec_rows(self) -> list[dict[str, Any]]:
        """The page's questions with their bound fields, in order, for the template."""
        rows = []
        for spec in self.visible:
            row: dict[str, Any] = {
                "spec": spec,
                "conditional": spec["key"] in self.same_page_conditions,
            }
            if spec["type"] == "group":
                count = self.row_counts[spec["key"]]
                row["rows"] = [
                    [self[f"{spec['key']}-{i}-{m['key']}"] for m in spec["fields"]]
                    for i in range(count)
                ]
                row["can_add"] = count < max_rows(spec)
            elif spec["type"] == "address":
                row["fields"] = [self[f"{spec['key']}__{part}"] for part in Address.parts]
            else:
                row["fields"] = [self[spec["key"]]]
                row["files"] = self.answers.get(spec["key"], []) if spec["type"] == "file" else []
            rows.append(row)
        return rows


def _draft_problem(field: forms.Field, raw: Any) -> str | None:
    """Why one posted input may not be stored in a draft, or None if it may."""
    items = raw if isinstance(raw, list) else [raw]
    if isinstance(field, forms.MultipleChoiceField) and len(items) > len(field.choices):
        return _("Bitte wählen Sie nur angebotene Möglichkeiten.")
    limit = getattr(field, "max_length", None) or DRAFT_VALUE_LIMIT
    for item in items:
        if not isinstance(item, str):
            return _("Diese Angabe konnte nicht gelesen werden.")
        try:
            reject_control_characters(item)
        except ValidationError as error:
            return error.messages[0]
        if len(item) > limit:
            return _(
                "Bitte kürzen Sie Ihre Eingabe auf höchstens %(limit)d Zeichen (derzeit %(n)d)."
            ) % {"limit": limit, "n": len(item)}
        if isinstance(field, forms.ChoiceField) and item and not field.valid_value(item):
            return _("Bitte wählen Sie eine der Möglichkeiten.")
    return None


def _plain(data: Any) -> dict[str, Any]:
    """A QueryDict as a dict with lists only where an input sent several values."""
    if data is None:
        return {}
    if hasattr(data, "lists"):
        return {k: (v if len(v) > 1 else v[0]) for k, v in data.lists()}
    return dict(data)


def as_form_data(answers: dict[str, Any]) -> QueryDict:
    """Saved answers as the POST they came from, to validate them again."""
    data = QueryDict(mutable=True)
    for name, value in answers.items():
        if isinstance(value, list):
            if value and all(isinstance(v, str) for v in value):
                data.setlist(name, value)
        elif isinstance(value, str | int):
            data[name] = str(value)
    return data


@dataclass(frozen=True)
class Validation:
    values: dict[str, Any]
    errors: dict[int, dict[str, list[str]]]

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_all(form: FormSchema, answers: dict[str, Any]) -> Validation:
    """Check every page again (at submission): typed values, or the errors page by page."""
    values: dict[str, Any] = {}
    errors: dict[int, dict[str, list[str]]] = {}
    data = as_form_data(answers)
    for index in range(len(form.pages)):
        page_form = PageForm(form, index, answers, data=data)
        page_errors: dict[str, list[str]] = {}
        if page_form.is_valid():
            values.update(page_form.values())
        else:
            page_errors.update({k: [str(e) for e in v] for k, v in page_form.errors.items()})
        for spec in page_form.missing_files(answers):
            page_errors.setdefault(spec["key"], []).append(
                _("Bitte laden Sie eine Datei hoch: %(label)s") % {"label": spec["label"]}
            )
        if page_errors:
            errors[index] = page_errors
    return Validation(values=values, errors=errors)


def display(form: FormSchema, values: dict[str, Any]) -> list[dict[str, Any]]:
    """Pages with (question, answer) lines for the review page, receipts and the case view."""
    pages = []
    for index, page in enumerate(form.pages):
        lines = []
        for spec in page["fields"]:
            if spec["key"] not in values:
                continue
            value = values[spec["key"]]
            if spec["type"] == "group":
                for number, row in enumerate(value, start=1):
                    for member in spec["fields"]:
                        lines.append(
                            (
                                f"{spec['label']} {number}: {member['label']}",
                                TYPES[member["type"]].display(member, row.get(member["key"])),
                            )
                        )
            else:
                lines.append((spec["label"], TYPES[spec["type"]].display(spec, value)))
        pages.append({"index": index, "title": page["title"], "lines": lines})
    return pages


def printable_pages(schema: dict[str, Any], answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The form for paper: every question with its options and, from a draft, what was typed."""
    pages = []
    for page in schema["pages"]:
        fields = []
        for spec in page["fields"]:
            item = {"spec": spec, "value": "", "rows": []}
            if spec["type"] == "group":
                count = max(group_rows(spec, answers), 2)
                item["rows"] = [
                    [
                        (m["label"], str(answers.get(f"{spec['key']}-{i}-{m['key']}", "") or ""))
                        for m in spec["fields"]
                    ]
                    for i in range(count)
                ]
            elif spec["type"] == "address":
                parts = [str(answers.get(f"{spec['key']}__{p}", "") or "") for p in Address.parts]
                item["value"] = (
                    f"{parts[0]}, {parts[1]} {parts[2]}".strip(", ") if any(parts) else ""
                )
            elif spec["type"] == "file":
                item["value"] = ""
            else:
                value = answers.get(spec["key"], "")
                item["value"] = ", ".join(value) if isinstance(value, list) else str(value or "")
            fields.append(item)
        pages.append({"title": page["title"], "intro": page.get("intro", ""), "fields": fields})
    return pages
