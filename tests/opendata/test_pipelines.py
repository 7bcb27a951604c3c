"""The modules' open-data pipelines on the demo city: every table has the declared shape and
types, its figures agree with a direct count, and a new booking moves its count by one.

Periods are published once they have ended, and the demo city's records lie around today;
so most tests read the tables as the build will see them a few months from now (``later``).
"""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from inspect import signature

import pytest
from django.db.models import Q, Sum
from django.utils import timezone

from rathaus.applications import open_data as applications_data
from rathaus.applications.demo.archive import PLAN, load_archive
from rathaus.applications.models import Application, Decision, Document
from rathaus.appointments import open_data as appointments_data
from rathaus.appointments.models import Appointment, OfficeService
from rathaus.appointments.services import booking as appointment_booking
from rathaus.appointments.services import slots
from rathaus.catalog import open_data as catalog_data
from rathaus.catalog.models import Service, ServiceChannel
from rathaus.kita import open_data as kita_data
from rathaus.kita.models import Daycare, Outcome, Period, Places, Registration
from rathaus.ledger.models import Entry, Pending
from rathaus.offices import open_data as offices_data
from rathaus.offices.models import District, Office, OpeningHours
from rathaus.opendata import completed_months
from rathaus.opendata.models import FREQUENCIES, THEMES
from rathaus.opendata.pipelines import Pipeline, all_pipelines, get
from rathaus.programs import open_data as programs_data
from rathaus.programs.models import Booking, BookingParticipant, Offer
from rathaus.programs.services import booking as program_booking
from rathaus.programs.services import figures

OURS = {
    "algorithmenregister",
    "angebote-plaetze",
    "angebote-teilnehmende",
    "antraege-bearbeitungsdauer",
    "dachbegruenung-foerderung",
    "dienststellen",
    "kita-platzvergabe",
    "kitas",
    "leistungen",
    "termine-wartezeiten",
}
PROTECTED = "Kleine Fallzahlen werden geschützt (siehe Hinweise zur Version)"
YEARMONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def first_of_month(months_ahead: int) -> datetime:
    day = timezone.localdate().replace(day=1)
    for _ in range(months_ahead):
        day = (day + timedelta(days=32)).replace(day=1)
    return timezone.make_aware(datetime.combine(day, time(12)))


@pytest.fixture
def later() -> datetime:
    """Three months ahead: the demo city's months (bookings reach eight weeks out) ended."""
    return first_of_month(3)


@pytest.fixture
def next_year() -> datetime:
    return timezone.make_aware(datetime(timezone.localdate().year + 1, 1, 15, 12))


def rows_at(pipeline: Pipeline, now: datetime) -> list[dict]:
    """The rows as the build sees them at ``now`` (a directory has no time: it ignores it)."""
    if "now" in signature(pipeline.rows).parameters:
        return list(pipeline.rows(now=now))
    return list(pipeline.rows())


