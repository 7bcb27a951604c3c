"""Open data of the appointments: how many there were and how long people wait, per office.

One data set, registered from ``AppointmentsConfig.ready``; the opendata module builds it
every day and protects the counts (``measures``). It covers the last ``MONTHS`` completed
months: a month is published once it has ended, because a running month changes with every
booking and two daily releases side by side would show a single booking by their difference.

Two waiting times, because they answer different questions: the lead time of the booked
appointments (from booking to appointment: how far ahead people booked) and the wait for the
earliest free appointment, sampled once a day (``LeadTimeSample``: how long someone would
have waited who wanted one that day). The second one involves nobody, so it is not a count.
"""

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from django.utils import timezone

from rathaus.offices.models import Office
from rathaus.opendata import Column, Pipeline, completed_months, register_pipeline

from .models import Appointment, LeadTimeSample

__all__ = ["MONTHS", "appointment_rows"]

MONTHS = 24
S = Appointment.Status
# Confirmed appointments whose time was kept for someone; holds that never got confirmed
# (expired) and cancelled ones are not appointments that took place.
KEPT = {S.BOOKED, S.ARRIVED, S.DONE, S.NO_SHOW}
ATTENDED = {S.ARRIVED, S.DONE}
UNKNOWN = "unbekannt"


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())


