"""A resident's own bookings, waiting-list places and lottery entries ("Meine Buchungen"),
the people they book for, and the place offered from the waiting list.

Everything here is looked up together with the signed-in account, so another resident's
booking code or entry id answers 404 like one that does not exist. The claim link of a
waiting-list mail carries a secret token (only its digest is stored); an entry that belongs
to an account is claimed only when signed in to that account.
"""

from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from rathaus.accounts.decorators import on_passkey_host, resident_required, signin_url
from rathaus.core import secrets
from rathaus.core.forms import posted

from ..forms.account import CancelForm, ClaimForm, ParticipantForm, PickForm
from ..forms.booking import age_range
from ..models import Booking, LotteryEntry, Offer, WaitlistEntry
from ..services import booking as bookings
from ..services import participants as people
from ..services import payments
from ..services import waitlist as waiting
from ..services.payments.transfer import Transfer

__all__ = [
    "accept_place",
    "booking",
    "cancel",
    "claim",
    "leave_waitlist",
    "mine",
    "participants",
]

OPEN_ENTRIES = (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED)


def _see_other(url: str) -> HttpResponse:
    response = redirect(url)
    response.status_code = 303
    return response


# --- Meine Buchungen ----------------------------------------------------------------------


@resident_required
@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    """Current bookings first, then the waiting lists and lotteries, then the past."""
    now = timezone.now()
    found = (
        Booking.objects.filter(account=request.user)
        .select_related("offer__venue")
        .prefetch_related("participants")
        .order_by("offer__starts_at", "-created_at")
    )
    current, past = [], []
    for made in found:
        ended = made.offer.ends_at is not None and made.offer.ends_at <= now
        (current if made.is_active and not ended else past).append(made)
    entries = list(
        WaitlistEntry.objects.filter(account=request.user, status__in=OPEN_ENTRIES)
        .select_related("offer")
        .order_by("created_at")
    )
    for entry in entries:
        entry.position = (
            waiting.position(entry) if entry.status == WaitlistEntry.Status.WAITING else None
        )
    lottery = list(
        LotteryEntry.objects.filter(account=request.user)
        .exclude(status=LotteryEntry.Status.WITHDRAWN)
        .select_related("offer", "booking")
        .order_by("-created_at")
    )
    return render(
        request,
        "programs/mine.html",
        {
            "current": current,
            "past": list(reversed(past))[:30],
            "entries": entries,
            "lottery_entries": lottery,
        },
    )


