"""A family answers an offered place: accept or decline, within the deadline.

Each answer is one conditional UPDATE on the outcome (``status = offered`` and the deadline
not passed), so a double click, two parents at once or an answer racing the expiry job
change it once; the loser is told the offer is no longer open.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from rathaus.core import audit, locking

from ..models import Outcome, Registration
from . import notices

__all__ = ["OfferClosed", "accept", "decline", "expire_overdue"]

# The condition of the answer's UPDATE (switched off only in a race test's control run).
ANSWER_GUARD = "kita.answer"


class OfferClosed(Exception):
    """The offer was answered already or its deadline has passed."""


def _answer(outcome: Outcome, status: str, registration_status: str, by, now) -> Outcome:
    now = now or timezone.now()
    with transaction.atomic():
        still_open = Outcome.objects.filter(pk=outcome.pk)
        if locking.guard_enabled(ANSWER_GUARD):
            still_open = still_open.filter(status=Outcome.Status.OFFERED, respond_by__gte=now)
        changed = still_open.update(status=status, responded_at=now)
        if not changed:
            raise OfferClosed
        Registration.objects.filter(pk=outcome.registration_id).update(
            status=registration_status, updated_at=now
        )
        outcome.refresh_from_db()
        audit.record(f"kita.offer_{status}", actor=by, target=outcome.registration)
    return outcome


def accept(outcome: Outcome, *, by=None, now: datetime | None = None) -> Outcome:
    outcome = _answer(outcome, Outcome.Status.ACCEPTED, Registration.Status.ACCEPTED, by, now)
    notices.accepted(outcome)
    return outcome


def decline(outcome: Outcome, *, by=None, now: datetime | None = None) -> Outcome:
    """The place goes back into the next round; the child takes no further part."""
    outcome = _answer(outcome, Outcome.Status.DECLINED, Registration.Status.DECLINED, by, now)
    notices.declined(outcome)
    return outcome


def expire_overdue(now: datetime | None = None) -> int:
    """Offers not answered by their deadline lapse (their places go to the next round)."""
    now = now or timezone.now()
    with transaction.atomic():
        overdue = Outcome.objects.filter(status=Outcome.Status.OFFERED, respond_by__lt=now)
        registrations = list(overdue.values_list("registration_id", flat=True))
        count = overdue.update(status=Outcome.Status.EXPIRED, responded_at=now)
        Registration.objects.filter(pk__in=registrations).update(
            status=Registration.Status.EXPIRED, updated_at=now
        )
    return count
