"""The demo programme (``rathaus demo``): enough offers of every kind in every Stadtbezirk,
the stories a visitor should find (full offers with waiting lists, one lottery, staff
trainings, a cancelled concert, a swimming course in Bilk with free places), places that
add up, and loading that is idempotent and scales for the benchmarks.

The demo city, programme included, is loaded once per test run (``tests/conftest.py``);
the tests here look at it and load it again inside their transaction.
"""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from rathaus.accounts import policy
from rathaus.accounts.models import Role
from rathaus.core.demo import read_json
from rathaus.offices.models import District
from rathaus.programs import demo
from rathaus.programs.models import (
    Booking,
    Category,
    LotteryEntry,
    Offer,
    Participant,
    Provider,
    ProviderMembership,
    Session,
    Venue,
    WaitlistEntry,
)
from rathaus.programs.services import booking, offers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BERLIN = timezone.get_default_timezone()


def demo_providers():
    return Provider.objects.filter(
        slug__in=[p["slug"] for p in read_json(demo.DATA, "providers.json")]
    )


def demo_offers():
    return Offer.objects.filter(provider__in=demo_providers())


def snapshot() -> dict:
    """Everything the loader writes, as plain values."""
    return {
        "providers": list(demo_providers().order_by("slug").values()),
        "venues": list(Venue.objects.filter(provider__in=demo_providers()).order_by("pk").values()),
        "offers": list(demo_offers().order_by("slug").values()),
        "sessions": list(Session.objects.filter(offer__in=demo_offers()).order_by("pk").values()),
        "bookings": list(
            Booking.objects.filter(offer__in=demo_offers())
            .order_by("pk")
            .values("pk", "code", "status", "payment_status", "places", "total")
        ),
        "waitlist": list(
            WaitlistEntry.objects.filter(offer__in=demo_offers())
            .order_by("pk")
            .values("pk", "status", "places")
        ),
        "lottery": list(
            LotteryEntry.objects.filter(offer__in=demo_offers())
            .order_by("pk")
            .values("pk", "status", "pseudonym")
        ),
        "memberships": sorted(ProviderMembership.objects.values_list("user_id", "provider_id")),
        "participants": Participant.objects.count(),
    }


def test_many_offers_from_many_providers_in_every_category_and_district():
    found = demo_offers()
    assert found.count() >= 300
    assert demo_providers().count() >= 20
    assert set(found.values_list("category", flat=True)) == set(Category.values)
    assert set(found.values_list("district__number", flat=True)) - {None} == set(
        District.objects.values_list("number", flat=True)
    )
    assert District.objects.count() == 10
    # Every offer sits in a real Stadtteil of its Stadtbezirk (or is an online seminar).
    for offer in found.select_related("venue__quarter"):
        if offer.venue is None:
            assert offer.internal and "Online" in offer.title
        else:
            assert offer.venue.quarter.district_id == offer.district_id


def test_texts_are_complete_and_easy_language_is_short():
    for offer in demo_offers():
        for text in (offer.title, offer.summary, offer.description, offer.easy_text):
            assert text and "{" not in text and "}" not in text, offer.slug
        for sentence in offer.easy_text.splitlines():
            assert len(sentence.split()) <= 10, (offer.slug, sentence)
            assert sentence.endswith((".", "?")), (offer.slug, sentence)
        assert offer.cancellation_note


def test_providers_are_marked_as_demo_with_invented_contacts_and_valid_ibans():
    for provider in demo_providers():
        assert provider.is_demo
        assert provider.email.endswith("demo.duesseldorf.invalid")
        if provider.iban:
            digits = "".join(str(int(c, 36)) for c in provider.iban[4:] + provider.iban[:4])
            assert int(digits) % 97 == 1, provider.iban


