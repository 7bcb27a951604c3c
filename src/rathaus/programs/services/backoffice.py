"""What a provider's staff do with their offers: lists, attendance, messages, cancelling a
session or the whole offer, and payments marked by hand.

Every function here is for one offer (or one of its bookings) that the caller already
found through ``managed_offer`` – the views never look an offer up without the staff
member's providers. Each workflow is one transaction with one audit entry; mails are queued
by ``notices`` and leave only when that transaction commits.

Lock order: bookings, then waiting-list entries, then the offer's row last – the order the
booking, cancelling and waiting-list code use – so cancelling an offer in the middle of
bookings and cancellations waits for them instead of deadlocking with them.
"""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts import policy
from rathaus.accounts.models import User
from rathaus.accounts.services.access_log import log_accesses
from rathaus.core import audit, ratelimit
from rathaus.core.spreadsheet import spreadsheet_csv

from ..models import (
    Attendance,
    Booking,
    BookingParticipant,
    LotteryEntry,
    Offer,
    PaymentEvent,
    Session,
    WaitlistEntry,
)
from . import booking as bookings
from . import notices, offers, payments

__all__ = [
    "MESSAGES_PER_OFFER_PER_HOUR",
    "MESSAGES_PER_STAFF_PER_DAY",
    "BackofficeError",
    "active_bookings",
    "active_participants",
    "assistable_offers",
    "can_manage",
    "cancel_booking",
    "cancel_offer",
    "cancel_session",
    "log_list_access",
    "managed_offer",
    "managed_offers",
    "mark_paid",
    "mark_refunded",
    "message_participants",
    "participants_csv",
    "provider_ids",
    "record_attendance",
]

MANAGE = "programs.manage"
# A provider writes to its participants when something changes, not as a newsletter.
MESSAGES_PER_OFFER_PER_HOUR = 3
MESSAGES_PER_STAFF_PER_DAY = 20


class BackofficeError(Exception):
    """A refused back-office action; ``message`` says why, in German for the staff member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def provider_ids(user: User) -> frozenset[int]:
    """The providers whose offers ``user`` manages (empty for everyone else)."""
    return policy.scope_ids(user, MANAGE, "provider")


def can_manage(user: User, offer: Offer) -> bool:
    return offer.provider_id in provider_ids(user)


def managed_offers(user: User) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(provider_id__in=provider_ids(user))
        .select_related("provider", "venue", "district")
        .order_by("provider__name", "starts_at", "title")
    )


def managed_offer(user: User, slug: str) -> Offer | None:
    """The offer ``slug`` if ``user`` manages it – ``None`` alike for unknown and foreign ones,
    so a foreign offer's existence is not given away."""
    return managed_offers(user).filter(slug=slug).first()


def active_bookings(offer: Offer) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(offer=offer, status=Booking.Status.BOOKED)
        .select_related("account")
        .prefetch_related("participants")
        .order_by("created_at", "pk")
    )


def active_participants(offer: Offer) -> list[BookingParticipant]:
    """Who takes part (active places of active bookings), by name."""
    return list(
        BookingParticipant.objects.filter(
            offer=offer, active=True, booking__status=Booking.Status.BOOKED
        )
        .select_related("booking", "booking__account")
        .order_by("name", "pk")
    )


def assistable_offers(
    query: str, *, only_free: bool = False, now: datetime | None = None, limit: int = 50
) -> list[Offer]:
    """Offers staff may book for a caller: published, open to the public, not over yet;
    every word of ``query`` must occur (as the search keys of ``offers.terms``)."""
    now = now or timezone.now()
    found = (
        Offer.objects.filter(status=Offer.Status.PUBLISHED, internal=False)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .select_related("provider", "venue", "district")
        .order_by("starts_at", "title")
    )
    for term in offers.terms(query)[:8]:
        found = found.filter(search_text__contains=term)
    if only_free:
        found = found.filter(taken__lt=F("capacity"))
    return list(found[:limit])


