"""A Kita year of our own for every test, open for registration, with four daycares of two
providers and known places; families with a passkey-confirmed session; a planner of the
youth office and a provider's Kita manager. The demo Kitas stay out of the way: our slugs
start with ``test-``, and our period opened after the demo's, so it is the current one."""

import hashlib
from datetime import date, datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.accounts.models import Role
from rathaus.kita.models import Daycare, Period, Places, Provider, ProviderMembership
from rathaus.kita.services import registrations
from rathaus.offices.models import District
from tests.applications.conftest import verified_client
from tests.factories import StaffFactory, UserFactory

SEED = "test-startwert-2027"


def next_august() -> date:
    today = timezone.localdate()
    return date(today.year + (today.month >= 2), 8, 1)


@pytest.fixture
def period(db) -> Period:
    return make_period()


def make_period() -> Period:
    """A Kita year from next August, open for registration for 30 more days."""
    now = timezone.now()
    start = next_august()
    return Period.objects.create(
        slug="test-kita-jahr",
        name=f"Test-Kita-Jahr {start.year}/{start.year % 100 + 1:02d}",
        start=start,
        last_start=start.replace(year=start.year + 1, month=7),
        registration_opens=now - timedelta(hours=1),
        registration_closes=now + timedelta(days=30),
        criteria=["sibling", "entitlement", "inclusion", "district", "work"],
        tie_break="lottery",
        seed=SEED,
        seed_digest=hashlib.sha256(SEED.encode()).hexdigest(),
    )


def district(number: int) -> District:
    """A Stadtbezirk of the demo city (or, in a test with an empty database, one like it)."""
    return District.objects.get_or_create(
        number=number, defaults={"name": f"Stadtbezirk {number}"}
    )[0]


def make_provider(slug: str, **fields) -> Provider:
    fields.setdefault("name", f"Testträger {slug}")
    fields.setdefault("kind", Provider.Kind.FREE)
    return Provider.objects.create(slug=slug, **fields)


def make_daycare(provider: Provider, slug: str, district_number: int, **fields) -> Daycare:
    fields.setdefault("name", f"Testkita {slug}")
    return Daycare.objects.create(
        provider=provider,
        slug=slug,
        street="Teststraße 1",
        postcode="40225",
        district=district(district_number),
        opens_at=time(7),
        closes_at=time(16),
        **fields,
    )


def places(period: Period, daycare: Daycare, *units: tuple[str, int, int]) -> None:
    Places.objects.bulk_create(
        Places(period=period, daycare=daycare, group_form=form, hours=hours, places=n)
        for form, hours, n in units
    )


@pytest.fixture
def provider(db) -> Provider:
    return make_provider("test-traeger")


@pytest.fixture
def other_provider(db) -> Provider:
    return make_provider("test-andere-traeger", kind=Provider.Kind.CHURCH)


@pytest.fixture
def kitas(period, provider, other_provider) -> dict[str, Daycare]:
    """Sonne (Bezirk 3: one under-three place, one for three-year-olds, 45 h), Mond
    (Bezirk 3: two places for three-year-olds, 35 h), Stern (Bezirk 1: one under-three
    place, 45 h) of our provider; Wolke (Bezirk 1, another provider: two of each)."""
    made = {
        "sonne": make_daycare(provider, "test-sonne", 3, name="Testkita Sonnenschein"),
        "mond": make_daycare(provider, "test-mond", 3, name="Testkita Mondlicht"),
        "stern": make_daycare(provider, "test-stern", 1, name="Testkita Sternchen"),
        "wolke": make_daycare(other_provider, "test-wolke", 1, name="Testkita Wolke"),
    }
    places(period, made["sonne"], ("II", 45, 1), ("III", 45, 1))
    places(period, made["mond"], ("III", 35, 2))
    places(period, made["stern"], ("II", 45, 1))
    places(period, made["wolke"], ("II", 45, 2), ("III", 45, 2))
    return made


def birth(years: int, months: int = 0) -> date:
    """A birth date so that the child is ``years`` and ``months`` old at the start."""
    start = next_august()
    month = start.month - months
    year = start.year - years - (month < 1)
    return date(year, (month - 1) % 12 + 1, 15)


def details(**overrides) -> dict:
    start = next_august()
    values = {
        "parent_name": "Alex Muster",
        "email": "alex@beispiel.de",
        "phone": "",
        "child_given_name": "Mia",
        "child_family_name": "Muster",
        "birth_date": birth(1, 6),
        "start_month": start,
        "hours": 45,
        "street": "Musterweg 5",
        "postcode": "40225",
        "district": district(3),
        "inclusion_needs": False,
        "parents_working": True,
    }
    values.update(overrides)
    return values


def register(period, wishes, *, account=None, siblings=(), **overrides):
    return registrations.register(
        period, details(**overrides), list(wishes), list(siblings), account=account
    )


def form_data(*wishes: Daycare, **overrides) -> dict:
    """What a browser posts on the registration form."""
    start = next_august()
    data = {
        "parent_name": "Alex Muster",
        "email": "alex@beispiel.de",
        "phone": "",
        "child_given_name": "Mia",
        "child_family_name": "Muster",
        "birth_date": birth(1, 6).strftime("%d.%m.%Y"),
        "start_month": start.strftime("%Y-%m"),
        "hours": "45",
        "street": "Musterweg 5",
        "postcode": "40225",
        "district": str(district(3).pk),
        "parents_working": "on",
        "sibling": "",
        "nationality": "",
        "home_language": "",
        "gender": "",
    }
    for n, daycare in enumerate(wishes, 1):
        data[f"wish_{n}"] = f"{daycare.name} (Nr. {daycare.pk})"
    data.update(overrides)
    return data


@pytest.fixture
def family(db):
    return UserFactory(email="familie.muster@beispiel.de")


@pytest.fixture
def family_client(family) -> Client:
    return verified_client(family)


@pytest.fixture
def other_family(db):
    return UserFactory(email="familie.anders@beispiel.de")


@pytest.fixture
def planner(db):
    return StaffFactory(email="planung@beispiel.de", roles=[Role.KITA_PLANNER])


@pytest.fixture
def planner_client(planner) -> Client:
    client = Client()
    client.force_login(planner)
    return client


@pytest.fixture
def manager(provider):
    user = StaffFactory(email="kita.leitung@beispiel.de", roles=[Role.KITA_MANAGER])
    ProviderMembership.objects.create(user=user, provider=provider)
    return user


@pytest.fixture
def manager_client(manager) -> Client:
    client = Client()
    client.force_login(manager)
    return client


def close_registration(period: Period) -> None:
    period.registration_closes = timezone.now() - timedelta(minutes=1)
    period.save(update_fields=["registration_closes"])


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))
