"""Case processing: take, assign, move through the workflow, notes, questions and answers.

Workflow: eingegangen → in Bearbeitung → Rückfrage → (Antwort) → in Bearbeitung →
entschieden → abgeschlossen; a Rückfrage can also be asked right from eingegangen, and
eingegangen, in Bearbeitung and Rückfrage can end as zurückgezogen. Every step is an
event (who, when, comment) and an audit entry.

Two steps need more than a status: "Rückfrage" needs an open question (:func:`ask`)
and "entschieden" a Bescheid (``decisions.decide``); :func:`change_status` refuses
them otherwise, whichever channel asks.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts import policy
from rathaus.accounts.models import User
from rathaus.accounts.services import access_log
from rathaus.core import audit, mail
from rathaus.core.locking import for_update
from rathaus.core.uploads import atomic_with_files, check_upload

from ..models import Application, Decision, Event, Question
from . import drafts, events
from .documents import applicant_email

S = Application.Status
TRANSITIONS: dict[str, set[str]] = {
    S.RECEIVED: {S.IN_PROGRESS, S.QUERY, S.WITHDRAWN},
    S.IN_PROGRESS: {S.QUERY, S.DECIDED, S.WITHDRAWN},
    S.QUERY: {S.IN_PROGRESS, S.WITHDRAWN},
    S.DECIDED: {S.CLOSED},
}


# Steps with their own workflow: the status follows from what that workflow creates.
OWN_WORKFLOW = {S.QUERY, S.DECIDED}


class CaseError(Exception):
    """A step that is not possible now, with a German message."""


def next_steps(application: Application) -> list[str]:
    """The plain status changes a caseworker can choose now (not Rückfrage or Bescheid)."""
    return sorted(TRANSITIONS.get(application.status, set()) - OWN_WORKFLOW)


def change_status(application: Application, to: str, *, by: Any, comment: str = "") -> Application:
    """Move the case along the workflow; refuses steps the workflow does not have, a
    Rückfrage without an open question and "entschieden" without a Bescheid."""
    if to not in S.values:
        raise CaseError(_("Diesen Status gibt es nicht."))
    with transaction.atomic():
        locked = for_update(Application.objects, guard="application-case").get(pk=application.pk)
        if to == S.DECIDED and not Decision.objects.filter(application=locked).exists():
            raise CaseError(_("Entschieden wird ein Antrag mit einem Bescheid."))
        if to == S.QUERY and not locked.questions.filter(answered_at__isnull=True).exists():
            raise CaseError(_("Eine Rückfrage braucht eine Frage an die antragstellende Person."))
        if to not in TRANSITIONS.get(locked.status, set()):
            raise CaseError(
                _("Von „%(from)s“ geht es nicht nach „%(to)s“.")
                % {"from": locked.get_status_display(), "to": S(to).label}
            )
        before = locked.status
        locked.status = to
        now = timezone.now()
        if to in {S.CLOSED, S.WITHDRAWN}:
            # From here the retention period runs (Service.retention_days).
            locked.closed_at = now
            locked.retain_until = (now + timedelta(days=locked.service.retention_days)).date()
        if to == S.IN_PROGRESS and locked.assignee_id is None and getattr(by, "is_staff", False):
            locked.assignee = by
        locked.save()
        events.record(
            locked, Event.Kind.STATUS, by=by, from_status=before, to_status=to, text=comment
        )
        audit.record(
            "rathaus.applications.application.status_changed",
            actor=by,
            target=locked,
            changes={"status": [before, to]},
        )
    application.refresh_from_db()
    return application


def assign(application: Application, assignee: User | None, *, by: User) -> None:
    """Give the case to a colleague of the office (team leads), or take it yourself."""
    if assignee is not None and not policy.can(assignee, "cases.process", application.office_id):
        raise CaseError(_("Diese Person bearbeitet keine Anträge dieser Dienststelle."))
    if assignee != by and not policy.can(by, "cases.assign", application.office_id):
        raise CaseError(_("Nur die Teamleitung kann Anträge anderen zuweisen."))
    with transaction.atomic():
        before = application.assignee
        Application.objects.filter(pk=application.pk).update(assignee=assignee)
        application.assignee = assignee
        events.record(
            application,
            Event.Kind.ASSIGNED,
            by=by,
            text=assignee.audit_label if assignee else _("niemandem"),
        )
        audit.record(
            "rathaus.applications.application.assigned",
            actor=by,
            target=application,
            changes={
                "assignee": [str(before) if before else None, str(assignee) if assignee else None]
            },
        )


def colleagues(application: Application):
    """Staff who may take the case: caseworkers and team leads of its office."""
    return User.objects.filter(
        is_staff=True,
        is_active=True,
        office_memberships__office=application.office,
        staff_roles__role__in=["caseworker", "team_lead"],
    ).distinct()


def log_staff_read(application: Application, what: str, *, by: User) -> None:
    """Staff read personal data of the case: the applicant sees it in their access log."""
    access_log.log_access(
        by,
        subject_id=application.subject_id,
        record_type=what,
        record_id=application.reference or application.pk,
        purpose=_("Bearbeitung %(reference)s") % {"reference": application.reference},
    )


def open_case(application: Application, *, by: User) -> None:
    """A caseworker opens the case: logged for the applicant; a new answer is now seen."""
    log_staff_read(application, _("Antrag"), by=by)
    if application.attention:
        Application.objects.filter(pk=application.pk).update(attention=False)


def add_note(application: Application, text: str, *, by: User) -> Event:
    """An internal note; the applicant does not see it."""
    return events.record(application, Event.Kind.NOTE, by=by, text=text)


def notify_applicant(application: Application, template: str, subject: str) -> None:
    address = applicant_email(application)
    if not address:
        return
    link = settings.RATHAUS["PUBLIC_URL"] + reverse(
        "applications:detail", args=[application.public_id]
    )
    mail.send_after_commit(
        subject=subject,
        body=render_to_string(template, {"application": application, "link": link}),
        to=[address],
    )


def ask(application: Application, text: str, *, by: User) -> Question:
    """A Rückfrage: the case waits for the applicant, who is told by e-mail."""
    with transaction.atomic():
        question = Question.objects.create(application=application, asked_by=by, text=text)
        change_status(application, S.QUERY, by=by, comment="")
        events.record(application, Event.Kind.QUESTION, by=by, text=text)
        notify_applicant(
            application,
            "applications/mail/question.txt",
            _("Rückfrage zu Ihrem Antrag %(reference)s") % {"reference": application.reference},
        )
    return question


def answer(question: Question, text: str, *, by: Any) -> Question:
    """The applicant answers; the case goes back into processing and is marked in the inbox."""
    with transaction.atomic():
        locked = for_update(Question.objects, guard="application-question").get(pk=question.pk)
        if locked.answered_at:
            raise CaseError(_("Diese Rückfrage ist schon beantwortet."))
        locked.answer = text
        locked.answered_at = timezone.now()
        locked.save(update_fields=["answer", "answered_at"])
        application = locked.application
        events.record(application, Event.Kind.ANSWER, by=by, text=text)
        Application.objects.filter(pk=application.pk).update(attention=True)
        change_status(
            application, S.IN_PROGRESS, by=by, comment=_("Antwort auf die Rückfrage eingegangen")
        )
    return locked


def withdraw(application: Application, *, by: Any) -> Application:
    return change_status(
        application, S.WITHDRAWN, by=by, comment=_("Vom Antragsteller zurückgezogen")
    )


def answer_with_files(question: Question, text: str, uploads: list, *, by: Any) -> Question:
    """An answer with attachments; files are checked like every upload (type, size, virus)."""
    checked = [(upload, check_upload(upload)) for upload in uploads]
    with atomic_with_files():
        for upload, result in checked:
            drafts.store_upload(
                upload, result, by=by, application=question.application, question=question
            )
        return answer(question, text, by=by)