def _own_booking(request: HttpRequest, code: str) -> Booking:
    booking = (
        Booking.objects.filter(account=request.user, code=secrets.normalise_code(code))
        .select_related("offer__provider", "offer__venue")
        .prefetch_related("participants", "offer__sessions")
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def _payment(booking: Booking) -> dict | None:
    """How to pay an open amount: the method's instructions and, for a transfer, the
    GiroCode – SVG that segno generated from our own data, the only markup marked safe."""
    if booking.payment_status != Booking.Payment.OPEN or not booking.total:
        return None
    method = payments.provider(booking.payment_method)
    if method is None:
        return None
    info = {**method.instructions(booking), "template": method.template()}
    if isinstance(method, Transfer):
        info["girocode"] = mark_safe(Transfer().girocode_svg(booking))  # noqa: S308
    return info


def _deadline(offer: Offer):
    if offer.starts_at is None:
        return None
    return offer.starts_at - timedelta(hours=offer.cancel_until_hours)


def _booking_context(booking: Booking) -> dict:
    offer = booking.offer
    return {
        "booking": booking,
        "offer": offer,
        "sessions": list(offer.sessions.all()),
        "people": list(booking.participants.all()),
        "ages": age_range(offer),
        "can_cancel": bookings.can_cancel(booking),
        "cancel_deadline": _deadline(offer),
    }


@resident_required
@never_cache
def booking(request: HttpRequest, code: str) -> HttpResponse:
    made = _own_booking(request, code)
    context = _booking_context(made)
    context["payment"] = _payment(made)
    return render(request, "programs/booking.html", context)


@resident_required
@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm, then cancel within the provider's rules; the places go to the waiting list."""
    made = _own_booking(request, code)
    back = reverse("programs:booking", args=[made.code])
    if not made.is_active:
        messages.info(request, _("Diese Buchung ist schon storniert."))
        return _see_other(back)
    form = CancelForm(posted(request))
    context = {**_booking_context(made), "form": form}
    if not context["can_cancel"]:
        messages.error(
            request,
            _(
                "Die Frist für eine kostenlose Stornierung ist abgelaufen. Bitte wenden Sie sich "
                "an den Anbieter."
            ),
        )
        return _see_other(back)
    if request.method != "POST":
        return render(request, "programs/cancel.html", context)
    if not form.is_valid():
        return render(request, "programs/cancel.html", context, status=400)
    try:
        done = bookings.cancel(made)
    except bookings.BookingError as error:
        messages.error(request, error.message)
        return _see_other(back)
    if done:
        messages.success(
            request,
            _("Ihre Buchung ist storniert. Wir haben Ihnen eine Bestätigung geschickt."),
        )
    else:
        messages.info(request, _("Diese Buchung ist schon storniert."))
    return _see_other(back)


# --- The people I book for ------------------------------------------------------------------


def _safe_next(request: HttpRequest, value: str | None) -> str:
    """A local address to return to (the booking page), or "" for anything else."""
    if not value or len(value) > 2000 or not value.startswith("/") or value.startswith("//"):
        return ""
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return value


def _with_person(url: str, pk: int) -> str:
    """``url`` with the new child ticked on the booking form."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query.append(("people", str(pk)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _mine(user, value: str | None):
    """One of ``user``'s participants by the posted number; 404 for anything else."""
    pick = PickForm({"person": value})
    found = pick.is_valid() and people.owned(user, pick.cleaned_data["person"])
    if not found:
        raise Http404
    return found


def _saved(form: ParticipantForm, write):
    """``write(cleaned_data)`` if the form is valid; a refusal becomes the form's error."""
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except people.ParticipantError as error:
        form.add_error(None, error.message)
        return None


@resident_required
@never_cache
@require_http_methods(["GET", "POST"])
def participants(request: HttpRequest) -> HttpResponse:
    """List, add, correct and remove the people I book for (one address, three actions).

    With ``next`` (the booking page, only if local) a new child is added and the parent goes
    straight back, the child already ticked.
    """
    user = request.user
    back = _safe_next(request, request.GET.get("next"))  # the forms post to ``here``, with it
    here = reverse("programs:participants") + (f"?{urlencode({'next': back})}" if back else "")
    editing = None
    if request.method == "POST" and "person" in request.POST:  # one of mine: correct or remove
        editing = _mine(user, request.POST.get("person"))
        if "entfernen" in request.POST:
            try:
                people.remove(editing)
            except people.ParticipantError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("%(name)s ist entfernt.") % {"name": editing.name})
            return _see_other(here)
        form = ParticipantForm(request.POST, prefix="aendern")
        if _saved(form, lambda data: people.update(editing, **data)):
            messages.success(
                request, _("Die Angaben zu %(name)s sind gespeichert.") % {"name": editing.name}
            )
            return _see_other(back or here)
    elif request.method == "POST":  # a new one
        form = ParticipantForm(request.POST, prefix="neu")
        if added := _saved(form, lambda data: people.add(user, **data)):
            messages.success(request, _("%(name)s ist angelegt.") % {"name": added.name})
            return _see_other(_with_person(back, added.pk) if back else here)
    elif "bearbeiten" in request.GET:
        editing = _mine(user, request.GET["bearbeiten"])
        form = ParticipantForm(
            initial={"name": editing.name, "birth_year": editing.birth_year}, prefix="aendern"
        )
    else:
        form = ParticipantForm(prefix="neu")

    listed = people.for_account(user)
    busy = people.booked_ids(user)
    for person in listed:
        person.busy = person.pk in busy
    return render(
        request,
        "programs/participants.html",
        {"people": listed, "form": form, "editing": editing, "next": back, "here": here},
        status=400 if request.method == "POST" else 200,
    )


# --- Waiting list -------------------------------------------------------------------------------


