"""The demo catalogue: every pipeline with releases over the periods its data covers, and the
external data sets a city uploads (``external``), each with its history of releases."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from ..models import Dataset
from ..pipelines import Pipeline, all_pipelines
from ..services import catalogue, releases
from .external import External, external_datasets

__all__ = ["load"]

TIME_TYPES = ("yearmonth", "year")
MAX_HISTORY = 6


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(7, 30), tzinfo=UTC)


def _history(pipeline: Pipeline, rows: list[dict]) -> list[tuple[str, list[dict]]]:
    """Earlier releases of a time series: the rows up to each of the last periods, as the
    scheduled build would have published them then."""
    column = next((c.name for c in pipeline.columns if c.type in TIME_TYPES), None)
    if column is None:
        return []
    periods = sorted({str(row[column]) for row in rows if row.get(column) is not None})
    cuts = periods[-MAX_HISTORY:-1] if len(periods) > 1 else []
    return [(cut, [row for row in rows if str(row.get(column)) <= cut]) for cut in cuts]


def _period_end(period: str) -> date:
    if len(period) == 4:
        return date(int(period), 12, 31)
    year, month = int(period[:4]), int(period[5:7])
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def _pipelines(log: Callable[[str], None]) -> int:
    """Each pipeline with data: a history of releases the first time, afterwards a build
    like the daily one (a release only if something changed). Pipelines whose periods have
    not ended yet (the demo's cases lie in the running month) wait for their first data."""
    now = timezone.now()
    built = 0
    for pipeline in all_pipelines():
        rows = list(pipeline.rows())
        if not rows:
            log(f"  Offene Daten: {pipeline.title} – noch kein abgeschlossener Zeitraum")
            continue
        built += 1
        if Dataset.objects.filter(slug=pipeline.key, releases__isnull=False).exists():
            releases.build(pipeline, rows=rows)
            continue
        for period, earlier in _history(pipeline, rows):
            moment = min(_moment(_period_end(period) + timedelta(days=3)), now)
            releases.build(pipeline, rows=earlier, at=moment, unless_unchanged=False)
        releases.build(pipeline, rows=rows, at=now, unless_unchanged=False)
        log(f"  Offene Daten: {pipeline.title} ({len(rows)} Zeilen)")
    return built


def _external(item: External) -> None:
    dataset = Dataset.objects.create(
        slug=item.slug,
        title=item.title,
        description=item.description,
        organisation=catalogue.organisation_named(item.publisher, item.publisher_email),
        themes=list(item.themes),
        keywords=list(item.keywords),
        licence=item.licence,
        frequency=item.frequency,
        temporal_start=item.temporal_start,
        temporal_end=item.temporal_end,
        contact_name=item.publisher,
        contact_email=item.publisher_email,
        source=Dataset.Source.UPLOAD,
        disclosure=item.disclosure,
        dimensions=list(item.dimensions),
        measures=list(item.measures),
        state=Dataset.State.DRAFT,
    )
    for release in item.releases:
        releases.create_release(
            dataset,
            release.columns or item.columns,
            release.rows,
            source_name=release.source_name,
            geometries=release.geometries,
            at=_moment(release.issued),
        )


def load(*, scale: int, log: Callable[[str], None]) -> None:
    """Pipelines first (they read the other modules' demo data), then the uploads."""
    built = _pipelines(log)
    items = external_datasets(timezone.localdate(), scale=scale)
    known = set(
        Dataset.objects.filter(slug__in=[i.slug for i in items]).values_list("slug", flat=True)
    )
    for number, item in enumerate(items, start=1):
        if item.slug not in known:
            _external(item)
        if number % 10 == 0 or number == len(items):
            log(f"  Offene Daten: {number} von {len(items)} hochgeladenen Datensätzen")
    log(f"Offene Daten: {built} Pipelines mit Daten und {len(items)} hochgeladene Datensätze.")
