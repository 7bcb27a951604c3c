"""The waiting room: numbers for people who arrived, calls to a counter, the public display.

Two members of staff pressing "Nächste Person" at the same moment never get the same
person: a call is a conditional update (``status = waiting``) that only one of them wins.
Waiting numbers are consecutive per day: they are taken under the office's row lock.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.core import audit
from rathaus.core.locking import Busy, for_update, guard_enabled
from rathaus.offices.models import Office

from ..models import Appointment, Counter, QueueTicket
from . import calendar

__all__ = [
    "Call",
    "arrive",
    "call_next",
    "calls",
    "current",
    "finish",
    "finish_appointment",
    "recall",
    "waiting",
    "walk_in",
]

# Appointments are called in their order from a few minutes before their time.
DUE_AHEAD = timedelta(minutes=5)
# Waiting numbers of a day are given out one at a time per office (consecutive, no twice).
TICKET_GUARD = "appointments.queue_number"
# A call takes a ticket only while it is still waiting (two counters, one person).
CALL_GUARD = "appointments.queue_call"


def _lock_numbers(office: Office) -> None:
    """Hold the office's row lock for the day's numbers until the transaction ends: parallel
    arrivals take turns (at most ``LOCK_TIMEOUT_MS``) and get consecutive numbers. A no-key
    lock, so bookings that refer to the office do not wait for it."""
    for_update(Office.objects.filter(pk=office.pk), guard=TICKET_GUARD, no_key=True).get()


def _new_ticket(office: Office, prefix: str, **fields) -> QueueTicket:
    """The next number of the day for ``prefix``, under :func:`_lock_numbers`. Without the
    lock two requests can take the same number: the unique constraint refuses the second,
    which is told to try again (``Busy``) rather than shown a 500."""
    day = timezone.localdate()
    last = QueueTicket.objects.filter(office=office, day=day, prefix=prefix).aggregate(
        n=Max("number")
    )["n"]
    try:
        with transaction.atomic():
            return QueueTicket.objects.create(
                office=office, day=day, prefix=prefix, number=(last or 0) + 1, **fields
            )
    except IntegrityError as error:
        raise Busy() from error


def arrive(appointment: Appointment, *, by: User) -> QueueTicket:
    """The person with this appointment is here: mark it and give them a number (once, also
    when two members of staff press "angekommen" at the same moment)."""
    with transaction.atomic():
        _lock_numbers(appointment.office)
        Appointment.objects.filter(pk=appointment.pk, status=Appointment.Status.BOOKED).update(
            status=Appointment.Status.ARRIVED
        )
        ticket = QueueTicket.objects.filter(appointment=appointment).first()
        if ticket is None:
            ticket = _new_ticket(
                appointment.office, QueueTicket.Prefix.APPOINTMENT, appointment=appointment
            )
        audit.record("rathaus.appointments.arrived", actor=by, target=appointment)
    appointment.refresh_from_db()
    return ticket


def walk_in(office: Office, *, note: str, by: User) -> QueueTicket:
    """Someone without an appointment: a W number."""
    with transaction.atomic():
        _lock_numbers(office)
        ticket = _new_ticket(office, QueueTicket.Prefix.WALK_IN, note=note[:200])
        audit.record("rathaus.appointments.walk_in", actor=by, target=ticket)
    return ticket


def waiting(office: Office, now: datetime | None = None) -> list[QueueTicket]:
    """Today's waiting numbers in the order they will be called: appointments that are due,
    then people without an appointment, then those who came early."""
    now = calendar.utc(now)
    tickets = list(
        QueueTicket.objects.filter(
            office=office, day=timezone.localdate(now), status=QueueTicket.Status.WAITING
        ).select_related("appointment")
    )

    def order(ticket: QueueTicket) -> tuple:
        appointment = ticket.appointment
        if appointment is None:
            return (1, ticket.arrived_at)
        due = appointment.starts_at <= now + DUE_AHEAD
        return (0 if due else 2, appointment.starts_at)

    return sorted(tickets, key=order)


def call_next(office: Office, counter: Counter, *, by: User) -> QueueTicket | None:
    """Call the next waiting person to ``counter``; ``None`` when nobody waits."""
    if counter.office_id != office.pk:
        raise ValueError("counter of another office")
    now = timezone.now()
    for ticket in waiting(office, now):
        still_waiting = QueueTicket.objects.filter(pk=ticket.pk)
        if guard_enabled(CALL_GUARD):
            still_waiting = still_waiting.filter(status=QueueTicket.Status.WAITING)
        won = still_waiting.update(
            status=QueueTicket.Status.CALLED, counter=counter, called_at=now, calls=1, called_by=by
        )
        if won:
            ticket.refresh_from_db()
            return ticket
    return None


def finish_appointment(appointment: Appointment, *, came: bool, by: User) -> None:
    """Staff close an appointment from the day view: served or not come (given a number
    first if the person never got one, so the day's figures count it)."""
    with transaction.atomic():
        ticket = QueueTicket.objects.filter(appointment=appointment).first()
        finish(ticket or arrive(appointment, by=by), came=came, by=by)


def recall(ticket: QueueTicket, *, by: User) -> None:
    """Call the same number again (shown and announced once more)."""
    QueueTicket.objects.filter(pk=ticket.pk, status=QueueTicket.Status.CALLED).update(
        called_at=timezone.now(), calls=ticket.calls + 1, called_by=by
    )


def finish(ticket: QueueTicket, *, came: bool, by: User) -> None:
    """The person was served (``came``) or did not come when called."""
    with transaction.atomic():
        QueueTicket.objects.filter(pk=ticket.pk).update(
            status=QueueTicket.Status.DONE if came else QueueTicket.Status.GONE
        )
        if ticket.appointment_id:
            Appointment.objects.filter(
                pk=ticket.appointment_id,
                status__in=[Appointment.Status.BOOKED, Appointment.Status.ARRIVED],
            ).update(status=Appointment.Status.DONE if came else Appointment.Status.NO_SHOW)


@dataclass(frozen=True)
class Call:
    """One line of the public display: no names, only the number and the counter."""

    id: int
    ticket: str
    counter: str
    counter_number: int
    called_at: datetime
    calls: int

    def as_json(self) -> dict:
        return {
            "id": f"{self.id}-{self.calls}",
            "ticket": self.ticket,
            "counter": self.counter,
            "counter_number": self.counter_number,
            "called_at": self.called_at.isoformat(),
            "announcement": _("Nummer %(ticket)s, bitte zu %(counter)s.")
            % {"ticket": f"{self.ticket[0]} {int(self.ticket[2:])}", "counter": self.counter},
        }


def _called(office: Office):
    return QueueTicket.objects.filter(
        office=office, day=timezone.localdate(), status=QueueTicket.Status.CALLED
    ).order_by("-called_at")


def current(office: Office, counter: Counter) -> QueueTicket | None:
    """The person called to ``counter`` and not finished yet."""
    return _called(office).filter(counter=counter).select_related("appointment").first()


def calls(office: Office, limit: int = 6) -> list[Call]:
    """Today's latest calls, newest first."""
    tickets = _called(office).filter(counter__isnull=False).select_related("counter")[:limit]
    return [
        Call(
            id=t.pk,
            ticket=t.label,
            counter=str(t.counter),
            counter_number=t.counter.number,
            called_at=t.called_at,
            calls=t.calls,
        )
        for t in tickets
    ]
