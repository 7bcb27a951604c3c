"""The worker dies between the producer's commit and sequencing; two sequencers run at once.
Every record ends up in the log exactly once, and the tree never forks."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, close_old_connections, connection

from rathaus.ledger.models import Entry, Pending
from rathaus.ledger.services import audit, sequencer
from rathaus.ledger.tasks import QUEUED
from tests.concurrency import at_once, guards_off
from tests.support import database_url

from .conftest import put

pytestmark = pytest.mark.django_db(transaction=True)


def _hold_the_entries_table():
    """On PostgreSQL, another connection keeps the sequencer from writing entries until
    released: the kill then surely comes between reading the outbox and writing the log.
    SQLite takes its write lock at ``BEGIN``, so no one can hold it back half-way; there
    the outbox is large enough that the kill lands inside the first batch's transaction."""
    if connection.vendor != "postgresql":
        return None
    import psycopg

    holder = psycopg.connect(database_url())
    holder.execute("LOCK TABLE ledger_entry IN ACCESS EXCLUSIVE MODE")
    return holder


def _worker_is_down():
    """Records committed now are not sequenced on commit: a run counts as queued (the
    queued task will never run; the worker that would run it is the one we kill)."""
    cache.set(QUEUED, True, timeout=300)


def test_a_worker_killed_while_sequencing_leaves_every_record_to_be_appended_exactly_once():
    count = 5 if connection.vendor == "postgresql" else 12_000
    _worker_is_down()
    put(count, "KILLED")
    outbox = set(Pending.objects.values_list("id", flat=True))
    holder = _hold_the_entries_table()
    worker = subprocess.Popen(
        [sys.executable, "-m", "rathaus.cli", "ledger", "sequence"],
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "LOG_FORMAT": "plain",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        said = []
        for line in worker.stdout:  # the worker has read the outbox and is about to write
            said.append(line)
            if "appending" in line or time.monotonic() > deadline:
                break
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        assert "appending" in said[-1], "".join(said[-20:])
    finally:
        if holder is not None:
            holder.rollback()
            holder.close()
    assert worker.returncode == -signal.SIGKILL
    committed = Entry.objects.filter(reference__startswith="KILLED").count()
    assert committed % sequencer.BATCH == 0, "a batch is appended whole or not at all"
    if holder is not None:
        assert committed == 0 and set(Pending.objects.values_list("id", flat=True)) == outbox

    assert sequencer.sequence_all() == count - committed
    assert sorted(
        Entry.objects.filter(reference__startswith="KILLED").values_list("outbox_id", flat=True)
    ) == sorted(outbox)
    assert sequencer.sequence_all() == 0
    assert audit.audit() == []


def _sequencer_run(errors: list[BaseException]):
    def prepare():
        def run():
            try:
                return sequencer.sequence(limit=6_000)
            except IntegrityError as error:  # the tree would fork: same leaf index twice
                errors.append(error)
                return 0
            finally:
                close_old_connections()
                connection.close()

        return run

    return prepare


def test_two_sequencers_at_once_never_fork_the_tree():
    _worker_is_down()
    put(6_000, "PARALLEL")
    errors: list[BaseException] = []
    appended = at_once([_sequencer_run(errors)] * 2)
    appended.append(sequencer.sequence_all())
    assert errors == []
    assert sum(appended) == 6_000
    assert Entry.objects.filter(reference__startswith="PARALLEL").count() == 6_000
    assert audit.audit() == []


def test_control_run_without_the_lock_two_sequencers_collide(monkeypatch):
    """Without the row lock both sequencers read the same outbox rows and give them the
    same leaf indices; the entries' primary key refuses the second (on PostgreSQL).

    SQLite takes its write lock at ``BEGIN`` (``transaction_mode = IMMEDIATE``), so there
    the two runs are serialised anyway; this test says so instead of pretending."""
    for name, value in guards_off("ledger.sequence").items():
        monkeypatch.setenv(name, value)
    _worker_is_down()
    put(6_000, "NOLOCK")
    errors: list[BaseException] = []
    appended = at_once([_sequencer_run(errors)] * 2)
    if connection.vendor == "postgresql":
        assert errors, "without the lock both sequencers should take the same leaf indices"
    else:
        assert errors == [] and sum(appended) == 6_000


def test_a_committed_record_is_sequenced_by_the_task_its_commit_queues():
    """``record`` queues the sequencing task on commit (run at once in the tests' task
    backend); a worker would run it within its polling interval."""
    digests = put(2, "QUEUED")
    assert set(
        Entry.objects.filter(reference__startswith="QUEUED").values_list("sha256", flat=True)
    ) == set(digests)


def test_the_every_minute_run_takes_what_a_lost_task_left():
    from rathaus.core import periodic

    _worker_is_down()
    put(3, "MINUTE")
    assert not Entry.objects.filter(reference__startswith="MINUTE").exists()
    assert "rathaus.ledger.tasks.sequence_every_minute" in periodic.run_frequent(force=True)
    assert Entry.objects.filter(reference__startswith="MINUTE").count() == 3
