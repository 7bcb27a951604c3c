"""The office's public responses: one answer to one comment or to a group of comments."""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.core import audit
from rathaus.core.locking import for_update

from ..models import Comment, Process, Response
from . import notices
from .processes import NotAllowed, comments_of, may_manage

__all__ = ["GUARD", "publish", "unanswered"]

GUARD = "participation.response"


def unanswered(process: Process) -> QuerySet[Comment]:
    """Top-level comments still waiting for an answer (hidden and withdrawn ones need none)."""
    return (
        comments_of(process)
        .filter(parent=None, response=None, hidden_at=None, withdrawn_at=None)
        .select_related("section")
        .order_by("section__order", "section__pk", "created_at")
    )


def publish(
    process: Process,
    comments: Sequence[Comment],
    *,
    text: str,
    by,
    now: datetime | None = None,
) -> Response:
    """Answer ``comments`` together; each author is told by e-mail."""
    if not may_manage(by, process):
        raise NotAllowed(_("Sie dürfen für diese Beteiligung nicht antworten."))
    if not comments:
        raise NotAllowed(_("Bitte wählen Sie mindestens einen Kommentar, auf den Sie antworten."))
    ids = [comment.pk for comment in comments]
    with transaction.atomic():
        # Two staff members answering the same comment at once: the second waits here and
        # then finds it answered (tests/participation/test_races.py).
        list(for_update(Comment.objects.filter(pk__in=ids), guard=GUARD).values_list("pk"))
        open_ids = set(unanswered(process).filter(pk__in=ids).values_list("pk", flat=True))
        if open_ids != set(ids):
            raise NotAllowed(
                _(
                    "Mindestens einer der gewählten Kommentare ist schon beantwortet oder nicht "
                    "mehr sichtbar. Bitte laden Sie die Seite neu."
                )
            )
        response = Response.objects.create(
            process=process, text=text, written_by=by, published_at=now or timezone.now()
        )
        Comment.objects.filter(pk__in=ids).update(response=response)
        audit.record(
            "rathaus.participation.response.published",
            actor=by,
            target=response,
            data={"comments": ids},
        )
        for comment in Comment.objects.filter(pk__in=ids).select_related("author__user"):
            notices.answered(comment, response)
    return response
