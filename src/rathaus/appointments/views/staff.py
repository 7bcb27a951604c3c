"""Staff at a Bürgerbüro: the day per counter, booking for callers and walk-ins, arrivals,
blocked times, closing a day, and calling the next person to a counter.

Every view is for one office, and only for staff of that office (``appointments.manage``).
"""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.accounts import policy
from rathaus.core.channels import Channel
from rathaus.core.forms import posted
from rathaus.offices.models import Office

from ..forms import (
    BlockForm,
    ChoiceForm,
    CloseDayForm,
    ContactForm,
    WalkInForm,
    parse_day,
    parse_time,
)
from ..models import Appointment, Block, Counter, QueueTicket
from ..services import booking, calendar, office_day, queue, slots
from .common import choice_query, free_days, time_query

ACTION = "appointments.manage"
COUNTER_KEY = "appointments.counter"


def office_staff(action: str = ACTION) -> Callable:
    """Staff of the office in the address with the role for ``action``; others get 403."""

    def decorator(view: Callable) -> Callable:
        @policy.staff_required(action)
        @wraps(view)
        def wrapped(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            office = get_object_or_404(Office, slug=slug)
            policy.require(request.user, action, office)
            return view(request, office, *args, **kwargs)

        return wrapped

    return decorator


@policy.staff_required(ACTION)
def offices(request: HttpRequest) -> HttpResponse:
    mine = Office.objects.filter(
        pk__in=policy.offices_for(request.user, ACTION), counters__isnull=False
    ).distinct()
    if len(mine) == 1:
        return redirect("appointments:staff_day", mine[0].slug)
    return render(request, "appointments/staff/offices.html", {"offices": mine})


@office_staff()
def day(request: HttpRequest, office: Office) -> HttpResponse:
    today = timezone.localdate()
    shown = parse_day(request.GET.get("tag"), today)
    lanes = office_day.day_view(office, shown, viewer=request.user)
    hours = calendar.load_hours([office.pk], shown, shown)[office.pk]
    return render(
        request,
        "appointments/staff/day.html",
        {
            "office": office,
            "day": shown,
            "today": today,
            "previous": shown - timedelta(days=1),
            "next": shown + timedelta(days=1),
            "lanes": lanes,
            "closed": hours.closure_reason(shown),
            "section": "day",
            "count": sum(len(lane.appointments) for lane in lanes),
        },
    )


def _appointment(office: Office, code: str) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related("office", "counter"), office=office, code=code
    )


@office_staff()
@require_POST
def appointment_action(
    request: HttpRequest, office: Office, code: str, action: str
) -> HttpResponse:
    """Arrived (gives a waiting number), done, no-show, or cancel (time free again at once)."""
    appointment = _appointment(office, code)
    back = (
        f"{reverse('appointments:staff_day', args=[office.slug])}?tag={appointment.day.isoformat()}"
    )
    if action == "angekommen":
        ticket = queue.arrive(appointment, by=request.user)
        messages.success(
            request,
            _("%(name)s ist angekommen: Wartenummer %(ticket)s.")
            % {"name": appointment.name, "ticket": ticket.label},
        )
    elif action in ("erledigt", "nicht-erschienen"):
        queue.finish_appointment(appointment, came=action == "erledigt", by=request.user)
        messages.success(
            request, _("Termin %(code)s ist abgeschlossen.") % {"code": appointment.code}
        )
    elif action == "absagen":
        if booking.cancel(
            appointment,
            by=request.user,
            reason=_("Von der Verwaltung abgesagt"),
            immediately=True,
            offer_rebooking=True,
        ):
            messages.success(
                request,
                _(
                    "Termin %(code)s ist abgesagt; die Person wird per E-Mail informiert, "
                    "falls eine Adresse vorliegt."
                )
                % {"code": appointment.code},
            )
    else:
        raise Http404
    return redirect(back)


