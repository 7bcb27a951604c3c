"""The green-IT account: paper and postage saved by cases handled digitally, and the
energy the platform itself used to handle them.

Paper: every digital case of a tally that ``saves_paper`` is multiplied with the paper
assumption of its service (or its tally's general one); a case without any assumption is
counted as "without assumption" and saves nothing, so a missing figure never inflates the
account. Energy: the measured CPU and database seconds (``ResourceUse``) times the
configured power, times the data centre's PUE; CO₂ with the configured factor.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from ..figures import all_tallies, start_of
from ..models import PaperAssumption, ResourceUse

__all__ = [
    "EnergyMonth",
    "PaperMonth",
    "RequestType",
    "energy",
    "kwh",
    "paper",
    "request_types",
    "totals",
]


@dataclass
class PaperMonth:
    month: date
    digital: int = 0  # digital cases of all tallies that save paper
    sheets: int = 0
    letters: int = 0
    unassumed: int = 0  # digital cases no assumption covers
    by_tally: dict[str, int] = field(default_factory=dict)

    @property
    def kilograms(self) -> float:
        return self.sheets * settings.RATHAUS["GREEN_IT"]["SHEET_GRAMS"] / 1000

    @property
    def postage(self) -> Decimal:
        return self.letters * Decimal(settings.RATHAUS["GREEN_IT"]["POSTAGE_EUR"])


@dataclass
class EnergyMonth:
    month: date
    requests: int = 0
    cpu_seconds: float = 0.0
    db_seconds: float = 0.0

    @property
    def kwh(self) -> float:
        return kwh(self.cpu_seconds, self.db_seconds)

    @property
    def renewable_kwh(self) -> float:
        return self.kwh * settings.RATHAUS["GREEN_IT"]["RENEWABLE_SHARE"]

    @property
    def co2_kg(self) -> float:
        return self.kwh * settings.RATHAUS["GREEN_IT"]["GRAMS_CO2_PER_KWH"] / 1000


def kwh(cpu_seconds: float, db_seconds: float) -> float:
    """Energy of that much CPU and database time, with the data centre's overhead."""
    config = settings.RATHAUS["GREEN_IT"]
    watts_seconds = cpu_seconds * config["CPU_WATTS"]
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        watts_seconds += db_seconds * config["DB_WATTS"]
    return watts_seconds * config["PUE"] / 3_600_000


def paper(since: date) -> list[PaperMonth]:
    """Paper, letters and postage saved per month since ``since`` (oldest first)."""
    assumptions = {(row.tally, row.service): row for row in PaperAssumption.objects.all()}
    months: dict[date, PaperMonth] = {}
    for tally in all_tallies():
        if not tally.saves_paper:
            continue
        for month, service, channel, count in tally.counts(start_of(since)):
            if channel not in tally.digital:
                continue
            row = months.setdefault(month, PaperMonth(month))
            row.digital += count
            row.by_tally[tally.key] = row.by_tally.get(tally.key, 0) + count
            assumption = assumptions.get((tally.key, service)) or assumptions.get((tally.key, ""))
            if assumption is None:
                row.unassumed += count
                continue
            row.sheets += count * assumption.sheets
            row.letters += count * assumption.letters
    return [months[month] for month in sorted(months)]


def energy(since: date) -> list[EnergyMonth]:
    """Measured requests, CPU and database time per month since ``since``."""
    months: dict[date, EnergyMonth] = {}
    days = (
        ResourceUse.objects.filter(day__gte=since)
        .values("day")
        .annotate(requests=Sum("requests"), cpu=Sum("cpu_seconds"), db=Sum("db_seconds"))
        .order_by("day")
    )
    for day in days:
        month = day["day"].replace(day=1)
        row = months.setdefault(month, EnergyMonth(month))
        row.requests += day["requests"]
        row.cpu_seconds += day["cpu"]
        row.db_seconds += day["db"]
    return list(months.values())


@dataclass(frozen=True)
class RequestType:
    route: str
    requests: int
    cpu_seconds: float
    db_seconds: float

    @property
    def wh_per_thousand(self) -> float:
        """Watt hours per 1,000 requests of this type."""
        return kwh(self.cpu_seconds, self.db_seconds) * 1_000_000 / self.requests


def request_types(since: date, limit: int = 20) -> list[RequestType]:
    """The request types that used the most CPU and database time since ``since``."""
    rows = (
        ResourceUse.objects.filter(day__gte=since)
        .values("route")
        .annotate(requests=Sum("requests"), cpu=Sum("cpu_seconds"), db=Sum("db_seconds"))
    )
    types = [
        RequestType(row["route"], row["requests"], row["cpu"], row["db"])
        for row in rows
        if row["requests"]
    ]
    types.sort(key=lambda entry: kwh(entry.cpu_seconds, entry.db_seconds), reverse=True)
    return types[:limit]


def totals(paper: list[PaperMonth], energy: list[EnergyMonth]) -> dict:
    """The sums of the months, and the energy per digital case in watt hours."""
    saved = PaperMonth(date.min)
    for row in paper:
        saved.digital += row.digital
        saved.sheets += row.sheets
        saved.letters += row.letters
        saved.unassumed += row.unassumed
    used = EnergyMonth(date.min)
    for row in energy:
        used.requests += row.requests
        used.cpu_seconds += row.cpu_seconds
        used.db_seconds += row.db_seconds
    per_case = used.kwh * 1000 / saved.digital if saved.digital else None
    return {"paper": saved, "energy": used, "wh_per_case": per_case}
