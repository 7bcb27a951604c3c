"""Surveys: a page of questions built with the applications form engine's field types,
answered once per account while its phase runs, or typed in by staff from paper where the
process takes contributions without an account (once per person: name and birth date kept
only as a keyed hash). What someone answered is stored apart from
that they answered (``SurveyAnswer`` has a random key, no time and no account), so results
are anonymous; only counts are public, free texts are for the owning office.
"""

from collections import Counter
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from rathaus.applications.formdef.engine import FormSchema, PageForm
from rathaus.applications.formdef.schema import validate_schema
from rathaus.applications.formdef.types import TYPES
from rathaus.core import audit
from rathaus.core.spreadsheet import spreadsheet_csv

from ..models import Survey, SurveyAnswer, SurveyParticipation
from .processes import NotAllowed, may_manage

__all__ = [
    "ALLOWED_TYPES",
    "answer",
    "answered",
    "answers_csv",
    "check_schema",
    "closed",
    "ended",
    "enter",
    "finished",
    "form",
    "questions",
    "results",
]

# No addresses, bank details, files, e-mail or phone numbers: a survey asks for opinions.
ALLOWED_TYPES = frozenset({"text", "textarea", "number", "date", "choice", "multichoice", "yesno"})
# Answers of these types are counted on the public results page.
COUNTED = frozenset({"choice", "multichoice", "yesno"})


def check_schema(schema: Any) -> list[str]:
    """Everything wrong with a survey's questions, in German; empty when usable."""
    errors = validate_schema(schema)
    if errors:
        return errors
    if len(schema["pages"]) != 1:
        errors.append(_("Eine Umfrage hat genau eine Seite mit Fragen."))
    for spec in schema["pages"][0]["fields"]:
        if spec["type"] not in ALLOWED_TYPES:
            errors.append(
                _("Die Frage „%(label)s“ hat die Art „%(type)s“; in Umfragen erlaubt: %(allowed)s.")
                % {
                    "label": spec.get("label", spec["key"]),
                    "type": spec["type"],
                    "allowed": ", ".join(sorted(ALLOWED_TYPES)),
                }
            )
    return errors


def _schema(survey: Survey) -> FormSchema:
    return FormSchema(survey.schema, survey.version)


def form(survey: Survey, data: QueryDict | None = None) -> PageForm:
    return PageForm(_schema(survey), 0, {}, data=data)


def questions(survey: Survey) -> list[dict[str, Any]]:
    return survey.schema["pages"][0]["fields"]


def closed(survey: Survey, now: datetime | None = None) -> str:
    """ "" while the survey's phase runs, else the sentence that says why not."""
    now = now or timezone.now()
    phase = survey.phase
    if phase.starts_at > now:
        day = formats.date_format(timezone.localtime(phase.starts_at), "d.m.Y")
        return _("Die Umfrage beginnt am %(day)s.") % {"day": day}
    if ended(survey, now):
        return _("Die Umfrage ist beendet. Die Ergebnisse stehen unten.")
    return ""


def ended(survey: Survey, now: datetime | None = None) -> bool:
    """Has the survey's phase ended? Only then are its counts public."""
    ends = survey.phase.ends_at
    return ends is not None and ends <= (now or timezone.now())


def finished(now: datetime | None = None) -> QuerySet[Survey]:
    """The surveys of published processes whose phase has ended: their counts are public."""
    return Survey.objects.filter(
        process__published=True, phase__ends_at__lte=now or timezone.now()
    ).select_related("process")


def answered(survey: Survey, user) -> bool:
    return (
        user.is_authenticated
        and SurveyParticipation.objects.filter(survey=survey, user=user).exists()
    )


def answer(survey: Survey, page: PageForm, *, user, now: datetime | None = None) -> SurveyAnswer:
    """Store the answers of a page, once per account."""
    try:
        return _store(survey, page, now, user=user)
    except IntegrityError as error:
        raise NotAllowed(_("Sie haben an dieser Umfrage schon teilgenommen. Danke!")) from error


def enter(
    survey: Survey,
    page: PageForm,
    *,
    person: str,
    channel: str,
    entered_by,
    now: datetime | None = None,
) -> SurveyAnswer:
    """Staff type in a questionnaire received on paper or at an event, where the process
    allows contributions without an account; ``person`` (``budgets.identity``) refuses a
    second one of the same person."""
    process = survey.process
    if not (process.assisted and may_manage(entered_by, process)):
        raise NotAllowed(_("Sie dürfen für diese Beteiligung keine Fragebögen erfassen."))
    try:
        stored = _store(survey, page, now, identity=person, channel=channel, entered_by=entered_by)
    except IntegrityError as error:
        raise NotAllowed(_("Für diese Person ist schon ein Fragebogen erfasst.")) from error
    audit.record("rathaus.participation.survey.entered", actor=entered_by, target=survey)
    return stored


def _store(survey: Survey, page: PageForm, now: datetime | None, **who: Any) -> SurveyAnswer:
    """That someone answered and what, apart; ``IntegrityError`` for a second time."""
    if problem := closed(survey, now):
        raise NotAllowed(problem)
    if not page.is_valid():
        raise NotAllowed(_("Bitte prüfen Sie Ihre Angaben."))
    with transaction.atomic():
        SurveyParticipation.objects.create(survey=survey, **who)
        return SurveyAnswer.objects.create(survey=survey, values=page.values())


def results(survey: Survey) -> dict[str, Any]:
    """Counts per option of every choice question, and how many answered each question."""
    counts: dict[str, Counter] = {spec["key"]: Counter() for spec in questions(survey)}
    total = 0
    for values in SurveyAnswer.objects.filter(survey=survey).values_list("values", flat=True):
        total += 1
        for key, value in values.items():
            if key not in counts or value in (None, "", []):
                continue
            for item in value if isinstance(value, list) else [value]:
                counts[key][str(item)] += 1
            counts[key]["__answered__"] += 1
    summary = []
    for spec in questions(survey):
        options = spec.get("options") or (
            [["ja", _("Ja")], ["nein", _("Nein")]] if spec["type"] == "yesno" else []
        )
        tally = counts[spec["key"]]
        summary.append(
            {
                "spec": spec,
                "answered": tally["__answered__"],
                "options": [
                    {
                        "label": label,
                        "count": tally[value],
                        "share": tally[value] / total if total else 0.0,
                    }
                    for value, label in options
                ]
                if spec["type"] in COUNTED
                else [],
            }
        )
    return {"total": total, "questions": summary}


def answers_csv(survey: Survey) -> bytes:
    """Every answer as a row of displayed values, for the owning office (free texts too)."""
    specs = questions(survey)
    return spreadsheet_csv(
        [spec["label"] for spec in specs],
        (
            [TYPES[spec["type"]].display(spec, values.get(spec["key"])) for spec in specs]
            for values in SurveyAnswer.objects.filter(survey=survey).values_list(
                "values", flat=True
            )
        ),
    )