@office_staff()
def book_for(request: HttpRequest, office: Office) -> HttpResponse:
    """Book for a caller or a person at the counter: what, when (a week), who."""
    choice = ChoiceForm(request.GET if "leistung" in request.GET else None)
    choice.fields["leistung"].queryset = choice.fields["leistung"].queryset.filter(
        bookable_at__office=office, bookable_at__is_active=True
    )
    context = {"office": office, "choice": choice, "section": "book"}
    if not choice.is_bound or not choice.is_valid():
        return render(request, "appointments/staff/book.html", context)
    services, persons = list(choice.cleaned_data["leistung"]), choice.cleaned_data["personen"]
    query = choice_query(services, persons)
    offer = slots.office_offer(office, services, persons)
    chosen = parse_time(request.GET.get("tag", ""), request.GET.get("zeit", ""))
    context.update(services=services, persons=persons, query=urlencode(query), offer=offer)
    if offer is None:
        return render(request, "appointments/staff/book.html", context)
    if chosen is None:
        context.update(
            free_days(
                request,
                offer,
                staff=True,
                link=lambda d, u: f"{request.path}?{time_query(query, d, u)}",
            )
        )
        return render(request, "appointments/staff/book.html", context)
    day_, unit = chosen
    form = ContactForm(posted(request), email_required=False)
    context.update(form=form, day=day_, unit=unit, starts_at=calendar.local_moment(day_, unit))
    if request.method == "POST" and form.is_valid():
        channel = Channel.PHONE if request.POST.get("channel") == "phone" else Channel.COUNTER
        try:
            appointment, _token = booking.reserve(
                booking.Request(
                    office=office,
                    services=services,
                    persons=persons,
                    day=day_,
                    unit=unit,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    phone=form.cleaned_data["phone"],
                    channel=channel,
                    booked_by=request.user,
                ),
                confirmed=True,
            )
        except booking.BookingError as error:
            form.add_error(None, error.message)
            return render(request, "appointments/staff/book.html", context, status=409)
        messages.success(
            request,
            _("Gebucht: %(when)s, Buchungscode %(code)s.")
            % {
                "when": timezone.localtime(appointment.starts_at).strftime("%d.%m.%Y, %H:%M"),
                "code": appointment.code,
            },
        )
        return redirect(
            f"{reverse('appointments:staff_day', args=[office.slug])}?tag={day_.isoformat()}"
        )
    return render(request, "appointments/staff/book.html", context)


@office_staff()
def walk_in(request: HttpRequest, office: Office) -> HttpResponse:
    form = WalkInForm(posted(request))
    if request.method == "POST" and form.is_valid():
        ticket = queue.walk_in(office, note=form.cleaned_data["note"], by=request.user)
        messages.success(request, _("Wartenummer %(ticket)s vergeben.") % {"ticket": ticket.label})
        return redirect("appointments:staff_calls", office.slug)
    return render(
        request,
        "appointments/staff/walk_in.html",
        {"office": office, "form": form, "section": "walk_in"},
    )


