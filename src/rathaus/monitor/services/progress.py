"""The figures of the progress monitor, computed from live data (the public page keeps
them for at most five minutes, ``cached_figures``).

Each registered tally becomes a figure "share done digitally" per month; each registered
share a figure from its monthly readings plus its value right now; the green-IT account
adds the paper saved, the Wi-Fi register the share of public places with free Wi-Fi. The
committee's targets are joined by the figure's key.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..figures import all_shares, all_tallies, start_of
from ..models import Reading, Target
from . import green, wifi

__all__ = [
    "PAPER",
    "Figure",
    "Point",
    "cached_figures",
    "figures",
    "forget_figures",
    "month_starts",
    "take_readings",
]

PAPER = "papier"  # the key of the green-IT account's figure
# The public page counts every module's cases (a third of a second on the demo city):
# its figures are kept this long, and dropped at once when a target changes.
CACHE_SECONDS = 300
CACHE_KEY = "monitor:figures:{months}"


@dataclass(frozen=True)
class Point:
    month: date
    part: int
    whole: int | None = None  # None: a count, not a share

    @property
    def value(self) -> float | None:
        """The share in per cent, or the count; None where a share has no cases."""
        if self.whole is None:
            return float(self.part)
        return 100 * self.part / self.whole if self.whole else None


@dataclass
class Figure:
    key: str
    title: str
    description: str
    points: list[Point]
    is_share: bool = True
    open_data: str = ""
    page: str = ""  # a page of the monitor with more on this figure
    target: Target | None = None
    # Median days from submission to decision per month, where the tally knows them.
    durations: list[tuple[date, float, int]] = field(default_factory=list)

    @property
    def current(self) -> Point | None:
        """The latest point with a value."""
        return next((p for p in reversed(self.points) if p.value is not None), None)

    @property
    def year_before(self) -> Point | None:
        """The point twelve months before the current one, for the trend."""
        current = self.current
        if current is None:
            return None
        month = _shift(current.month, -12)
        return next((p for p in self.points if p.month == month and p.value is not None), None)

    @property
    def change(self) -> float | None:
        before = self.year_before
        return None if before is None else self.current.value - before.value


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_starts(count: int, today: date | None = None) -> list[date]:
    """The first days of the last ``count`` months, the running month last."""
    this_month = (today or timezone.localdate()).replace(day=1)
    return [_shift(this_month, offset) for offset in range(1 - count, 1)]


def figures(months: int = 13) -> list[Figure]:
    """Every figure with one point per month for the last ``months`` months (running month
    included: it says "so far"), oldest first."""
    starts = month_starts(months)
    since = starts[0]
    targets = {target.figure: target for target in Target.objects.all()}
    result = [_share_figure(share, starts) for share in all_shares()]
    for tally in all_tallies():
        digital: dict[date, int] = defaultdict(int)
        total: dict[date, int] = defaultdict(int)
        for month, _service_key, channel, count in tally.counts(start_of(since)):
            total[month] += count
            if channel in tally.digital:
                digital[month] += count
        figure = Figure(
            tally.key,
            tally.title,
            tally.description,
            [Point(month, digital[month], total[month]) for month in starts],
            open_data=tally.open_data,
        )
        if tally.durations is not None:
            figure.durations = sorted(tally.durations(start_of(since)))
        result.append(figure)
    saved = {row.month: row.sheets for row in green.paper(since)}
    result.append(
        Figure(
            PAPER,
            _("Papier gespart"),
            _(
                "Blatt Papier (DIN A4), die digital erledigte Vorgänge gegenüber dem Weg auf "
                "Papier gespart haben, nach den veröffentlichten Annahmen je Leistung."
            ),
            [Point(month, saved.get(month, 0)) for month in starts],
            is_share=False,
            open_data="green-it-konto",
        )
    )
    result.append(
        Figure(
            wifi.FIGURE,
            wifi.TITLE,
            wifi.DESCRIPTION,
            [Point(*row) for row in wifi.monthly_share(starts)],
            open_data=wifi.OPEN_DATA,
            page=reverse("monitor:wifi"),
        )
    )
    for figure in result:
        figure.target = targets.get(figure.key)
    return result


def cached_figures(months: int) -> list[Figure]:
    """``figures(months)`` as computed at most ``CACHE_SECONDS`` ago."""
    return cache.get_or_set(CACHE_KEY.format(months=months), lambda: figures(months), CACHE_SECONDS)


def forget_figures(months: int) -> None:
    cache.delete(CACHE_KEY.format(months=months))


def _share_figure(share, starts: list[date]) -> Figure:
    readings = {
        reading.month: Point(reading.month, reading.part, reading.whole)
        for reading in Reading.objects.filter(figure=share.key, month__gte=starts[0])
    }
    part, whole = share.value()
    readings[starts[-1]] = Point(starts[-1], part, whole)
    return Figure(
        share.key,
        share.title,
        share.description,
        [readings.get(month, Point(month, 0, 0)) for month in starts],
        open_data=share.open_data,
    )


def take_readings(today: date | None = None) -> int:
    """Store each share's value for the running month (the daily job; the last one of a
    month stays as that month's reading)."""
    month = (today or timezone.localdate()).replace(day=1)
    with transaction.atomic():
        for share in all_shares():
            part, whole = share.value()
            Reading.objects.update_or_create(
                figure=share.key, month=month, defaults={"part": part, "whole": whole}
            )
    return len(all_shares())
