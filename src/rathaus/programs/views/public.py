"""What residents see before they book: the search with its filters, the offer page with
its free places (live), a provider's offers, and calendar feeds of an offer and a search.

Views parse with ``forms.search``, ask ``services.search`` and render; drafts are never
shown and internal offers (staff training) only to signed-in staff – to everybody else
they do not exist (404).
"""

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from rathaus.core.templatetags.rathaus import euro
from rathaus.language import translations

from ..forms.search import SearchForm, page_number
from ..models import Category, Offer, Provider
from ..services import calendar, payments
from ..services import search as finder
from ..services.search import Filters, State

__all__ = ["describe", "offer", "offer_ics", "places", "provider", "search", "search_ics"]

PAGE_SIZE = 20
ICS_LIMIT = 500
# The colour of the places badge on a card: green when free, red when full or cancelled.
BADGES = {State.OPEN: "success", State.FULL: "danger", State.CANCELLED: "danger"}
PLACES_MAX_AGE = 5  # seconds a browser or proxy may reuse the free places
PRIORITIES = {
    "duesselpass": gettext_lazy("Menschen mit DüsselPass"),
    "district": gettext_lazy("Menschen, die im Stadtbezirk des Angebots wohnen"),
    "new": gettext_lazy("Wer in dieser Saison noch keinen Platz bekommen hat"),
}


def places_text(offer: Offer, state: str) -> str:
    """What the page and the live region say about the places: "3 Plätze frei", …"""
    free = offer.free
    if state == State.CANCELLED:
        return _("Abgesagt")
    if state == State.PAST:
        return _("Hat bereits stattgefunden")
    if state in {State.LOTTERY, State.LOTTERY_SOON, State.LOTTERY_CLOSED}:
        return ngettext(
            "%(n)s Platz wird verlost", "%(n)s Plätze werden verlost", offer.capacity
        ) % {"n": offer.capacity}
    if free == 0:
        if offer.waitlist_enabled and state != State.CLOSED:
            return _("ausgebucht – Warteliste")
        return _("ausgebucht")
    text = ngettext("%(n)s Platz frei", "%(n)s Plätze frei", free) % {"n": free}
    if state == State.CLOSED:
        return _("%(places)s – Buchung beendet") % {"places": text}
    return text


def ages_text(offer: Offer) -> str:
    """ "5 bis 8 Jahre", "ab 16 Jahren", "bis 6 Jahre" or "alle Altersgruppen"."""
    low, high = offer.age_min, offer.age_max
    if low is not None and high is not None:
        return _("%(min)s bis %(max)s Jahre") % {"min": low, "max": high}
    if low is not None:
        return _("ab %(min)s Jahren") % {"min": low}
    if high is not None:
        return _("bis %(max)s Jahre") % {"max": high}
    return _("alle Altersgruppen")


def price_text(offer: Offer) -> str:
    """ "45,00 € pro Person, mit DüsselPass 10,00 €" or "kostenlos"."""
    if not offer.price:
        return _("kostenlos")
    text = _("%(price)s pro Person") % {"price": euro(offer.price)}
    if offer.price_reduced < offer.price:
        if offer.price_reduced:
            reduced = _("mit DüsselPass %(price)s") % {"price": euro(offer.price_reduced)}
        else:
            reduced = _("mit DüsselPass kostenlos")
        text = f"{text}, {reduced}"
    return text


def when_text(offer: Offer) -> str:
    """ "Samstag, 26.12.2026, 16:00–17:00 Uhr" for one day, "26.12.2026 bis 09.01.2027,
    samstags, Beginn 16:00 Uhr" for a series."""
    if offer.starts_at is None:
        return _("ohne festen Termin")
    starts, ends = timezone.localtime(offer.starts_at), timezone.localtime(offer.ends_at)
    if starts.date() == ends.date():
        return _("%(day)s, %(start)s–%(end)s Uhr") % {
            "day": date_format(starts, "l, d.m.Y"),
            "start": date_format(starts, "H:i"),
            "end": date_format(ends, "H:i"),
        }
    parts = [
        _("%(first)s bis %(last)s") % {"first": f"{starts:%d.%m.%Y}", "last": f"{ends:%d.%m.%Y}"}
    ]
    if days := finder.weekday_text(offer.weekdays):
        parts.append(days)
    parts.append(_("Beginn %(at)s Uhr") % {"at": f"{starts:%H:%M}"})
    return ", ".join(parts)


def where_text(offer: Offer) -> str:
    """ "Stadtteilbibliothek Bilk, Stadtbezirk 3"."""
    if offer.venue_id is None:
        return _("Ort folgt")
    if offer.district_id is None:
        return offer.venue.name
    return f"{offer.venue.name}, {offer.district.name}"


def access_list(offer: Offer) -> list[tuple[str, str]]:
    """What makes the offer accessible, as (KERN icon, words) pairs."""
    found = []
    if offer.step_free:
        found.append(("check", _("stufenlos erreichbar")))
    if offer.venue_id and offer.venue.induction_loop:
        found.append(("check", _("induktive Höranlage")))
    if offer.sign_language:
        found.append(("sign-language", _("mit Gebärdensprache")))
    if offer.easy_language:
        found.append(("easy-language", _("in Leichter Sprache")))
    return found


