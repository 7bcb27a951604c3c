"""Residents book: find the earliest times, pick one at an office, say who comes, confirm.

What to book (services, persons) and when (``tag``, ``zeit``) travel in the address, so
every step can be bookmarked, shared or opened again, and nothing typed is lost when a
time was taken in the meantime.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rathaus.core import ratelimit
from rathaus.core.forms import posted
from rathaus.offices.models import Office

from ..forms import ChoiceForm, ContactForm, SearchForm, parse_time
from ..models import Appointment, BookingRules
from ..services import booking, calendar, challenge, days, slots
from .common import choice_query, free_days, offered_offices, time_query


def search(request: HttpRequest) -> HttpResponse:
    """Step 1: what, for how many, where; then the earliest free times across offices."""
    form = SearchForm(request.GET if "leistung" in request.GET else None)
    results = []
    if form.is_bound and form.is_valid():
        if not ratelimit.hit(
            "appointments.search",
            ratelimit.client_ip(request),
            limit=settings.APPOINTMENT_SEARCHES_PER_IP_MINUTE,
            window=60,
        ):
            return render(request, "appointments/slow_down.html", status=429)
        services = list(form.cleaned_data["leistung"])
        persons = form.cleaned_data["personen"]
        district = form.cleaned_data["bezirk"]
        found = slots.earliest(services, persons, district_id=district.pk if district else None)
        offices = Office.objects.select_related("district").in_bulk([t.office_id for t in found])
        query = choice_query(services, persons)
        results = [
            {
                "office": offices[t.office_id],
                "starts_at": t.starts_at,
                "book_url": reverse("appointments:book", args=[offices[t.office_id].slug])
                + "?"
                + time_query(query, t.day, t.unit),
                "calendar_url": reverse("appointments:office", args=[offices[t.office_id].slug])
                + "?"
                + urlencode(query),
            }
            for t in found
        ]
    return render(
        request,
        "appointments/search.html",
        {
            "form": form,
            "results": results,
            "searched": form.is_bound and form.is_valid(),
            "nav": "termine",
        },
    )


def office_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 2: the free times of one office, a week at a time."""
    office = get_object_or_404(Office, slug=slug)
    form = ChoiceForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie zuerst Ihr Anliegen."))
        return redirect(f"{reverse('appointments:search')}?{urlencode(request.GET, doseq=True)}")
    services, persons = list(form.cleaned_data["leistung"]), form.cleaned_data["personen"]
    offer = slots.office_offer(office, services, persons)
    query = choice_query(services, persons)
    context = {
        "office": office,
        "services": services,
        "persons": persons,
        "query": urlencode(query),
        "offer": offer,
        "nav": "termine",
    }
    if offer is not None:
        context.update(
            free_days(
                request,
                offer,
                link=lambda day, unit: (
                    reverse("appointments:book", args=[office.slug])
                    + "?"
                    + time_query(query, day, unit)
                ),
            ),
            other_offices=offered_offices(services, persons, exclude=office),
        )
    return render(request, "appointments/office.html", context)


def _alternatives(office: Office, services, persons: int, query) -> dict:
    """What to offer when a time was taken: the next ones here, the earliest elsewhere."""
    offer = slots.office_offer(office, services, persons)
    here = []
    if offer is not None:
        today = timezone.localdate()
        for day, units in slots.office_calendar(offer, today, today + timedelta(days=14)).items():
            here.extend((day, unit) for unit in units)
    elsewhere = [t for t in slots.earliest(services, persons, limit=4) if t.office_id != office.pk]
    names = Office.objects.in_bulk([t.office_id for t in elsewhere])
    return {
        "alternatives": [
            {
                "value": f"{day.isoformat()}T{calendar.unit_label(unit)}",
                "starts_at": calendar.local_moment(day, unit),
            }
            for day, unit in here[:6]
        ],
        "elsewhere": [
            {
                "office": names[t.office_id],
                "starts_at": t.starts_at,
                "url": reverse("appointments:book", args=[names[t.office_id].slug])
                + "?"
                + time_query(query, t.day, t.unit),
            }
            for t in elsewhere[:3]
        ],
    }


def _passkey_user(request: HttpRequest):
    """A resident signed in with a passkey (and so a confirmed address) books without the
    e-mail round trip."""
    user = request.user
    if user.is_authenticated and not user.is_staff and user.email_confirmed_at:
        return user if user.passkeys.exists() else None
    return None


def _admission(request: HttpRequest, email: str) -> tuple[str, int] | None:
    """The proof of work (a stale one is refused; none at all means the stricter limit) and
    the limits per IP address and per e-mail address; ``(message, status)`` when refused."""
    sent = request.POST.get("altcha", "")
    solved = challenge.verify(sent)
    if sent and not solved:
        message = _(
            "Die Sicherheitsprüfung ist abgelaufen. Bitte senden Sie das Formular noch einmal."
        )
        return message, 400
    if solved:
        scope, per_hour = "appointments.book", settings.APPOINTMENT_BOOKINGS_PER_IP_HOUR
    else:
        scope, per_hour = (
            "appointments.book-no-pow",
            settings.APPOINTMENT_BOOKINGS_NO_POW_PER_IP_HOUR,
        )
    if not ratelimit.hit(
        scope, ratelimit.client_ip(request), limit=per_hour, window=3600
    ) or not ratelimit.hit(
        "appointments.contact",
        booking.contact_key(email, ""),
        limit=settings.APPOINTMENT_BOOKINGS_PER_CONTACT_DAY,
        window=86400,
    ):
        message = _(
            "Zu viele Buchungen in kurzer Zeit. Bitte versuchen Sie es später noch "
            "einmal oder rufen Sie uns an."
        )
        return message, 429
    return None


