"""gunicorn's settings under ``rathaus serve`` (``--config python:rathaus.core.gunicorn_config``).

gunicorn's own lines (worker started, worker timed out) go through the same log format
as the app's; a worker that exits is marked dead for the Prometheus multiprocess files,
so its live gauges stop counting while its counters still add to the totals.
"""

from gunicorn.arbiter import Arbiter
from gunicorn.workers.base import Worker
from prometheus_client import multiprocess

from rathaus.settings import LOGGING

logconfig_dict = {
    **LOGGING,
    "loggers": {
        **LOGGING["loggers"],
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}


def pre_fork(server: Arbiter, worker: Worker) -> None:
    """With ``--preload`` the app was loaded before the fork: no worker may inherit a database
    connection the loading opened (two processes on one socket)."""
    from django.db import connections

    connections.close_all()


def child_exit(server: Arbiter, worker: Worker) -> None:
    multiprocess.mark_process_dead(worker.pid)
