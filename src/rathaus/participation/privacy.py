"""A resident's comments, proposals, supports, reports and votes in the data export, and what
happens to them when the account is deleted: the comments stay, without a name, because
replies and the office's answers refer to them; whoever wants their text gone withdraws it
first. A vote stays counted; what it was is not linked to the account anyway."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts.models import User
from rathaus.accounts.services.privacy import Block, DataSource, Retained, on

from .models import Comment, Participant, Proposal, Report, Support, SurveyParticipation, Vote

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
        "proposals": [
            {
                "process": p.process.title,
                "title": p.title,
                "text": p.text,
                "status": p.get_status_display(),
                "written_at": p.created_at.isoformat(),
            }
            for p in Proposal.objects.filter(author__user=user).select_related("process")
        ],
        "reports": [
            {
                "comment": r.comment_id,
                "proposal": r.proposal_id,
                "reason": r.get_reason_display(),
                "note": r.note,
            }
            for r in Report.objects.filter(reporter=user)
        ],
        # that the resident voted, not what: the ballot is stored without a link to anyone
        "votes": [
            {"budget": v.budget.title, "cast_at": v.cast_at.isoformat()} for v in _votes(user)
        ],
        # likewise for surveys: that the resident took part; the answers carry no name
        "surveys": list(
            SurveyParticipation.objects.filter(user=user).values_list("survey__title", flat=True)
        ),
    }


def _votes(user: User):
    return Vote.objects.filter(user=user).select_related("budget").order_by("cast_at")


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
    ] + [
        Retained(
            what=_("Ihre Stimme zu „%(budget)s“") % {"budget": v.budget.title},
            until=None,
            why=_(
                "Die Stimme bleibt gezählt. Dass Sie abgestimmt haben, ist danach keinem Konto "
                "mehr zugeordnet; was Sie gewählt haben, war es nie."
            ),
        )
        for v in _votes(user)
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