@never_cache
def book(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 3: who comes. The time is held only after the proof of work and, without a
    passkey sign-in, confirmed from the e-mail within ten minutes."""
    office = get_object_or_404(Office, slug=slug)
    choice = ChoiceForm(request.GET)
    # The time is in the address; "neu" is an alternative picked after a time was taken.
    chosen = (
        request.POST.get("neu") or f"{request.GET.get('tag', '')}T{request.GET.get('zeit', '')}"
    )
    moment = parse_time(*chosen.partition("T")[::2])
    if not choice.is_valid() or moment is None:
        messages.error(request, _("Bitte wählen Sie einen Termin aus dem Kalender."))
        return redirect(f"{reverse('appointments:search')}?{urlencode(request.GET, doseq=True)}")
    services, persons = list(choice.cleaned_data["leistung"]), choice.cleaned_data["personen"]
    day, unit = moment
    query = choice_query(services, persons)
    account = request.user if request.user.is_authenticated and not request.user.is_staff else None
    passkey_user = _passkey_user(request)
    initial = {"email": account.email} if account else {}
    form = ContactForm(posted(request), initial=initial)
    context = {
        "office": office,
        "services": services,
        "persons": persons,
        "day": day,
        "unit": unit,
        "starts_at": calendar.local_moment(day, unit),
        "form": form,
        "trusted": passkey_user,
        "query": urlencode(query),
        "calendar_url": reverse("appointments:office", args=[office.slug]) + "?" + urlencode(query),
    }
    if request.method != "POST" or not form.is_valid():
        return render(request, "appointments/book.html", context)

    email = form.cleaned_data["email"]
    if refusal := _admission(request, email):
        message, status = refusal
        form.add_error(None, message)
        return render(request, "appointments/book.html", context, status=status)
    # Only the account's own (confirmed) address skips the confirmation e-mail.
    own = passkey_user is not None and email.lower() == passkey_user.email.lower()
    trusted = passkey_user if own else None
    request_ = booking.Request(
        office=office,
        services=services,
        persons=persons,
        day=day,
        unit=unit,
        name=form.cleaned_data["name"],
        email=email,
        phone=form.cleaned_data["phone"],
        account=account,
    )
    try:
        appointment, _token = booking.reserve(request_, confirmed=trusted is not None)
    except booking.SlotTaken as taken:
        form.add_error(None, taken.message)
        context.update(_alternatives(office, services, persons, query), taken=True)
        return render(request, "appointments/book.html", context, status=409)
    except booking.BookingError as error:
        form.add_error(None, error.message)
        return render(request, "appointments/book.html", context, status=409)
    if trusted is not None:
        return redirect("appointments:manage", booking.access_token(appointment))
    request.session["appointments.held"] = str(appointment.public_id)
    return redirect("appointments:held")


@never_cache
def held(request: HttpRequest) -> HttpResponse:
    """After booking: please confirm from your e-mail."""
    public_id = request.session.get("appointments.held")
    appointment = (
        Appointment.objects.filter(public_id=public_id).select_related("office").first()
        if public_id
        else None
    )
    if appointment is None:
        return redirect("appointments:search")
    return render(request, "appointments/held.html", {"appointment": appointment})


@never_cache
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail: a page with one button (mail scanners only GET)."""
    appointment = booking.by_confirm_token(token)
    if appointment is None:
        return render(request, "appointments/link_invalid.html", status=404)
    if request.method == "POST":
        try:
            booking.confirm(appointment)
        except booking.SlotTaken as taken:
            items = list(appointment.items.select_related("service"))
            query = choice_query([i.service for i in items], max(i.persons for i in items))
            return render(
                request,
                "appointments/confirm.html",
                {
                    "appointment": appointment,
                    "error": taken.message,
                    "search_url": reverse("appointments:search") + "?" + urlencode(query),
                },
                status=409,
            )
        except booking.BookingError as error:
            return render(
                request,
                "appointments/confirm.html",
                {"appointment": appointment, "error": error.message},
                status=409,
            )
        messages.success(
            request, _("Ihr Termin ist gebucht. Die Bestätigung ist unterwegs zu Ihnen.")
        )
        return redirect("appointments:manage", booking.access_token(appointment))
    return render(request, "appointments/confirm.html", {"appointment": appointment})


@require_GET
@never_cache
def challenge_json(request: HttpRequest) -> JsonResponse:
    """A fresh proof-of-work challenge for the booking form (fetched by its script)."""
    # A challenge per page view: a few times the bookings a person may make.
    limit = 3 * settings.APPOINTMENT_BOOKINGS_PER_IP_HOUR
    if not ratelimit.hit(
        "appointments.challenge", ratelimit.client_ip(request), limit=limit, window=3600
    ):
        return JsonResponse({"detail": "Too many requests."}, status=429)
    return JsonResponse(challenge.issue())


def policy(request: HttpRequest) -> HttpResponse:
    """How appointments are given out, in public: release, limits, waiting period, checks."""
    rules = BookingRules()
    offices = BookingRules.objects.select_related("office").order_by("office__name")
    return render(
        request,
        "appointments/policy.html",
        {
            "rules": rules,
            "offices": offices,
            "hold_minutes": settings.APPOINTMENT_HOLD_MINUTES,
            "max_open": settings.APPOINTMENT_MAX_OPEN,
            "per_contact": settings.APPOINTMENT_BOOKINGS_PER_CONTACT_DAY,
            "retention_days": settings.APPOINTMENT_RETENTION_DAYS,
            "last_day": days.last_bookable_day(rules, timezone.now()),
            "nav": "termine",
        },
    )
