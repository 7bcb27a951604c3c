"""Daily jobs. A module marks a task with ``@daily``; every running worker calls
``enqueue_due()`` with its heartbeat, and the first one each day enqueues it (a
unique row per job and day decides, so several workers never double a job).

Frequent jobs (``@every_minute``) are small, idempotent housekeeping functions (an
expired hold giving its time back); every worker runs them from its heartbeat, at most
once a minute, so a second worker only makes them run more often.
"""

import logging
import time
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import PeriodicRun

__all__ = ["daily", "enqueue_due", "every_minute", "registered", "run_frequent"]

_daily: dict[str, object] = {}
_frequent: dict[str, object] = {}
_last_frequent_run = 0.0
logger = logging.getLogger(__name__)


def daily(task):
    """Decorator for a django-tasks task (without arguments) that must run once a day."""
    _daily[task.module_path] = task
    return task


def every_minute(function):
    """Decorator for a function without arguments that the workers run every minute."""
    _frequent[f"{function.__module__}.{function.__qualname__}"] = function
    return function


def registered() -> dict[str, object]:
    autodiscover_modules("tasks")
    return dict(_daily)


def run_frequent(force: bool = False) -> list[str]:
    """Run the ``@every_minute`` functions if a minute has passed since the last run here."""
    global _last_frequent_run
    if not force and time.monotonic() - _last_frequent_run < 60:
        return []
    _last_frequent_run = time.monotonic()
    autodiscover_modules("tasks")
    ran = []
    for name, function in _frequent.items():
        try:
            function()
        except Exception:  # one failing job must not stop the others
            logger.exception("frequent job %s failed", name)
            continue
        ran.append(name)
    return ran


def enqueue_due(today: date | None = None) -> list[str]:
    """Enqueue every daily job not yet enqueued today; returns their names."""
    today = today or timezone.localdate()
    enqueued = []
    for name, task in registered().items():
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(name=name, day=today)
                task.enqueue()
        except IntegrityError:
            continue
        enqueued.append(name)
    return enqueued