def log_list_access(viewer: User, offer: Offer, records: Iterable, purpose: str) -> None:
    """Every look at participants of account holders is in their access log."""
    seen: dict[tuple, tuple] = {}
    for record in records:
        found = record if isinstance(record, Booking) else record.booking
        if found.account_id is not None:
            seen[(found.account_id, found.code)] = (
                found.account.public_id,
                "Buchung",
                found.code,
            )
    log_accesses(viewer, list(seen.values()), purpose=f"{purpose}: {offer.title}")


def participants_csv(offer: Offer) -> bytes:
    """The participant list for Excel, one row per person taking part."""
    header = (
        _("Buchungscode"),
        _("Name"),
        _("Geburtsjahr"),
        _("Kontaktperson"),
        _("E-Mail-Adresse"),
        _("Telefon"),
        _("Zahlung"),
    )
    return spreadsheet_csv(
        header,
        (
            (
                person.booking.code,
                person.name,
                person.birth_year or "",
                person.booking.contact_name,
                person.booking.email,
                person.booking.phone,
                person.booking.get_payment_status_display(),
            )
            for person in active_participants(offer)
        ),
    )


def record_attendance(
    session: Session, present: Iterable[int], *, by: User, now: datetime | None = None
) -> tuple[int, int]:
    """Save who came to ``session`` (``present``: ids of ``BookingParticipant``); everyone else
    active on the offer is recorded as absent. Returns (present, absent)."""
    if session.cancelled_at is not None:
        raise BackofficeError(_("Dieser Termin ist abgesagt; Anwesenheit gibt es dafür nicht."))
    people = active_participants(session.offer)
    came = set(present)
    rows = [
        Attendance(session=session, participant=p, present=p.pk in came, recorded_by=by)
        for p in people
    ]
    with transaction.atomic():
        Attendance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["session", "participant"],
            update_fields=["present", "recorded_by", "recorded_at"],
        )
        counts = (sum(r.present for r in rows), sum(not r.present for r in rows))
        audit.record(
            "programs.attendance.recorded",
            actor=by,
            target=session,
            data={"offer": session.offer.slug, "present": counts[0], "absent": counts[1]},
        )
    return counts


def attendance_of(session: Session) -> dict[int, bool]:
    """``{booking participant id: present}`` as recorded so far."""
    return dict(Attendance.objects.filter(session=session).values_list("participant_id", "present"))


def message_participants(offer: Offer, subject: str, text: str, *, by: User) -> tuple[int, int]:
    """Write to the contact of every active booking (e-mail). Returns (mailed, without e-mail).

    Limited to a few messages per offer and hour and per staff member and day, so a slip of
    the mouse or a stolen session cannot flood the participants' inboxes.
    """
    if not ratelimit.hit(
        "programs.message.offer", str(offer.pk), limit=MESSAGES_PER_OFFER_PER_HOUR, window=3600
    ):
        raise BackofficeError(
            _(
                "An die Teilnehmenden dieses Angebots sind in der letzten Stunde schon "
                "%(n)s Nachrichten gegangen. Bitte warten Sie etwas."
            )
            % {"n": MESSAGES_PER_OFFER_PER_HOUR}
        )
    if not ratelimit.hit(
        "programs.message.staff", str(by.pk), limit=MESSAGES_PER_STAFF_PER_DAY, window=86400
    ):
        raise BackofficeError(
            _("Sie haben heute schon %(n)s Nachrichten verschickt; mehr sind nicht möglich.")
            % {"n": MESSAGES_PER_STAFF_PER_DAY}
        )
    with transaction.atomic():
        active = list(active_bookings(offer).select_related("offer__provider", "offer__venue"))
        mailed = [b for b in active if b.email]
        for found in mailed:
            notices.message(found, subject, text)
        audit.record(
            "programs.offer.message",
            actor=by,
            target=offer,
            data={
                "subject": subject,
                "characters": len(text),
                "mailed": len(mailed),
                "without_email": len(active) - len(mailed),
            },
        )
    return len(mailed), len(active) - len(mailed)


