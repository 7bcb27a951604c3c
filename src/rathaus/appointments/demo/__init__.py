"""Demo appointments: counters and bookable services of the Bürgerbüros and some Ämter,
booking rules, and a believable load (mornings fuller than afternoons, the next days
fuller than later weeks), a waiting room in Bilk, a closed day and lead-time history.

Runs after offices, catalog and accounts. Every Bürgerbüro, scaled copies included, books
the original services (so ``--scale 20`` gives 240 Bürgerbüros for the same
Personalausweis). Booked people are invented (``@demo.duesseldorf.invalid``). Loading
twice changes nothing: bookings are only made into an empty appointments table.
"""

import random
from collections.abc import Callable
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from rathaus.accounts.models import User
from rathaus.catalog.models import Service, ServiceChannel
from rathaus.core.demo import read_json
from rathaus.offices.models import Office

from ..models import (
    Appointment,
    AppointmentService,
    Block,
    BookingRules,
    Counter,
    CounterDay,
    LeadTimeSample,
    OfficeService,
    OpeningException,
    QueueTicket,
    new_booking_code,
)
from ..services import booking, calendar, days, office_day, queue, slots

DATA = Path(__file__).resolve().parent
DEMO_RESIDENT = "erika.mustermann@demo.duesseldorf.invalid"
# Share of free time booked, by days ahead: the next days are nearly full.
LOAD = [(2, 0.85), (7, 0.6), (14, 0.35), (28, 0.15)]


def _plan(data: dict) -> dict[Office, tuple[int, dict[str, int]]]:
    """Office → (counters, {service slug: minutes per person})."""
    plan = {}
    citizens = data["buergerbuero"]
    for office in Office.objects.filter(kind=Office.Kind.CITIZENS_OFFICE):
        base = (
            office.slug.rsplit("-", 1)[0]
            if office.slug.rsplit("-", 1)[-1].isdigit()
            else office.slug
        )
        counters = citizens["counters_by_slug"].get(base, citizens["counters"])
        plan[office] = (counters, citizens["services"])
    for office in Office.objects.filter(slug__in=data["offices"]):
        entry = data["offices"][office.slug]
        plan[office] = (entry["counters"], entry["services"])
    return plan


