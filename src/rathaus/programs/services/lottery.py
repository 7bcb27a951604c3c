"""Places by lot for oversubscribed offers: a registration window, then a seeded draw that
anyone can run again.

In a rush, first come first served rewards the fastest connection; a lottery gives everyone
who registers in the window (``booking_opens_at`` … ``booking_closes_at``) the same chance,
with optional priority groups (DüsselPass, district, not yet placed this season).

Why it can be trusted: the seed is fixed before anyone enters and only its SHA-256 (the
*Prüfwert*) is shown until the draw; afterwards the seed, the input list (pseudonyms only)
and the result are published, and ``rathaus/programs/draw.py`` – standard library only –
draws again from that list. The draw here calls the very same function. ``docs/lottery.md``
describes the algorithm for anyone who wants to write their own. The published list's
SHA-256 goes into the transparency log with the draw, so it cannot be changed later.

The draw runs once (a conditional update on ``lottery_drawn_at IS NULL``), in one
transaction: the winners' places are taken with one conditional update (never more than
the capacity), the winners get bookings, the others the waiting list in draw order.
"""

import copy
import dataclasses
import hashlib
import json
import logging
import secrets
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from rathaus import ledger
from rathaus.accounts.models import User
from rathaus.core import audit, locking, mail
from rathaus.core.http import public_url
from rathaus.register import services as register
from rathaus.register.fairness import Decisions
from rathaus.register.models import Audit

from .. import draw as drawing
from ..models import Booking, LotteryEntry, Offer, WaitlistEntry
from . import booking, notices

__all__ = [
    "GROUPS",
    "SEASON",
    "LotteryError",
    "commitment",
    "draw",
    "draw_due",
    "ensure_seed",
    "enter",
    "entry_for",
    "in_ledger",
    "input_list",
    "priorities",
    "pseudonym",
    "publish_to_ledger",
    "published_bytes",
    "result",
    "state",
    "withdraw",
]

log = logging.getLogger(__name__)

GROUPS = drawing.GROUPS
# "Not yet placed this season": no active booking for an offer of the same category that
# starts at most this long before the draw (or later).
SEASON = timedelta(days=183)
# The lock an entry takes on its offer against a draw starting at the same moment
# (switched off only in the control run of tests/programs/test_lottery_races.py).
ENTRY_GUARD = "programs.lottery_entry"


class LotteryError(booking.BookingError):
    """An entry, withdrawal or draw that is refused; ``message`` says why, in German."""


