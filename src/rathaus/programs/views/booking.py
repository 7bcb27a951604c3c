"""Booking an offer and joining its waiting list (signed-in residents).

The booking POST is the endpoint of the rush (``bench/programs_rush.py``): it answers every
attempt at once with a place (303 to the booking), "ausgebucht" (303 to the offer, which
offers the waiting list) or the form with its errors (400, or 409 when the offer's rules
refuse), and never holds a lock longer than one statement and the commit. It reads the
offer and the account's participants, and writes nothing but the booking: no session, no
message; everything the page explains (prices, rules) is computed only when a page is shown.
"""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rathaus.accounts.decorators import resident_required
from rathaus.core.forms import posted

from ..forms.booking import KEPT, SELF, BookingForm, age_range
from ..models import Offer
from ..services import booking, participants
from ..services import waitlist as waiting

__all__ = ["book", "waitlist"]

ADD_CHILD = "kind_hinzufuegen"


def _offer(request: HttpRequest, slug: str, offer: Offer | None = None) -> Offer:
    """The offer ``slug`` if this person may see it (``offer``: already read)."""
    if offer is None:
        offer = get_object_or_404(Offer.objects.select_related("provider", "venue"), slug=slug)
    if not booking.visible_to(offer, request.user):
        raise Http404
    return offer


def _request(request: HttpRequest, offer: Offer, form: BookingForm) -> booking.Request:
    user = request.user
    people = []
    for key in form.cleaned_data["people"]:
        if key == SELF:
            me = form.me
            year = (me and me.birth_year) or form.cleaned_data.get("birth_year")
            name = me.name if me else participants.self_name(user)
            people.append(booking.Person(name, year, me, account_holder=True))
        else:
            people.append(booking.Person.of(form.participants[key]))
    return booking.Request(
        offer=offer,
        people=people,
        contact_name=user.full_name or user.email,
        email=user.email,
        account=user,
        duesselpass=form.cleaned_data.get("duesselpass", False),
        payment_method=form.cleaned_data.get("payment_method", ""),
    )


def _remember(made: booking.Request, form: BookingForm) -> None:
    """A birth year given for myself is kept for the next booking (after success only)."""
    year = form.cleaned_data.get("birth_year")
    for person in made.people if year else []:
        me = person.participant
        if me is not None and me.is_self and me.birth_year is None:
            participants.remember_birth_year(me, year)


def _form(request: HttpRequest, offer: Offer) -> BookingForm:
    data = posted(request)
    return BookingForm(
        data,
        initial=None if data is not None else BookingForm.initial_from(request.GET),
        offer=offer,
        participants=participants.for_account(request.user),
    )


def _price_rows(offer: Offer, form: BookingForm) -> list[dict]:
    """What 1, 2, … people pay together, with and without DüsselPass (sibling discount in)."""
    if offer.price == 0:
        return []
    count = max(1, min(offer.max_places_per_booking, len(form.fields["people"].choices)))
    reduced = "duesselpass" in form.fields
    return [
        {
            "people": n,
            "total": sum(p for p, _r in booking.prices(offer, n, duesselpass=False)),
            "reduced": sum(p for p, _r in booking.prices(offer, n, duesselpass=True))
            if reduced
            else None,
        }
        for n in range(1, count + 1)
    ]


def _chosen(offer: Offer, form: BookingForm) -> dict | None:
    """The total of what is ticked right now (after an error, or back from adding a child)."""
    if offer.price == 0:
        return None
    valid = {key for key, _label in form.fields["people"].choices}
    count = len([key for key in form["people"].value() or [] if key in valid])
    if not count:
        return None
    duesselpass = "duesselpass" in form.fields and bool(form["duesselpass"].value())
    charged = booking.prices(offer, count, duesselpass=duesselpass)
    return {"people": count, "total": sum(price for price, _r in charged)}


