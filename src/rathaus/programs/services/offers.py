"""Keeping an offer's derived fields in step with its sessions and venue.

The search filters on one table (``Offer``): start and end, the weekdays and times of day of
its sessions, the district and step-free access of its venue, and ``search_text`` – the
folded word stems of its texts, so "Schwimmkurs", "schwimmen" and "Schwimmkürse" meet.
Whoever changes sessions or the venue calls ``refresh`` (admin, demo loader, back office).
"""

from collections.abc import Iterable

from django.utils import timezone

from rathaus.catalog.search.analysis import fold, stem, words

from ..models import Category, Offer

__all__ = ["refresh", "terms"]

MORNING, AFTERNOON, EVENING = 1, 2, 4


def terms(text: str) -> list[str]:
    """The search keys of ``text``: stemmed, then folded (ä → ae, ß → ss)."""
    return [fold(stem(word)) for word in words(text)]


def _time_bit(hour: int) -> int:
    return MORNING if hour < 12 else AFTERNOON if hour < 17 else EVENING


def derived(offer: Offer, sessions: Iterable) -> dict:
    """The derived field values of ``offer`` with ``sessions`` (not yet saved)."""
    live = [s for s in sessions if s.cancelled_at is None] or list(sessions)
    weekdays = times = 0
    for session in live:
        local = timezone.localtime(session.starts_at)
        weekdays |= 1 << local.weekday()
        times |= _time_bit(local.hour)
    venue = offer.venue
    text = " ".join(
        [
            offer.title,
            offer.summary,
            offer.description,
            str(Category(offer.category).label),
            offer.provider.name,
            venue.name if venue else "",
            str(venue.quarter or "") if venue else "",
            str(venue.district or "") if venue else "",
        ]
    )
    return {
        "starts_at": min((s.starts_at for s in live), default=None),
        "ends_at": max((s.ends_at for s in live), default=None),
        "weekdays": weekdays,
        "times_of_day": times,
        "district_id": venue.district_id if venue else None,
        "step_free": bool(venue and venue.step_free),
        "search_text": " ".join(dict.fromkeys(terms(text))),
    }


def refresh(offer: Offer) -> Offer:
    """Recompute and save the derived fields of ``offer`` from its sessions and venue."""
    values = derived(offer, list(offer.sessions.all()))
    Offer.objects.filter(pk=offer.pk).update(**values)
    for name, value in values.items():
        setattr(offer, name, value)
    return offer
