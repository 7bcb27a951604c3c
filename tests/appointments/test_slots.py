"""Free times: opening hours, holidays, exceptions, several services and persons, buffers,
horizon and release, lead time, summer-time days, and the earliest search across offices."""

from datetime import date, datetime, time, timedelta

import pytest

from rathaus.appointments.models import (
    BookingRules,
    Counter,
    CounterDay,
    OfficeService,
    OpeningException,
)
from rathaus.appointments.services import booking, calendar, days, slots
from rathaus.offices.models import District, Office

from . import conftest
from .conftest import BERLIN, NOW, make_office

pytestmark = pytest.mark.django_db


def book(office, services, day, clock, *, email="a@beispiel.de", now=NOW, **extra):
    return conftest.book(office, services, day, clock, email=email, now=now, **extra)


def times(offer, day, *, now=NOW):
    return [
        calendar.unit_label(u) for u in slots.office_calendar(offer, day, day, now=now).get(day, [])
    ]


def test_opening_hours_give_the_start_times_on_the_grid(office, passport):
    offer = slots.office_offer(office, [passport], 1)
    free = times(offer, date(2027, 3, 23))
    # 10-minute grid, 15-minute appointment: the last start before the lunch break is 11:40.
    assert free[:3] == ["08:00", "08:10", "08:20"]
    assert "11:40" in free and "11:50" not in free
    assert "12:00" not in free and "12:50" not in free and "13:00" in free
    assert free[-1] == "16:40"


def test_several_services_and_persons_add_up(office, passport, registration):
    offer = slots.office_offer(office, [passport, registration], 3)
    assert offer.minutes == (15 + 10) * 3
    assert offer.units == 15
    free = times(offer, date(2027, 3, 23))
    # 75 minutes must fit before 12:00 (start 10:40 at the latest) and before 17:00.
    assert "10:40" in free and "10:50" not in free
    assert free[-1] == "15:40"


def test_an_appointment_fills_the_counter_and_the_buffer(office, passport):
    rules = office.booking_rules
    rules.buffer_minutes = 5
    rules.save()
    office.counters.filter(number=2).update(is_active=False)
    day = date(2027, 3, 23)
    offer = slots.office_offer(office, [passport], 1)
    assert offer.units == 4  # 15 minutes + 5 buffer
    appointment = book(office, [passport], day, time(8, 0))
    assert (appointment.start_unit, appointment.end_unit) == (96, 100)
    free = times(slots.office_offer(office, [passport], 1), day)
    assert "08:00" not in free and "08:10" not in free
    assert free[0] == "08:20"


def test_capacity_is_the_number_of_counters(office, passport):
    day = date(2027, 3, 23)
    first = book(office, [passport], day, time(9, 0), email="a@beispiel.de")
    second = book(office, [passport], day, time(9, 0), email="b@beispiel.de")
    assert {first.counter_id, second.counter_id} == set(
        office.counters.values_list("pk", flat=True)
    )
    assert "09:00" not in times(slots.office_offer(office, [passport], 1), day)
    with pytest.raises(booking.SlotTaken):
        book(office, [passport], day, time(9, 0), email="c@beispiel.de")


def test_public_holidays_in_nrw_are_closed(office, passport):
    offer = slots.office_offer(office, [passport], 1)
    corpus_christi = date(2027, 5, 27)
    assert calendar.holiday_name(corpus_christi) == "Fronleichnam"
    assert times(offer, corpus_christi, now=datetime(2027, 5, 20, 8, tzinfo=BERLIN)) == []
    assert times(
        offer, corpus_christi + timedelta(days=1), now=datetime(2027, 5, 20, 8, tzinfo=BERLIN)
    )


def test_exceptions_close_or_add_hours(office, passport):
    day = date(2027, 3, 24)
    OpeningException.objects.create(
        office=office, day=day, opens=time(8), closes=time(10), reason="Schulung"
    )
    OpeningException.objects.create(
        office=office, day=day, is_open=True, opens=time(17), closes=time(19), reason="Langer Abend"
    )
    closed_day = date(2027, 3, 25)
    OpeningException.objects.create(office=office, day=closed_day, reason="Betriebsausflug")
    offer = slots.office_offer(office, [passport], 1)
    free = times(offer, day)
    assert free[0] == "10:00"
    assert "18:40" in free and "18:50" not in free
    assert times(offer, closed_day) == []
    hours = calendar.load_hours([office.pk], closed_day, closed_day)[office.pk]
    assert hours.closure_reason(closed_day) == "Betriebsausflug"


def test_lead_time_and_past_times_are_not_offered(office, passport):
    offer = slots.office_offer(office, [passport], 1)
    now = datetime(2027, 3, 23, 9, 3, tzinfo=BERLIN)  # lead time 2 hours: from 11:03
    free = times(offer, date(2027, 3, 23), now=now)
    assert free[0] == "11:10"
    with pytest.raises(booking.Unavailable, match="frühestens 2 Stunden"):
        book(office, [passport], date(2027, 3, 23), time(10, 0), now=now)


def test_horizon_and_daily_release(office, passport):
    rules = office.booking_rules
    offer = slots.office_offer(office, [passport], 1)
    before_release = datetime(2027, 3, 23, 6, 59, tzinfo=BERLIN)
    after_release = datetime(2027, 3, 23, 7, 0, tzinfo=BERLIN)
    assert days.last_bookable_day(rules, before_release) == date(2027, 3, 23) + timedelta(days=55)
    assert days.last_bookable_day(rules, after_release) == date(2027, 3, 23) + timedelta(days=56)
    last = date(2027, 3, 23) + timedelta(days=56)  # a Tuesday, no holiday
    assert times(offer, last, now=before_release) == []
    assert times(offer, last, now=after_release)[0] == "08:00"
    with pytest.raises(booking.Unavailable, match="noch nicht zur Buchung freigegeben"):
        book(office, [passport], last, time(8), now=before_release)