def has_type(value, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    if kind == "yearmonth":
        return isinstance(value, str) and YEARMONTH.fullmatch(value) is not None
    if kind == "year":
        return isinstance(value, int) and 1900 < value < 2200
    if kind == "date":
        return isinstance(value, date) and not isinstance(value, datetime)
    if kind == "boolean":
        return isinstance(value, bool)
    return isinstance(value, str)


# --- Shape and metadata of every registered pipeline -------------------------------------


def test_the_modules_register_their_pipelines():
    assert {pipeline.key for pipeline in all_pipelines()} >= OURS


@pytest.mark.parametrize("key", sorted(OURS))
def test_metadata_is_complete_and_uses_the_eu_vocabularies(key):
    pipeline = get(key)
    names = [column.name for column in pipeline.columns]
    assert len(set(names)) == len(names)
    assert set(pipeline.themes) <= set(THEMES) and pipeline.frequency in FREQUENCIES
    assert pipeline.publisher and pipeline.publisher_email.endswith("@duesseldorf.example")
    assert pipeline.dimensions, "a cell needs an identity"
    if pipeline.disclosure == "none":
        assert not pipeline.measures
    else:
        assert pipeline.disclosure in {"suppression", "cell_key"} and pipeline.measures
        assert PROTECTED in pipeline.description
    columns = {column.name: column for column in pipeline.columns}
    for measure, dependent in pipeline.extra.get("dependent", {}).items():
        assert measure in pipeline.measures and set(dependent) <= set(columns)
    if pipeline.coordinates:
        assert all(columns[name].type == "number" for name in pipeline.coordinates)


@pytest.mark.parametrize("pipeline", all_pipelines(), ids=lambda pipeline: pipeline.key)
def test_rows_have_the_declared_columns_types_and_unique_cells(db, pipeline, later):
    rows = rows_at(pipeline, later)
    if pipeline.key in OURS:
        assert rows, "the demo city has figures for every data set of the modules"
    columns = {column.name: column.type for column in pipeline.columns}
    cells = set()
    for row in rows:
        assert set(row) == set(columns)
        for name, value in row.items():
            if value is not None or name in pipeline.dimensions:
                assert has_type(value, columns[name]), (pipeline.key, name, value)
        for measure in pipeline.measures:
            assert row[measure] >= 0
        cell = tuple(row[name] for name in pipeline.dimensions)
        assert cell not in cells, f"{pipeline.key}: two rows for {cell}"
        cells.add(cell)
    if pipeline.coordinates:
        lat, lon = pipeline.coordinates
        for row in rows:
            if row[lat] is not None:
                assert 51.1 < row[lat] < 51.4 and 6.6 < row[lon] < 7.0  # Düsseldorf


@pytest.mark.parametrize(
    "key",
    [
        "angebote-plaetze",
        "angebote-teilnehmende",
        "antraege-bearbeitungsdauer",
        "dachbegruenung-foerderung",
        "termine-wartezeiten",
    ],
)
def test_a_running_period_is_not_published(db, key, later):
    """A running month (or year) would change daily; two releases would show a single case."""
    pipeline = get(key)
    column = pipeline.dimensions[0]
    for now in (timezone.now(), later):
        day = timezone.localdate(now)
        running = day.year if column == "jahr" else f"{day:%Y-%m}"
        assert all(row[column] != running for row in rows_at(pipeline, now))


# --- Figures against a direct count --------------------------------------------------------


def postcodes_of(district: int) -> list[str]:
    return [
        code for code, number in applications_data.POSTCODE_DISTRICT.items() if number == district
    ]


def green_roof_decisions(year: int, district: int):
    return Decision.objects.filter(
        application__service__slug=applications_data.GREEN_ROOF,
        decided_at__year=year,
        application__cleaned__gebaeude_anschrift__postcode__in=postcodes_of(district),
    )


def test_green_roof_grants_per_district_equal_the_decisions(db):
    """A real figure: the demo's archive of the last completed year, counted directly."""
    year = timezone.localdate().year - 1
    decided = green_roof_decisions(year, 3)
    granted = decided.filter(kind__in=applications_data.GRANTED)
    assert granted.count() >= 5, "the demo archive grants green roofs in Stadtbezirk 3"
    (row,) = [
        row
        for row in applications_data.green_roof_rows()
        if (row["jahr"], row["stadtbezirk_nr"]) == (year, 3)
    ]
    assert row["stadtbezirk"] == District.objects.get(number=3).name
    assert row["bewilligte_antraege"] == granted.count()
    assert row["bewilligter_betrag"] == granted.aggregate(total=Sum("amount"))["total"]
    assert row["abgelehnte_antraege"] == decided.filter(kind=Decision.Kind.REJECTION).count()


def test_every_green_roof_decision_of_a_year_is_counted_in_one_district(db):
    year = timezone.localdate().year - 1
    rows = [row for row in applications_data.green_roof_rows() if row["jahr"] == year]
    decided = Decision.objects.filter(
        application__service__slug=applications_data.GREEN_ROOF, decided_at__year=year
    )
    assert sum(row["bewilligte_antraege"] for row in rows) == (
        decided.filter(kind__in=applications_data.GRANTED).count()
    )
    assert sum(row["abgelehnte_antraege"] for row in rows) == (
        decided.filter(kind=Decision.Kind.REJECTION).count()
    )
    assert all(row["stadtbezirk_nr"] in range(1, 11) for row in rows)


def test_the_demo_archive_has_cells_to_publish_and_cells_to_withhold(db):
    """Districts with few grants are in the demo on purpose: the portal shows suppression."""
    rows = applications_data.green_roof_rows()
    assert {row["jahr"] for row in rows} == {timezone.localdate().year - n for n in (1, 2)}
    assert any(row["bewilligte_antraege"] >= 5 for row in rows)
    assert any(0 < row["bewilligte_antraege"] < 5 for row in rows)
    assert all(
        Decimal("500") * row["bewilligte_antraege"]
        <= row["bewilligter_betrag"]
        <= Decimal("20000") * row["bewilligte_antraege"]
        for row in rows
    )


def test_the_demo_archive_is_backdated_and_not_in_the_transparency_log(db):
    archive = Application.objects.filter(
        service__slug=applications_data.GREEN_ROOF,
        decided_at__lt=timezone.make_aware(datetime(timezone.localdate().year, 1, 1)),
    ).select_related("decision", "applicant")
    assert archive.count() == sum(g + r for year in PLAN.values() for g, r in year.values())
    for application in archive:
        days = (timezone.localdate(application.decided_at) - application.received_on).days
        assert 10 <= days <= 90
        assert application.decision.decided_at == application.decided_at
        assert application.status == Application.Status.DECIDED
        assert application.applicant.email.endswith("@demo.duesseldorf.invalid")
    references = list(archive.values_list("reference", flat=True))
    assert not Entry.objects.filter(reference__in=references).exists()
    assert not Pending.objects.filter(reference__in=references).exists()
    assert not Document.objects.filter(application__in=archive).exists()


def test_loading_the_demo_again_adds_no_second_archive(db):
    before = Application.objects.count()
    assert load_archive(1) == 0
    assert Application.objects.count() == before


def test_a_refusal_counts_and_adds_no_amount(db, next_year):
    application = Application.objects.filter(
        service__slug=applications_data.GREEN_ROOF, decision__isnull=True
    ).first()
    address = application.cleaned[applications_data.BUILDING_ADDRESS]
    cell = (timezone.localdate().year, applications_data.district_of(address["postcode"]))

    def row() -> dict:
        rows = applications_data.green_roof_rows(now=next_year)
        return next(r for r in rows if (r["jahr"], r["stadtbezirk_nr"]) == cell)

    before = row()
    Decision.objects.create(
        application=application, kind=Decision.Kind.REJECTION, amount=None, reasoning="-"
    )
    after = row()
    assert after["abgelehnte_antraege"] == before["abgelehnte_antraege"] + 1
    assert after["bewilligte_antraege"] == before["bewilligte_antraege"]
    assert after["bewilligter_betrag"] == before["bewilligter_betrag"]


def test_a_building_outside_duesseldorf_or_without_postcode_is_unknown(db):
    year = timezone.localdate().year - 1
    moved = list(green_roof_decisions(year, 9).filter(kind__in=applications_data.GRANTED)[:2])
    for decision, postcode in zip(moved, ["50667", ""], strict=True):
        application = decision.application
        application.cleaned[applications_data.BUILDING_ADDRESS]["postcode"] = postcode
        application.save(update_fields=["cleaned"])
    (row,) = [
        row
        for row in applications_data.green_roof_rows()
        if row["jahr"] == year and row["stadtbezirk"] == "unbekannt"
    ]
    assert row["stadtbezirk_nr"] is None
    assert row["bewilligte_antraege"] == 2
    assert row["bewilligter_betrag"] == sum(decision.amount for decision in moved)


def test_postcodes_map_to_the_ten_districts():
    table = applications_data.POSTCODE_DISTRICT
    assert set(table.values()) == set(range(1, 11))
    assert all(code[:3] in {"402", "404", "405", "406"} for code in table)
    assert applications_data.district_of("40225") == 3
    assert applications_data.district_of(" 40 595") == 10
    assert applications_data.district_of("50667") is None  # Köln
    assert applications_data.district_of(None) is None


def test_processing_times_count_the_decided_cases(db, later):
    start, end = completed_months(later)
    decided = Application.objects.filter(decided_at__date__range=(start, end)).select_related(
        "service"
    )
    assert decided.exists()
    rows = {
        (row["monat"], row["leistung"]): row
        for row in applications_data.processing_time_rows(now=later)
    }
    for application in decided:
        day = timezone.localdate(application.decided_at)
        row = rows[f"{day:%Y-%m}", application.service.slug]
        same = decided.filter(
            service=application.service,
            decided_at__year=day.year,
            decided_at__month=day.month,
        )
        assert row["entschiedene_antraege"] == same.count()
        if same.count() == 1:
            days = (day - application.received_on).days
            assert row["median_tage"] == row["p90_tage"] == days
            assert row["innerhalb_frist"] == int(days <= application.service.target_days)


def test_the_90th_percentile_is_a_value_that_occurred():
    assert applications_data.nearest_rank(list(range(1, 11)), 90) == 9
    assert applications_data.nearest_rank([7], 90) == 7
    assert applications_data.nearest_rank([3, 1], 90) == 3
    assert applications_data.nearest_rank(list(range(1, 21)), 90) == 18


def test_appointments_per_office_and_month_equal_the_bookings(db, later):
    today = timezone.localdate()
    month = Appointment.objects.filter(day__year=today.year, day__month=today.month)
    office = Office.objects.get(slug="buergerbuero-bilk")
    kept = month.filter(office=office, status__in=appointments_data.KEPT)
    (row,) = [
        row
        for row in appointments_data.appointment_rows(now=later)
        if (row["monat"], row["dienststelle"]) == (f"{today:%Y-%m}", office.slug)
    ]
    assert row["termine"] == kept.count() > 0
    assert row["wahrgenommen"] == kept.filter(status__in=appointments_data.ATTENDED).count()
    assert row["median_vorlauf_tage"] is not None


def test_a_new_appointment_moves_its_month_by_one(db, later):
    service = OfficeService.objects.filter(is_active=True).select_related("service").first()
    (free,) = slots.earliest([service.service], 1, limit=1)
    office = Office.objects.get(pk=free.office_id)
    cell = (f"{free.day:%Y-%m}", office.slug)

    def count() -> int:
        rows = appointments_data.appointment_rows(now=later)
        return next((r["termine"] for r in rows if (r["monat"], r["dienststelle"]) == cell), 0)

    before = count()
    appointment_booking.reserve(
        appointment_booking.Request(
            office=office,
            services=[service.service],
            persons=1,
            day=free.day,
            unit=free.unit,
            name="Test Person",
            email="test.person@beispiel.de",
        ),
        confirmed=True,
    )
    assert count() == before + 1


def test_participants_equal_the_active_bookings(db, later):
    start, end = completed_months(later)
    booked = BookingParticipant.objects.filter(
        active=True,
        booking__status=Booking.Status.BOOKED,
        offer__status=Offer.Status.PUBLISHED,
        offer__starts_at__date__gte=start,
        offer__starts_at__date__lte=end,
    )
    participants = programs_data.participant_rows(now=later)
    offers = programs_data.offer_rows(now=later)
    assert sum(row["teilnehmende"] for row in participants) == booked.count() > 0
    assert sum(row["teilnehmende"] for row in offers) == booked.count()
    district = booked.filter(offer__district__number=3)
    assert sum(r["teilnehmende"] for r in participants if r["stadtbezirk_nr"] == 3) == (
        district.count()
    )


def test_the_tally_keeps_small_groups_that_the_hook_suppresses(db, later):
    start, end = completed_months(later)
    tally, counts = (
        figures.participation_tally(start, end),
        figures.participation_counts(start, end),
    )
    assert len(tally) == len(counts)
    assert any(row["participants"] < figures.MIN_GROUP for row in tally)
    for raw, shown in zip(tally, counts, strict=True):
        small = raw["participants"] < figures.MIN_GROUP
        assert shown["participants"] == (None if small else raw["participants"])


def test_a_new_booking_moves_its_cell_by_one(db, later):
    now = timezone.now()
    offer, birth_year = next(
        (offer, year)
        for offer in Offer.objects.filter(
            status=Offer.Status.PUBLISHED,
            internal=False,
            allocation=Offer.Allocation.FIRST_COME,
            price=0,
            starts_at__gt=now,
            starts_at__lt=later - timedelta(days=31),
            booking_opens_at__lte=now,
            district__isnull=False,
        )
        .filter(Q(booking_closes_at__isnull=True) | Q(booking_closes_at__gt=now))
        .order_by("starts_at", "pk")
        if offer.taken < offer.capacity
        and (year := timezone.localtime(offer.starts_at).year - (offer.age_min or 30))
        and program_booking.age_fits(offer, year)
    )
    start = timezone.localtime(offer.starts_at)
    band = figures.age_band(start.year, birth_year)
    cell = (f"{start:%Y-%m}", offer.category, band, offer.district.name)

    def count() -> int:
        rows = programs_data.participant_rows(now=later)
        key = ("monat", "kategorie", "altersgruppe", "stadtbezirk")
        return next((r["teilnehmende"] for r in rows if tuple(r[k] for k in key) == cell), 0)

    before = count()
    program_booking.book(
        program_booking.Request(
            offer=offer,
            people=[program_booking.Person("Test Kind", birth_year)],
            contact_name="Test Kontakt",
            email="test.kontakt@beispiel.de",
        )
    )
    assert count() == before + 1


def test_kita_allocation_figures_equal_the_registrations_and_offers(db, later):
    period = Period.objects.filter(rounds__isnull=False).distinct().get()
    rows = [r for r in kita_data.allocation_rows(now=later) if r["vergabeverfahren"] == period.name]
    for number in (1, 4):
        mine = [r for r in rows if r["stadtbezirk_nr"] == number]
        registrations = Registration.objects.filter(period=period, district__number=number).exclude(
            status=Registration.Status.WITHDRAWN
        )
        offered = Outcome.objects.filter(
            round__period=period, round__number=1, daycare__isnull=False
        ).filter(registration__in=registrations)
        places = Places.objects.filter(period=period, daycare__district__number=number)
        assert sum(r["anmeldungen"] for r in mine) == registrations.count() > 0
        assert sum(r["angebote_runde_1"] for r in mine) == offered.count() > 0
        assert sum(r["freie_plaetze"] for r in mine) == places.aggregate(n=Sum("places"))["n"]
        assert all(r["angebote_runde_2"] == r["angebote_spaetere_runden"] == 0 for r in mine)


def test_kita_allocation_waits_for_the_registration_deadline(db):
    closed = Period.objects.filter(registration_closes__lte=timezone.now())
    assert {row["vergabeverfahren"] for row in kita_data.allocation_rows()} == {
        period.name for period in closed
    }


# --- Directories ----------------------------------------------------------------------------


def test_the_kita_directory_lists_kitas_without_childminders(db):
    rows = kita_data.daycare_rows()
    kitas = Daycare.objects.filter(kind=Daycare.Kind.KITA)
    assert {row["kennung"] for row in rows} == set(kitas.values_list("slug", flat=True))
    row = rows[0]
    daycare = kitas.select_related("quarter").get(slug=row["kennung"])
    if daycare.latitude is None:
        assert row["lage"] == "Mitte des Stadtteils"
        assert (row["breitengrad"], row["laengengrad"]) == (
            daycare.quarter.latitude,
            daycare.quarter.longitude,
        )


def test_the_office_directory_lists_every_office(db):
    rows = offices_data.office_rows()
    assert [row["kennung"] for row in rows] == sorted(Office.objects.values_list("slug", flat=True))
    assert all(row["internetseite"].endswith(f"/dienststellen/{row['kennung']}/") for row in rows)


def test_opening_hours_are_summarised_per_weekday():
    periods = [
        OpeningHours(weekday=1, opens=time(14), closes=time(18)),
        OpeningHours(weekday=0, opens=time(7, 30), closes=time(13)),
        OpeningHours(weekday=1, opens=time(8), closes=time(12)),
    ]
    assert offices_data.opening_hours_summary(periods) == (
        "Mo 07:30–13:00; Di 08:00–12:00, 14:00–18:00"
    )


def test_the_service_directory_lists_published_services_with_their_access(db):
    rows = {row["kennung"]: row for row in catalog_data.service_rows()}
    assert set(rows) == set(Service.objects.published().values_list("slug", flat=True))
    online = set(
        ServiceChannel.objects.filter(kind=ServiceChannel.Kind.ONLINE).values_list(
            "service__slug", flat=True
        )
    )
    assert {slug for slug, row in rows.items() if row["online_beantragen"]} == online & set(rows)
    assert rows[applications_data.GREEN_ROOF]["online_beantragen"] is True
