"""Reports and moderation of comments and proposals: residents report, the office hides with
a public reason, keeps or restores.

Moderators never edit a resident's words: they can only hide a contribution. The page then
shows a placeholder with the reason and the date, the author is told by e-mail, and every
decision is in the audit log. Enough reports by different people hide a contribution until
a moderator has decided.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.core import audit

from ..models import Comment, Proposal, Report
from . import notices
from .processes import NotAllowed, manageable, may_manage, own, process_of

__all__ = ["Waiting", "hide", "keep", "queue", "report", "restore", "waiting"]

Item = Comment | Proposal


def _target(item: Item) -> dict:
    return {"comment": item} if isinstance(item, Comment) else {"proposal": item}


def _name(item: Item) -> str:
    return "comment" if isinstance(item, Comment) else "proposal"


def report(item: Item, *, user, reason: str, note: str = "", now: datetime | None = None) -> Report:
    """Report a comment or proposal to the moderation, once per person."""
    now = now or timezone.now()
    if own(item, user):
        raise NotAllowed(_("Ihren eigenen Beitrag können Sie nicht melden."))
    if not item.shown:
        raise NotAllowed(_("Dieser Beitrag ist bereits nicht mehr sichtbar."))
    try:
        with transaction.atomic():
            made = Report.objects.create(
                reporter=user, reason=reason, note=note, created_at=now, **_target(item)
            )
            audit.record(f"rathaus.participation.{_name(item)}.reported", actor=user, target=item)
            open_reports = Report.objects.filter(decision="", **_target(item)).count()
            if open_reports >= settings.RATHAUS["PARTICIPATION"]["HIDE_AFTER_REPORTS"]:
                type(item).objects.filter(pk=item.pk, hidden_at__isnull=True).update(
                    hidden_at=now,
                    hidden_reason=_(
                        "Vorläufig ausgeblendet: Mehrere Personen haben den Beitrag gemeldet. "
                        "Die Moderation prüft ihn."
                    ),
                )
    except IntegrityError:
        raise NotAllowed(_("Sie haben diesen Beitrag bereits gemeldet. Danke!")) from None
    return made


@dataclass
class Waiting:
    item: Item
    open_reports: int
    first_report: datetime
    reasons: list[str]


def waiting(user) -> int:
    """How many contributions with open reports wait in the processes ``user`` moderates."""
    processes = manageable(user)
    open_reports = Report.objects.filter(decision="")
    comments = open_reports.filter(comment__section__draft__process__in=processes)
    proposals = open_reports.filter(proposal__process__in=processes)
    return (
        comments.values("comment").distinct().count()
        + proposals.values("proposal").distinct().count()
    )


def queue(user) -> list[Waiting]:
    """Comments and proposals with open reports in the processes ``user`` moderates, longest
    waiting first."""
    processes = manageable(user)
    found: list[Waiting] = []
    for rows in (
        Comment.objects.filter(section__draft__process__in=processes).select_related(
            "section__draft__process"
        ),
        Proposal.objects.filter(process__in=processes).select_related("process"),
    ):
        waiting = (
            rows.filter(reports__decision="")
            .annotate(
                open_reports=Count("reports", filter=Q(reports__decision="")),
                first_report=Min("reports__created_at", filter=Q(reports__decision="")),
            )
            .prefetch_related("reports")
        )
        found += [
            Waiting(
                item=item,
                open_reports=item.open_reports,
                first_report=item.first_report,
                reasons=[r.get_reason_display() for r in item.reports.all() if not r.decision],
            )
            for item in waiting
        ]
    return sorted(found, key=lambda w: (w.first_report, w.item.pk))


def _check(item: Item, by) -> None:
    if not may_manage(by, process_of(item)):
        raise NotAllowed(_("Sie dürfen Beiträge dieser Beteiligung nicht moderieren."))


def _decide(item: Item, decision: str, by, now: datetime) -> int:
    return Report.objects.filter(decision="", **_target(item)).update(
        decision=decision, decided_at=now, decided_by=by
    )


def hide(item: Item, *, by, reason: str, now: datetime | None = None) -> None:
    """Hide a contribution behind a placeholder that shows ``reason``; its author is told."""
    _check(item, by)
    reason = reason.strip()
    if not reason:
        raise NotAllowed(_("Bitte nennen Sie den Grund; er wird öffentlich angezeigt."))
    now = now or timezone.now()
    with transaction.atomic():
        item.hidden_at, item.hidden_reason, item.hidden_by = now, reason, by
        item.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        _decide(item, Report.Decision.HIDDEN, by, now)
        audit.record(
            f"rathaus.participation.{_name(item)}.hidden",
            actor=by,
            target=item,
            data={"reason": reason},
        )
        notices.hidden(item)


def keep(item: Item, *, by, now: datetime | None = None) -> None:
    """The reports are unfounded: the contribution stays (or comes back, if the reports had
    hidden it automatically)."""
    _check(item, by)
    now = now or timezone.now()
    with transaction.atomic():
        _decide(item, Report.Decision.KEPT, by, now)
        if item.hidden_at is not None and item.hidden_by_id is None:
            _show(item)
        audit.record(f"rathaus.participation.{_name(item)}.kept", actor=by, target=item)


def restore(item: Item, *, by) -> None:
    """Show a hidden contribution again (a moderator's decision reversed)."""
    _check(item, by)
    if item.hidden_at is None:
        return
    with transaction.atomic():
        _show(item)
        audit.record(f"rathaus.participation.{_name(item)}.restored", actor=by, target=item)
        notices.restored(item)


def _show(item: Item) -> None:
    item.hidden_at, item.hidden_reason, item.hidden_by = None, "", None
    item.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
