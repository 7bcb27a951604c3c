"""A provider of our own for every test, with a venue in Bilk and an offer factory, and a
signed-in resident (``parent``) who manages two children. The demo programme stays out of
the way: our slugs start with ``test-``."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.accounts.models import Role
from rathaus.offices.models import District, Quarter
from rathaus.programs.models import Offer, Participant, Provider, ProviderMembership, Session, Venue
from rathaus.programs.services import offers
from tests.factories import StaffFactory, UserFactory

BERLIN = timezone.get_default_timezone()


def make_provider(slug: str = "test-schwimmverein", **fields) -> Provider:
    fields.setdefault("name", f"Testanbieter {slug}")
    fields.setdefault("kind", Provider.Kind.ASSOCIATION)
    fields.setdefault("email", f"{slug}@beispiel.de")
    return Provider.objects.create(slug=slug, **fields)


def make_venue(provider: Provider, quarter: str = "Bilk", **fields) -> Venue:
    place = Quarter.objects.filter(name=quarter).select_related("district").first()
    if place is None:  # without the demo city: a quarter of that name in district 3
        district, _ = District.objects.get_or_create(number=3, defaults={"name": "Stadtbezirk 3"})
        place = Quarter.objects.create(
            number=f"9{Quarter.objects.count() % 100:02d}", name=quarter, district=district
        )
    fields.setdefault("name", f"Testhalle {quarter}")
    fields.setdefault("street", "Teststraße 1")
    fields.setdefault("postcode", "40225")
    return Venue.objects.create(provider=provider, quarter=place, district=place.district, **fields)


def make_offer(
    provider: Provider,
    slug: str = "test-schwimmkurs",
    *,
    venue: Venue | None = None,
    sessions: int = 1,
    first: datetime | None = None,
    minutes: int = 60,
    **fields,
) -> Offer:
    """A published, bookable offer with ``sessions`` weekly sessions from ``first``
    (default: in 30 days at 16:00)."""
    now = timezone.now()
    first = first or timezone.make_aware(
        datetime.combine(timezone.localdate(now) + timedelta(days=30), datetime.min.time())
        + timedelta(hours=16),
        BERLIN,
    )
    fields.setdefault("title", "Testschwimmkurs für Kinder")
    fields.setdefault("summary", "Seepferdchen in zehn Stunden")
    fields.setdefault("category", "sport")
    fields.setdefault("status", Offer.Status.PUBLISHED)
    fields.setdefault("capacity", 10)
    fields.setdefault("booking_opens_at", now - timedelta(days=1))
    fields.setdefault("price", Decimal("0.00"))
    offer = Offer.objects.create(
        provider=provider,
        slug=slug,
        venue=venue or make_venue(provider),
        **fields,
    )
    Session.objects.bulk_create(
        Session(
            offer=offer,
            starts_at=first + timedelta(weeks=week),
            ends_at=first + timedelta(weeks=week, minutes=minutes),
        )
        for week in range(sessions)
    )
    return offers.refresh(offer)


@pytest.fixture
def provider(db) -> Provider:
    return make_provider(
        account_holder="Testschwimmverein e. V.",
        iban="DE02120300000000202051",
        bic="BYLADEM1001",
    )


@pytest.fixture
def venue(provider) -> Venue:
    return make_venue(provider, step_free=True)


@pytest.fixture
def offer(provider, venue) -> Offer:
    return make_offer(provider, venue=venue, age_min=5, age_max=8)


@pytest.fixture
def parent(db):
    user = UserFactory(
        email="eltern@beispiel.de", full_name="Erika Beispiel", email_confirmed_at=timezone.now()
    )
    Participant.objects.create(account=user, name="Mia Beispiel", birth_year=2020)
    Participant.objects.create(account=user, name="Ben Beispiel", birth_year=2022)
    return user


@pytest.fixture
def parent_client(parent) -> Client:
    client = Client()
    client.force_login(parent)
    return client


@pytest.fixture
def provider_staff(provider):
    """Staff of ``provider`` with the programme manager role."""
    user = StaffFactory(roles=[Role.PROGRAM_MANAGER])
    ProviderMembership.objects.create(user=user, provider=provider)
    return user
