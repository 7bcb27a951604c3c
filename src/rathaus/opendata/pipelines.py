"""The pipeline registry: how a module declares a data set that publishes itself.

A module describes its data set once (``Pipeline``) and registers it from its
``AppConfig.ready``; the scheduled build (``services.releases.build``) runs ``rows``,
protects the counts and publishes a release. ``rows`` returns plain dicts – aggregates,
never a person – keyed by the column names; dimensions identify a cell, ``measures`` are
counts of people or cases that disclosure control protects, other columns pass through.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from .datapackage import Column

__all__ = ["Column", "Pipeline", "all_pipelines", "completed_months", "get", "register_pipeline"]


@dataclass(frozen=True)
class Pipeline:
    key: str  # the data set's slug, e.g. "dachbegruenung-foerderung"
    title: str
    description: str
    publisher: str  # the organisation's name, e.g. "Umweltamt"
    publisher_email: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterable[dict]]
    dimensions: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    themes: tuple[str, ...] = ("GOVE",)
    keywords: tuple[str, ...] = ()
    frequency: str = "MONTHLY"
    disclosure: str = "suppression"  # or "cell_key", or "none" for tables without people
    # For spatial tables: the names of the latitude and longitude columns (WGS 84).
    coordinates: tuple[str, str] | None = None
    # Columns the personal-data scanner must not hold, with the reason shown in the release
    # notes: e.g. {"strasse": "Anschriften öffentlicher Einrichtungen"}.
    public_columns: dict[str, str] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


_registry: dict[str, Pipeline] = {}


def register_pipeline(pipeline: Pipeline) -> Pipeline:
    """Declare a data set; a second module using the same key is a programming error."""
    known = _registry.get(pipeline.key)
    if known is not None and known is not pipeline:
        raise ValueError(f"Open-data pipeline {pipeline.key!r} is registered twice")
    names = [column.name for column in pipeline.columns]
    missing = [name for name in (*pipeline.dimensions, *pipeline.measures) if name not in names]
    if missing:
        raise ValueError(f"Pipeline {pipeline.key!r}: no column for {', '.join(missing)}")
    _registry[pipeline.key] = pipeline
    return pipeline


def all_pipelines() -> list[Pipeline]:
    return sorted(_registry.values(), key=lambda pipeline: pipeline.key)


def get(key: str) -> Pipeline | None:
    return _registry.get(key)


def completed_months(now: datetime | None = None, months: int = 24) -> tuple[date, date]:
    """First and last day of the ``months`` months before the running one (local time).

    Pipelines publish ended periods only: a running month changes with every case, and two
    daily releases side by side would show a single one by their difference."""
    end = timezone.localdate(now).replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    for _ in range(months - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, end