def _payment_changes(
    found: list[Booking], *, by: User | None, note: str
) -> tuple[dict[str, list[int]], list[PaymentEvent]]:
    """The new payment state of each cancelled booking (paid → refund due, open → void)."""
    groups: dict[str, list[int]] = {}
    events = []
    for item in found:
        after = payments.after_cancel(item.payment_status)
        groups.setdefault(after, []).append(item.pk)
        item.payment_status = after
        if after == Booking.Payment.REFUND_DUE:
            events.append(
                PaymentEvent(
                    booking=item,
                    kind=PaymentEvent.Kind.REFUND_DUE,
                    source=PaymentEvent.Source.STAFF,
                    amount=item.total,
                    method=item.payment_method,
                    note=note[:300],
                    recorded_by=by,
                )
            )
    return groups, events


def cancel_offer(
    offer: Offer, reason: str, *, by: User, now: datetime | None = None
) -> list[Booking]:
    """Call the whole offer off: every booking → "Angebot abgesagt" (paid ones are owed a
    refund, open payments lapse), the waiting list and an undrawn lottery close, all places
    go back, and everyone booked, waiting or entered gets a mail. Returns the bookings that
    were cancelled."""
    now = now or timezone.now()
    note = _("Angebot abgesagt: %(reason)s") % {"reason": reason}
    cancelled: list[Booking] = []
    with transaction.atomic():
        # Twice: the second sweep, after the offer's row is ours, catches a booking that was
        # being made in parallel and committed while we waited for that row.
        for sweep in range(2):
            found = list(
                Booking.objects.select_for_update()
                .filter(offer_id=offer.pk, status=Booking.Status.BOOKED)
                .order_by("pk")
            )
            groups, events = _payment_changes(found, by=by, note=note)
            for status, ids in groups.items():
                Booking.objects.filter(pk__in=ids).update(
                    status=Booking.Status.OFFER_CANCELLED, cancelled_at=now, payment_status=status
                )
            BookingParticipant.objects.filter(booking__in=[b.pk for b in found]).update(
                active=False
            )
            PaymentEvent.objects.bulk_create(events)
            waiting = WaitlistEntry.objects.filter(
                offer_id=offer.pk,
                status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
            )
            for entry in waiting.select_related("offer"):
                notices.entry_closed(entry, reason)
            waiting.update(status=WaitlistEntry.Status.CLOSED)
            entered = LotteryEntry.objects.filter(
                offer_id=offer.pk, status=LotteryEntry.Status.ENTERED
            )
            for entry in entered.select_related("offer"):
                notices.entry_closed(entry, reason)
            entered.update(status=LotteryEntry.Status.CLOSED)
            for item in found:
                item.status, item.cancelled_at = Booking.Status.OFFER_CANCELLED, now
            cancelled += found
            if sweep == 0 and not (
                Offer.objects.filter(pk=offer.pk)
                .exclude(status=Offer.Status.CANCELLED)
                .update(status=Offer.Status.CANCELLED, taken=0, updated_at=now)
            ):
                raise BackofficeError(_("Dieses Angebot ist schon abgesagt."))
        offer.status, offer.taken = Offer.Status.CANCELLED, 0
        audit.record(
            "programs.offer.cancelled",
            actor=by,
            target=offer,
            data={"reason": reason, "bookings": len(cancelled)},
        )
        for item in cancelled:
            item.offer = offer
            notices.offer_cancelled(item, reason)
    return cancelled


