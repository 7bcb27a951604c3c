"""Residents comment on a draft section by section, reply and support comments (reporting
is in ``moderation``, for comments and proposals alike).

Each function takes the resident (or, for the assisted channel, the staff member), checks the
phase and the rules, writes in one transaction and tells the people concerned after commit.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.core import audit
from rathaus.core.channels import Channel

from ..models import Comment, Participant, Section, Support
from . import notices
from .processes import NotAllowed, limit_writing, may_manage, own, require_open

__all__ = [
    "Thread",
    "assist",
    "support",
    "thread",
    "withdraw",
    "withdraw_support",
    "write",
]

ORDERS = {"aelteste": ("created_at", "pk"), "neueste": ("-created_at", "-pk")}


def _parent(section: Section, parent: Comment | None) -> Comment | None:
    if parent is None:
        return None
    if parent.section_id != section.pk or parent.parent_id is not None:
        raise NotAllowed(_("Antworten sind nur auf Kommentare zu diesem Abschnitt möglich."))
    if not parent.shown:
        raise NotAllowed(_("Auf diesen Kommentar kann nicht mehr geantwortet werden."))
    return parent


def write(
    section: Section,
    *,
    user,
    text: str,
    public_name: str,
    stance: str = Comment.Stance.NEUTRAL,
    parent: Comment | None = None,
    now: datetime | None = None,
) -> Comment:
    """A resident's comment (or reply to ``parent``) under the name they chose to be shown."""
    now = now or timezone.now()
    require_open(section.draft.process, "comment", now)
    parent = _parent(section, parent)
    limit_writing(user)
    with transaction.atomic():
        participant, _created = Participant.objects.update_or_create(
            user=user, defaults={"public_name": public_name}
        )
        comment = Comment.objects.create(
            section=section,
            parent=parent,
            author=participant,
            public_name=public_name,
            stance=Comment.Stance.NEUTRAL if parent else stance,
            text=text,
            created_at=now,
        )
        audit.record("rathaus.participation.comment.written", actor=user, target=comment)
        if parent is not None:
            notices.replied(comment)
    return comment


def assist(
    section: Section,
    *,
    staff,
    text: str,
    public_name: str,
    channel: str,
    stance: str = Comment.Stance.NEUTRAL,
    now: datetime | None = None,
) -> Comment:
    """A comment that reached the office by letter, phone or at an event, typed in by staff
    word for word; it is marked with its channel and who entered it."""
    now = now or timezone.now()
    process = section.draft.process
    if not may_manage(staff, process):
        raise NotAllowed(_("Sie dürfen für diese Beteiligung keine Beiträge erfassen."))
    if not process.assisted:
        raise NotAllowed(
            _("Für diese Beteiligung ist das Erfassen von Beiträgen nicht vorgesehen.")
        )
    if channel == Channel.ONLINE:
        raise NotAllowed(_("Bitte wählen Sie, wie der Beitrag eingegangen ist."))
    require_open(process, "comment", now)
    with transaction.atomic():
        comment = Comment.objects.create(
            section=section,
            public_name=public_name,
            stance=stance,
            text=text,
            channel=channel,
            entered_by=staff,
            created_at=now,
        )
        audit.record("rathaus.participation.comment.entered", actor=staff, target=comment)
    return comment


def withdraw(comment: Comment, *, user, now: datetime | None = None) -> None:
    """The author takes a comment back: the text is removed, the place in the thread stays
    (replies keep their context) with "zurückgezogen"."""
    if not own(comment, user):
        raise NotAllowed(_("Sie können nur Ihre eigenen Kommentare zurückziehen."))
    if comment.withdrawn_at is not None:
        return
    with transaction.atomic():
        comment.withdrawn_at = now or timezone.now()
        comment.text = ""
        comment.save(update_fields=["withdrawn_at", "text"])
        audit.record("rathaus.participation.comment.withdrawn", actor=user, target=comment)


def support(comment: Comment, *, user, now: datetime | None = None) -> bool:
    """Support a comment, once per person (the database's unique constraint decides, so a
    double click or two tabs count once). ``False`` if this person had already supported it."""
    require_open(comment.section.draft.process, "comment", now)
    if not comment.shown:
        raise NotAllowed(_("Dieser Kommentar kann nicht unterstützt werden."))
    if own(comment, user):
        raise NotAllowed(_("Ihren eigenen Kommentar können Sie nicht unterstützen."))
    try:
        with transaction.atomic():
            Support.objects.create(comment=comment, user=user)
    except IntegrityError:
        return False
    return True


def withdraw_support(comment: Comment, *, user, now: datetime | None = None) -> None:
    require_open(comment.section.draft.process, "comment", now)
    Support.objects.filter(comment=comment, user=user).delete()


@dataclass
class Thread:
    comments: list[Comment]
    total: int


def thread(section: Section, *, user=None, order: str = "aelteste") -> Thread:
    """The section's comments with their replies, answers and support counts; for a signed-in
    resident also which of them they support and which are their own."""
    annotated = Comment.objects.select_related("response", "author").annotate(
        support_count=Count("supports")
    )
    if user is not None and user.is_authenticated:
        annotated = annotated.annotate(
            supported=Exists(Support.objects.filter(comment=OuterRef("pk"), user=user))
        )
    top: QuerySet[Comment] = annotated.filter(section=section, parent=None).prefetch_related(
        Prefetch("replies", queryset=annotated.order_by("created_at", "pk"))
    )
    if order == "unterstuetzung":
        top = top.order_by("-support_count", "created_at", "pk")
    else:
        top = top.order_by(*ORDERS.get(order, ORDERS["aelteste"]))
    comments = list(top)
    for comment in comments:
        for each in (comment, *comment.replies.all()):
            each.mine = user is not None and own(each, user)
    total = sum(1 + len(comment.replies.all()) for comment in comments)
    return Thread(comments=comments, total=total)