def _at(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y um %H:%M Uhr")


def state(offer: Offer, now: datetime | None = None) -> str:
    """Where the lottery stands: ``none`` (no lottery), ``before``, ``open``, ``closed``
    (waiting for the draw) or ``drawn``."""
    now = now or timezone.now()
    if offer.allocation != Offer.Allocation.LOTTERY:
        return "none"
    if offer.lottery_drawn_at:
        return "drawn"
    if offer.booking_opens_at and now < offer.booking_opens_at:
        return "before"
    if offer.booking_closes_at and now >= offer.booking_closes_at:
        return "closed"
    return "open"


def priorities(offer: Offer) -> list[str]:
    """The offer's priority groups in order (unknown names and repeats left out)."""
    chosen: list[str] = []
    for group in offer.lottery_priorities or []:
        if group in GROUPS and group not in chosen:
            chosen.append(group)
    return chosen


def ensure_seed(offer: Offer) -> str:
    """The offer's seed, made once (when the offer is put into lottery mode, or at the
    latest when the first person enters or the page shows the commitment)."""
    if not offer.lottery_seed:
        Offer.objects.filter(pk=offer.pk, lottery_seed="").update(
            lottery_seed=secrets.token_hex(32)
        )
        offer.lottery_seed = Offer.objects.values_list("lottery_seed", flat=True).get(pk=offer.pk)
    return offer.lottery_seed


def commitment(offer: Offer) -> str:
    """The *Prüfwert* shown before the draw: SHA-256 of the seed. After the draw anyone
    checks ``sha256(seed) == commitment``."""
    return drawing.commitment(ensure_seed(offer))


def pseudonym(entry: LotteryEntry) -> str:
    """What the published list shows instead of a name: a keyed digest of offer and entry
    (the key is the installation's secret, so nobody can link it to a person)."""
    digest = salted_hmac(
        "rathaus.programs.lottery", f"{entry.offer_id}:{entry.pk}", algorithm="sha256"
    )
    return digest.hexdigest()[:12]


def entry_for(offer: Offer, account: User) -> LotteryEntry | None:
    """The account's current entry (not withdrawn), if any."""
    if not getattr(account, "is_authenticated", False):
        return None
    return (
        LotteryEntry.objects.filter(offer=offer, account=account)
        .exclude(status=LotteryEntry.Status.WITHDRAWN)
        .first()
    )


def _check_open(offer: Offer, now: datetime) -> None:
    current = state(offer, now)
    if current == "none":
        raise LotteryError(_("Für dieses Angebot gibt es keine Verlosung."))
    if current == "before":
        raise LotteryError(
            _("Die Anmeldung zur Verlosung beginnt am %(at)s.")
            % {"at": _at(offer.booking_opens_at)}
        )
    if current in ("closed", "drawn"):
        raise LotteryError(_("Die Anmeldung zur Verlosung ist geschlossen."))
    if not offer.booking_closes_at:
        raise LotteryError(_("Für diese Verlosung ist noch kein Anmeldeschluss festgelegt."))


def enter(request: booking.Request, now: datetime | None = None) -> LotteryEntry:
    """Enter ``request`` (the same request as a booking) into the offer's lottery.

    The same rules as a booking apply (age, number of people, internal offers), except that
    the places are not taken now; one entry per account.
    """
    now = now or timezone.now()
    offer = request.offer
    _check_open(offer, now)
    # Every rule of a booking except "the places are drawn": checked on a first-come copy.
    probe = copy.copy(offer)
    probe.allocation = Offer.Allocation.FIRST_COME
    booking.check(dataclasses.replace(request, offer=probe, payment_method=""), now)
    if len(request.people) > offer.capacity:
        raise LotteryError(
            _("Für so viele Personen hat dieses Angebot nicht genug Plätze (%(n)s).")
            % {"n": offer.capacity}
        )
    ensure_seed(offer)
    people = [
        {
            "participant": p.participant.pk if p.participant else None,
            "name": p.name,
            "birth_year": p.birth_year,
        }
        for p in request.people
    ]
    try:
        with transaction.atomic():
            entry = LotteryEntry.objects.create(
                offer=offer,
                account=request.account,
                contact_name=request.contact_name,
                email=request.email,
                phone=request.phone,
                people=people,
                places=len(people),
                duesselpass=request.duesselpass,
                lives_in_district=bool(request.extra.get("lives_in_district")),
                channel=request.channel,
            )
            entry.pseudonym = pseudonym(entry)
            LotteryEntry.objects.filter(pk=entry.pk).update(pseudonym=entry.pseudonym)
            if request.booked_by is not None:
                audit.record(
                    "programs.lottery.entered_for",
                    actor=request.booked_by,
                    target=entry,
                    data={"offer": offer.slug, "places": entry.places, "channel": entry.channel},
                )
            _mail(entry, "lottery_entered", _("Sie nehmen an der Verlosung teil: %(title)s"))
            # Last, and held only until the commit: a draw that starts now waits for this
            # entry (and sees it); one that has started makes it fail.
            if locking.guard_enabled(ENTRY_GUARD) and not (
                locking.for_update(
                    Offer.objects.filter(pk=offer.pk, lottery_drawn_at__isnull=True),
                    guard=ENTRY_GUARD,
                )
                .values_list("pk", flat=True)
                .first()
            ):
                raise LotteryError(_("Die Anmeldung zur Verlosung ist geschlossen."))
    except IntegrityError as error:
        raise LotteryError(_("Sie nehmen an dieser Verlosung schon teil.")) from error
    return entry


def withdraw(entry: LotteryEntry, now: datetime | None = None) -> bool:
    """Take back an entry while the window is open; ``False`` if it was no longer entered."""
    now = now or timezone.now()
    if state(entry.offer, now) != "open":
        raise LotteryError(
            _("Der Anmeldezeitraum ist vorbei. Die Teilnahme kann nicht mehr zurückgezogen werden.")
        )
    return bool(
        LotteryEntry.objects.filter(
            pk=entry.pk,
            status=LotteryEntry.Status.ENTERED,
            offer__lottery_drawn_at__isnull=True,
        ).update(status=LotteryEntry.Status.WITHDRAWN)
    )


def _drawn_capacity(offer: Offer) -> int:
    """The places the draw gave away (all of them: nothing can be booked before the draw)."""
    return offer.capacity


def _entry_row(entry: LotteryEntry) -> dict:
    return {
        "pseudonym": entry.pseudonym,
        "places": entry.places,
        "duesselpass": entry.duesselpass,
        "district": entry.lives_in_district,
        "new": not entry.placed_this_season,
    }


def _document(offer: Offer, entries: list[LotteryEntry], *, seed: str) -> dict:
    return {
        "version": drawing.VERSION,
        "offer": offer.slug,
        "capacity": _drawn_capacity(offer),
        "seed": seed,
        "priorities": priorities(offer),
        "entries": sorted((_entry_row(e) for e in entries), key=lambda row: row["pseudonym"]),
    }


def result(offer: Offer) -> list[dict]:
    """The stored result of the draw in rank order, in the format of ``draw.run``."""
    rows, waiting = [], 0
    drawn = LotteryEntry.objects.filter(
        offer=offer, status__in=[LotteryEntry.Status.WON, LotteryEntry.Status.LOST]
    ).order_by("rank")
    for entry in drawn:
        won = entry.status == LotteryEntry.Status.WON
        waiting += 0 if won else 1
        rows.append(
            {
                "rank": entry.rank,
                "pseudonym": entry.pseudonym,
                "places": entry.places,
                "won": won,
                "waitlist_position": None if won else waiting,
            }
        )
    return rows


def input_list(offer: Offer) -> dict:
    """The published list: before the draw the commitment only; after it the seed, every
    entry that took part (pseudonymised) and the result – the input of ``draw.py``."""
    if offer.lottery_list is not None:
        return offer.lottery_list
    document = {**_document(offer, [], seed=""), "commitment": commitment(offer)}
    if not offer.lottery_drawn_at:
        return document
    entries = LotteryEntry.objects.filter(
        offer=offer, status__in=[LotteryEntry.Status.WON, LotteryEntry.Status.LOST]
    )
    return {
        **_document(offer, list(entries), seed=offer.lottery_seed),
        "commitment": commitment(offer),
        "drawn_at": timezone.localtime(offer.lottery_drawn_at).isoformat(timespec="seconds"),
        "result": result(offer),
    }


def _mark_placed(offer: Offer, entries: list[LotteryEntry], now: datetime) -> None:
    """Who already has a place this season: an active booking for another offer of the same
    category that starts no earlier than ``SEASON`` before the draw. Entries without an
    account (entered by staff for a caller) count as new."""
    accounts = {e.account_id for e in entries if e.account_id}
    placed = set(
        Booking.objects.filter(
            account_id__in=accounts,
            status=Booking.Status.BOOKED,
            offer__category=offer.category,
            offer__starts_at__gte=now - SEASON,
        )
        .exclude(offer_id=offer.pk)
        .values_list("account_id", flat=True)
    )
    for entry in entries:
        entry.placed_this_season = entry.account_id in placed


def _request(entry: LotteryEntry, offer: Offer, accounts: dict) -> booking.Request:
    account = accounts.get(entry.account_id)
    owned = {p.pk: p for p in account.program_participants.all()} if account is not None else {}
    return booking.Request(
        offer=offer,
        people=[
            booking.Person(p["name"], p.get("birth_year"), owned.get(p.get("participant")))
            for p in entry.people
        ],
        contact_name=entry.contact_name,
        email=entry.email,
        phone=entry.phone,
        account=account,
        duesselpass=entry.duesselpass,
        channel=entry.channel,
    )


def _keep_order(created: list[WaitlistEntry]) -> None:
    """The waiting list is ordered by ``created_at``: make it strictly increasing in draw
    order even if the clock gave two rows the same time."""
    previous = None
    for entry in created:
        if previous is not None and entry.created_at <= previous:
            entry.created_at = previous + timedelta(microseconds=1)
            WaitlistEntry.objects.filter(pk=entry.pk).update(created_at=entry.created_at)
        previous = entry.created_at


def draw(offer: Offer, now: datetime | None = None, *, by: User | None = None) -> list[dict] | None:
    """Draw the places once the window has closed; ``None`` if it was drawn already.

    ``by`` is the staff member who started it (``None``: the periodic job).
    """
    now = now or timezone.now()
    if offer.allocation != Offer.Allocation.LOTTERY:
        raise LotteryError(_("Für dieses Angebot gibt es keine Verlosung."))
    if offer.status != Offer.Status.PUBLISHED:
        raise LotteryError(_("Nur veröffentlichte Angebote können verlost werden."))
    if not offer.booking_closes_at:
        raise LotteryError(_("Für diese Verlosung ist kein Anmeldeschluss festgelegt."))
    if now < offer.booking_closes_at:
        raise LotteryError(
            _("Verlost werden kann erst nach dem Anmeldeschluss am %(at)s.")
            % {"at": _at(offer.booking_closes_at)}
        )
    ensure_seed(offer)
    with transaction.atomic():
        if not Offer.objects.filter(
            pk=offer.pk, allocation=Offer.Allocation.LOTTERY, lottery_drawn_at__isnull=True
        ).update(lottery_drawn_at=now):
            return None
        fresh = Offer.objects.select_related("provider", "venue").get(pk=offer.pk)
        if fresh.taken:
            raise LotteryError(
                _("Vor der Verlosung sind schon Plätze vergeben; so kann nicht verlost werden.")
            )
        entries = list(
            LotteryEntry.objects.select_for_update()
            .filter(offer_id=fresh.pk, status=LotteryEntry.Status.ENTERED)
            .order_by("pk")
        )
        _mark_placed(fresh, entries, now)
        try:
            outcome = drawing.run(_document(fresh, entries, seed=fresh.lottery_seed))
        except drawing.InputError as error:  # e.g. two equal pseudonyms (1 in millions)
            raise LotteryError(
                _("Die Liste der Verlosung ist nicht gültig: %(error)s") % {"error": error}
            ) from error
        won_places = sum(row["places"] for row in outcome if row["won"])
        if won_places and not booking.take(fresh.pk, won_places):
            raise LotteryError(
                _("Die Plätze reichen nicht; die Verlosung wurde nicht gespeichert.")
            )
        by_pseudonym = {entry.pseudonym: entry for entry in entries}
        accounts = User.objects.in_bulk({e.account_id for e in entries if e.account_id})
        losers = []
        for row in outcome:
            entry = by_pseudonym[row["pseudonym"]]
            entry.offer, entry.rank = fresh, row["rank"]
            if row["won"]:
                entry.status = LotteryEntry.Status.WON
                entry.booking = booking.create_held(_request(entry, fresh, accounts), now)
                notices.booked(entry.booking)
            else:
                entry.status = LotteryEntry.Status.LOST
                losers.append(entry)
        LotteryEntry.objects.bulk_update(
            entries, ["status", "rank", "booking", "placed_this_season"]
        )
        waiting = _to_waitlist(fresh, losers)
        for position, entry in enumerate(losers, 1):
            _mail(
                entry,
                "lottery_lost",
                _("Verlosung: leider kein Platz – %(title)s"),
                position=position if waiting else None,
            )
        audit.record(
            "programs.lottery.drawn",
            actor=by,
            target=fresh,
            data={
                "entries": len(entries),
                "won": len(entries) - len(losers),
                "places": won_places,
                "capacity": _drawn_capacity(fresh),
                "commitment": drawing.commitment(fresh.lottery_seed),
            },
        )
        fresh.lottery_list = input_list(fresh)
        Offer.objects.filter(pk=fresh.pk).update(lottery_list=fresh.lottery_list)
        publish_to_ledger(fresh)
        _to_register(fresh, entries)
    offer.lottery_drawn_at = now
    offer.lottery_list = fresh.lottery_list
    offer.taken = fresh.taken + won_places
    return outcome


# What the register's audit compares, with the German names its report shows. A priority
# group of the offer is left out: it is meant to win more often.
AUDITED = {
    "duesselpass": ("DüsselPass", lambda entry: entry.duesselpass),
    "district": ("Wohnt im Stadtbezirk", lambda entry: entry.lives_in_district),
    "new": ("In dieser Saison noch ohne Platz", lambda entry: not entry.placed_this_season),
}
REGISTER_NOTE = (
    "Automatisch nach der Ziehung geprüft: Gewinnquoten je Gruppe. Geprüft werden nur "
    "Merkmale, die bei dieser Verlosung keinen Vorrang geben; eine Vorranggruppe soll häufiger "
    "gewinnen und steht deshalb nicht im Bericht."
)


def _to_register(offer: Offer, entries: list[LotteryEntry]) -> None:
    """The draw through the register's audit tool: does any group win less often though the
    lottery gives it no priority? (Nothing to compare when every group has priority.)"""
    compared = {key: item for key, item in AUDITED.items() if key not in priorities(offer)}
    if not compared or not entries:
        return
    yes_no = {True: "ja", False: "nein"}
    register.audit_decisions(
        "verlosung-angebote",
        title=f"Verlosung „{offer.title}“",
        source=Audit.Source.LOTTERY,
        decisions=Decisions(
            np.array([entry.status == LotteryEntry.Status.WON for entry in entries], dtype=bool),
            {
                label: np.array([yes_no[bool(value(entry))] for entry in entries], dtype=object)
                for label, value in compared.values()
            },
        ),
        note=REGISTER_NOTE,
    )


def _to_waitlist(offer: Offer, losers: list[LotteryEntry]) -> bool:
    """Everyone without a place waits, in draw order (if the offer keeps a waiting list)."""
    if not offer.waitlist_enabled or not losers:
        return offer.waitlist_enabled
    created = WaitlistEntry.objects.bulk_create(
        WaitlistEntry(
            offer=offer,
            account_id=entry.account_id,
            contact_name=entry.contact_name,
            email=entry.email,
            phone=entry.phone,
            people=entry.people,
            places=entry.places,
            duesselpass=entry.duesselpass,
            channel=entry.channel,
        )
        for entry in losers
    )
    _keep_order(created)
    return True


def draw_due(now: datetime | None = None) -> int:
    """Draw every lottery whose window has closed (the periodic job); returns how many."""
    now = now or timezone.now()
    due = Offer.objects.filter(
        allocation=Offer.Allocation.LOTTERY,
        status=Offer.Status.PUBLISHED,
        lottery_drawn_at__isnull=True,
        booking_closes_at__lte=now,
    )
    drawn = 0
    for offer in due:
        try:
            if draw(offer, now) is not None:
                drawn += 1
        except LotteryError as error:
            log.warning("Verlosung %s nicht möglich: %s", offer.slug, error.message)
    return drawn


def published_bytes(offer: Offer) -> bytes:
    """The published list as the file people download (``verlosung-<angebot>.json``), with
    sorted keys: the same bytes whichever way the database stored the list."""
    return json.dumps(input_list(offer), indent=1, sort_keys=True, cls=DjangoJSONEncoder).encode()


def in_ledger(offer: Offer):
    """What the transparency log says about the published list (``ledger.standing``)."""
    return ledger.standing(hashlib.sha256(published_bytes(offer)).hexdigest())


def publish_to_ledger(offer: Offer) -> None:
    """The drawn list (seed, pseudonymised entries, result) goes into the transparency log
    in the draw's transaction: its SHA-256 is fixed, so the list cannot be changed later
    without anyone who downloads it noticing."""
    ledger.record(
        "lottery",
        f"Verlosung {offer.slug}",
        hashlib.sha256(published_bytes(offer)).hexdigest(),
        office=offer.provider.name,
        issued_at=offer.lottery_drawn_at,
    )


def _mail(entry: LotteryEntry, template: str, subject: str, **context) -> None:
    if not entry.email:
        return
    offer = entry.offer
    body = render_to_string(
        f"programs/mail/{template}.txt",
        {
            "entry": entry,
            "offer": offer,
            "city": settings.RATHAUS["CITY_NAME"],
            "lottery_link": public_url(reverse("programs:lottery", args=[offer.slug])),
            "enter_link": public_url(reverse("programs:lottery_enter", args=[offer.slug])),
            "link": public_url(reverse("programs:mine")),
            **context,
        },
    )
    mail.send_after_commit(subject=subject % {"title": offer.title}, body=body, to=[entry.email])
