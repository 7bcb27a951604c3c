"""The waiting list of a full offer: join, get a freed place offered, claim it or let it
pass on.

A freed place is never returned to the free pool while someone waits for it: it stays in
``Offer.taken`` and is offered to the first waiting entry it fits, for
``PROGRAMS_WAITLIST_CLAIM_HOURS``. Every state change is a conditional ``UPDATE`` on the
entry (``WHERE status = 'waiting'`` …), so two cancellations racing for the same first
entry cannot both offer it a place, and a claim racing the expiry job wins or loses whole.
"""

import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.core import secrets

from ..models import Booking, Offer, WaitlistEntry
from . import participants

__all__ = [
    "WaitlistError",
    "claim",
    "claim_own",
    "claim_token",
    "decline",
    "expire_offers",
    "join",
    "pass_on",
    "position",
    "token_matches",
]


class WaitlistError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def join(request, now: datetime | None = None) -> WaitlistEntry:
    """Put ``request`` (a ``booking.Request``) on the waiting list of its full offer."""
    from .booking import check  # the same rules as a booking, except free places

    offer = request.offer
    if not offer.waitlist_enabled:
        raise WaitlistError(_("Für dieses Angebot gibt es keine Warteliste."))
    check(request, now)
    for person in request.people:  # an entry names the holder's participant, as bookings do
        if person.account_holder and person.participant is None and request.account:
            person.participant = participants.self_participant(request.account, person.birth_year)
    people = [
        {
            "participant": p.participant.pk if p.participant else None,
            "name": p.name,
            "birth_year": p.birth_year,
        }
        for p in request.people
    ]
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(
                offer=offer,
                account=request.account,
                contact_name=request.contact_name,
                email=request.email,
                phone=request.phone,
                people=people,
                places=len(people),
                duesselpass=request.duesselpass,
                channel=request.channel,
            )
    except IntegrityError as error:
        raise WaitlistError(_("Sie stehen für dieses Angebot schon auf der Warteliste.")) from error
    from . import notices

    notices.waitlisted(entry)
    return entry


def position(entry: WaitlistEntry) -> int:
    """1 for the first waiting entry."""
    return (
        WaitlistEntry.objects.filter(
            offer_id=entry.offer_id,
            status=WaitlistEntry.Status.WAITING,
            created_at__lte=entry.created_at,
        )
        .exclude(pk__gt=entry.pk, created_at=entry.created_at)
        .count()
    )


def token_matches(entry: WaitlistEntry, token: str) -> bool:
    """Whether ``token`` is the secret of the claim link sent for ``entry``."""
    return bool(token and entry.claim_digest) and hmac.compare_digest(
        secrets.digest(token[:200]), entry.claim_digest
    )


def claim_token(entry: WaitlistEntry) -> str:
    """A new secret for the claim link; only its digest is stored."""
    token = secrets.new_token()
    entry.claim_digest = secrets.digest(token)
    return token


def pass_on(offer: Offer, places: int, now: datetime) -> int:
    """Offer ``places`` freed places to the waiting list, give the rest back to the pool.

    Runs inside the transaction that freed the places; returns how many were offered.
    """
    from . import booking, notices

    remaining = places
    if offer.waitlist_enabled and offer.status == Offer.Status.PUBLISHED:
        until = now + timedelta(hours=settings.PROGRAMS_WAITLIST_CLAIM_HOURS)
        if offer.starts_at:
            until = max(now, min(until, offer.starts_at))
        waiting = WaitlistEntry.objects.filter(
            offer_id=offer.pk, status=WaitlistEntry.Status.WAITING
        ).order_by("created_at", "pk")
        for entry in waiting:
            if remaining == 0:
                break
            if entry.places > remaining:
                continue  # a family of three waits for three places; the next one fits
            token = claim_token(entry)
            offered = WaitlistEntry.objects.filter(
                pk=entry.pk, status=WaitlistEntry.Status.WAITING
            ).update(
                status=WaitlistEntry.Status.OFFERED,
                offered_until=until,
                claim_digest=entry.claim_digest,
            )
            if offered:
                remaining -= entry.places
                entry.status, entry.offered_until = WaitlistEntry.Status.OFFERED, until
                notices.place_offered(entry, token)
    booking.give_back(offer.pk, remaining)
    return places - remaining


def _offered(entry_id: int, now: datetime):
    return WaitlistEntry.objects.filter(
        pk=entry_id, status=WaitlistEntry.Status.OFFERED, offered_until__gt=now
    )


def claim(entry: WaitlistEntry, token: str, now: datetime | None = None) -> Booking:
    """Turn the offered place into a booking (the places are already held): with the link
    of the mail."""
    if not token_matches(entry, token):
        raise WaitlistError(_("Dieser Link ist nicht gültig."))
    return _claim(entry, now or timezone.now())


def claim_own(entry: WaitlistEntry, account: User, now: datetime | None = None) -> Booking:
    """The same, signed in as the account that waits ("Meine Buchungen")."""
    if entry.account_id is None or entry.account_id != account.pk:
        raise WaitlistError(_("Dieser Platz ist nicht für Sie reserviert."))
    return _claim(entry, now or timezone.now())


def _claim(entry: WaitlistEntry, now: datetime) -> Booking:
    from . import booking, notices

    people = [
        booking.Person(
            p["name"],
            p.get("birth_year"),
            entry.account.program_participants.filter(pk=p.get("participant")).first()
            if entry.account and p.get("participant")
            else None,
        )
        for p in entry.people
    ]
    request = booking.Request(
        offer=entry.offer,
        people=people,
        contact_name=entry.contact_name,
        email=entry.email,
        phone=entry.phone,
        account=entry.account,
        duesselpass=entry.duesselpass,
        channel=entry.channel,
    )
    try:
        with transaction.atomic():
            if not _offered(entry.pk, now).update(status=WaitlistEntry.Status.CLAIMED):
                raise WaitlistError(
                    _("Das Platzangebot ist abgelaufen oder wurde schon angenommen.")
                )
            made = booking.create_held(request, now)
            WaitlistEntry.objects.filter(pk=entry.pk).update(booking=made)
            notices.booked(made)
    except IntegrityError as error:
        raise WaitlistError(_("Für diese Person ist hier schon ein Platz gebucht.")) from error
    return made


def decline(entry: WaitlistEntry, now: datetime | None = None) -> bool:
    """Leave the list; an offered place passes on to the next entry at once."""
    now = now or timezone.now()
    with transaction.atomic():
        was_offered = _offered(entry.pk, now).update(status=WaitlistEntry.Status.WITHDRAWN)
        if was_offered:
            pass_on(entry.offer, entry.places, now)
            return True
        return bool(
            WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistEntry.Status.WAITING).update(
                status=WaitlistEntry.Status.WITHDRAWN
            )
        )


def expire_offers(now: datetime | None = None) -> int:
    """Pass on every place whose claim time has run out (run every minute by the worker)."""
    now = now or timezone.now()
    expired = 0
    due = WaitlistEntry.objects.filter(
        status=WaitlistEntry.Status.OFFERED, offered_until__lte=now
    ).select_related("offer")
    for entry in due:
        with transaction.atomic():
            if WaitlistEntry.objects.filter(
                pk=entry.pk, status=WaitlistEntry.Status.OFFERED, offered_until__lte=now
            ).update(status=WaitlistEntry.Status.EXPIRED):
                pass_on(entry.offer, entry.places, now)
                expired += 1
    return expired
