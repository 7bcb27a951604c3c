"""Daily jobs. A module marks a task with ``@daily``; every running worker calls
``enqueue_due()`` with its heartbeat, and the first one each day enqueues it (a
unique row per job and day decides, so several workers never double a job)."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import PeriodicRun

__all__ = ["daily", "enqueue_due", "registered"]

_daily: dict[str, object] = {}


def daily(task):
    """Decorator for a django-tasks task (without arguments) that must run once a day."""
    _daily[task.module_path] = task
    return task


def registered() -> dict[str, object]:
    autodiscover_modules("tasks")
    return dict(_daily)


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
