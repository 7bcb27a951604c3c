"""What runs in the background and the back office: the daily and minute jobs, open-data
figures, master data in /verwaltung/ and what a change of opening hours sets off."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from rathaus.accounts.models import Role
from rathaus.appointments import tasks
from rathaus.appointments.models import (
    Appointment,
    CounterDay,
    LeadTimeSample,
    OpeningException,
)
from rathaus.appointments.services import booking, calendar, figures, slots
from rathaus.core import periodic
from rathaus.offices import services as offices
from rathaus.offices.models import OpeningHours
from tests.factories import StaffFactory

from . import conftest
from .conftest import BERLIN, NOW

pytestmark = pytest.mark.django_db


def book(office, service, day, clock, email):
    return conftest.book(office, [service], day, clock, email=email, now=NOW)


def test_month_figures_count_services_and_the_median_lead_time(office, passport, registration):
    for n, clock in enumerate((time(9), time(10), time(11))):
        book(office, passport, date(2027, 3, 23), clock, f"p{n}@beispiel.de")
    cancelled = book(office, registration, date(2027, 3, 24), time(9), "c@beispiel.de")
    booking.cancel(cancelled, now=NOW)
    book(office, registration, date(2027, 4, 1), time(9), "april@beispiel.de")
    for hours in (24, 48, 96):
        LeadTimeSample.objects.create(
            office=office, sampled_at=datetime(2027, 3, 10, tzinfo=BERLIN), lead_hours=hours
        )
    LeadTimeSample.objects.create(
        office=office, sampled_at=datetime(2027, 4, 2, tzinfo=BERLIN), lead_hours=1000
    )
    result = figures.month_figures(office, 2027, 3)
    assert result == {
        "office": office.slug,
        "month": "2027-03",
        "median_lead_days": 2.0,
        "samples": 3,
        "appointments_by_service": {passport.slug: 3},
    }


def test_lead_time_samples_use_the_earliest_free_time(office, passport, registration):
    count = figures.sample_lead_times(now=NOW)
    assert count >= 1
    sample = LeadTimeSample.objects.get(office=office)
    earliest = slots.earliest([registration], 1, office_ids=[office.pk], now=NOW)[0]
    assert sample.lead_hours == pytest.approx((earliest.starts_at - NOW).total_seconds() / 3600)


def test_the_minute_job_expires_holds_and_frees_their_time(office, passport, settings):
    office.counters.filter(number=2).delete()
    day = timezone.localdate() + timedelta(days=2)
    appointment = conftest.book(office, [passport], day, time(9), confirmed=False)
    Appointment.objects.filter(pk=appointment.pk).update(
        hold_expires_at=appointment.hold_expires_at - timedelta(minutes=20)
    )
    CounterDay.objects.filter(counter=appointment.counter, day=day).update(
        changes_at=appointment.hold_expires_at - timedelta(minutes=20)
    )
    ran = periodic.run_frequent(force=True)
    assert "rathaus.appointments.tasks.appointments_every_minute" in ran
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.EXPIRED
    offer = slots.office_offer(office, [passport], 1)
    assert calendar.unit_floor(time(9)) in slots.office_calendar(offer, day, day)[day]


def test_the_daily_job_is_registered_and_runs(office, passport):
    assert "rathaus.appointments.tasks.appointments_daily" in periodic.registered()
    result = tasks.appointments_daily.call()
    assert result["offices_released"] >= 1 and result["lead_time_samples"] >= 1


def test_changed_opening_hours_reach_the_free_times(office, passport):
    day = timezone.localdate() + timedelta(days=3)
    offer = slots.office_offer(office, [passport], 1)
    assert calendar.unit_floor(time(8)) in slots.office_calendar(offer, day, day)[day]
    OpeningHours.objects.filter(office=office).update(opens=time(10))
    offices.hours_changed(office)
    assert slots.office_calendar(offer, day, day)[day][0] == calendar.unit_floor(time(10))


def test_back_office_master_data(client, office, passport):
    editor = StaffFactory(roles=[Role.CATALOGUE_EDITOR])
    client.force_login(editor)
    for model in ("bookingrules", "counter", "officeservice", "openingexception"):
        assert client.get(f"/verwaltung/appointments/{model}/").status_code == 200
    day = timezone.localdate() + timedelta(days=4)
    response = client.post(
        "/verwaltung/appointments/openingexception/add/",
        {"office": office.pk, "day": day.strftime("%d.%m.%Y"), "reason": "Inventur"},
    )
    assert response.status_code == 302
    assert OpeningException.objects.filter(office=office, day=day).exists()
    offer = slots.office_offer(office, [passport], 1)
    assert day not in slots.office_calendar(offer, day, day)
    client.force_login(StaffFactory(roles=[Role.CASEWORKER], roles__offices=[office]))
    assert client.get("/verwaltung/appointments/counter/").status_code == 403
