"""A worker killed in the middle of a task (``kill -9``): the task runs again on another
worker, no e-mail is lost and none is sent twice.

Real ``rathaus worker`` processes on the test database (``fault_settings``: a worker counts
as dead after 3 s without a heartbeat instead of 2 minutes); each one stops where the test
wants it (``faults``) and is killed there. Every wait is for a row or a file, and bounded.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from rathaus.core import mail
from rathaus.core.models import SentMail, WorkerHeartbeat
from tests.reliability import faults
from tests.reliability.slow_task import wait_for_release
from tests.support import database_url, mails

ROOT = Path(__file__).resolve().parents[2]
STALE_SECONDS = 3.0
BEAT_SECONDS = STALE_SECONDS / 4  # rathaus.core.management.commands.worker.heartbeat_seconds
WAIT = 60


def wait_until(condition, what: str, timeout: float = WAIT):
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s in vain for: {what}")
        time.sleep(0.05)
    return result


@pytest.fixture
def database_queue(settings):
    """Tasks go into the database queue, as on a real site, not run at once."""
    settings.TASKS = {
        "default": {"BACKEND": "rathaus.core.task_backend.DatabaseBackend", "QUEUES": ["default"]}
    }
    DBTaskResult.objects.all().delete()


@pytest.fixture
def workers(tmp_path):
    """Start ``rathaus worker`` processes on the test database; all of them share one data
    folder (so one mail folder: one mail server). Killed at the end."""
    started: list[subprocess.Popen] = []
    var_dir = tmp_path / "var"
    fault_dir = tmp_path / "faults"
    fault_dir.mkdir()

    def start(**faults_on: str) -> subprocess.Popen:
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "DJANGO_SETTINGS_MODULE": "tests.reliability.fault_settings",
            "RATHAUS_TEST_WORKER_STALE_SECONDS": str(STALE_SECONDS),
            "RATHAUS_VAR_DIR": str(var_dir),
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
            faults.FOLDER: str(fault_dir),
            **faults_on,
        }
        environment.pop("EMAIL_HOST", None)
        log = (tmp_path / f"worker-{len(started)}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "rathaus.cli", "worker", "--interval", "0.1"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        wait_until(
            lambda: (
                process.poll() is not None
                or WorkerHeartbeat.objects.filter(pid=process.pid).exists()
            ),
            "the worker's first heartbeat",
        )
        assert process.poll() is None, (tmp_path / f"worker-{len(started) - 1}.log").read_text()
        return process

    start.mail_dir = var_dir / "mail"
    start.stalled = fault_dir / "stalled"
    try:
        yield start
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=20)


def kill(process: subprocess.Popen) -> None:
    """``kill -9``: no handler runs, the heartbeat row stays, the task stays RUNNING."""
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=20)


def worker_id(process: subprocess.Popen) -> str:
    return WorkerHeartbeat.objects.get(pid=process.pid).worker_id


def status(task_id) -> str:
    return DBTaskResult.objects.get(pk=task_id).status


@pytest.mark.django_db(transaction=True)
def test_a_task_of_a_killed_worker_runs_again_on_another_worker(database_queue, workers, tmp_path):
    folder = tmp_path / "slow"
    folder.mkdir()
    runs = folder / "runs"
    task_id = wait_for_release.enqueue(str(folder)).id
    first = workers()
    wait_until(runs.exists, "the task to start")
    second = workers()

    # While the first worker lives, the second one leaves its task alone, also once the task
    # has been running longer than a silent worker would be given.
    started_at = DBTaskResult.objects.get(pk=task_id).started_at
    passes_later = started_at + timedelta(seconds=STALE_SECONDS + 2 * BEAT_SECONDS)
    wait_until(
        lambda: WorkerHeartbeat.objects.get(pid=second.pid).seen_at > passes_later,
        "the second worker to look for abandoned tasks after the task got old",
    )
    task = DBTaskResult.objects.get(pk=task_id)
    assert task.status == TaskResultStatus.RUNNING
    assert task.worker_ids == [worker_id(first)]
    assert len(runs.read_text().splitlines()) == 1

    first_id = worker_id(first)
    kill(first)
    wait_until(lambda: len(runs.read_text().splitlines()) == 2, "the task to run again")
    assert DBTaskResult.objects.get(pk=task_id).worker_ids == [first_id, worker_id(second)]
    (folder / "release").touch()
    wait_until(lambda: status(task_id) == TaskResultStatus.SUCCESSFUL, "the task to finish")
    assert runs.read_text().splitlines() == [str(first.pid), str(second.pid)]


MAILS = 5
STALLED = 3  # the mail at which the first worker is killed


def queue_mails() -> dict[str, str]:
    """Five mails, as a service queues them; returns their task ids by Message-ID."""
    with transaction.atomic():
        for number in range(1, MAILS + 1):
            mail.send_after_commit(
                subject=f"Nachricht {number}", body="Guten Tag", to=["kim@beispiel.de"]
            )
    tasks = DBTaskResult.objects.filter(task_path="rathaus.core.tasks.send_email")
    by_subject = {t.args_kwargs["kwargs"]["subject"]: t for t in tasks}
    assert len(by_subject) == MAILS
    return {
        by_subject[f"Nachricht {n}"].args_kwargs["kwargs"]["message_id"]: by_subject[
            f"Nachricht {n}"
        ].pk
        for n in range(1, MAILS + 1)
    }


def sent(mail_dir: Path) -> Counter:
    """How often each of our messages reached the mail server, by Message-ID."""
    return Counter(
        message["Message-ID"]
        for message in mails(mail_dir)
        if message["Subject"].startswith("Nachricht ")
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("killed", ["while the mail server takes it", "after it was recorded"])
def test_no_mail_is_lost_or_sent_twice_when_the_worker_is_killed(database_queue, workers, killed):
    tasks = queue_mails()
    message_ids = list(tasks)
    stalled_id = message_ids[STALLED - 1]
    if killed == "while the mail server takes it":
        first = workers(**{faults.STALL_SUBJECT: f"Nachricht {STALLED}"})
    else:
        first = workers(**{faults.STALL_LOG: stalled_id})
    wait_until(workers.stalled.exists, f"the worker to stop at mail {STALLED}")

    recorded = SentMail.objects.filter(message_id=stalled_id).exists()
    assert recorded == (killed == "after it was recorded")
    assert sent(workers.mail_dir) == Counter(message_ids[: STALLED - 1 + recorded])
    assert status(tasks[stalled_id]) == TaskResultStatus.RUNNING
    kill(first)

    workers()
    for message_id, task_id in tasks.items():
        wait_until(
            lambda task_id=task_id: status(task_id) == TaskResultStatus.SUCCESSFUL,
            f"the mail {message_id} to be sent",
        )
    assert sent(workers.mail_dir) == Counter(message_ids), "a mail was lost or sent twice"
    assert len(DBTaskResult.objects.get(pk=tasks[stalled_id]).worker_ids) == 2
    assert set(SentMail.objects.values_list("message_id", flat=True)) >= set(message_ids)
