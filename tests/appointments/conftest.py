"""A Bürgerbüro of our own for every test: open every day 08:00–12:00 and 13:00–17:00, two
counters, two services that no demo office books (so the demo city stays out of the way),
and a fixed "now" for the service-level tests."""

from datetime import datetime, time

import pytest
from django.utils import timezone

from rathaus.appointments.models import BookingRules, Counter, OfficeService
from rathaus.offices.models import Office, OpeningHours
from tests.factories import OfficeFactory, ServiceFactory, UserFactory

BERLIN = timezone.get_default_timezone()
# A Monday without holidays around it, in the future for every test run of this decade.
NOW = datetime(2027, 3, 22, 6, 0, tzinfo=BERLIN)


def make_office(slug: str, counters: int = 2, **rules) -> Office:
    office = OfficeFactory(
        slug=slug, name=f"Bürgerbüro {slug.title()}", kind=Office.Kind.CITIZENS_OFFICE
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(office=office, weekday=day, opens=opens, closes=closes)
        for day in range(7)
        for opens, closes in ((time(8), time(12)), (time(13), time(17)))
    )
    BookingRules.objects.create(office=office, **rules)
    for number in range(1, counters + 1):
        Counter.objects.create(office=office, number=number)
    return office


@pytest.fixture
def office(db) -> Office:
    return make_office("testbuero")


@pytest.fixture
def passport(db, office):
    """15 minutes per person."""
    service = ServiceFactory(title="Testausweis beantragen", slug="testausweis")
    OfficeService.objects.create(office=office, service=service, minutes_per_person=15)
    return service


@pytest.fixture
def registration(db, office):
    """10 minutes per person."""
    service = ServiceFactory(title="Testwohnsitz anmelden", slug="testwohnsitz")
    OfficeService.objects.create(office=office, service=service, minutes_per_person=10)
    return service


@pytest.fixture
def resident_with_passkey(db):
    """A resident whose address is confirmed and who has a passkey (its ceremonies are
    tested in tests/accounts; here only its existence matters)."""
    from rathaus.accounts.models import Passkey

    user = UserFactory(email="passkey@beispiel.de", email_confirmed_at=timezone.now())
    Passkey.objects.create(user=user, credential_id="dGVzdA", public_key=b"\x00", name="Handy")
    return user


def book(office, services, day, when, *, persons=1, now=None, confirmed=True, **who):
    """A booking (``when``: a time of day or a unit) as the service makes it; a hold with
    ``confirmed=False``."""
    from rathaus.appointments.services import booking, calendar

    who.setdefault("name", "Erika Beispiel")
    if "phone" not in who:
        who.setdefault("email", "erika@beispiel.de")
    unit = calendar.unit_floor(when) if isinstance(when, time) else when
    request = booking.Request(
        office=office, services=services, persons=persons, day=day, unit=unit, **who
    )
    return booking.reserve(request, confirmed=confirmed, now=now)[0]