def _page(
    request: HttpRequest, offer: Offer, form: BookingForm, *, status: int = 200, wait: bool = False
) -> HttpResponse:
    """The booking (or waiting-list) page with everything a parent wants to know first.

    Before the booking opens the form is there already (to prepare, and for its CSRF
    token); an offer that cannot be booked at all says why and shows no form.
    """
    now = timezone.now()
    lottery = offer.allocation == Offer.Allocation.LOTTERY and not offer.lottery_drawn_at
    opens_later = bool(offer.booking_opens_at and now < offer.booking_opens_at)
    closed = ""
    if lottery:
        closed = _("Die Plätze werden verlost. Bitte melden Sie sich zur Verlosung an.")
    else:
        try:
            booking.check(
                booking.Request(offer=offer, people=[], contact_name="", account=request.user),
                now,
            )
        except booking.Closed as error:
            if not (opens_later and offer.status == Offer.Status.PUBLISHED):
                closed = error.message
        except booking.BookingError:
            pass  # "choose somebody": the offer itself is open
    full = offer.free == 0
    deadline = (
        offer.starts_at - timedelta(hours=offer.cancel_until_hours) if offer.starts_at else None
    )
    context = {
        "offer": offer,
        "form": form,
        "waitlist": wait or (full and offer.waitlist_enabled),
        "full": full,
        "closed": closed,
        "opens_later": opens_later,
        "lottery": lottery,
        "ages": age_range(offer),
        "price_rows": _price_rows(offer, form),
        "chosen": _chosen(offer, form),
        "cancel_deadline": deadline,
        "sessions": list(offer.sessions.all()),
        "add_child": ADD_CHILD,
    }
    return render(request, "programs/book.html", context, status=status)


def _add_child(request: HttpRequest) -> HttpResponse:
    """Off to "my participants" and back to this page with the choices made so far."""
    kept = [(k, v[:20]) for k in KEPT for v in request.POST.getlist(k)[:20]]
    back = request.path + (f"?{urlencode(kept)}" if kept else "")
    return _see_other(f"{reverse('programs:participants')}?{urlencode({'next': back})}")


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, slug: str) -> HttpResponse:
    """An attempt on a sold-out offer is answered before the session and the account are
    read: from this process's memory in the rush, else from one read of the offer, which
    a successful attempt then uses."""
    if request.method != "POST" or ADD_CHILD in request.POST:
        return _book(request, slug)
    if booking.remembered_sold_out(slug):
        return _sold_out(slug)
    offer = get_object_or_404(Offer, slug=slug)
    if booking.sold_out(offer):
        return _sold_out(slug)
    return _book(request, slug, offer)


def _sold_out(slug: str) -> HttpResponse:
    return _see_other(reverse("programs:offer", args=[slug]) + "?ausgebucht=1#warteliste")


@resident_required
def _book(request: HttpRequest, slug: str, offer: Offer | None = None) -> HttpResponse:
    offer = _offer(request, slug, offer)
    if request.method == "POST" and ADD_CHILD in request.POST:
        return _add_child(request)
    form = _form(request, offer)
    if request.method != "POST":
        return _page(request, offer, form)
    if not form.is_valid():
        return _page(request, offer, form, status=400)
    wanted = _request(request, offer, form)
    try:
        made = booking.book(wanted)
    except booking.Full:
        return _sold_out(offer.slug)
    except booking.BookingError as error:
        form.add_error(None, error.message)
        return _page(request, offer, form, status=409)
    _remember(wanted, form)
    return _see_other(reverse("programs:booking", args=[made.code]))


def _see_other(url: str) -> HttpResponse:
    response = redirect(url)
    response.status_code = 303
    return response


@resident_required
@require_http_methods(["GET", "POST"])
def waitlist(request: HttpRequest, slug: str) -> HttpResponse:
    offer = _offer(request, slug)
    if request.method == "POST" and ADD_CHILD in request.POST:
        return _add_child(request)
    form = _form(request, offer)
    if request.method != "POST":
        return _page(request, offer, form, wait=True)
    if not form.is_valid():
        return _page(request, offer, form, status=400, wait=True)
    wanted = _request(request, offer, form)
    try:
        waiting.join(wanted)
    except (booking.BookingError, waiting.WaitlistError) as error:
        form.add_error(None, error.message)
        return _page(request, offer, form, status=409, wait=True)
    _remember(wanted, form)
    messages.success(
        request, _("Sie stehen auf der Warteliste. Wird ein Platz frei, schreiben wir Ihnen.")
    )
    return _see_other(reverse("programs:mine"))