@resident_required
@require_POST
def leave_waitlist(request: HttpRequest, entry) -> HttpResponse:
    """Leave the list; a place already offered goes to the next person at once."""
    found = get_object_or_404(
        WaitlistEntry.objects.select_related("offer"), public_id=entry, account=request.user
    )
    was_offered = found.status == WaitlistEntry.Status.OFFERED
    if waiting.decline(found):
        messages.success(
            request,
            _("Sie haben den angebotenen Platz abgelehnt. Er geht an die nächste Person.")
            if was_offered
            else _("Sie stehen nicht mehr auf der Warteliste."),
        )
    else:
        messages.info(request, _("Dieser Eintrag auf der Warteliste ist nicht mehr aktiv."))
    return _see_other(reverse("programs:mine"))


@resident_required
@require_POST
def accept_place(request: HttpRequest, entry) -> HttpResponse:
    """Accept a place offered from the waiting list, from "Meine Buchungen" (as the link in
    the mail does)."""
    found = get_object_or_404(
        WaitlistEntry.objects.select_related("offer", "account"),
        public_id=entry,
        account=request.user,
    )
    try:
        made = waiting.claim_own(found, request.user)
    except waiting.WaitlistError as error:
        messages.error(request, error.message)
        return _see_other(reverse("programs:mine") + "#warteliste")
    messages.success(
        request, _("Der Platz gehört Ihnen. Wir haben Ihnen eine Bestätigung geschickt.")
    )
    return _see_other(reverse("programs:booking", args=[made.code]))


def _claim_state(entry: WaitlistEntry, now) -> str:
    if entry.status == WaitlistEntry.Status.OFFERED:
        return "offered" if entry.offered_until and entry.offered_until > now else "expired"
    return {
        WaitlistEntry.Status.CLAIMED: "claimed",
        WaitlistEntry.Status.WITHDRAWN: "declined",
        WaitlistEntry.Status.CLOSED: "closed",
    }.get(entry.status, "expired")


def _claim_page(
    request: HttpRequest,
    entry: WaitlistEntry | None,
    state: str,
    *,
    form: ClaimForm | None = None,
    booking: Booking | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"state": state, "entry": entry, "form": form or ClaimForm(), "booking": booking}
    if entry is not None:
        offer = entry.offer
        context.update(
            offer=offer,
            sessions=list(offer.sessions.all()),
            ages=age_range(offer),
            cancel_deadline=_deadline(offer),
            total=sum(
                price
                for price, _r in bookings.prices(offer, entry.places, duesselpass=entry.duesselpass)
            ),
            method=payments.provider(payments.default_method(offer)),
        )
    return render(request, "programs/claim.html", context, status=status)


@on_passkey_host
@never_cache
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, entry, token: str) -> HttpResponse:
    """The place a waiting-list mail offers: accept it (a booking) or let it pass on.

    Unknown entry or wrong token: 404. Deadline passed, declined or closed: 410.
    """
    found = (
        WaitlistEntry.objects.filter(public_id=entry)
        .select_related("offer__provider", "offer__venue", "account")
        .first()
    )
    if found is None or not waiting.token_matches(found, token):
        return _claim_page(request, None, "invalid", status=404)
    if found.account_id is not None:
        if not request.user.is_authenticated:
            return redirect(signin_url(request.get_full_path()))
        if request.user.pk != found.account_id:
            return _claim_page(request, None, "invalid", status=404)
    now = timezone.now()
    state = _claim_state(found, now)
    if state == "claimed" and found.booking_id and found.account_id:
        return _see_other(reverse("programs:booking", args=[found.booking.code]))
    if state != "offered":
        return _claim_page(request, found, state, status=410)
    form = ClaimForm(posted(request))
    if request.method != "POST":
        return _claim_page(request, found, state, form=form)
    if not form.is_valid():
        return _claim_page(request, found, state, form=form, status=400)
    if form.cleaned_data["entscheidung"] == ClaimForm.DECLINE:
        waiting.decline(found)
        return _claim_page(request, found, "declined_now")
    try:
        made = waiting.claim(found, token)
    except waiting.WaitlistError as error:
        found.refresh_from_db()
        state = _claim_state(found, timezone.now())
        if state != "offered":
            return _claim_page(request, found, state, status=410)
        form.add_error(None, error.message)
        return _claim_page(request, found, state, form=form, status=409)
    if found.account_id is None:  # waiting by phone or at the counter: no account to show it
        return _claim_page(request, found, "claimed_now", booking=made)
    messages.success(
        request, _("Der Platz gehört Ihnen. Wir haben Ihnen eine Bestätigung geschickt.")
    )
    return _see_other(reverse("programs:booking", args=[made.code]))
