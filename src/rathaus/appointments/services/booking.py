"""Booking, confirming, cancelling and moving appointments: the only code that writes them.

No time is ever given twice: a booking locks the counter's day row (``SELECT … FOR
UPDATE`` on PostgreSQL; SQLite's write transactions run one at a time), reads the
appointments and blocks of that counter and date fresh, and writes only if the units are
free. Across processes and hosts the database decides who was first; the others get
``SlotTaken`` and are offered other times. The limits per person lock the person's
contact row the same way.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.catalog.models import Service
from rathaus.core import audit, metrics, secrets
from rathaus.core.channels import Channel
from rathaus.core.locking import for_update
from rathaus.offices.models import Office

from ..models import (
    UNITS_PER_DAY,
    Appointment,
    AppointmentService,
    Block,
    BookingContact,
    Counter,
    CounterDay,
    OfficeService,
    new_booking_code,
)
from . import calendar, days, notices, slots
from .links import access_token, by_access_token

__all__ = [
    "BookingError",
    "LimitReached",
    "Request",
    "SlotTaken",
    "Unavailable",
    "access_token",
    "by_access_token",
    "by_confirm_token",
    "cancel",
    "confirm",
    "contact_key",
    "expire_holds",
    "normalise_phone",
    "reschedule",
    "reserve",
]


class BookingError(Exception):
    """A booking that cannot be made; ``message`` says why in words for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SlotTaken(BookingError):
    def __init__(self) -> None:
        super().__init__(_("Dieser Termin ist gerade vergeben worden."))


class LimitReached(BookingError):
    pass


class Unavailable(BookingError):
    pass


@dataclass
class Request:
    """What a booking needs: where, what, when and who (name and one way to reach them)."""

    office: Office
    services: list[Service]
    persons: int
    day: date
    unit: int
    name: str
    email: str = ""
    phone: str = ""
    account: User | None = None
    channel: str = Channel.ONLINE
    booked_by: User | None = None  # staff booking for a caller or walk-in

    @property
    def by_staff(self) -> bool:
        return self.booked_by is not None


