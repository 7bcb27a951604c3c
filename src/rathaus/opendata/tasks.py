"""Background work: every day each pipeline builds its data set (a release only when the
figures changed) and each configured address is fetched."""

import logging

from django_tasks import task

from rathaus.core.periodic import daily

from .models import Dataset
from .pipelines import all_pipelines
from .services import releases, uploads

__all__ = ["build_all", "build_pipelines", "opendata_daily"]

logger = logging.getLogger(__name__)


def build_all() -> dict[str, int]:
    """Build every registered pipeline; one failing pipeline does not stop the others."""
    figures = {"built": 0, "unchanged": 0, "failed": 0}
    for pipeline in all_pipelines():
        try:
            release = releases.build(pipeline)
        except Exception:
            logger.exception("open-data pipeline %s failed", pipeline.key)
            figures["failed"] += 1
            continue
        figures["unchanged" if release is None else "built"] += 1
    return figures


@task()
def build_pipelines() -> dict[str, int]:
    """A steward's "build now"."""
    return build_all()


@daily
@task()
def opendata_daily() -> dict[str, int]:
    figures = build_all()
    fetched = 0
    for dataset in Dataset.objects.filter(source=Dataset.Source.FETCH).exclude(fetch_url=""):
        fetched += uploads.fetch(dataset) is not None
    return {**figures, "fetched": fetched}
