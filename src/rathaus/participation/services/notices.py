"""What residents are told about their contributions: a reply, the office's answer, a new
status of their proposal, hiding and restoring by the moderation. Mails are queued after
commit (``core.mail``)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from rathaus.core import mail
from rathaus.core.http import public_url

from ..models import Comment, Proposal, Response, StatusChange
from .processes import process_of

__all__ = ["answered", "hidden", "link", "replied", "restored", "status_changed"]


def link(item: Comment | Proposal) -> str:
    """Where the contribution is shown: a comment's place on its section's page, a proposal's
    own page."""
    if isinstance(item, Proposal):
        return public_url(reverse("participation:proposal", args=[item.pk]))
    target = item.parent or item
    path = reverse("participation:section", args=[process_of(item).slug, item.section_id])
    return public_url(f"{path}#kommentar-{target.pk}")


def _send(item: Comment | Proposal, template: str, subject: str, **context) -> None:
    author = item.author
    if author is None or not author.user.email:
        return  # entered by staff for someone without an account, or the account is gone
    process = process_of(item)
    body = render_to_string(
        f"participation/mail/{template}.txt",
        {
            "item": item,
            "is_proposal": isinstance(item, Proposal),
            "process": process,
            "link": link(item),
            "city": settings.RATHAUS["CITY_NAME"],
            **context,
        },
    )
    subject = subject % {"title": process.title}
    mail.send_after_commit(subject=subject, body=body, to=[author.user.email])


def replied(reply: Comment) -> None:
    parent = reply.parent
    if parent is None or parent.author_id == reply.author_id:
        return
    _send(parent, "replied", _("Antwort auf Ihren Kommentar: %(title)s"), reply=reply)


def answered(comment: Comment, response: Response) -> None:
    _send(comment, "answered", _("Die Verwaltung hat geantwortet: %(title)s"), response=response)


def status_changed(change: StatusChange) -> None:
    _send(change.proposal, "status", _("Neuer Stand Ihres Vorschlags: %(title)s"), change=change)


def hidden(item: Comment | Proposal) -> None:
    rules = public_url(reverse("participation:guidelines"))
    _send(item, "hidden", _("Ihr Beitrag wurde ausgeblendet: %(title)s"), rules=rules)


def restored(item: Comment | Proposal) -> None:
    _send(item, "restored", _("Ihr Beitrag ist wieder sichtbar: %(title)s"))
