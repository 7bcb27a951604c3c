"""A resident's comments, supports and reports in the data export, and what happens to them
when the account is deleted: the comments stay, without a name, because replies and the
office's answers refer to them; whoever wants their text gone withdraws it first."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts.models import User
from rathaus.accounts.services.privacy import Block, DataSource, Retained, on

from .models import Comment, Participant, Report, Support

__all__ = ["DATA_SOURCE"]


def _comments(user: User):
    return (
        Comment.objects.filter(author__user=user)
        .select_related("section__draft__process")
        .order_by("created_at")
    )


def export(user: User) -> dict:
    participant = Participant.objects.filter(user=user).first()
    return {
        "public_name": participant.public_name if participant else None,
        "comments": [
            {
                "process": c.section.draft.process.title,
                "section": str(c.section),
                "reply_to": c.parent_id,
                "stance": c.get_stance_display(),
                "text": c.text,
                "written_at": c.created_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
                "hidden_reason": c.hidden_reason or None,
            }
            for c in _comments(user)
        ],
        "supported_comments": list(
            Support.objects.filter(user=user).values_list("comment_id", flat=True)
        ),
        "reports": [
            {"comment": r.comment_id, "reason": r.get_reason_display(), "note": r.note}
            for r in Report.objects.filter(reporter=user)
        ],
    }


def readable(user: User) -> list[Block]:
    return [
        Block(
            heading=_("Kommentar zu „%(section)s“") % {"section": c.section},
            facts=[
                (_("Beteiligung"), c.section.draft.process.title),
                (_("Geschrieben am"), on(c.created_at)),
                (_("Name"), c.public_name or "–"),
                (_("Text"), c.text or _("zurückgezogen")),
            ],
        )
        for c in _comments(user)
    ]


def retention(user: User) -> list[Retained]:
    shown = _comments(user).filter(withdrawn_at=None)
    return [
        Retained(
            what=_("Kommentar zu „%(section)s“") % {"section": c.section},
            until=None,
            why=_(
                "Der Kommentar bleibt ohne Ihren Namen öffentlich, weil Antworten und die "
                "Stellungnahme der Verwaltung sich auf ihn beziehen. Wenn Sie das nicht möchten, "
                "ziehen Sie ihn vorher zurück."
            ),
        )
        for c in shown
    ]


def on_delete(user: User) -> list[Retained]:
    kept = retention(user)
    Comment.objects.filter(author__user=user).update(author=None, public_name="")
    return kept  # the participant, supports and reports go with the account (CASCADE)


DATA_SOURCE = DataSource(
    key="participation",
    title=gettext_lazy("Ihre Beiträge zu Beteiligungen"),
    export=export,
    on_delete=on_delete,
    retention=retention,
    readable=readable,
    actions={
        "rathaus.participation.comment.written": gettext_lazy("Kommentar geschrieben"),
        "rathaus.participation.comment.withdrawn": gettext_lazy("Kommentar zurückgezogen"),
        "rathaus.participation.comment.reported": gettext_lazy("Kommentar gemeldet"),
    },
)