def test_a_mix_of_prices_ages_times_and_booking_windows():
    found = demo_offers()
    now = timezone.now()
    assert found.filter(price=0).count() > 100
    paid = found.exclude(price=0)
    assert paid.filter(price__gte=25, price__lte=120, price_reduced__lt=25).exists()
    assert paid.filter(sibling_discount_percent__gt=0).exists()
    assert paid.filter(payment_methods=["transfer", "on_site"]).exists()
    assert found.filter(age_min=60).exists() and found.filter(age_max__lte=8).exists()
    assert found.filter(category="ferien", age_min=6, age_max=12).exists()
    # Morning, afternoon and evening; weekdays and weekends (bit 5 Sat, bit 6 Sun).
    for bit in (1, 2, 4):
        assert found.filter(times_of_day__in=[bit, bit | 1, bit | 2, bit | 4]).exists()
    assert any(o.weekdays & 0b1100000 for o in found) and any(o.weekdays & 0b11111 for o in found)
    assert found.filter(capacity__lte=8).exists() and found.filter(capacity__gte=200).exists()
    series = [o for o in found.filter(category="sport") if o.sessions.count() >= 6]
    assert series
    # Open now, opening in the coming days at 10:00, and closed.
    assert found.filter(booking_opens_at__lte=now, booking_closes_at__gt=now).count() > 200
    soon = found.filter(booking_opens_at__gt=now)
    assert soon.exists()
    for offer in soon:
        opens = timezone.localtime(offer.booking_opens_at, BERLIN)
        assert (opens.hour, opens.minute) == (10, 0)
        # Within the five days after the day the demo was loaded (which may have been
        # yesterday, if this test runs just after midnight).
        assert offer.booking_opens_at <= now + timedelta(days=5)
    assert found.filter(booking_closes_at__lte=now, starts_at__gt=now).exists()
    # Current whenever it is loaded: everything lies around today.
    assert not found.filter(starts_at__lt=now - timedelta(days=31)).exists()
    assert not found.filter(starts_at__gt=now + timedelta(days=70)).exists()
    assert found.filter(step_free=True).exists() and found.filter(step_free=False).exists()
    assert found.filter(sign_language=True).exists() and found.filter(easy_language=True).exists()


def test_places_add_up_for_every_offer():
    """``taken`` = active booked places + places offered to the waiting list."""
    booked = dict(
        Booking.objects.filter(status=Booking.Status.BOOKED)
        .values_list("offer_id")
        .annotate(n=Sum("places"))
    )
    offered = dict(
        WaitlistEntry.objects.filter(status=WaitlistEntry.Status.OFFERED)
        .values_list("offer_id")
        .annotate(n=Sum("places"))
    )
    found = list(demo_offers().values_list("pk", "slug", "taken", "capacity"))
    assert sum(taken for _pk, _slug, taken, _capacity in found) > 500
    for pk, slug, taken, capacity in found:
        assert taken == booked.get(pk, 0) + offered.get(pk, 0), slug
        assert taken <= capacity, slug


def test_some_offers_are_full_with_a_waiting_list_and_one_place_is_offered():
    full = [o for o in demo_offers() if o.taken == o.capacity and o.status == "published"]
    waiting = [o for o in full if o.waitlist.filter(status=WaitlistEntry.Status.WAITING).exists()]
    assert len(waiting) >= 4
    assert any(o.internal for o in waiting)
    offered = WaitlistEntry.objects.filter(
        offer__in=demo_offers(), status=WaitlistEntry.Status.OFFERED
    )
    assert offered.count() == 1
    assert offered.get().offered_until > timezone.now()
    # The place came from a booking the provider cancelled.
    entry = offered.get()
    assert Booking.objects.filter(offer=entry.offer, status=Booking.Status.CANCELLED).exists()


def test_exactly_one_lottery_in_its_registration_window():
    lottery = demo_offers().filter(allocation=Offer.Allocation.LOTTERY)
    assert lottery.count() == 1
    offer = lottery.get()
    now = timezone.now()
    assert offer.category == "ferien"
    assert offer.booking_opens_at < now < offer.booking_closes_at
    assert offer.lottery_drawn_at is None and offer.lottery_seed
    assert offer.lottery_priorities == ["duesselpass", "district", "new"]
    entries = LotteryEntry.objects.filter(offer=offer)
    assert entries.count() >= 20
    assert set(entries.values_list("status", flat=True)) == {LotteryEntry.Status.ENTERED}
    assert all(entries.values_list("pseudonym", flat=True))
    assert entries.aggregate(n=Sum("places"))["n"] > offer.capacity  # oversubscribed
    assert entries.filter(duesselpass=True).exists()
    assert entries.filter(lives_in_district=True).exists()
    assert offer.taken == 0 and not offer.bookings.exists()


def test_staff_trainings_are_internal_and_hidden_from_residents():
    trainings = demo_offers().filter(category="fortbildung")
    titles = set(trainings.values_list("title", flat=True))
    for title in (
        "Barrierefreie PDF-Dokumente erstellen",
        "Einführung in das digitale Antragsmanagement",
        "Datenschutz im Bürgerkontakt",
        "Leichte Sprache im Verwaltungsalltag",
    ):
        assert title in titles
    assert not trainings.filter(internal=False).exists()
    assert set(trainings.values_list("provider__name", flat=True)) == {
        "Personal- und Organisationsamt – Fortbildung"
    }
    assert not demo_offers().filter(internal=True).exclude(category="fortbildung").exists()
    resident = UserFactory()
    offer = trainings.first()
    assert not booking.visible_to(offer, resident)
    assert booking.visible_to(offer, UserFactory(is_staff=True))