def test_summer_time_days_keep_local_opening_hours(office, passport):
    spring, autumn = date(2027, 3, 28), date(2027, 10, 31)
    assert calendar.local_moment(spring, 96).utcoffset() == timedelta(hours=2)
    assert calendar.local_moment(autumn, 96).utcoffset() == timedelta(hours=1)
    offer = slots.office_offer(office, [passport], 1)
    assert times(offer, spring, now=datetime(2027, 3, 27, 8, tzinfo=BERLIN))[0] == "08:00"
    assert times(offer, autumn, now=datetime(2027, 10, 30, 8, tzinfo=BERLIN))[0] == "08:00"
    booked = book(office, [passport], spring, time(8), now=datetime(2027, 3, 27, 8, tzinfo=BERLIN))
    assert booked.starts_at.astimezone(BERLIN).hour == 8
    assert booked.starts_at.utcoffset() is not None
    assert (booked.ends_at - booked.starts_at) == timedelta(minutes=15)


def test_lead_time_counts_real_hours_across_the_change_to_summer_time(office, passport):
    spring = date(2027, 3, 28)
    OpeningException.objects.create(
        office=office, day=spring, is_open=True, opens=time(3), closes=time(6), reason="Test"
    )
    # 23:00 CET + 4 hours = 04:00 CEST (the clock skips 02:00–03:00).
    office.booking_rules.lead_hours = 4
    office.booking_rules.save()
    offer = slots.office_offer(office, [passport], 1)
    now = datetime(2027, 3, 27, 23, 0, tzinfo=BERLIN)
    assert times(offer, spring, now=now)[0] == "04:00"


def test_earliest_across_offices_orders_by_time_and_filters_by_district(office, passport):
    other = make_office("zweitbuero", counters=1)
    OfficeService.objects.create(office=other, service=passport, minutes_per_person=15)
    day = date(2027, 3, 22)
    # The own office is full until 10:00 on the first bookable day; the other is free at 08:00.
    for clock in (time(8), time(8, 30), time(9), time(9, 30)):
        for n in (1, 2):
            booking.reserve(
                booking.Request(
                    office=office,
                    services=[passport],
                    persons=2,
                    day=day,
                    unit=calendar.unit_floor(clock),
                    name="Voll Belegt",
                    email=f"{clock}{n}@beispiel.de",
                ),
                confirmed=True,
                now=datetime(2027, 3, 21, 8, tzinfo=BERLIN),
            )
    now = datetime(2027, 3, 22, 5, 0, tzinfo=BERLIN)  # lead time: from 07:00
    found = slots.earliest([passport], 1, now=now)
    assert [(t.office_id, calendar.unit_label(t.unit)) for t in found] == [
        (other.pk, "08:00"),
        (office.pk, "10:00"),
    ]
    assert found[0].starts_at == datetime(2027, 3, 22, 8, tzinfo=BERLIN)
    bilk, benrath = District.objects.get(number=3), District.objects.get(number=9)
    Office.objects.filter(pk=office.pk).update(district=bilk)
    Office.objects.filter(pk=other.pk).update(district=benrath)
    in_bilk = slots.earliest([passport], 1, now=now, district_id=bilk.pk)
    assert [t.office_id for t in in_bilk] == [office.pk]


def test_earliest_finds_later_days_when_the_first_ones_are_full(office, passport):
    office.counters.filter(number=2).delete()
    Counter.objects.filter(office=office).update(is_active=True)
    start = datetime(2027, 3, 22, 5, 0, tzinfo=BERLIN)
    days.ensure_released([office.pk], start)
    # Book out three whole days by blocking them.
    for offset in range(3):
        OpeningException.objects.create(
            office=office, day=date(2027, 3, 22) + timedelta(days=offset), reason="zu"
        )
    days.refresh_office(office.pk, date(2027, 3, 22))
    found = slots.earliest([passport], 1, now=start)
    assert found[0].day == date(2027, 3, 25)
    assert calendar.unit_label(found[0].unit) == "08:00"


def test_multi_service_search_needs_an_office_with_all_services(office, passport, registration):
    other = make_office("nurausweis", counters=1)
    OfficeService.objects.create(office=other, service=passport, minutes_per_person=15)
    offices = slots.offers([passport, registration], 1)
    assert set(offices) == {office.pk}
    assert offices[office.pk].minutes == 25
    OfficeService.objects.filter(office=office, service=registration).update(max_persons=2)
    assert slots.offers([passport, registration], 3) == {}


def test_the_cache_stays_true_after_holds_expire(office, passport):
    office.counters.filter(number=2).delete()
    day = date(2027, 3, 23)
    appointment = conftest.book(office, [passport], day, time(8), confirmed=False, now=NOW)
    offer = slots.office_offer(office, [passport], 1)
    assert "08:00" not in times(offer, day)
    row = CounterDay.objects.get(counter=appointment.counter, day=day)
    assert row.changes_at == appointment.hold_expires_at
    later = NOW + timedelta(minutes=11)
    assert booking.expire_holds(later) == 1
    assert days.refresh_due(later) == 1
    assert "08:00" in times(offer, day, now=later)


def test_rules_are_checked_by_the_database(office):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        BookingRules.objects.filter(office=office).update(step_minutes=1)
