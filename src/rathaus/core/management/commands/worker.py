import logging
import os
import socket
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from rathaus.core import periodic
from rathaus.core.logging import request_context
from rathaus.core.models import WorkerHeartbeat
from rathaus.core.task_backend import queued_request_id, requeue_abandoned, worker_silence_limit


def heartbeat_seconds() -> float:
    """Every 15 s, and at least four beats within the time after which a worker counts as
    dead, so a slow beat never makes a live worker look dead."""
    return min(15.0, worker_silence_limit().total_seconds() / 4)


def _beat(worker_id: str, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:200],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def _heartbeat_loop(worker_id: str, started_at, stop: threading.Event) -> None:
    while not stop.wait(heartbeat_seconds()):
        try:
            close_old_connections()
            _beat(worker_id, started_at)
            requeue_abandoned(worker_id=worker_id)
            periodic.enqueue_due()
            periodic.run_frequent()
        except Exception:  # a missed beat is reported by `rathaus check`, not fatal here
            connection.close()


class ObservedWorker(Worker):
    """django-tasks' database worker; each task runs with the id of the request that queued
    it, so its log lines (and the library's start and finish lines) carry that id."""

    def run_task(self, db_task_result: DBTaskResult) -> None:
        with request_context(queued_request_id(db_task_result), task=db_task_result.task_path):
            super().run_task(db_task_result)


class Command(BaseCommand):
    help = "Run a background task worker (django-tasks database backend) with a heartbeat."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *, batch: bool, interval: float, **options) -> None:
        worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"
        started_at = timezone.now()
        _beat(worker_id, started_at)
        requeue_abandoned(worker_id=worker_id)
        periodic.enqueue_due()
        stop = threading.Event()
        thread = threading.Thread(
            target=_heartbeat_loop, args=(worker_id, started_at, stop), daemon=True
        )
        thread.start()
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(options["verbosity"], logging.DEBUG)
        for name in ("django_tasks", "django_tasks_db"):  # the library's task start/finish lines
            logging.getLogger(name).setLevel(level)
        worker = ObservedWorker(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
