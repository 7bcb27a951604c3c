"""Log lines that a log shipper can read: one JSON object per line, with the request id.

The id of the request being served (or of the request that queued the task a worker
runs) lives in a context variable; every log line of that request or task carries it,
so one id finds the page view, its errors and the e-mail the worker sent for it.
Never put personal data (e-mail addresses, names, raw paths with tokens) into ``extra``.
"""

import json
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

__all__ = [
    "JsonFormatter",
    "RequestIdFilter",
    "accepted_request_id",
    "current_request_id",
    "request_context",
]

_request_id: ContextVar[str | None] = ContextVar("rathaus_request_id", default=None)
_task: ContextVar[str | None] = ContextVar("rathaus_task", default=None)

# An id from a proxy or client is taken over only if it is short and cannot break a log line.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

# What a log call may add with ``extra=``: request facts, never who the person is.
EXTRA_FIELDS = ("method", "route", "status", "duration_ms", "client_ip", "task_id", "checks")


def current_request_id() -> str | None:
    """The id of the request (or of the task's originating request) being handled here."""
    return _request_id.get()


def accepted_request_id(incoming: str | None) -> str:
    """The incoming ``X-Request-ID`` if it is short and safe, else a new random id."""
    if incoming and _SAFE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


@contextmanager
def request_context(request_id: str | None, *, task: str | None = None) -> Iterator[None]:
    """Log lines inside carry ``request_id`` (and ``task``, in the worker)."""
    id_token = _request_id.set(request_id)
    task_token = _task.set(task)
    try:
        yield
    finally:
        _task.reset(task_token)
        _request_id.reset(id_token)


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record, for the plain format's ``%(request_id)s``."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request_id and extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _request_id.get(),
        }
        if task := _task.get():
            entry["task"] = task
        for field in EXTRA_FIELDS:
            if (value := getattr(record, field, None)) is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
