"""What families receive about their registration: e-mails, always after the transaction
that caused them has committed.

A round's mails go out from one background job (``tasks.send_round_notices``), each with a
``Message-ID`` made from the round and the registration, so a job that runs twice sends
every family one mail.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from rathaus.core import mail
from rathaus.core.tasks import deliver_once, new_message_id

from ..models import Outcome, Registration, Round
from . import explanations

__all__ = [
    "accepted",
    "declined",
    "registered",
    "round_finished",
    "send_round_notices",
    "withdrawn",
]


def _link(registration: Registration) -> str:
    return settings.RATHAUS["PUBLIC_URL"] + reverse(
        "kita:registration", args=[registration.public_id]
    )


def _render(template: str, registration: Registration, **context) -> str:
    return render_to_string(
        f"kita/mail/{template}.txt",
        {
            "registration": registration,
            "link": _link(registration),
            "city": settings.RATHAUS["CITY_NAME"],
            **context,
        },
    )


def _send(registration: Registration, template: str, subject: str, **context) -> None:
    if registration.email:
        mail.send_after_commit(
            subject=subject,
            body=_render(template, registration, **context),
            to=[registration.email],
        )


def registered(registration: Registration, *, changed: bool = False) -> None:
    """Confirms a registration or its change; says so when staff entered it for the family
    (every action taken for a resident is told to the resident)."""
    subject = (
        _("Ihre Kita-Anmeldung wurde geändert")
        if changed
        else _("Ihre Kita-Anmeldung ist eingegangen")
    )
    wishes = list(registration.wishes.select_related("daycare").order_by("rank"))
    _send(registration, "registered", subject, wishes=wishes, changed=changed)


def withdrawn(registration: Registration) -> None:
    _send(registration, "withdrawn", _("Ihre Kita-Anmeldung wurde zurückgezogen"))


def accepted(outcome: Outcome) -> None:
    _send(
        outcome.registration, "accepted", _("Sie haben den Kita-Platz angenommen"), outcome=outcome
    )


def declined(outcome: Outcome) -> None:
    _send(
        outcome.registration, "declined", _("Sie haben den Kita-Platz abgelehnt"), outcome=outcome
    )


def round_finished(round_: Round) -> None:
    """Queue the round's mails once the round has committed."""
    from .. import tasks

    transaction.on_commit(lambda: tasks.send_round_notices.enqueue(round_.pk))


def send_round_notices(round_id: int) -> int:
    """Every family of the round with an e-mail address hears its result and why; returns
    how many mails were handed over now."""
    round_ = Round.objects.select_related("period").get(pk=round_id)
    explainer = explanations.Explainer(round_)
    sent = 0
    outcomes = (
        Outcome.objects.filter(round=round_)
        .exclude(registration__email="")
        .select_related("registration", "daycare")
        .prefetch_related("registration__wishes", "registration__sibling_daycares")
        .order_by("pk")
    )
    for outcome in outcomes.iterator(chunk_size=500):
        outcome.round = round_
        registration = outcome.registration
        wishes = tuple(w.daycare_id for w in sorted(registration.wishes.all(), key=_rank))
        siblings = [d.pk for d in registration.sibling_daycares.all()]
        reasons = explainer.sentences(registration, wishes, siblings, outcome)
        name = {"name": registration.child_given_name}
        if outcome.daycare_id:
            template, subject = "offered", _("Ein Kita-Platz für %(name)s") % name
        else:
            template, subject = "no_place", _("Noch kein Kita-Platz für %(name)s") % name
        body = _render(template, registration, outcome=outcome, reasons=reasons)
        message = EmailMessage(subject=subject, body=body, to=[registration.email])
        key = f"kita-round-{round_id}-{registration.public_id}"
        sent += deliver_once(message, new_message_id(key))
    return sent


def _rank(wish) -> int:
    return wish.rank