def cancel_session(
    session: Session, reason: str, *, by: User, now: datetime | None = None
) -> list[Booking]:
    """One date falls out: it is marked, everyone booked hears of it, and the offer's derived
    fields (start, weekdays …) are recomputed. The bookings stay."""
    now = now or timezone.now()
    offer = session.offer
    with transaction.atomic():
        changed = Session.objects.filter(pk=session.pk, cancelled_at__isnull=True).update(
            cancelled_at=now, note=reason[:300]
        )
        if not changed:
            raise BackofficeError(_("Dieser Termin ist schon abgesagt."))
        session.cancelled_at, session.note = now, reason[:300]
        offers.refresh(offer)
        found = list(active_bookings(offer))
        audit.record(
            "programs.session.cancelled",
            actor=by,
            target=session,
            data={"offer": offer.slug, "reason": reason, "bookings": len(found)},
        )
        for item in found:
            item.offer = offer
            notices.session_cancelled(item, session, reason)
    return found


def mark_paid(
    found: Booking,
    *,
    by: User | None,
    source: str = PaymentEvent.Source.STAFF,
    amount: Decimal | None = None,
    note: str = "",
    now: datetime | None = None,
) -> bool:
    """Record that the money for ``found`` came in; ``False`` if nothing was open.

    Money for a booking that was cancelled meanwhile is recorded too – and marked as owed
    back, so it is not forgotten.
    """
    now = now or timezone.now()
    amount = found.total if amount is None else amount
    with transaction.atomic():
        paid = Booking.objects.filter(pk=found.pk, payment_status=Booking.Payment.OPEN).update(
            payment_status=Booking.Payment.PAID, paid_at=now
        )
        lapsed = (
            0
            if paid
            else Booking.objects.filter(
                pk=found.pk,
                payment_status=Booking.Payment.VOID,
                status__in=[Booking.Status.CANCELLED, Booking.Status.OFFER_CANCELLED],
            ).update(payment_status=Booking.Payment.REFUND_DUE, paid_at=now)
        )
        if not (paid or lapsed):
            return False
        event = {
            "booking": found,
            "source": source,
            "amount": amount,
            "method": found.payment_method,
            "note": note[:300],
            "recorded_by": by,
        }
        PaymentEvent.objects.create(kind=PaymentEvent.Kind.PAID, **event)
        if lapsed:
            PaymentEvent.objects.create(kind=PaymentEvent.Kind.REFUND_DUE, **event)
        found.payment_status = Booking.Payment.PAID if paid else Booking.Payment.REFUND_DUE
        found.paid_at = now
        audit.record(
            "programs.payment.paid",
            actor=by,
            target=found,
            data={"amount": str(amount), "source": source, "refund_due": bool(lapsed)},
        )
    return True


def mark_refunded(
    found: Booking,
    *,
    by: User | None,
    source: str = PaymentEvent.Source.STAFF,
    note: str = "",
) -> bool:
    """Record that a refund owed was paid out; ``False`` if none was owed (so a payment
    provider's repeated webhook changes nothing)."""
    with transaction.atomic():
        if not Booking.objects.filter(
            pk=found.pk, payment_status=Booking.Payment.REFUND_DUE
        ).update(payment_status=Booking.Payment.REFUNDED):
            return False
        PaymentEvent.objects.create(
            booking=found,
            kind=PaymentEvent.Kind.REFUNDED,
            source=source,
            amount=found.total,
            method=found.payment_method,
            note=note[:300],
            recorded_by=by,
        )
        found.payment_status = Booking.Payment.REFUNDED
        audit.record(
            "programs.payment.refunded",
            actor=by,
            target=found,
            data={"amount": str(found.total), "source": source},
        )
    return True


def cancel_booking(found: Booking, *, by: User, now: datetime | None = None) -> bool:
    """Staff cancel one booking at any time (``booking.cancel`` passes the places on and
    sends the mail); a paid booking is then owed a refund."""
    with transaction.atomic():
        if not bookings.cancel(found, by=by, now=now):
            return False
        found.refresh_from_db()
        if found.payment_status == Booking.Payment.REFUND_DUE:
            PaymentEvent.objects.create(
                booking=found,
                kind=PaymentEvent.Kind.REFUND_DUE,
                source=PaymentEvent.Source.STAFF,
                amount=found.total,
                method=found.payment_method,
                note=_("Von der Verwaltung storniert"),
                recorded_by=by,
            )
    return True