def _median_days(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def appointment_rows(now: datetime | None = None) -> list[dict]:
    """Per month (of the appointment's date) and office: appointments kept, attended, missed
    and cancelled (raw counts), the median lead time of the kept ones, and the median wait
    for the earliest free appointment from the daily samples."""
    start, end = completed_months(now, MONTHS)
    counts: dict[tuple[str, int], Counter] = defaultdict(Counter)
    leads: dict[tuple[str, int], list[float]] = defaultdict(list)
    appointments = Appointment.objects.filter(
        day__gte=start, day__lte=end, status__in=[*KEPT, S.CANCELLED]
    ).values_list("office_id", "day", "status", "created_at", "starts_at")
    for office_id, day, status, created_at, starts_at in appointments.iterator(chunk_size=5000):
        key = (f"{day:%Y-%m}", office_id)
        if status == S.CANCELLED:
            counts[key]["cancelled"] += 1
            continue
        counts[key]["kept"] += 1
        counts[key]["attended"] += status in ATTENDED
        counts[key]["no_show"] += status == S.NO_SHOW
        leads[key].append(max(0.0, (starts_at - created_at).total_seconds() / 86400))
    samples: dict[tuple[str, int], list[float | None]] = defaultdict(list)
    for office_id, sampled_at, hours in (
        LeadTimeSample.objects.filter(
            sampled_at__gte=_midnight(start), sampled_at__lt=_midnight(end + timedelta(days=1))
        )
        .values_list("office_id", "sampled_at", "lead_hours")
        .iterator(chunk_size=5000)
    ):
        samples[f"{timezone.localtime(sampled_at):%Y-%m}", office_id].append(hours)
    keys = set(counts) | set(samples)
    offices = {
        office.pk: office
        for office in Office.objects.filter(pk__in={pk for _month, pk in keys}).select_related(
            "district"
        )
    }
    rows = []
    for month, office_id in sorted(keys, key=lambda k: (k[0], offices[k[1]].slug)):
        office, counted = offices[office_id], counts.get((month, office_id), Counter())
        sampled = samples.get((month, office_id), [])
        free = [hours / 24 for hours in sampled if hours is not None]
        rows.append(
            {
                "monat": month,
                "dienststelle": office.slug,
                "dienststelle_name": office.name,
                "stadtbezirk": office.district.name if office.district else UNKNOWN,
                "stadtbezirk_nr": office.district.number if office.district else None,
                "termine": counted["kept"],
                "wahrgenommen": counted["attended"],
                "nicht_erschienen": counted["no_show"],
                "abgesagt": counted["cancelled"],
                "median_vorlauf_tage": _median_days(leads.get((month, office_id), [])),
                "median_wartezeit_tage": _median_days(free),
                "messungen": len(sampled),
                "messungen_ohne_freien_termin": len(sampled) - len(free),
            }
        )
    return rows


def _count(name: str, title: str, description: str) -> Column:
    return Column(name, "integer", title, description, "Termine")


PIPELINE = register_pipeline(
    Pipeline(
        key="termine-wartezeiten",
        title="Wartezeiten und Termine der Bürgerbüros und Dienststellen nach Monat",
        description=(
            "Wie viele Termine die Bürgerbüros und andere Dienststellen mit Terminvergabe je "
            "Monat vergeben haben, wie viele wahrgenommen, versäumt oder abgesagt wurden, wie "
            "lange im Voraus die Termine gebucht waren und wie lange man auf den nächsten "
            "freien Termin warten musste (einmal täglich gemessen). Gezählt wird aus der "
            "Terminbuchung der Stadt, online, telefonisch und am Schalter, ohne Namen oder "
            f"einzelne Termine; veröffentlicht werden die letzten {MONTHS} abgeschlossenen "
            "Monate. Kleine Fallzahlen werden geschützt (siehe Hinweise zur Version); ist die "
            "Zahl der Termine geschützt, fehlt auch ihr Vorlauf."
        ),
        publisher="Bürgerservice / Amt für Einwohnerwesen",
        # .example is reserved for examples (RFC 2606): the city enters its real address.
        publisher_email="opendata-buergerservice@duesseldorf.example",
        columns=(
            Column("monat", "yearmonth", "Monat", "Monat des Termins."),
            Column("dienststelle", "string", "Dienststelle (Kennung)", "Kurzname der Stelle."),
            Column("dienststelle_name", "string", "Dienststelle"),
            Column("stadtbezirk", "string", "Stadtbezirk", "Stadtbezirk der Dienststelle."),
            Column("stadtbezirk_nr", "integer", "Nummer des Stadtbezirks"),
            _count(
                "termine",
                "Termine",
                "Bestätigte Termine dieses Monats (ohne abgesagte und nie bestätigte).",
            ),
            _count(
                "wahrgenommen",
                "Wahrgenommene Termine",
                "Davon Termine, bei denen die Person am Schalter als angekommen erfasst wurde.",
            ),
            _count(
                "nicht_erschienen",
                "Versäumte Termine",
                "Davon Termine, die als „nicht erschienen“ erfasst wurden.",
            ),
            _count("abgesagt", "Abgesagte Termine", "Termine dieses Monats, die abgesagt wurden."),
            Column(
                "median_vorlauf_tage",
                "number",
                "Vorlauf der Termine (Median)",
                "Tage von der Buchung bis zum Termin: die Hälfte der Termine war kürzer im "
                "Voraus gebucht. Leer, wenn die Zahl der Termine geschützt ist.",
                "Tage",
            ),
            Column(
                "median_wartezeit_tage",
                "number",
                "Wartezeit auf den nächsten freien Termin (Median)",
                "Einmal täglich gemessen: Tage bis zum frühesten freien Termin für eine Person "
                "und die kürzeste Leistung der Stelle; Tage ohne freien Termin zählen nicht mit.",
                "Tage",
            ),
            Column(
                "messungen",
                "integer",
                "Messungen",
                "Tägliche Messungen der Wartezeit in diesem Monat.",
                "Messungen",
            ),
            Column(
                "messungen_ohne_freien_termin",
                "integer",
                "Messungen ohne freien Termin",
                "Messungen, bei denen im ganzen Buchungszeitraum kein Termin frei war.",
                "Messungen",
            ),
        ),
        rows=appointment_rows,
        dimensions=("monat", "dienststelle"),
        measures=("termine", "wahrgenommen", "nicht_erschienen", "abgesagt"),
        themes=("GOVE", "SOCI"),
        keywords=("Bürgerbüro", "Termine", "Wartezeit", "Terminvergabe", "Bürgerservice"),
        frequency="MONTHLY",
        disclosure="suppression",
        extra={"dependent": {"termine": ["median_vorlauf_tage"]}},
    )
)
