"""Booking and cancelling places: the only code that changes ``Offer.taken``.

No offer is ever overbooked. A booking writes its rows first and takes its places last,
with one conditional ``UPDATE offer SET taken = taken + n WHERE taken + n <= capacity``:
the database decides who got the last place, across processes and hosts, and the offer's
row is locked only from that statement to the commit. Who gets nothing is told at once
("ausgebucht") and may join the waiting list; an offer that is visibly full answers without
writing anything, and each app process remembers a sold-out offer for a second
(``remembered_sold_out``), so the rush after the last place costs no database work.

Freed places go to the waiting list first (``waitlist.pass_on``), in the same transaction
as the cancellation, so a promotion, a cancellation and a booking racing each other never
lose or duplicate a place.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rathaus.accounts import policy
from rathaus.accounts.models import User
from rathaus.core import audit, capacity, metrics
from rathaus.core.channels import Channel

from ..models import Booking, BookingParticipant, Offer, Participant
from . import notices, participants, payments, waitlist

__all__ = [
    "AlreadyBooked",
    "BookingError",
    "Closed",
    "Full",
    "Person",
    "Request",
    "age_fits",
    "book",
    "can_cancel",
    "cancel",
    "check",
    "forget_sold_out",
    "give_back",
    "prices",
    "remembered_sold_out",
    "sold_out",
    "take",
    "visible_to",
]

CENT = Decimal("0.01")

# How long this process answers "ausgebucht" for an offer without asking the database
# again. A place freed meanwhile (a cancellation nobody on the waiting list takes, more
# capacity) is bookable a second later at the latest; the offer page always asks.
SOLD_OUT_MEMO_SECONDS = 1.0
_sold_out_until: dict[str, float] = {}
_clock = time.monotonic


class BookingError(Exception):
    """A booking that cannot be made; ``message`` says why, in words for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Full(BookingError):
    def __init__(self, free: int = 0) -> None:
        super().__init__(
            _("Leider ausgebucht.")
            if free == 0
            else _("Es sind nur noch %(free)s Plätze frei.") % {"free": free}
        )
        self.free = free


class Closed(BookingError):
    pass


class AlreadyBooked(BookingError):
    def __init__(self) -> None:
        super().__init__(_("Für diese Person ist hier schon ein Platz gebucht."))


@dataclass
class Person:
    """Who takes part: a managed participant, or a name and birth year given by staff.

    ``account_holder``: the booking account's holder, made a participant with the booking
    when they are not one yet (in its transaction: one commit less in the rush).
    """

    name: str
    birth_year: int | None = None
    participant: Participant | None = None
    account_holder: bool = False

    @classmethod
    def of(cls, participant: Participant) -> "Person":
        return cls(participant.name, participant.birth_year, participant)


@dataclass
class Request:
    offer: Offer
    people: list[Person]
    contact_name: str
    email: str = ""
    phone: str = ""
    account: User | None = None
    duesselpass: bool = False
    payment_method: str = ""
    channel: str = Channel.ONLINE
    booked_by: User | None = None  # staff booking for a caller
    extra: dict = field(default_factory=dict)


def visible_to(offer: Offer, user) -> bool:
    """Published offers for everyone; internal trainings only for signed-in staff."""
    if offer.status == Offer.Status.DRAFT:
        return False
    return not offer.internal or bool(getattr(user, "is_authenticated", False) and user.is_staff)


def age_fits(offer: Offer, birth_year: int | None) -> bool:
    """With only the birth year, a child is one of two ages in the year the offer starts;
    it fits when one of them is inside the range."""
    if offer.age_min is None and offer.age_max is None:
        return True
    if birth_year is None:
        return False
    year = timezone.localtime(offer.starts_at).year if offer.starts_at else timezone.now().year
    oldest, youngest = year - birth_year, year - birth_year - 1
    if offer.age_min is not None and oldest < offer.age_min:
        return False
    return offer.age_max is None or youngest <= offer.age_max


