"""Prices and reductions: free offers, the DüsselPass price, the sibling discount from the
second person on, both together (the lower price wins per person), and the totals a booking
stores and the booking page shows."""

from decimal import Decimal

import pytest

from rathaus.programs.models import Booking
from rathaus.programs.services.booking import prices

from .conftest import make_offer

D = Decimal


def offer_with(provider, slug="test-preise", **fields):
    fields.setdefault("age_min", 3)
    fields.setdefault("age_max", 10)
    return make_offer(provider, slug, payment_methods=["on_site"], **fields)


def booked(client, parent, offer, *names, duesselpass=False):
    chosen = [str(parent.program_participants.get(name=name).pk) for name in names]
    data = {"people": chosen, "payment_method": "on_site"}
    if duesselpass:
        data["duesselpass"] = "on"
    answer = client.post(f"/angebote/{offer.slug}/buchen/", data)
    assert answer.status_code == 303, answer.content.decode()[:3000]
    code = answer["Location"].rstrip("/").rsplit("/", 1)[-1]
    return Booking.objects.get(code=code)


def test_a_free_offer_costs_nothing_for_anybody(provider):
    offer = offer_with(provider, price=D("0"), sibling_discount_percent=50)
    assert prices(offer, 3, duesselpass=True) == [(D("0.00"), "free")] * 3


def test_duesselpass_holders_pay_the_reduced_price(provider):
    offer = offer_with(provider, price=D("40.00"), price_reduced=D("10.00"))
    assert prices(offer, 2, duesselpass=False) == [(D("40.00"), ""), (D("40.00"), "")]
    assert prices(offer, 2, duesselpass=True) == [(D("10.00"), "duesselpass")] * 2


def test_siblings_get_the_discount_from_the_second_person_on(provider):
    offer = offer_with(
        provider, price=D("25.00"), price_reduced=D("25.00"), sibling_discount_percent=33
    )
    assert prices(offer, 3, duesselpass=False) == [
        (D("25.00"), ""),
        (D("16.75"), "sibling"),
        (D("16.75"), "sibling"),
    ]


@pytest.mark.parametrize(
    ("reduced", "expected"),
    [
        # DüsselPass 10 € is below the sibling price of 20 €: it applies to both children.
        (D("10.00"), [(D("10.00"), "duesselpass"), (D("10.00"), "duesselpass")]),
        # DüsselPass 30 € is above the sibling price: the second child pays 20 €.
        (D("30.00"), [(D("30.00"), "duesselpass"), (D("20.00"), "sibling")]),
    ],
)
def test_with_both_reductions_the_lower_price_wins(provider, reduced, expected):
    offer = offer_with(
        provider, price=D("40.00"), price_reduced=reduced, sibling_discount_percent=50
    )
    assert prices(offer, 2, duesselpass=True) == expected


def test_the_booking_stores_the_total_of_a_free_offer(parent_client, parent, provider):
    offer = offer_with(provider, price=D("0"))
    made = booked(parent_client, parent, offer, "Mia Beispiel", "Ben Beispiel")
    assert made.total == D("0.00")
    assert made.payment_status == Booking.Payment.NOT_REQUIRED and made.payment_method == ""
    assert {p.reduction for p in made.participants.all()} == {"free"}


def test_the_booking_stores_the_duesselpass_total(parent_client, parent, provider):
    offer = offer_with(provider, price=D("40.00"), price_reduced=D("10.00"))
    made = booked(parent_client, parent, offer, "Mia Beispiel", "Ben Beispiel", duesselpass=True)
    assert made.total == D("20.00") and made.payment_status == Booking.Payment.OPEN
    html = parent_client.get(f"/konto/buchungen/{made.code}/").content.decode()
    assert "20,00\xa0€" in html and "DüsselPass" in html
    assert "Bitte bezahlen Sie 20,00\xa0€ beim ersten Termin vor Ort" in html


def test_the_booking_stores_the_combined_total(parent_client, parent, provider):
    offer = offer_with(
        provider, price=D("40.00"), price_reduced=D("30.00"), sibling_discount_percent=50
    )
    made = booked(parent_client, parent, offer, "Mia Beispiel", "Ben Beispiel", duesselpass=True)
    assert made.total == D("50.00")
    assert sorted(p.price for p in made.participants.all()) == [D("20.00"), D("30.00")]


def test_a_duesselpass_tick_changes_nothing_without_a_reduced_price(
    parent_client, parent, provider
):
    offer = offer_with(provider, price=D("15.00"), price_reduced=D("15.00"))
    page = parent_client.get(f"/angebote/{offer.slug}/buchen/").content.decode()
    assert 'name="duesselpass"' not in page
    made = booked(parent_client, parent, offer, "Mia Beispiel", duesselpass=True)
    assert made.total == D("15.00")


def test_the_booking_page_shows_the_totals_table_and_free_offers_say_so(parent_client, provider):
    paid = offer_with(
        provider,
        price=D("25.00"),
        price_reduced=D("5.00"),
        sibling_discount_percent=20,
        max_places_per_booking=3,
    )
    html = parent_client.get(f"/angebote/{paid.slug}/buchen/").content.decode()
    assert "So viel kostet die Buchung zusammen" in html
    # Two children (the parent manages two): 25 + 20 € and 5 + 5 € with DüsselPass.
    assert "45,00\xa0€" in html and "10,00\xa0€" in html
    free = offer_with(provider, "test-gratis", price=D("0"))
    html = parent_client.get(f"/angebote/{free.slug}/buchen/").content.decode()
    assert "So viel kostet die Buchung zusammen" not in html and "Kostenlos" in html
    assert 'name="payment_method"' not in html
