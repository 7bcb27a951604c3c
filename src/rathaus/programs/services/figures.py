"""Figures: per offer for its provider, and the anonymous participation counts the city
publishes as open data.

``participation_tally`` counts participants per month, category, age band and district –
aggregates only, never a name, a booking or an offer – with the raw counts: the pipeline in
``programs.open_data`` publishes it and the opendata module's disclosure control protects
it. ``participation_counts`` is the same table with every group of fewer than
``MIN_GROUP`` participants suppressed, for a reader without disclosure control of its own.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from ..models import Attendance, Booking, BookingParticipant, Category, Offer, WaitlistEntry

__all__ = [
    "AGE_BANDS",
    "MIN_GROUP",
    "OPEN_DATA_FIELDS",
    "UNKNOWN",
    "OfferFigures",
    "age_band",
    "attendance_counts",
    "offer_figures",
    "participation_counts",
    "participation_tally",
]

# Anonymisation: a group of fewer people is published as "<5" (count None).
MIN_GROUP = 5
UNKNOWN = "unbekannt"
# (label, lowest age, highest age); the bands of the Kinder- und Jugendhilfestatistik
# (open youth work counts 6–26) plus adults and seniors.
AGE_BANDS: list[tuple[str, int, int]] = [
    ("0–5", 0, 5),
    ("6–9", 6, 9),
    ("10–13", 10, 13),
    ("14–17", 14, 17),
    ("18–26", 18, 26),
    ("27–64", 27, 64),
    ("65+", 65, 130),
]
_BAND_ORDER = {label: index for index, (label, _low, _high) in enumerate(AGE_BANDS)}
_BAND_ORDER[UNKNOWN] = len(AGE_BANDS)

# What each row of ``participation_counts`` holds (for the data package's schema).
OPEN_DATA_FIELDS = {
    "month": "Monat, in dem das Angebot beginnt (JJJJ-MM)",
    "category": "Kategorie (Schlüssel)",
    "category_label": "Kategorie",
    "age_band": "Altersgruppe im Jahr des Angebots (aus dem Geburtsjahr), sonst „unbekannt“",
    "district": "Stadtbezirk des Veranstaltungsorts, sonst „unbekannt“",
    "participants": "Teilnehmende; leer, wenn weniger als 5 (Anonymisierung)",
    "participants_text": "Teilnehmende als Text: die Zahl oder „<5“",
}


@dataclass
class OfferFigures:
    """What a provider wants to know about one offer at a glance."""

    capacity: int
    taken: int
    booked: int = 0  # places in active bookings
    bookings: int = 0
    offered: int = 0  # places offered from the waiting list, not yet claimed
    waiting: int = 0  # places asked for on the waiting list
    waiting_entries: int = 0
    open_payments: int = 0
    open_amount: Decimal = Decimal("0.00")
    paid_amount: Decimal = Decimal("0.00")
    refunds_due: int = 0

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)


def offer_figures(offers: Iterable[Offer]) -> dict[int, OfferFigures]:
    """``{offer id: OfferFigures}`` for many offers in three queries."""
    figures = {o.pk: OfferFigures(capacity=o.capacity, taken=o.taken) for o in offers}
    if not figures:
        return figures
    booked = Q(status=Booking.Status.BOOKED)
    rows = (
        Booking.objects.filter(offer_id__in=figures)
        .values("offer_id")
        .annotate(
            places=Sum("places", filter=booked),
            count=Count("pk", filter=booked),
            open_count=Count("pk", filter=Q(payment_status=Booking.Payment.OPEN)),
            open_amount=Sum("total", filter=Q(payment_status=Booking.Payment.OPEN)),
            paid_amount=Sum("total", filter=Q(payment_status=Booking.Payment.PAID)),
            refunds=Count("pk", filter=Q(payment_status=Booking.Payment.REFUND_DUE)),
        )
    )
    for row in rows:
        item = figures[row["offer_id"]]
        item.booked, item.bookings = row["places"] or 0, row["count"]
        item.open_payments = row["open_count"]
        item.open_amount = row["open_amount"] or Decimal("0.00")
        item.paid_amount = row["paid_amount"] or Decimal("0.00")
        item.refunds_due = row["refunds"]
    waiting = Q(status=WaitlistEntry.Status.WAITING)
    offered = Q(status=WaitlistEntry.Status.OFFERED)
    rows = (
        WaitlistEntry.objects.filter(offer_id__in=figures)
        .values("offer_id")
        .annotate(
            waiting=Sum("places", filter=waiting),
            entries=Count("pk", filter=waiting),
            offered=Sum("places", filter=offered),
        )
    )
    for row in rows:
        item = figures[row["offer_id"]]
        item.waiting, item.waiting_entries = row["waiting"] or 0, row["entries"]
        item.offered = row["offered"] or 0
    return figures


def attendance_counts(offer: Offer) -> dict[int, tuple[int, int]]:
    """``{session id: (present, recorded)}`` for the sessions of ``offer``."""
    rows = (
        Attendance.objects.filter(session__offer=offer)
        .values("session_id")
        .annotate(present=Count("pk", filter=Q(present=True)), recorded=Count("pk"))
    )
    return {row["session_id"]: (row["present"], row["recorded"]) for row in rows}


def age_band(year: int, birth_year: int | None) -> str:
    """The band of the age reached in ``year`` (a birth year is all we keep)."""
    if birth_year is None:
        return UNKNOWN
    age = year - birth_year
    for label, low, high in AGE_BANDS:
        if low <= age <= high:
            return label
    return UNKNOWN


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def participation_tally(start: date, end: date) -> list[dict]:
    """Participants per month, category, age band and district, with the RAW counts.

    Counts the active places of active bookings on published offers that start between
    ``start`` and ``end`` (both days included), in the month and the district (of the venue)
    where the offer starts; the age band is the age reached in that year. Rows hold
    ``month``, ``category``, ``category_label``, ``age_band``, ``district`` (the name, else
    „unbekannt“), ``district_number`` (``None`` when unknown) and ``participants`` (≥ 1),
    sorted by month, category, age band and district.

    Small groups are NOT suppressed here: this is the input of disclosure control (the
    opendata module's, or ``participation_counts``), never a table to show as it is.
    """
    rows = BookingParticipant.objects.filter(
        active=True,
        booking__status=Booking.Status.BOOKED,
        offer__status=Offer.Status.PUBLISHED,
        offer__starts_at__gte=_moment(start),
        offer__starts_at__lt=_moment(end + timedelta(days=1)),
    ).values_list(
        "offer__starts_at",
        "offer__category",
        "offer__district__name",
        "offer__district__number",
        "birth_year",
    )
    counts: Counter = Counter()
    for starts_at, category, district, number, birth_year in rows.iterator(chunk_size=2000):
        local = timezone.localtime(starts_at)
        band = age_band(local.year, birth_year)
        counts[f"{local:%Y-%m}", category, band, district or UNKNOWN, number] += 1
    labels = dict(Category.choices)
    return [
        {
            "month": month,
            "category": category,
            "category_label": str(labels.get(category, category)),
            "age_band": band,
            "district": district,
            "district_number": number,
            "participants": counts[month, category, band, district, number],
        }
        for month, category, band, district, number in sorted(
            counts, key=lambda k: (k[0], k[1], _BAND_ORDER[k[2]], k[3])
        )
    ]


def participation_counts(start: date, end: date) -> list[dict]:
    """Participants per month, category, age band and district, small groups suppressed.

    ``participation_tally`` with every group of fewer than ``MIN_GROUP`` participants
    suppressed: ``participants`` ``None`` and ``participants_text`` "<5", so nobody can be
    singled out. Only the ``OPEN_DATA_FIELDS`` leave this function – never a name, a booking
    or an offer. The opendata pipeline (``programs.open_data``) publishes the raw tally
    instead and lets the opendata module's disclosure control protect it.
    """
    result = []
    for row in participation_tally(start, end):
        number = row["participants"]
        shown = number if number >= MIN_GROUP else None
        result.append(
            {
                **{key: row[key] for key in OPEN_DATA_FIELDS if key in row},
                "participants": shown,
                "participants_text": str(number) if shown is not None else f"<{MIN_GROUP}",
            }
        )
    return result
