"""The lottery of an offer: its public page (why, how, commitment, result, how to check),
the published list as JSON, entering and withdrawing, and the draw by the provider's staff.
"""

import inspect
from functools import cache

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from rathaus.accounts import policy
from rathaus.accounts.decorators import resident_required
from rathaus.core.forms import posted

from .. import draw as drawing
from ..forms.booking import SELF
from ..forms.lottery import LotteryForm, WithdrawForm
from ..models import LotteryEntry, Offer
from ..services import booking, lottery, participants, payments

__all__ = ["draw", "enter", "published", "published_json"]

GROUP_LABELS = {
    "duesselpass": gettext_lazy("Inhaber*innen eines DüsselPasses"),
    "district": gettext_lazy("Menschen, die im Stadtbezirk des Angebots wohnen"),
    "new": gettext_lazy(
        "Wer in dieser Saison noch keinen Platz in einem Angebot dieser Kategorie hat"
    ),
}
GROUP_SHORT = {
    "duesselpass": gettext_lazy("DüsselPass"),
    "district": gettext_lazy("Stadtbezirk"),
    "new": gettext_lazy("Neu in dieser Saison"),
}


def _offer(request: HttpRequest, slug: str) -> Offer:
    offer = get_object_or_404(
        Offer.objects.select_related("provider", "venue", "district"), slug=slug
    )
    if offer.allocation != Offer.Allocation.LOTTERY or not booking.visible_to(offer, request.user):
        raise Http404
    return offer


def _manages(user, offer: Offer) -> bool:
    return offer.provider_id in policy.scope_ids(user, "programs.manage", "provider")


def _see_other(url: str) -> HttpResponse:
    response = redirect(url)
    response.status_code = 303
    return response


@cache
def _source() -> str:
    return inspect.getsource(drawing)


def _rows(document: dict, mine: LotteryEntry | None) -> list[dict]:
    """The result with each entry's priority groups, for the table."""
    flags = {row["pseudonym"]: row for row in document.get("entries", [])}
    rows = []
    for row in document.get("result", []):
        entry = flags.get(row["pseudonym"], {})
        rows.append(
            {
                **row,
                "groups": [GROUP_SHORT[g] for g in document["priorities"] if entry.get(g)],
                "mine": mine is not None and mine.pseudonym == row["pseudonym"],
            }
        )
    return rows


def _page(request: HttpRequest, offer: Offer, *, error: str = "", status: int = 200):
    now = timezone.now()
    document = lottery.input_list(offer)
    mine = lottery.entry_for(offer, request.user)
    current = lottery.state(offer, now)
    filename = f"verlosung-{offer.slug}.json"
    context = {
        "offer": offer,
        "state": current,
        "document": document,
        "groups": [GROUP_LABELS[g] for g in document["priorities"]],
        "season_days": lottery.SEASON.days,
        "entered": LotteryEntry.objects.filter(offer=offer)
        .exclude(status=LotteryEntry.Status.WITHDRAWN)
        .count(),
        "rows": _rows(document, mine),
        "in_log": lottery.in_ledger(offer) if offer.lottery_drawn_at else None,
        "mine": mine,
        "can_draw": current == "closed" and _manages(request.user, offer),
        "filename": filename,
        "source": _source(),
        "error": error,
    }
    return render(request, "programs/lottery.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def published(request: HttpRequest, slug: str) -> HttpResponse:
    """Why a lottery, how it draws, the commitment before and the result after."""
    return _page(request, _offer(request, slug))


@require_http_methods(["GET", "HEAD"])
def published_json(request: HttpRequest, slug: str) -> HttpResponse:
    """The input of ``draw.py``: after the draw with seed, entries and result."""
    offer = _offer(request, slug)
    return HttpResponse(lottery.published_bytes(offer), content_type="application/json")


def _request(request: HttpRequest, offer: Offer, form: LotteryForm) -> booking.Request:
    user = request.user
    people = [
        booking.Person.of(
            participants.self_participant(user) if key == SELF else form.participants[key]
        )
        for key in form.cleaned_data["people"]
    ]
    return booking.Request(
        offer=offer,
        people=people,
        contact_name=user.full_name or user.email,
        email=user.email,
        account=user,
        duesselpass=form.cleaned_data.get("duesselpass", False),
        extra={"lives_in_district": form.cleaned_data.get("lives_in_district", False)},
    )


@resident_required
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest, slug: str) -> HttpResponse:
    """Enter the lottery (or, once entered, see the entry and withdraw it)."""
    offer = _offer(request, slug)
    now = timezone.now()
    current = lottery.state(offer, now)
    mine = lottery.entry_for(offer, request.user)
    if mine is not None:
        return _entered(request, offer, mine, current)
    form = LotteryForm(
        posted(request), offer=offer, participants=participants.for_account(request.user)
    )
    method = payments.provider(payments.default_method(offer))
    context = {"offer": offer, "form": form, "state": current, "payment": method}
    if current != "open":
        return render(
            request,
            "programs/lottery_enter.html",
            context,
            status=409 if request.method == "POST" else 200,
        )
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "programs/lottery_enter.html", context, status=400 if form.errors else 200
        )
    try:
        entry = lottery.enter(_request(request, offer, form), now)
    except booking.BookingError as error:
        form.add_error(None, error.message)
        return render(request, "programs/lottery_enter.html", context, status=409)
    messages.success(
        request,
        _("Sie nehmen an der Verlosung teil. Ihre Losnummer ist %(pseudonym)s.")
        % {"pseudonym": entry.pseudonym},
    )
    return _see_other(reverse("programs:lottery_enter", args=[offer.slug]))


def _entered(request: HttpRequest, offer: Offer, entry: LotteryEntry, current: str):
    context = {"offer": offer, "entry": entry, "state": current}
    if request.method != "POST":
        return render(request, "programs/lottery_enter.html", context)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        context["error"] = _("Sie nehmen an dieser Verlosung schon teil.")
        return render(request, "programs/lottery_enter.html", context, status=409)
    try:
        lottery.withdraw(entry)
    except lottery.LotteryError as error:
        context["error"] = error.message
        return render(request, "programs/lottery_enter.html", context, status=409)
    messages.success(request, _("Ihre Teilnahme an der Verlosung ist zurückgezogen."))
    return _see_other(reverse("programs:lottery", args=[offer.slug]))


@require_POST
def draw(request: HttpRequest, slug: str) -> HttpResponse:
    """Draw now (the provider's staff, once the window has closed)."""
    user = request.user
    if not user.is_authenticated or not user.is_staff:
        next_path = reverse("programs:lottery", args=[slug])
        return redirect(f"{reverse('accounts:staff_signin')}?{urlencode({'next': next_path})}")
    offer = get_object_or_404(
        Offer.objects.select_related("provider", "venue", "district"), slug=slug
    )
    if not _manages(user, offer):
        raise PermissionDenied("programs.manage")
    if offer.allocation != Offer.Allocation.LOTTERY:
        raise Http404
    try:
        outcome = lottery.draw(offer, by=user)
    except lottery.LotteryError as error:
        return _page(request, offer, error=error.message, status=409)
    if outcome is None:
        messages.info(request, _("Dieses Angebot ist schon verlost."))
    else:
        won = [row for row in outcome if row["won"]]
        messages.success(
            request,
            _(
                "Die Plätze sind verlost: %(won)s von %(total)s Anmeldungen haben einen Platz, "
                "die anderen stehen auf der Warteliste. Alle wurden per E-Mail benachrichtigt."
            )
            % {"won": len(won), "total": len(outcome)},
        )
    return _see_other(reverse("programs:lottery", args=[offer.slug]))
