"""The monitor's daily job: a reading of each share for the running month."""

from django_tasks import task

from rathaus.core.periodic import daily

from .services import take_readings


@daily
@task()
def record_readings() -> int:
    """Keeps the trend of figures that only hold "right now" (the catalogue's online share)."""
    return take_readings()