def test_a_parent_can_book_the_swimming_course_in_bilk_for_a_six_year_old():
    """What the browser test does: find a swimming course in Bilk for a 6-year-old."""
    now = timezone.now()
    courses = demo_offers().filter(
        category="sport",
        venue__quarter__name="Bilk",
        age_min__lte=6,
        age_max__gte=6,
        status="published",
        internal=False,
        booking_opens_at__lte=now,
        booking_closes_at__gt=now,
        starts_at__gt=now,
    )
    course = courses.get(slug="seepferdchen-bilk")
    assert (course.age_min, course.age_max) == (5, 7)
    assert 0 < course.taken < course.capacity
    parent = UserFactory()
    year = timezone.localtime(course.starts_at).year
    child = Participant.objects.create(account=parent, name="Mila Test", birth_year=year - 6)
    made = booking.book(
        booking.Request(
            offer=course,
            people=[booking.Person.of(child)],
            contact_name="Test Elternteil",
            account=parent,
            payment_method="transfer",
        )
    )
    assert made.total == course.price and made.payment_status == Booking.Payment.OPEN


def test_one_offer_is_cancelled_and_its_bookings_with_it():
    cancelled = demo_offers().filter(status=Offer.Status.CANCELLED)
    assert cancelled.count() == 1
    offer = cancelled.get()
    assert offer.taken == 0
    assert offer.bookings.count() > 0
    assert set(offer.bookings.values_list("status", flat=True)) == {Booking.Status.OFFER_CANCELLED}


def test_program_managers_manage_only_their_providers():
    data = read_json(demo.DATA, "programme.json")
    assert len(data["managers"]) >= 3
    for row in data["managers"]:
        user = ProviderMembership.objects.filter(user__email=row["email"]).first().user
        assert user.is_staff
        assert user.staff_roles.filter(role=Role.PROGRAM_MANAGER).exists()
        ids = set(policy.scope_ids(user, "programs.manage", "provider"))
        assert ids == set(
            Provider.objects.filter(slug__in=row["providers"]).values_list("pk", flat=True)
        )


def test_the_demo_resident_has_bookings_a_waiting_list_and_a_lottery_entry():
    email = "erika.mustermann@demo.duesseldorf.invalid"
    assert Booking.objects.filter(account__email=email, status="booked").count() == 2
    assert WaitlistEntry.objects.filter(account__email=email, status="waiting").count() == 1
    assert LotteryEntry.objects.filter(account__email=email, status="entered").count() == 1


def test_loading_twice_changes_nothing():
    before = snapshot()
    lines: list[str] = []
    demo.load(scale=1, log=lines.append)
    assert snapshot() == before
    assert any(line.startswith("Angebote:") for line in lines)


def test_scale_two_copies_every_offer_with_its_sessions():
    originals = {o.slug: o for o in demo_offers()}
    sessions = Session.objects.filter(offer__in=demo_offers()).count()
    lines: list[str] = []
    demo.load(scale=2, log=lines.append)
    assert demo_offers().count() == 2 * len(originals)
    assert Session.objects.filter(offer__in=demo_offers()).count() == 2 * sessions
    assert any("352 von 352 Kopien" in line or "Kopien" in line for line in lines)
    copy = Offer.objects.get(slug="seepferdchen-bilk-2")
    original = originals["seepferdchen-bilk"]
    assert copy.title == original.title + " 2"
    assert (copy.taken, copy.status, copy.capacity) == (0, "published", original.capacity)
    assert copy.public_id != original.public_id
    assert [(s.starts_at, s.ends_at) for s in copy.sessions.all()] == [
        (s.starts_at, s.ends_at) for s in original.sessions.all()
    ]
    # The copy's derived fields are what ``services.offers`` computes for it; its search
    # keys are the original's and its number (found by the same words).
    expected = offers.derived(copy, list(copy.sessions.all()))
    search = expected.pop("search_text")
    assert {name: getattr(copy, name) for name in expected} == expected
    assert set(copy.search_text.split()) == {*original.search_text.split(), "2"}
    assert copy.search_text.split()[: len(offers.terms(copy.title))] == offers.terms(copy.title)
    assert search.startswith(" ".join(offers.terms(copy.title)))
    # Copies of the lottery have their own seed (made when someone enters), and loading
    # the same scale again adds nothing.
    assert not Offer.objects.get(slug="abenteuerwoche-unterbach-2").lottery_seed
    count = Offer.objects.count()
    demo.load(scale=2, log=lambda *_: None)
    assert Offer.objects.count() == count
