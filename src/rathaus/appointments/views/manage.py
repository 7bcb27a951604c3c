"""A resident's own appointment: view, calendar file, move, cancel.

Reached with the personal link from the e-mail (no account needed) or, for signed-in
residents, from "Meine Termine". Both ways end in the same views; the link's token is a
signature of the appointment's id, so it cannot be guessed or changed to another one.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from rathaus.accounts.decorators import resident_required

from ..forms import parse_time
from ..models import Appointment
from ..services import booking, calendar, notices, slots
from .common import free_days


def with_token(view: Callable) -> Callable:
    """Resolve the personal link's token to the appointment (404 for anything else)."""

    @wraps(view)
    @never_cache
    def wrapped(request: HttpRequest, token: str) -> HttpResponse:
        appointment = booking.by_access_token(token)
        if appointment is None:
            return render(request, "appointments/link_invalid.html", status=404)
        here = lambda name: reverse(f"appointments:{name}", args=[token])  # noqa: E731
        return view(request, appointment, here)

    return wrapped


def _editable(appointment: Appointment) -> bool:
    return (
        appointment.status == Appointment.Status.BOOKED and appointment.starts_at > timezone.now()
    )


@with_token
def manage(request: HttpRequest, appointment: Appointment, here) -> HttpResponse:
    return render(
        request,
        "appointments/manage.html",
        {
            "appointment": appointment,
            "items": appointment.items.select_related("service"),
            "editable": _editable(appointment),
            "urls": {name: here(name) for name in ("cancel", "reschedule", "ics")},
        },
    )


@with_token
def ics(request: HttpRequest, appointment: Appointment, here) -> HttpResponse:
    cancelled = appointment.status == Appointment.Status.CANCELLED
    response = HttpResponse(
        notices.ics(appointment, cancelled=cancelled), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="termin-{appointment.code}.ics"'
    return response


@with_token
def cancel(request: HttpRequest, appointment: Appointment, here) -> HttpResponse:
    if not _editable(appointment):
        messages.error(request, _("Dieser Termin kann nicht mehr abgesagt werden."))
        return redirect(here("manage"))
    if request.method == "POST":
        if booking.cancel(appointment, reason=_("Von Ihnen abgesagt")):
            messages.success(
                request, _("Ihr Termin ist abgesagt. Danke, dass Sie Bescheid gegeben haben.")
            )
        return redirect(here("manage"))
    return render(
        request, "appointments/cancel.html", {"appointment": appointment, "back": here("manage")}
    )


@with_token
def reschedule(request: HttpRequest, appointment: Appointment, here) -> HttpResponse:
    """Another time at the same office: pick it in the week view, confirm it, done."""
    if not _editable(appointment):
        messages.error(request, _("Dieser Termin kann nicht mehr verschoben werden."))
        return redirect(here("manage"))
    items = list(appointment.items.select_related("service"))
    services = [item.service for item in items]
    persons = max(item.persons for item in items)
    source = request.POST if request.method == "POST" else request.GET
    chosen = parse_time(source.get("tag", ""), source.get("zeit", ""))
    context = {
        "appointment": appointment,
        "items": items,
        "back": here("manage"),
        "here": here("reschedule"),
    }
    if chosen is not None:
        day, unit = chosen
        context.update(day=day, unit=unit, new_start=calendar.local_moment(day, unit))
        if request.method == "POST":
            try:
                booking.reschedule(appointment, day, unit)
            except booking.BookingError as error:
                messages.error(request, error.message)
                return redirect(here("reschedule"))
            messages.success(
                request,
                _("Ihr Termin ist verschoben. Die neue Bestätigung ist unterwegs zu Ihnen."),
            )
            return redirect(here("manage"))
        return render(request, "appointments/reschedule_confirm.html", context)
    offer = slots.office_offer(appointment.office, services, persons)
    if offer is None:
        raise Http404
    context.update(
        free_days(
            request,
            offer,
            link=lambda day, unit: (
                f"{here('reschedule')}?tag={day.isoformat()}&zeit={calendar.unit_label(unit)}"
            ),
        ),
        office=appointment.office,
    )
    return render(request, "appointments/reschedule.html", context)


@resident_required
def mine(request: HttpRequest) -> HttpResponse:
    """Signed-in residents: their appointments, upcoming first."""
    now = timezone.now()
    appointments = (
        Appointment.objects.filter(account=request.user)
        .exclude(status=Appointment.Status.EXPIRED)
        .select_related("office")
        .prefetch_related("items__service")
        .order_by("-starts_at")
    )
    upcoming, past = [], []
    for appointment in appointments:
        is_open = appointment.starts_at > now and appointment.status in Appointment.OPEN
        (upcoming if is_open else past).append(appointment)
    for appointment in upcoming + past:
        appointment.link = reverse("appointments:manage", args=[booking.access_token(appointment)])
    return render(
        request,
        "appointments/mine.html",
        {"upcoming": list(reversed(upcoming)), "past": past[:20]},
    )
