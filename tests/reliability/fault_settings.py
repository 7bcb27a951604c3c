"""Settings of the processes the fault tests start (``rathaus worker``, ``rathaus serve``):
the site's own settings, plus what a test needs to reach a fault in seconds – a worker that
counts as dead after a few seconds instead of two minutes, a short SQLite busy timeout – and
the faults of ``tests.reliability.faults``, switched on through the environment."""

import os

from rathaus.settings import *  # noqa: F403
from rathaus.settings import DATABASES, LOGGING

WORKER_STALE_SECONDS = float(os.environ.get("RATHAUS_TEST_WORKER_STALE_SECONDS", "3"))
if (
    DATABASES["default"]["ENGINE"].endswith("sqlite3")
    and "RATHAUS_TEST_SQLITE_TIMEOUT" in os.environ
):
    DATABASES["default"]["OPTIONS"]["timeout"] = float(os.environ["RATHAUS_TEST_SQLITE_TIMEOUT"])
EMAIL_BACKEND = "tests.reliability.faults.StallingEmailBackend"
LOGGING["handlers"]["fault"] = {"class": "tests.reliability.faults.StallOnLog"}
LOGGING["loggers"]["rathaus.core.tasks"] = {"handlers": ["fault"], "level": "INFO"}
