"""Background jobs of the log: the sequencer runs in the worker, never in a request.

A committed record asks for a run (``sequence_soon``); the every-minute run catches
whatever a lost request missed, so a checkpoint follows new entries within a minute.
"""

from django.core.cache import cache
from django_tasks import task

from rathaus.core.periodic import every_minute

from .services import sequencer

QUEUED = "ledger.sequence-queued"


def sequence_soon() -> None:
    """Queue one sequencing run for the records just committed; while one is queued, a
    second is not (many records in one burst need one run, not one each)."""
    if cache.add(QUEUED, True, timeout=1):
        sequence_pending.enqueue()


@task()
def sequence_pending() -> int:
    cache.delete(QUEUED)
    return sequencer.sequence_all()


@every_minute
def sequence_every_minute() -> int:
    return sequencer.sequence_all()
