"""Processes and their phases: what is open to residents, and when.

A phase decides what residents can do (``OPEN_IN``); every service that lets a resident act
asks ``require_open`` first, so a comment cannot arrive after the discussion has closed,
whatever page or request it comes from.
"""

from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts import policy
from rathaus.core import channels, ratelimit

from ..models import CHANNELS, Comment, Phase, Process, Proposal

__all__ = [
    "MANAGE",
    "OPEN_IN",
    "NotAllowed",
    "by_channel",
    "limit_writing",
    "manageable",
    "may_manage",
    "overview",
    "own",
    "process_of",
    "refusal",
    "require_open",
    "visible",
    "visible_to",
]

MANAGE = "participation.manage"

# What residents can do, and in which kinds of phase.
OPEN_IN: dict[str, frozenset[str]] = {
    "comment": frozenset({Phase.Kind.DISCUSSION}),
    "propose": frozenset({Phase.Kind.PROPOSALS}),
    "support_proposal": frozenset({Phase.Kind.PROPOSALS, Phase.Kind.DISCUSSION}),
    "vote": frozenset({Phase.Kind.VOTING}),
}
ACTION_NAMES = {
    "comment": gettext_lazy("Kommentieren"),
    "propose": gettext_lazy("Vorschläge einreichen"),
    "support_proposal": gettext_lazy("Vorschläge unterstützen"),
    "vote": gettext_lazy("Abstimmen"),
}


class NotAllowed(Exception):
    """What a resident or staff member tried is not possible now; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def visible() -> QuerySet[Process]:
    return Process.objects.filter(published=True)


def may_manage(user, process: Process) -> bool:
    return policy.can(user, MANAGE, process.office_id)


def manageable(user) -> QuerySet[Process]:
    """The processes of the offices ``user`` works for (all for administrators)."""
    if policy.can(user, "staff.manage"):
        return Process.objects.all()
    return Process.objects.filter(office_id__in=policy.offices_for(user, MANAGE))


def visible_to(process: Process, user) -> bool:
    """Published processes for everyone; a draft only for its office."""
    return process.published or may_manage(user, process)


def _day(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "d.m.Y")


def require_open(process: Process, action: str, now: datetime | None = None) -> Phase:
    """The running phase, if it allows ``action``; otherwise ``NotAllowed`` with the dates."""
    now = now or timezone.now()
    phase = process.phase_at(now)
    if phase is not None and phase.kind in OPEN_IN[action]:
        return phase
    upcoming = process.phases.filter(kind__in=OPEN_IN[action], starts_at__gt=now).first()
    if upcoming is not None:
        raise NotAllowed(
            _("%(action)s ist ab dem %(day)s möglich (Phase „%(phase)s“).")
            % {
                "action": ACTION_NAMES[action],
                "day": _day(upcoming.starts_at),
                "phase": upcoming.title,
            }
        )
    raise NotAllowed(
        _(
            "%(action)s ist nicht mehr möglich: Die Phase dafür ist beendet. Sie können "
            "alles weiter lesen."
        )
        % {"action": ACTION_NAMES[action]}
    )


def refusal(process: Process, action: str, now: datetime | None = None) -> str:
    """ "" if ``action`` is open now, else the sentence that says why not (for pages)."""
    try:
        require_open(process, action, now)
    except NotAllowed as refused:
        return refused.message
    return ""


def own(item, user) -> bool:
    """Did ``user`` write ``item`` (a comment or a proposal)?"""
    return item.author is not None and item.author.user_id == user.pk


def process_of(item: Comment | Proposal) -> Process:
    """The process a comment or a proposal belongs to."""
    return item.section.draft.process if isinstance(item, Comment) else item.process


def limit_writing(user) -> None:
    """Comments, replies and proposals one account may write per hour (against flooding)."""
    if not ratelimit.hit(
        "participation.write",
        str(user.pk),
        limit=settings.RATHAUS["PARTICIPATION"]["COMMENTS_PER_HOUR"],
        window=3600,
    ):
        raise NotAllowed(
            _(
                "Sie haben in der letzten Stunde sehr viele Beiträge geschrieben. Bitte warten "
                "Sie etwas, bevor Sie den nächsten senden."
            )
        )


def overview(now: datetime | None = None) -> dict[str, list[Process]]:
    """Published processes as residents look for them: running, coming, finished."""
    now = now or timezone.now()
    processes = visible().select_related("office", "district").prefetch_related("phases")
    groups: dict[str, list[Process]] = {"running": [], "upcoming": [], "finished": []}
    for process in processes.annotate(
        comment_count=Count(
            "drafts__sections__comments",
            filter=Q(drafts__sections__comments__hidden_at__isnull=True),
        )
    ):
        phases = list(process.phases.all())
        process.current_phase = next(
            (p for p in phases if p.starts_at <= now and (p.ends_at is None or p.ends_at > now)),
            None,
        )
        if process.current_phase is not None:
            groups["running"].append(process)
        elif phases and phases[0].starts_at > now:
            groups["upcoming"].append(process)
        else:
            groups["finished"].append(process)
    return groups


def comments_of(process: Process) -> QuerySet[Comment]:
    return Comment.objects.filter(section__draft__process=process)


def by_channel(rows: QuerySet) -> list[tuple[str, int]]:
    """How many of ``rows`` (votes, survey participations) came in by which channel."""
    names = dict(channels.choices(*CHANNELS))
    counted = rows.values("channel").annotate(n=Count("pk")).order_by("channel")
    return [(names.get(row["channel"], row["channel"]), row["n"]) for row in counted]