@office_staff()
def blocks(request: HttpRequest, office: Office) -> HttpResponse:
    form = BlockForm(posted(request), office=office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            office_day.add_block(
                office,
                list(data["counters"]),
                data["day"],
                data["start"],
                data["end"],
                reason=data["reason"],
                by=request.user,
            )
        except booking.BookingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Die Zeit ist gesperrt."))
            return redirect("appointments:staff_blocks", office.slug)
    upcoming = (
        Block.objects.filter(
            counter__office=office, kind=Block.Kind.STAFF, day__gte=timezone.localdate()
        )
        .select_related("counter")
        .order_by("day", "start_unit", "counter__number")
    )
    return render(
        request,
        "appointments/staff/blocks.html",
        {"office": office, "form": form, "blocks": upcoming, "section": "blocks"},
    )


@office_staff()
@require_POST
def unblock(request: HttpRequest, office: Office, block_id: int) -> HttpResponse:
    block = get_object_or_404(Block, pk=block_id, counter__office=office, kind=Block.Kind.STAFF)
    office_day.remove_block(block, by=request.user)
    messages.success(request, _("Die Sperre ist aufgehoben."))
    return redirect("appointments:staff_blocks", office.slug)


@office_staff("appointments.close_day")
def close(request: HttpRequest, office: Office) -> HttpResponse:
    """Close the office for a day: a confirmation step with the number of people affected."""
    form = CloseDayForm(posted(request), today=timezone.localdate())
    context = {"office": office, "form": form, "section": "close"}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        affected = Appointment.objects.filter(
            office=office, day=data["day"], status__in=Appointment.OPEN
        )
        if request.POST.get("bestaetigt") != "ja":
            context.update(confirm=True, affected=affected.count(), day=data["day"])
            return render(request, "appointments/staff/close.html", context)
        cancelled = office_day.close_day(
            office, data["day"], reason=data["reason"], by=request.user
        )
        context.update(
            done=True,
            cancelled=cancelled,
            day=data["day"],
            to_call=[a for a in cancelled if not a.email],
        )
        return render(request, "appointments/staff/close.html", context)
    return render(request, "appointments/staff/close.html", context)


def _check_in(request: HttpRequest, office: Office, code: str) -> None:
    """Someone arrives and names (or shows) the booking code: mark them here, give a number."""
    code = "".join(ch for ch in code.upper() if ch.isalnum())[:8]
    appointment = Appointment.objects.filter(
        office=office, code=code, day=timezone.localdate(), status=Appointment.Status.BOOKED
    ).first()
    if appointment is None:
        messages.error(
            request,
            _("Für heute gibt es hier keinen gebuchten Termin mit dem Buchungscode „%(code)s“.")
            % {"code": code},
        )
        return
    ticket = queue.arrive(appointment, by=request.user)
    messages.success(
        request,
        _("%(name)s ist angekommen: Wartenummer %(ticket)s.")
        % {"name": appointment.name, "ticket": ticket.label},
    )


@office_staff()
def calls(request: HttpRequest, office: Office) -> HttpResponse:
    """The call-up desk: pick your counter, call the next person, finish."""
    counters = list(Counter.objects.filter(office=office, is_active=True))
    chosen = request.session.get(COUNTER_KEY, {}).get(str(office.pk))
    counter = next((c for c in counters if c.pk == chosen), None)
    if request.method == "POST":
        what = request.POST.get("aktion")
        if what == "schalter":
            picked = next((c for c in counters if str(c.pk) == request.POST.get("schalter")), None)
            if picked is None:
                messages.error(request, _("Bitte wählen Sie Ihren Schalter."))
            else:
                request.session[COUNTER_KEY] = {
                    **request.session.get(COUNTER_KEY, {}),
                    str(office.pk): picked.pk,
                }
        elif what == "ankunft":
            _check_in(request, office, request.POST.get("code", ""))
        elif counter is None:
            messages.error(request, _("Bitte wählen Sie zuerst Ihren Schalter."))
        elif what == "naechste":
            ticket = queue.call_next(office, counter, by=request.user)
            if ticket is None:
                messages.info(request, _("Niemand wartet."))
            else:
                messages.success(
                    request,
                    _("%(ticket)s wurde zu %(counter)s gerufen.")
                    % {"ticket": ticket.label, "counter": counter},
                )
        elif what in ("erneut", "erledigt", "weg"):
            ticket = get_object_or_404(
                QueueTicket,
                pk=request.POST.get("nummer"),
                office=office,
                status=QueueTicket.Status.CALLED,
            )
            if what == "erneut":
                queue.recall(ticket, by=request.user)
            else:
                queue.finish(ticket, came=what == "erledigt", by=request.user)
        return redirect("appointments:staff_calls", office.slug)
    current = queue.current(office, counter) if counter else None
    return render(
        request,
        "appointments/staff/calls.html",
        {
            "office": office,
            "counters": counters,
            "counter": counter,
            "current": current,
            "waiting": queue.waiting(office),
            "section": "calls",
        },
    )
