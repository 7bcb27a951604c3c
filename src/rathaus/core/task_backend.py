"""The task queue: django-tasks' database backend, plus the id of the request that queued,
and the recovery of tasks whose worker died.

A task row keeps its arguments as ``{"args": [...], "kwargs": {...}}``; we add
``"request_id"`` next to them (the library reads only its two keys), and ``rathaus
worker`` sets that id while the task runs, so the worker's log lines for an e-mail carry
the id of the booking request that caused it.

A worker that is killed (``kill -9``, out of memory, the host gone) leaves its task
RUNNING. Every worker looks for such tasks with each heartbeat: a task whose worker has
not been heard of for ``WORKER_STALE_SECONDS`` is queued again; after
``MAX_ATTEMPTS`` workers died on it, it is marked failed instead (a task that kills its
worker must not kill every worker in turn). A task of a live worker is never touched.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks.base import Task, TaskResultStatus
from django_tasks.utils import normalize_json
from django_tasks_db import DatabaseBackend as LibraryDatabaseBackend
from django_tasks_db.models import DBTaskResult

from .logging import current_request_id
from .models import WorkerHeartbeat

__all__ = [
    "MAX_ATTEMPTS",
    "DatabaseBackend",
    "WorkerLost",
    "queued_request_id",
    "requeue_abandoned",
    "worker_silence_limit",
]

MAX_ATTEMPTS = 3
logger = logging.getLogger(__name__)


def worker_silence_limit() -> timedelta:
    """How long a worker may go without a heartbeat before it counts as dead (2 minutes
    unless ``settings.WORKER_STALE_SECONDS`` says otherwise)."""
    return timedelta(seconds=getattr(settings, "WORKER_STALE_SECONDS", 120))


class WorkerLost(Exception):
    """Why a task failed that every worker running it died on."""


class DatabaseBackend(LibraryDatabaseBackend):
    def _task_to_db_task(self, task: Task, args: Any, kwargs: Any) -> DBTaskResult:
        """The library's row, with the request id written in the same INSERT (one statement
        in the request that queues, and no worker ever sees the row without the id)."""
        request_id = current_request_id()
        if request_id is None:
            return super()._task_to_db_task(task, args, kwargs)
        return DBTaskResult.objects.create(
            id=self._get_id(),
            args_kwargs={
                **normalize_json({"args": args, "kwargs": kwargs}),
                "request_id": request_id,
            },
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )


def queued_request_id(db_task: DBTaskResult) -> str | None:
    """The id of the request that queued ``db_task`` (None for periodic or shell tasks)."""
    value = db_task.args_kwargs.get("request_id")
    return value if isinstance(value, str) else None


def requeue_abandoned(*, now: datetime | None = None, worker_id: str = "") -> list[str]:
    """Queue again the tasks of dead workers (see the module docstring); returns their ids.

    A worker is dead when its heartbeat is older than ``WORKER_STALE_SECONDS`` (or gone);
    only tasks started before that are looked at, so a worker that has just claimed a task
    is never taken for dead. ``worker_id`` (the caller) is never taken for dead either.
    """
    now = now or timezone.now()
    cutoff = now - worker_silence_limit()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    alive.add(worker_id)
    candidates = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    requeued = []
    for task in candidates.only("id", "started_at", "worker_ids", "task_path"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        # The same row as read: a worker that finished it meanwhile is left alone.
        unchanged = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) >= MAX_ATTEMPTS:
            unchanged.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{__name__}.{WorkerLost.__qualname__}",
                traceback=f"{len(task.worker_ids)} workers died while running this task.",
            )
            logger.error("task %s given up: %d workers died on it", task.pk, MAX_ATTEMPTS)
        elif unchanged.update(status=TaskResultStatus.READY):
            logger.warning("task %s of the dead worker %s queued again", task.pk, task.worker_ids)
            requeued.append(str(task.pk))
    return requeued
