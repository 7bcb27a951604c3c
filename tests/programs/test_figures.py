"""Figures: per offer for its provider, and the open-data hook – participants per month,
category, age band and district, with every group below five suppressed."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from rathaus.offices.models import Quarter
from rathaus.programs.models import Offer
from rathaus.programs.services import backoffice, figures, waitlist
from rathaus.programs.services import booking as bookings

from .conftest import make_offer, make_venue

BERLIN = timezone.get_default_timezone()


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args), BERLIN)


def book(offer, *years, **fields) -> bookings.Booking:
    return bookings.book(
        bookings.Request(
            offer=offer,
            people=[bookings.Person(f"Person {n}", year) for n, year in enumerate(years)],
            contact_name="Kontakt",
            **fields,
        )
    )


@pytest.mark.parametrize(
    ("birth_year", "band"),
    [
        (2035, "0–5"),
        (2030, "0–5"),
        (2029, "6–9"),
        (2026, "6–9"),
        (2025, "10–13"),
        (2022, "10–13"),
        (2021, "14–17"),
        (2018, "14–17"),
        (2017, "18–26"),
        (2009, "18–26"),
        (2008, "27–64"),
        (1971, "27–64"),
        (1970, "65+"),
        (1930, "65+"),
        (None, "unbekannt"),
        (2036, "unbekannt"),  # born after the offer: a typing error, not a baby
        (1850, "unbekannt"),
    ],
)
def test_age_bands_from_the_birth_year(birth_year, band):
    assert figures.age_band(2035, birth_year) == band


@pytest.fixture
def programme(provider):
    """Offers in spring 2035 (no demo offer is that far ahead)."""
    bilk = make_venue(provider, "Bilk")
    elsewhere = Quarter.objects.exclude(district=bilk.district).exclude(district=None).first()
    other = make_venue(provider, elsewhere.name)
    youth = make_offer(
        provider,
        "test-jugendtreff",
        venue=bilk,
        category="jugend",
        first=at(2035, 3, 10, 16),
        capacity=40,
        max_places_per_booking=10,
    )
    culture = make_offer(
        provider,
        "test-konzert",
        venue=other,
        category="kultur",
        first=at(2035, 4, 20, 19),
        capacity=40,
        max_places_per_booking=10,
    )
    # Just after midnight on 1 April in Düsseldorf – still 31 March in UTC.
    seniors = make_offer(
        provider,
        "test-mitternacht",
        venue=other,
        category="senioren",
        first=at(2035, 4, 1, 0, 30),
        capacity=10,
    )
    dropped = make_offer(
        provider,
        "test-abgesagt",
        venue=bilk,
        category="jugend",
        first=at(2035, 3, 12, 16),
        max_places_per_booking=10,
    )
    later = make_offer(
        provider,
        "test-mai",
        venue=bilk,
        category="jugend",
        first=at(2035, 5, 2, 16),
        max_places_per_booking=10,
    )
    return {
        "youth": youth,
        "culture": culture,
        "seniors": seniors,
        "dropped": dropped,
        "later": later,
        "bilk": bilk.district.name,
        "other": other.district.name,
    }


def test_participation_counts_are_aggregates_with_small_groups_suppressed(
    programme, provider_staff
):
    youth, culture = programme["youth"], programme["culture"]
    book(youth, 2020, 2020, 2019, 2020)  # four aged 15/16
    book(youth, 2020, 2020)  # six 14–17 together
    book(youth, 2023, 2022)  # two 10–13: suppressed
    book(youth, None)  # one unknown: suppressed
    gone = book(youth, 2020, 2020, 2020)  # cancelled: not counted
    bookings.cancel(gone, by=provider_staff)
    book(culture, 1960, 1955, 1950, 1940, 1965)  # five 65+
    book(programme["seniors"], 1950)
    book(programme["dropped"], 2020, 2020, 2020, 2020, 2020)
    backoffice.cancel_offer(programme["dropped"], "Ausfall", by=provider_staff)
    book(programme["later"], 2020, 2020, 2020, 2020, 2020)  # May: outside the period

    rows = figures.participation_counts(date(2035, 3, 1), date(2035, 4, 30))
    assert rows == [
        {
            "month": "2035-03",
            "category": "jugend",
            "category_label": "Jugend",
            "age_band": "10–13",
            "district": programme["bilk"],
            "participants": None,
            "participants_text": "<5",
        },
        {
            "month": "2035-03",
            "category": "jugend",
            "category_label": "Jugend",
            "age_band": "14–17",
            "district": programme["bilk"],
            "participants": 6,
            "participants_text": "6",
        },
        {
            "month": "2035-03",
            "category": "jugend",
            "category_label": "Jugend",
            "age_band": "unbekannt",
            "district": programme["bilk"],
            "participants": None,
            "participants_text": "<5",
        },
        {
            "month": "2035-04",
            "category": "kultur",
            "category_label": "Kultur",
            "age_band": "65+",
            "district": programme["other"],
            "participants": 5,
            "participants_text": "5",
        },
        {
            "month": "2035-04",
            "category": "senioren",
            "category_label": "Senior*innen",
            "age_band": "65+",
            "district": programme["other"],
            "participants": None,
            "participants_text": "<5",
        },
    ]
    # Only the documented fields: no name, no booking, no offer.
    assert all(set(row) == set(figures.OPEN_DATA_FIELDS) for row in rows)
    # The last day of the period counts in full.
    may = figures.participation_counts(date(2035, 5, 2), date(2035, 5, 2))
    assert [(r["month"], r["participants"]) for r in may] == [("2035-05", 5)]


def test_an_offer_without_venue_counts_under_unknown_district(provider):
    offer = make_offer(
        provider,
        "test-online",
        category="bildung",
        first=at(2035, 3, 1, 10),
        max_places_per_booking=10,
    )
    Offer.objects.filter(pk=offer.pk).update(venue=None, district=None)
    offer.refresh_from_db()
    book(offer, 1990, 1991, 1992, 1993, 1994)
    (row,) = figures.participation_counts(date(2035, 3, 1), date(2035, 3, 31))
    assert (row["district"], row["age_band"], row["participants"]) == ("unbekannt", "27–64", 5)


def test_offer_figures_count_places_waiting_list_and_payments(provider, provider_staff):
    offer = make_offer(
        provider,
        "test-zahlen",
        capacity=4,
        price=Decimal("20.00"),
        payment_methods=["on_site"],
    )
    book(offer, 2015, 2016, payment_method="on_site")
    paid = book(offer, 2015, payment_method="on_site")
    backoffice.mark_paid(paid, by=provider_staff)
    refund = book(offer, 2014, payment_method="on_site")
    backoffice.mark_paid(refund, by=provider_staff)
    backoffice.cancel_booking(refund, by=provider_staff)  # the place is free again
    waitlist.join(
        bookings.Request(offer=offer, people=[bookings.Person("W", 2015)], contact_name="Wartend")
    )
    fresh = Offer.objects.get(pk=offer.pk)
    numbers = figures.offer_figures([fresh])[fresh.pk]
    assert (numbers.capacity, numbers.booked, numbers.bookings, numbers.free) == (4, 3, 2, 1)
    assert (numbers.waiting, numbers.waiting_entries, numbers.offered) == (1, 1, 0)
    assert (numbers.open_payments, numbers.open_amount) == (1, Decimal("40.00"))
    assert (numbers.paid_amount, numbers.refunds_due) == (Decimal("20.00"), 1)
    assert figures.offer_figures([]) == {}