def load_setup(data: dict) -> dict[Office, list[Counter]]:
    plan = _plan(data)
    services = Service.objects.in_bulk(
        {slug for _, slugs in plan.values() for slug in slugs}, field_name="slug"
    )
    for office in plan:
        BookingRules.objects.get_or_create(office=office)
    Counter.objects.bulk_create(
        [
            Counter(office=office, number=n, name=f"Schalter {n}")
            for office, (count, _) in plan.items()
            for n in range(1, count + 1)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    OfficeService.objects.bulk_create(
        [
            OfficeService(office=office, service=services[slug], minutes_per_person=minutes)
            for office, (_, slugs) in plan.items()
            for slug, minutes in slugs.items()
            if slug in services
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    counters: dict[Office, list[Counter]] = {office: [] for office in plan}
    for counter in Counter.objects.filter(office__in=plan).select_related("office"):
        counters[counter.office].append(counter)
    return counters


def _share(days_ahead: int) -> float:
    return next((share for limit, share in LOAD if days_ahead < limit), 0.05)


def fill(counters: dict[Office, list[Counter]], data: dict, *, rng: random.Random) -> int:
    """Book a share of the free time directly (bulk): a believable calendar in seconds."""
    now = timezone.now()
    today = timezone.localdate()
    offered = {}
    for row in OfficeService.objects.filter(office__in=counters).select_related("service"):
        offered.setdefault(row.office_id, []).append(row)
    hours = calendar.load_hours([o.pk for o in counters], today, today + timedelta(days=28))
    appointments, items = [], []
    names = data["names"]
    codes = set(Appointment.objects.values_list("code", flat=True))

    def unique_code() -> str:
        # Random codes collide now and then among thousands (birthday problem).
        while (code := new_booking_code()) in codes:
            pass
        codes.add(code)
        return code

    for office, office_counters in counters.items():
        services = offered.get(office.pk, [])
        if not services:
            continue
        for ahead in range(0, 28):
            day = today + timedelta(days=ahead)
            open_mask = hours[office.pk].open_mask(day)
            if not open_mask:
                continue
            share = _share(ahead)
            # Mornings are wanted more than afternoons.
            for counter in office_counters:
                unit = 0
                while unit < calendar.UNITS_PER_DAY:
                    if not open_mask >> unit & 1:
                        unit += 1
                        continue
                    choice = rng.choice(services)
                    persons = 1 if rng.random() < 0.85 else rng.randint(2, 4)
                    length = -(-choice.minutes_per_person * persons // 5)
                    wanted = calendar.span(unit, unit + length)
                    morning = unit < 12 * 12
                    starts_at = calendar.local_moment(day, unit)
                    if (
                        open_mask & wanted == wanted
                        and starts_at > now
                        and rng.random() < share * (1.15 if morning else 0.8)
                    ):
                        name = rng.choice(names)
                        email = f"termin.{len(appointments)}@demo.duesseldorf.invalid"
                        appointment = Appointment(
                            code=unique_code(),
                            office=office,
                            counter=counter,
                            day=day,
                            start_unit=unit,
                            end_unit=unit + length,
                            starts_at=starts_at,
                            ends_at=calendar.local_moment(day, unit + length),
                            status=Appointment.Status.BOOKED,
                            channel=rng.choice(["online"] * 4 + ["phone"]),
                            name=name,
                            email=email,
                            contact_key=booking.contact_key(email, ""),
                            confirmed_at=now,
                        )
                        appointments.append(appointment)
                        items.append((appointment, choice, persons))
                        unit += length
                    else:
                        unit += 2
    with transaction.atomic():
        Appointment.objects.bulk_create(appointments, batch_size=2000)
        AppointmentService.objects.bulk_create(
            [
                AppointmentService(
                    appointment=a, service=s.service, persons=p, minutes=s.minutes_per_person * p
                )
                for a, s, p in items
            ],
            batch_size=2000,
        )
    return len(appointments)


def load_stories(counters: dict[Office, list[Counter]], rng: random.Random) -> None:
    """The parts a visitor should see: a waiting room, a closure, a block, history."""
    today = timezone.localdate()
    bilk = Office.objects.filter(slug="buergerbuero-bilk").first()
    staff = User.objects.filter(email="k.yilmaz@demo.duesseldorf.invalid").first()
    if bilk is not None and staff is not None and not QueueTicket.objects.exists():
        for appointment in Appointment.objects.filter(office=bilk, day=today)[:3]:
            queue.arrive(appointment, by=staff)
        for note in ("Abholung Personalausweis", "Frage zur Ummeldung"):
            queue.walk_in(bilk, note=note, by=staff)
        counter = counters[bilk][0]
        queue.call_next(bilk, counter, by=staff)
    wersten = Office.objects.filter(slug="buergerbuero-wersten").first()
    if wersten is not None and not OpeningException.objects.filter(office=wersten).exists():
        OpeningException.objects.create(
            office=wersten,
            day=today + timedelta(days=10),
            reason="Betriebsversammlung (Demo)",
        )
        days.refresh_office(wersten.pk, today)  # the cached free times learn of the closure
    mitte = Office.objects.filter(slug="buergerbuero-mitte").first()
    if mitte is not None and not Block.objects.filter(counter__office=mitte).exists():
        # Through the staff service, so the cached free times of that day know the block.
        office_day.add_block(
            mitte,
            [counters[mitte][-1]],
            today + timedelta(days=1),
            time(12, 0),
            time(13, 0),
            reason="Teambesprechung (Demo)",
            by=staff,
        )
    if not LeadTimeSample.objects.exists():
        now = timezone.now()
        LeadTimeSample.objects.bulk_create(
            LeadTimeSample(
                office=office,
                sampled_at=now - timedelta(days=back),
                lead_hours=round(rng.uniform(2, 20) * 24, 1),
            )
            for office in list(counters)[:60]
            for back in range(1, 91)
        )


def link_catalogue(plan_services: set[int]) -> None:
    """The catalogue's "Termin buchen" channels lead to the booking of that service."""
    for channel in ServiceChannel.objects.filter(
        kind=ServiceChannel.Kind.APPOINTMENT, service_id__in=plan_services
    ).select_related("service"):
        channel.url = f"{reverse('appointments:search')}?leistung={channel.service.slug}"
        channel.note = "Freie Termine aller Dienststellen, bis zu 8 Wochen im Voraus"
        channel.save(update_fields=["url", "note"])


def book_for_demo_resident() -> None:
    """Erika Mustermann (demo account) has an appointment in "Meine Termine"."""
    erika = User.objects.filter(email=DEMO_RESIDENT).first()
    service = Service.objects.filter(slug="reisepass-beantragen").first()
    if erika is None or service is None or Appointment.objects.filter(account=erika).exists():
        return
    free = slots.earliest([service], 1, limit=1)
    if not free:
        return
    office = Office.objects.get(pk=free[0].office_id)
    booking.reserve(
        booking.Request(
            office=office,
            services=[service],
            persons=1,
            day=free[0].day,
            unit=free[0].unit,
            name="Erika Mustermann",
            email=erika.email,
            account=erika,
        ),
        confirmed=True,
    )


def analyse() -> None:
    """Fresh planner statistics after bulk loading (autovacuum may be off or late): without
    them PostgreSQL plans the small per-booking queries as scans over everything."""
    tables = [m._meta.db_table for m in (Appointment, AppointmentService, CounterDay, Counter)]
    # VACUUM as well on PostgreSQL (outside a transaction): index-only scans of the search
    # need the visibility map.
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for table in tables:
            name = connection.ops.quote_name(table)
            cursor.execute(f"VACUUM (ANALYZE) {name}" if vacuum else f"ANALYZE {name}")


def load(*, scale: int = 1, log: Callable[[str], Any] = print) -> None:
    data = read_json(DATA, "bookable.json")
    rng = random.Random(26112026)  # noqa: S311 -- demo data, reproducible on purpose
    counters = load_setup(data)
    booked = 0
    if not Appointment.objects.exists():
        booked = fill(counters, data, rng=rng)
    days.ensure_released([o.pk for o in counters], timezone.now())
    analyse()
    load_stories(counters, rng)
    link_catalogue(set(OfficeService.objects.values_list("service_id", flat=True)))
    book_for_demo_resident()
    log(
        f"Termine: {len(counters)} Dienststellen, "
        f"{sum(len(c) for c in counters.values())} Schalter, {booked} Demo-Buchungen"
    )