def normalise_phone(phone: str) -> str:
    """``0211 89-91010`` → ``+492118991010``; empty if it is no phone number."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+49" + digits[1:]
    if not re.fullmatch(r"\+\d{7,15}", digits):
        return ""
    return digits


def contact_key(email: str, phone: str) -> str:
    """A keyed digest of the e-mail address (or else the phone number): what the limits count
    without keeping a readable list of who booked how often."""
    value = f"email:{email.strip().lower()}" if email else f"phone:{normalise_phone(phone)}"
    return salted_hmac("rathaus.appointments.contact", value).hexdigest()


def _open_appointments(now: datetime):
    return Appointment.objects.filter(
        Q(status=Appointment.Status.BOOKED)
        | Q(status=Appointment.Status.HELD, hold_expires_at__gt=now),
        starts_at__gt=now,
    )


def _check_limits(
    key: str, account: User | None, services: list[Service], now: datetime, *, exclude=None
) -> None:
    """At most one open appointment per service and ``APPOINTMENT_MAX_OPEN`` in all, per person
    (the same e-mail address or phone number, or the same account)."""
    mine = Q(contact_key=key)
    if account is not None:
        mine |= Q(account=account)
    open_ones = _open_appointments(now).filter(mine)
    if exclude is not None:
        open_ones = open_ones.exclude(pk=exclude)
    same = (
        AppointmentService.objects.filter(appointment__in=open_ones, service__in=services)
        .select_related("appointment", "service")
        .first()
    )
    if same is not None:
        raise LimitReached(
            _(
                "Sie haben für „%(service)s“ bereits einen Termin am %(when)s Uhr. Bitte sagen "
                "Sie ihn zuerst ab oder verschieben Sie ihn."
            )
            % {
                "service": same.service.title,
                "when": timezone.localtime(same.appointment.starts_at).strftime("%d.%m.%Y, %H:%M"),
            }
        )
    if open_ones.count() >= settings.APPOINTMENT_MAX_OPEN:
        raise LimitReached(
            _(
                "Sie haben bereits %(count)s offene Termine. Mehr sind nicht möglich, damit "
                "Termine für alle reichen."
            )
            % {"count": settings.APPOINTMENT_MAX_OPEN}
        )


# The limits per person: a person's bookings, confirmations and moves run one at a time.
CONTACT_GUARD = "appointments.contact"
# A confirmation reads the hold's status and writes it: one at a time per appointment.
APPOINTMENT_GUARD = "appointments.appointment"


def _lock_contact(key: str) -> None:
    BookingContact.objects.get_or_create(key=key)
    for_update(BookingContact.objects.filter(key=key), guard=CONTACT_GUARD).get()


def _claim(
    office: Office, day: date, start: int, end: int, now: datetime, *, exclude=None
) -> tuple[Counter, CounterDay, int]:
    """Lock the first counter free from ``start`` to ``end``, in a fixed order (no deadlocks).

    Counters whose cached free units already say "taken" are not locked at all, unless the
    cache may have freed up by itself (``changes_at``) or an appointment being moved is
    excluded: the cache never calls a free unit taken otherwise, and so bookings at a busy
    office do not all queue behind its first counter.
    """
    wanted = calendar.span(start, end)
    hours = calendar.load_hours([office.pk], day, day)[office.pk]
    if hours.open_mask(day) & wanted != wanted:
        raise Unavailable(_("Zu dieser Zeit ist die Dienststelle geschlossen."))
    counters = list(Counter.objects.filter(office=office, is_active=True).order_by("pk"))
    if exclude is None:
        cached = {
            counter_id: int(free, 16) & wanted == wanted or (changes and changes <= now)
            for counter_id, free, changes in CounterDay.objects.filter(
                office=office, day=day
            ).values_list("counter_id", "free", "changes_at")
        }
        counters = [c for c in counters if cached.get(c.pk, True)]
    for counter in counters:
        row = days.locked(counter, day)
        before = (row.free, row.longest_run, row.changes_at)
        free = days.recompute(row, hours, now, exclude=exclude)
        if free & wanted == wanted:
            return counter, row, free
        if (row.free, row.longest_run, row.changes_at) != before:
            row.save(update_fields=["free", "longest_run", "changes_at", "refreshed_at"])
    metrics.booking_conflict()
    raise SlotTaken()


def _check_time(request: Request, offer: slots.Offer, now: datetime) -> tuple[int, datetime]:
    """The end unit and start moment, if this time may be booked now (else ``BookingError``)."""
    end = request.unit + offer.units
    starts_at = calendar.local_moment(request.day, request.unit)
    if not 0 <= request.unit < end <= UNITS_PER_DAY:
        raise Unavailable(_("Diese Uhrzeit gibt es an diesem Tag nicht."))
    if starts_at <= now:
        raise Unavailable(_("Dieser Termin liegt in der Vergangenheit."))
    if request.by_staff:
        return end, starts_at
    earliest, last_day = offer.window(now)
    if starts_at < earliest:
        raise Unavailable(
            _("Online sind Termine frühestens %(hours)s Stunden im Voraus buchbar.")
            % {"hours": offer.lead_hours}
        )
    if request.day > last_day:
        raise Unavailable(_("Dieser Tag ist noch nicht zur Buchung freigegeben."))
    if request.unit % offer.step_units:
        raise Unavailable(_("Zu dieser Uhrzeit beginnen keine Termine."))
    return end, starts_at


def reserve(request: Request, *, confirmed: bool, now: datetime | None = None):
    """Book a time. Unconfirmed bookings are holds that expire after
    ``APPOINTMENT_HOLD_MINUTES`` unless confirmed from the e-mail with the link it sends;
    a confirmed booking sends its confirmation with the calendar file (both on commit).

    Returns ``(appointment, confirm_token)``; the plain token exists only here and in the
    e-mail, the database keeps its digest.
    """
    now = calendar.utc(now)
    services = list({s.pk: s for s in request.services}.values())
    offer = slots.office_offer(request.office, services, request.persons)
    if offer is None or not services:
        raise Unavailable(
            _("Diese Leistungen können hier nicht zusammen für so viele Personen gebucht werden.")
        )
    if not request.by_staff and not offer.online_booking:
        raise Unavailable(_("Diese Dienststelle vergibt keine Termine online."))
    end, starts_at = _check_time(request, offer, now)
    key = contact_key(request.email, request.phone)
    minutes = dict(
        OfficeService.objects.filter(office=request.office, service__in=services).values_list(
            "service_id", "minutes_per_person"
        )
    )
    confirm_token = "" if confirmed else secrets.new_token()
    with transaction.atomic():
        _lock_contact(key)
        _check_limits(key, request.account, services, now)
        counter, row, free = _claim(request.office, request.day, request.unit, end, now)
        appointment = _create(
            Appointment(
                office=request.office,
                counter=counter,
                day=request.day,
                start_unit=request.unit,
                end_unit=end,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=offer.minutes),
                status=Appointment.Status.BOOKED if confirmed else Appointment.Status.HELD,
                channel=request.channel,
                name=request.name.strip(),
                email=request.email.strip().lower(),
                phone=request.phone.strip(),
                contact_key=key,
                account=request.account,
                booked_by=request.booked_by,
                hold_expires_at=None
                if confirmed
                else now + timedelta(minutes=settings.APPOINTMENT_HOLD_MINUTES),
                confirm_digest=secrets.digest(confirm_token) if confirm_token else "",
                confirmed_at=now if confirmed else None,
            )
        )
        AppointmentService.objects.bulk_create(
            AppointmentService(
                appointment=appointment,
                service=service,
                persons=request.persons,
                minutes=minutes[service.pk] * request.persons,
            )
            for service in services
        )
        days.take(row, free, request.unit, end, until=appointment.hold_expires_at)
        audit.record(
            "rathaus.appointments.booked" if confirmed else "rathaus.appointments.held",
            actor=request.booked_by or request.account,
            target=appointment,
            data={"office": request.office.slug, "channel": request.channel},
        )
    if confirmed:
        notices.send_booked(appointment)
    else:
        notices.send_confirm_request(appointment, confirm_token)
    return appointment, confirm_token


def _create(appointment: Appointment) -> Appointment:
    """Save with a fresh booking code should the random one already exist (the last try lets
    the error through)."""
    for _attempt in range(4):
        try:
            with transaction.atomic():
                appointment.save()
            return appointment
        except IntegrityError:
            appointment.code = new_booking_code()
    appointment.save()
    return appointment


def by_confirm_token(raw: str) -> Appointment | None:
    if not raw or len(raw) > 100:
        return None
    return (
        Appointment.objects.select_related("office", "counter")
        .filter(confirm_digest=secrets.digest(raw))
        .first()
    )


def confirm(appointment: Appointment, *, now: datetime | None = None) -> None:
    """Turn a hold into a booking (also after it expired, if the time is still free) and send
    its confirmation; raises ``SlotTaken`` when someone else has the time now."""
    now = calendar.utc(now)
    with transaction.atomic():
        _lock_contact(appointment.contact_key)
        current = for_update(
            Appointment.objects.filter(pk=appointment.pk), guard=APPOINTMENT_GUARD
        ).get()
        if current.status == Appointment.Status.BOOKED:
            raise BookingError(_("Dieser Termin ist bereits bestätigt."))
        if current.status not in (Appointment.Status.HELD, Appointment.Status.EXPIRED):
            raise BookingError(_("Dieser Termin kann nicht mehr bestätigt werden."))
        if current.starts_at <= now:
            raise BookingError(_("Dieser Termin liegt in der Vergangenheit."))
        services = [item.service for item in current.items.select_related("service")]
        _check_limits(current.contact_key, current.account, services, now, exclude=current.pk)
        hours = calendar.load_hours([current.office_id], current.day, current.day)
        row = days.locked(current.counter, current.day)
        free = days.recompute(row, hours[current.office_id], now, exclude=current.pk)
        wanted = calendar.span(current.start_unit, current.end_unit)
        taken = free & wanted != wanted
        if taken:
            Appointment.objects.filter(pk=current.pk).update(
                status=Appointment.Status.EXPIRED, confirm_digest=""
            )
            row.save(update_fields=["free", "longest_run", "changes_at", "refreshed_at"])
        else:
            Appointment.objects.filter(pk=current.pk).update(
                status=Appointment.Status.BOOKED,
                confirmed_at=now,
                hold_expires_at=None,
                confirm_digest="",
            )
            days.take(row, free, current.start_unit, current.end_unit)
            audit.record("rathaus.appointments.confirmed", target=current)
    appointment.refresh_from_db()
    if taken:
        metrics.booking_conflict()
        raise SlotTaken()
    notices.send_booked(appointment)


def _return_later(appointment: Appointment, now: datetime, delay: timedelta) -> None:
    """The old time of a cancelled or moved appointment: blocked for ``delay``, then free."""
    if appointment.starts_at <= now:
        return
    if delay <= timedelta(0):
        hours = calendar.load_hours([appointment.office_id], appointment.day, appointment.day)
        row = days.locked(appointment.counter, appointment.day)
        days.recompute(row, hours[appointment.office_id], now)
        row.save(update_fields=["free", "longest_run", "changes_at", "refreshed_at"])
        return
    until = now + delay
    Block.objects.create(
        counter=appointment.counter,
        day=appointment.day,
        start_unit=appointment.start_unit,
        end_unit=appointment.end_unit,
        kind=Block.Kind.RETURNING,
        until=until,
    )
    CounterDay.objects.filter(counter=appointment.counter, day=appointment.day).filter(
        Q(changes_at__isnull=True) | Q(changes_at__gt=until)
    ).update(changes_at=until)


def _return_delay(appointment: Appointment) -> timedelta:
    rules = getattr(appointment.office, "booking_rules", None)
    minutes = rules.return_delay_minutes if rules else days.DEFAULT_RULES.return_delay_minutes
    return timedelta(minutes=minutes)


def cancel(
    appointment: Appointment,
    *,
    by: User | None = None,
    reason: str = "",
    immediately: bool = False,
    offer_rebooking: bool = False,
    now: datetime | None = None,
) -> bool:
    """Cancel and tell the person (with a link to book again when the city cancelled:
    ``offer_rebooking``); the time returns to the pool after the office's waiting period
    (against trading appointments), or ``immediately`` when staff decide so. ``False`` if it
    was not open any more."""
    now = calendar.utc(now)
    with transaction.atomic():
        changed = Appointment.objects.filter(pk=appointment.pk, status__in=Appointment.OPEN).update(
            status=Appointment.Status.CANCELLED,
            cancelled_at=now,
            cancel_reason=reason[:200],
            confirm_digest="",
        )
        if not changed:
            return False
        delay = timedelta(0) if immediately else _return_delay(appointment)
        _return_later(appointment, now, delay)
        audit.record("rathaus.appointments.cancelled", actor=by, target=appointment)
    appointment.refresh_from_db()
    notices.send_cancelled(appointment, offer_rebooking=offer_rebooking)
    return True


def reschedule(
    appointment: Appointment,
    day: date,
    unit: int,
    *,
    by: User | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Move to another time at the same office and send the new confirmation; name,
    services and link stay the same."""
    now = calendar.utc(now)
    if appointment.status != Appointment.Status.BOOKED:
        raise BookingError(_("Nur gebuchte Termine können verschoben werden."))
    items = list(appointment.items.select_related("service"))
    services = [item.service for item in items]
    persons = max(item.persons for item in items)
    offer = slots.office_offer(appointment.office, services, persons)
    if offer is None:
        raise Unavailable(_("Diese Leistungen werden hier nicht mehr angeboten."))
    request = Request(
        office=appointment.office,
        services=services,
        persons=persons,
        day=day,
        unit=unit,
        name=appointment.name,
        booked_by=by if by is not None and by.is_staff else None,
    )
    end, starts_at = _check_time(request, offer, now)
    old = Appointment.objects.get(pk=appointment.pk)
    with transaction.atomic():
        _lock_contact(appointment.contact_key)
        counter, row, free = _claim(appointment.office, day, unit, end, now, exclude=old.pk)
        moved = Appointment.objects.filter(pk=old.pk, status=Appointment.Status.BOOKED).update(
            counter=counter,
            day=day,
            start_unit=unit,
            end_unit=end,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=offer.minutes),
            sequence=old.sequence + 1,
            reminded_at=None,
        )
        if not moved:
            raise BookingError(_("Nur gebuchte Termine können verschoben werden."))
        if (counter.pk, day) == (old.counter_id, old.day):
            # The old time stays taken on this row: blocked for its waiting period below.
            free &= ~calendar.span(old.start_unit, old.end_unit)
        days.take(row, free, unit, end)
        _return_later(old, now, _return_delay(old))
        audit.record(
            "rathaus.appointments.rescheduled",
            actor=by,
            target=old,
            changes={"starts_at": [old.starts_at.isoformat(), starts_at.isoformat()]},
        )
    appointment.refresh_from_db()
    notices.send_rescheduled(appointment)
    return appointment


def expire_holds(now: datetime | None = None) -> int:
    """Holds not confirmed in time end; their time was already free again for the search."""
    now = calendar.utc(now)
    return Appointment.objects.filter(
        status=Appointment.Status.HELD, hold_expires_at__lte=now
    ).update(status=Appointment.Status.EXPIRED, confirm_digest="")
