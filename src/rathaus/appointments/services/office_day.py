"""Staff work on one office's day: who comes when to which counter, blocked times, and
closing the office for a day (everyone affected is told and offered a new appointment)."""

from dataclasses import dataclass, field
from datetime import date, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.accounts.services.access_log import log_accesses
from rathaus.core import audit
from rathaus.offices.models import Office

from ..models import Appointment, Block, Counter, OpeningException
from . import booking, calendar, days

__all__ = ["CounterLane", "add_block", "close_day", "day_view", "remove_block"]


@dataclass
class CounterLane:
    counter: Counter
    appointments: list[Appointment] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


def day_view(office: Office, day: date, *, viewer: User) -> list[CounterLane]:
    """The counters of ``office`` on ``day`` with their appointments and blocks.

    Names are personal data: each view of an account holder's appointment is logged
    in the access log the resident can read.
    """
    lanes = {c.pk: CounterLane(c) for c in Counter.objects.filter(office=office)}
    appointments = (
        Appointment.objects.filter(office=office, day=day)
        .exclude(status=Appointment.Status.EXPIRED)
        .select_related("account", "ticket")
        .prefetch_related("items__service")
        .order_by("start_unit")
    )
    for appointment in appointments:
        lanes[appointment.counter_id].appointments.append(appointment)
    log_accesses(
        viewer,
        [(a.account.public_id, "Termin", a.code) for a in appointments if a.account is not None],
        purpose=_("Tagesübersicht der Termine"),
    )
    now = timezone.now()
    for block in Block.objects.filter(counter__office=office, day=day, kind=Block.Kind.STAFF):
        if block.until is None or block.until > now:
            lanes[block.counter_id].blocks.append(block)
    return list(lanes.values())


def add_block(
    office: Office, counters: list[Counter], day: date, start: time, end: time, *, reason: str, by
) -> list[Block]:
    """Block a time on some counters; appointments already booked there stay."""
    first, last = calendar.unit_floor(start), calendar.unit_ceil(end)
    if last <= first:
        raise booking.BookingError(_("Das Ende muss nach dem Beginn liegen."))
    hours = calendar.load_hours([office.pk], day, day)[office.pk]
    created = []
    with transaction.atomic():
        for counter in sorted(counters, key=lambda c: c.pk):
            row = days.locked(counter, day)
            created.append(
                Block.objects.create(
                    counter=counter,
                    day=day,
                    start_unit=first,
                    end_unit=last,
                    reason=reason[:200],
                    created_by=by,
                )
            )
            days.recompute(row, hours, timezone.now())
            row.save()
        audit.record(
            "rathaus.appointments.blocked",
            actor=by,
            target=office,
            data={"day": day.isoformat(), "from": start.isoformat(), "to": end.isoformat()},
        )
    return created


def remove_block(block: Block, *, by: User) -> None:
    hours = calendar.load_hours([block.counter.office_id], block.day, block.day)
    with transaction.atomic():
        row = days.locked(block.counter, block.day)
        block.delete()
        days.recompute(row, hours[block.counter.office_id], timezone.now())
        row.save()
        audit.record("rathaus.appointments.unblocked", actor=by, target=block.counter.office)


@transaction.atomic
def close_day(office: Office, day: date, *, reason: str, by: User) -> list[Appointment]:
    """Close ``office`` on ``day``: no more bookings, every open appointment cancelled and
    its person told by e-mail with a link to book again. Returns the cancelled ones (staff
    call those without an e-mail address)."""
    OpeningException.objects.create(office=office, day=day, reason=reason[:200], created_by=by)
    affected = list(
        Appointment.objects.filter(office=office, day=day, status__in=Appointment.OPEN)
        .select_related("office")
        .prefetch_related("items__service")
    )
    for appointment in affected:
        booking.cancel(appointment, by=by, reason=reason, immediately=True, offer_rebooking=True)
    days.refresh_office(office.pk, day)
    audit.record(
        "rathaus.appointments.office_closed",
        actor=by,
        target=office,
        data={"day": day.isoformat(), "cancelled": len(affected)},
    )
    return affected
