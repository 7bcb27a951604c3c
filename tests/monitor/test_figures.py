"""The monitor's figures and the green-IT account, computed from cases created here.

The test database holds the demo city, so every check compares a figure before and after
the cases of the test were made, in a month of its own."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from rathaus.applications.models import Application, Decision, FormDefinition
from rathaus.appointments.models import Appointment
from rathaus.catalog.models import ServiceChannel
from rathaus.core.channels import Channel
from rathaus.monitor import services
from rathaus.monitor.models import PaperAssumption, Reading, Target
from rathaus.monitor.services import green
from tests.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db
MONTHS = 13


@pytest.fixture
def month():
    """The first day of the month six months back: inside the monitor's year."""
    return services.month_starts(7)[0]


def _at(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _figure(key):
    return {figure.key: figure for figure in services.figures(MONTHS)}[key]


def _point(key, month):
    return next(point for point in _figure(key).points if point.month == month)


@pytest.fixture
def service():
    """A service with a form, so that applications for it can be made."""
    service = ServiceFactory(slug="test-papierleistung")
    form = FormDefinition.objects.create(service=service, version=1, schema={"pages": []})
    service.test_form = form
    return service


def _application(service, channel, submitted, *, applicant=None, decided=None):
    application = Application.objects.create(
        service=service,
        form=service.test_form,
        channel=channel,
        status=Application.Status.DECIDED if decided else Application.Status.RECEIVED,
        applicant=applicant,
        submitted_at=submitted,
        decided_at=decided,
    )
    if decided:
        decision = Decision.objects.create(
            application=application, kind=Decision.Kind.APPROVAL, reasoning="-", legal_remedy="-"
        )
        Decision.objects.filter(pk=decision.pk).update(decided_at=decided)
    return application


def test_applications_and_decisions_count_per_month_and_channel(service, month):
    before = _point("antraege", month), _point("bescheide", month)
    resident = UserFactory()
    submitted = _at(month.replace(day=3))
    for _ in range(3):
        _application(service, Channel.ONLINE, submitted)
    _application(
        service, Channel.ONLINE, submitted, applicant=resident, decided=submitted + timedelta(4)
    )
    _application(service, Channel.PAPER, submitted, decided=submitted + timedelta(days=10))

    applications, decisions = _point("antraege", month), _point("bescheide", month)

    assert (applications.part, applications.whole) == (before[0].part + 4, before[0].whole + 5)
    # The case with an account got its Bescheid in the account; the paper case by post.
    assert (decisions.part, decisions.whole) == (before[1].part + 1, before[1].whole + 2)
    assert applications.value == pytest.approx(100 * applications.part / applications.whole)
    (median,) = [row for row in _figure("antraege").durations if row[0] == month]
    assert median[2] >= 2


def test_the_median_processing_time_of_a_month():
    month = services.month_starts(9)[0]
    service = ServiceFactory(slug="test-bearbeitungsdauer")
    service.test_form = FormDefinition.objects.create(service=service, version=1, schema={})
    # The demo's archive may have decided cases in that month: they are not this test's.
    Application.objects.filter(decided_at__gte=_at(month, 0)).update(decided_at=None)
    for days in (2, 5, 30):
        start = _at(month.replace(day=1))
        _application(service, Channel.ONLINE, start, decided=start + timedelta(days=days))
    (row,) = [row for row in _figure("antraege").durations if row[0] == month]
    assert row[1:] == (5, 3)


def test_appointments_count_by_the_month_they_were_booked_and_not_unconfirmed_holds(month):
    before = _point("termine", month)
    booked = Appointment.objects.filter(status=Appointment.Status.BOOKED)
    online = booked.filter(channel=Channel.ONLINE).first()
    phone = booked.filter(channel=Channel.PHONE).first()
    Appointment.objects.filter(pk__in=[online.pk, phone.pk]).update(
        created_at=_at(month.replace(day=9))
    )
    held = booked.exclude(pk__in=[online.pk, phone.pk]).first()
    Appointment.objects.filter(pk=held.pk).update(
        status=Appointment.Status.HELD, created_at=_at(month.replace(day=9))
    )

    after = _point("termine", month)

    assert (after.part, after.whole) == (before.part + 1, before.whole + 2)


def test_the_online_share_of_the_catalogue_counts_published_services_with_an_online_channel():
    now = services.month_starts(1)[0]
    before = _point("leistungen-online", now)
    online = ServiceFactory()
    ServiceChannel.objects.create(service=online, kind=ServiceChannel.Kind.ONLINE)
    ServiceChannel.objects.create(service=ServiceFactory(), kind=ServiceChannel.Kind.PAPER)
    hidden = ServiceFactory(is_published=False)
    ServiceChannel.objects.create(service=hidden, kind=ServiceChannel.Kind.ONLINE)

    after = _point("leistungen-online", now)

    assert (after.part, after.whole) == (before.part + 1, before.whole + 2)


def test_readings_give_a_share_its_trend_and_the_committee_its_target():
    year_ago, now = services.month_starts(13)[0], services.month_starts(1)[0]
    Reading.objects.filter(figure="leistungen-online").delete()
    Reading.objects.create(figure="leistungen-online", month=year_ago, part=10, whole=80)
    Target.objects.update_or_create(figure="leistungen-online", defaults={"value": 90})
    services.take_readings()

    figure = _figure("leistungen-online")

    stored = Reading.objects.get(figure="leistungen-online", month=now)
    assert figure.current.month == now
    assert (figure.current.part, figure.current.whole) == (stored.part, stored.whole)
    assert figure.year_before.month == year_ago
    assert figure.change == pytest.approx(100 * stored.part / stored.whole - 12.5)
    assert float(figure.target.value) == 90


def test_paper_saved_follows_the_assumption_of_the_service_else_of_its_kind(service, month):
    other = ServiceFactory(slug="test-ohne-eigene-annahme")
    other.test_form = FormDefinition.objects.create(service=other, version=1, schema={})
    PaperAssumption.objects.create(
        tally="antraege", service=service.slug, sheets=7, letters=2, basis="Test"
    )
    general = PaperAssumption.objects.get(tally="antraege", service="")

    def saved():
        return next((row for row in green.paper(month) if row.month == month), None) or (
            green.PaperMonth(month)
        )

    before = saved()
    submitted = _at(month.replace(day=12))
    for _ in range(4):
        _application(service, Channel.ONLINE, submitted)
    _application(other, Channel.ONLINE, submitted)
    _application(service, Channel.PAPER, submitted)  # a paper case saves nothing

    after = saved()

    assert after.digital - before.digital == 5
    assert after.sheets - before.sheets == 4 * 7 + general.sheets
    assert after.letters - before.letters == 4 * 2 + general.letters
    assert after.postage - before.postage == (4 * 2 + general.letters) * Decimal("0.95")
    assert _point("papier", month).part == after.sheets


def test_a_case_without_any_assumption_saves_nothing_and_is_counted_as_such(service, month):
    PaperAssumption.objects.filter(tally="antraege").delete()
    before = next((r for r in green.paper(month) if r.month == month), green.PaperMonth(month))
    _application(service, Channel.ONLINE, _at(month.replace(day=20)))
    (after,) = [row for row in green.paper(month) if row.month == month]
    assert after.unassumed == before.unassumed + 1
    assert after.sheets == before.sheets


def test_energy_follows_the_configured_power_and_data_centre(settings):
    settings.RATHAUS = {
        **settings.RATHAUS,
        "GREEN_IT": {
            **settings.RATHAUS["GREEN_IT"],
            "CPU_WATTS": 10,
            "DB_WATTS": 20,
            "PUE": 1.5,
            "RENEWABLE_SHARE": 0.25,
            "GRAMS_CO2_PER_KWH": 400,
        },
    }
    # 3,600 CPU seconds at 10 W are 10 Wh; the database's 1,800 s at 20 W another 10 Wh,
    # counted only where the database is a server of its own (not in SQLite's process).
    database = 0.0 if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else 10.0
    used = green.EnergyMonth(services.month_starts(1)[0], 5, 3600, 1800)
    assert used.kwh == pytest.approx((10 + database) * 1.5 / 1000)
    assert used.renewable_kwh == pytest.approx(used.kwh * 0.25)
    assert used.co2_kg == pytest.approx(used.kwh * 0.4)