def prices(offer: Offer, count: int, *, duesselpass: bool) -> list[tuple[Decimal, str]]:
    """Price and reduction for each of ``count`` people on one booking: the DüsselPass price
    for holders, the sibling discount from the second person on when it is lower."""
    result = []
    for index in range(count):
        if offer.price == 0:
            result.append((Decimal("0.00"), BookingParticipant.Reduction.FREE))
            continue
        price, reduction = offer.price, BookingParticipant.Reduction.NONE
        if duesselpass and offer.price_reduced < price:
            price, reduction = offer.price_reduced, BookingParticipant.Reduction.DUESSELPASS
        if index > 0 and offer.sibling_discount_percent:
            sibling = (offer.price * (100 - offer.sibling_discount_percent) / 100).quantize(
                CENT, ROUND_HALF_UP
            )
            if sibling < price:
                price, reduction = sibling, BookingParticipant.Reduction.SIBLING
        result.append((price, reduction))
    return result


def check(request: Request, now: datetime | None = None) -> None:
    """Everything a booking must meet before it may take places; raises ``BookingError``."""
    now = now or timezone.now()
    offer = request.offer
    user = request.booked_by or request.account
    if offer.status != Offer.Status.PUBLISHED or not visible_to(offer, user):
        raise Closed(_("Dieses Angebot kann nicht gebucht werden."))
    if offer.internal and request.booked_by is None and not (user and user.is_staff):
        raise Closed(_("Fortbildungen können nur Mitarbeitende der Stadt buchen."))
    if request.booked_by is None:
        if offer.booking_opens_at and now < offer.booking_opens_at:
            raise Closed(
                _("Die Buchung beginnt am %(at)s.")
                % {
                    "at": timezone.localtime(offer.booking_opens_at).strftime(
                        "%d.%m.%Y um %H:%M Uhr"
                    )
                }
            )
        if offer.booking_closes_at and now >= offer.booking_closes_at:
            raise Closed(_("Die Buchungsfrist ist abgelaufen."))
    if offer.ends_at and now >= offer.ends_at:
        raise Closed(_("Dieses Angebot hat schon stattgefunden."))
    if offer.allocation == Offer.Allocation.LOTTERY and not offer.lottery_drawn_at:
        raise Closed(_("Die Plätze werden verlost. Bitte melden Sie sich zur Verlosung an."))
    if not request.people:
        raise BookingError(_("Bitte wählen Sie mindestens eine Person aus."))
    if len(request.people) > offer.max_places_per_booking:
        raise BookingError(
            ngettext(
                "Pro Buchung ist höchstens %(n)s Person möglich.",
                "Pro Buchung sind höchstens %(n)s Personen möglich.",
                offer.max_places_per_booking,
            )
            % {"n": offer.max_places_per_booking}
        )
    for person in request.people:
        if not age_fits(offer, person.birth_year):
            raise BookingError(
                _("%(name)s passt nicht in die Altersgruppe dieses Angebots.")
                % {"name": person.name}
            )
    chosen = [p.participant.pk for p in request.people if p.participant]
    if len(set(chosen)) != len(chosen):
        raise AlreadyBooked()
    if request.payment_method and request.payment_method not in payments.methods_for(offer):
        raise BookingError(_("Bitte wählen Sie eine der angebotenen Zahlungsarten."))


def remembered_sold_out(slug: str) -> bool:
    """Did this process find the offer ``slug`` sold out less than
    ``SOLD_OUT_MEMO_SECONDS`` ago? In the rush after the last place most attempts end
    here, before any query."""
    return _sold_out_until.get(slug, 0.0) > _clock()


def sold_out(offer: Offer) -> bool:
    """Is ``offer`` (as just read) a public offer without a free place? Remembered for
    ``remembered_sold_out``."""
    full = offer.status == Offer.Status.PUBLISHED and not offer.internal and offer.free == 0
    if full:
        _sold_out_until[offer.slug] = _clock() + SOLD_OUT_MEMO_SECONDS
    else:
        _sold_out_until.pop(offer.slug, None)
    return full


def forget_sold_out() -> None:
    """Places came back (in this process): ask the database again next time."""
    _sold_out_until.clear()


def take(offer_id: int, places: int) -> bool:
    """Take ``places`` on the offer if they are free (``core.capacity``)."""
    # Only a published offer: a booking checked before the offer was cancelled gets nothing.
    row = Offer.objects.filter(pk=offer_id, status=Offer.Status.PUBLISHED)
    return capacity.take(row, places, guard="programs.places")


