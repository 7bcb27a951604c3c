"""The task queue: django-tasks' database backend, plus the id of the request that queued.

A task row keeps its arguments as ``{"args": [...], "kwargs": {...}}``; we add
``"request_id"`` next to them (the library reads only its two keys), and ``rathaus
worker`` sets that id while the task runs, so the worker's log lines for an e-mail carry
the id of the booking request that caused it.
"""

from typing import Any

from django.db import transaction
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend as LibraryDatabaseBackend
from django_tasks_db.models import DBTaskResult

from .logging import current_request_id

__all__ = ["DatabaseBackend", "queued_request_id"]


class DatabaseBackend(LibraryDatabaseBackend):
    def _task_to_db_task(self, task: Task, args: Any, kwargs: Any) -> DBTaskResult:
        request_id = current_request_id()
        if request_id is None:
            return super()._task_to_db_task(task, args, kwargs)
        # Both writes commit together, so no worker ever sees the row without the id.
        with transaction.atomic():
            db_task = super()._task_to_db_task(task, args, kwargs)
            db_task.args_kwargs = {**db_task.args_kwargs, "request_id": request_id}
            DBTaskResult.objects.filter(pk=db_task.pk).update(args_kwargs=db_task.args_kwargs)
        return db_task


def queued_request_id(db_task: DBTaskResult) -> str | None:
    """The id of the request that queued ``db_task`` (None for periodic or shell tasks)."""
    value = db_task.args_kwargs.get("request_id")
    return value if isinstance(value, str) else None