def describe(offers: list[Offer], now: datetime | None = None) -> list[Offer]:
    """The offers with the words their cards (``_offer_card.html``) show, worked out in
    Python once: twenty cards through template tags would cost more than the search."""
    now = now or timezone.now()
    categories = dict(Category.choices)
    for item in offers:
        item.url = reverse("programs:offer", args=[item.slug])
        item.category_label = categories.get(item.category, "")
        item.state = finder.state(item, now)
        item.places_text = places_text(item, item.state)
        item.badge = BADGES.get(item.state, "info")
        item.where_text = where_text(item)
        item.ages_text = ages_text(item)
        item.price_text = price_text(item)
        item.when_text = when_text(item)
        item.access = access_list(item)
    return offers


def _paged(request: HttpRequest, filters: Filters) -> tuple[list[Offer], int, object]:
    """One page of a search (a page past the end shows the last one)."""
    number = page_number(request.GET.get("seite"))
    offers, total = finder.search(
        filters, request.user, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
    )
    if not offers and total:
        number = math.ceil(total / PAGE_SIZE)
        offers, total = finder.search(
            filters, request.user, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
        )
    page = Paginator(range(total), PAGE_SIZE).get_page(number)
    return describe(offers), total, page


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET, user=request.user)
    offers, total, page = _paged(request, form.filters())
    query = form.query()
    more = total > finder.COUNT_LIMIT
    # The filter form looks the same for the same address (the page aside): the template
    # keeps it rendered for a while under this key.
    asked = request.GET.copy()
    asked.pop("seite", None)
    form_key = f"{int(finder.is_staff(request.user))}?{asked.urlencode()}"
    return render(
        request,
        "programs/search.html",
        {
            "form": form,
            "offers": offers,
            "total": total,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(query),
            "more": more,
            "form_key": form_key,
            "limit": number_format(finder.COUNT_LIMIT, force_grouping=True),
            "nav": "angebote",
        },
    )


def _calendar_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def search_ics(request: HttpRequest) -> HttpResponse:
    """The sessions of the search's first 500 offers, to subscribe to or import."""
    form = SearchForm(request.GET, user=request.user)
    offers = finder.calendar_offers(form.filters(), request.user, limit=ICS_LIMIT)
    return _calendar_response(
        calendar.feed(offers, name=_("Kurse & Angebote der Stadt")), "angebote.ics"
    )


@require_safe
def provider(request: HttpRequest, slug: str) -> HttpResponse:
    chosen = get_object_or_404(Provider, slug=slug)
    offers, total, page = _paged(request, Filters(provider=chosen))
    return render(
        request,
        "programs/provider.html",
        {"provider": chosen, "offers": offers, "total": total, "page": page, "nav": "angebote"},
    )


def _visible(request: HttpRequest, slug: str) -> Offer:
    found = finder.offer_for(slug, request.user)
    if found is None:
        raise Http404
    return found


@require_safe
def offer(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _visible(request, slug)
    now = timezone.now()
    state = finder.state(shown, now)
    cancel_deadline = (
        shown.starts_at - timedelta(hours=shown.cancel_until_hours) if shown.starts_at else None
    )
    methods = [payments.provider(m) for m in payments.methods_for(shown)]
    language = get_language()
    translated = translations.texts(shown, ("title", "summary", "description"), language)
    return render(
        request,
        "programs/offer.html",
        {
            "offer": shown,
            "translated": translated,
            "translation_note": translations.note(translated, language),
            "sessions": finder.sessions(shown),
            "state": state,
            "places_text": places_text(shown, state),
            "full_notice": "ausgebucht" in request.GET,
            "cancel_deadline": cancel_deadline,
            "payment_methods": [m.verbose_name for m in methods if m is not None],
            "priorities": [
                PRIORITIES[key] for key in shown.lottery_priorities or [] if key in PRIORITIES
            ],
            "claim_hours": settings.PROGRAMS_WAITLIST_CLAIM_HOURS,
            "nav": "angebote",
        },
    )


@require_safe
def places(request: HttpRequest, slug: str) -> JsonResponse:
    """The free places of an offer for the live region of its page (polled every 15 s)."""
    shown = finder.live(slug, request.user)
    if shown is None:
        raise Http404
    state = finder.state(shown)
    response = JsonResponse(
        {
            "free": shown.free,
            "capacity": shown.capacity,
            "status": state,
            "text": places_text(shown, state),
        }
    )
    patch_cache_control(
        response,
        max_age=PLACES_MAX_AGE,
        **({"private": True} if shown.internal else {"public": True}),
    )
    return response


@require_safe
def offer_ics(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _visible(request, slug)
    return _calendar_response(calendar.feed([shown], name=shown.title), f"{shown.slug}.ics")