def give_back(offer_id: int, places: int) -> None:
    """Return ``places`` to the free pool (nobody on the waiting list could take them)."""
    capacity.give_back(Offer.objects.filter(pk=offer_id), places)
    forget_sold_out()


def book(request: Request, now: datetime | None = None) -> Booking:
    """Book places for ``request.people``; raises ``Full`` when they are gone."""
    now = now or timezone.now()
    check(request, now)
    offer = request.offer
    places = len(request.people)
    if offer.free < places:  # as read in this request: visibly full, answer without writing
        raise Full(offer.free)
    try:
        with transaction.atomic():
            booking = _create(request, places, now)
            notices.booked(booking)  # rendered before the lock; queued only on commit
            if not take(offer.pk, places):  # last: the offer's row is locked until commit
                metrics.booking_conflict()
                raise Full()
    except IntegrityError as error:
        raise AlreadyBooked() from error
    offer.taken += places  # the caller's copy stays true for a next booking
    return booking


def _create(request: Request, places: int, now: datetime, *, status: str = "") -> Booking:
    """The booking and its participants (without taking places: the caller does)."""
    offer = request.offer
    charged = prices(offer, places, duesselpass=request.duesselpass)
    total = sum((price for price, _reduction in charged), Decimal("0.00"))
    method = request.payment_method or (payments.default_method(offer) if total else "")
    booking = Booking.objects.create(
        offer=offer,
        account=request.account,
        contact_name=request.contact_name,
        email=request.email,
        phone=request.phone,
        places=places,
        channel=request.channel,
        booked_by=request.booked_by,
        total=total,
        payment_method=method if total else "",
        payment_status=payments.initial_status(method, total),
        **({"status": status} if status else {}),
    )
    for person in request.people:
        if person.account_holder and person.participant is None and request.account:
            person.participant = participants.make_self(
                request.account, person.name, person.birth_year
            )
    BookingParticipant.objects.bulk_create(
        BookingParticipant(
            booking=booking,
            offer=offer,
            participant=person.participant,
            name=person.name,
            birth_year=person.birth_year,
            price=price,
            reduction=reduction,
        )
        for person, (price, reduction) in zip(request.people, charged, strict=True)
    )
    if request.booked_by is not None:
        audit.record(
            "programs.booking.assisted",
            actor=request.booked_by,
            target=booking,
            data={"offer": offer.slug, "places": places, "channel": request.channel},
        )
    return booking


def create_held(request: Request, now: datetime | None = None) -> Booking:
    """A booking for places already held (a claimed waiting-list offer, a lottery win)."""
    return _create(request, len(request.people), now or timezone.now())


def can_cancel(booking: Booking, now: datetime | None = None) -> bool:
    """Residents cancel free of charge until the provider's deadline before the start."""
    now = now or timezone.now()
    if not booking.is_active:
        return False
    starts = booking.offer.starts_at
    return starts is None or now <= starts - timedelta(hours=booking.offer.cancel_until_hours)


def cancel(booking: Booking, *, by: User | None = None, now: datetime | None = None) -> bool:
    """Cancel ``booking`` and pass its places on; ``False`` if it was no longer active.

    Residents only within the provider's rules; staff of the provider (``by``) at any time.
    """
    now = now or timezone.now()
    staff = by is not None and booking.offer.provider_id in policy.scope_ids(
        by, "programs.manage", "provider"
    )
    if not staff and not can_cancel(booking, now):
        raise Closed(_("Die Frist für eine kostenlose Stornierung ist abgelaufen."))
    with transaction.atomic():
        changed = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=Booking.Status.CANCELLED,
            cancelled_at=now,
            payment_status=payments.after_cancel(booking.payment_status),
        )
        if not changed:
            return False
        BookingParticipant.objects.filter(booking=booking).update(active=False)
        booking.refresh_from_db()
        waitlist.pass_on(booking.offer, booking.places, now)
        if staff:
            audit.record("programs.booking.cancelled", actor=by, target=booking)
        notices.cancelled(booking)
    return True
