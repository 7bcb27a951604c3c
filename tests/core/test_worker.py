from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from rathaus.core import mail
from rathaus.core.models import SentMail, WorkerHeartbeat
from rathaus.core.task_backend import WorkerLost, requeue_abandoned
from rathaus.core.tasks import forget_sent_mail, send_email
from tests.support import mails


@pytest.mark.django_db(transaction=True)
def test_worker_sends_queued_mail_and_signs_off(settings, mail_dir):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    DBTaskResult.objects.all().delete()  # mails the demo city queued when it was loaded
    mail.send_after_commit(subject="Ihr Termin", body="Guten Tag", to=["kim@beispiel.de"])
    task = DBTaskResult.objects.get()
    assert task.status == "READY"
    assert not mail_dir.exists()

    call_command("worker", batch=True, verbosity=0)

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    files = list(mail_dir.iterdir())
    assert len(files) == 1
    assert b"Subject: Ihr Termin" in files[0].read_bytes()
    assert not WorkerHeartbeat.objects.exists()


def running_task(worker_ids: list[str], started_at) -> DBTaskResult:
    """A mail task that the workers ``worker_ids`` took in turn, the last one at ``started_at``."""
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"subject": "x", "body": "y", "to": ["a@b.de"]}},
        task_path="rathaus.core.tasks.send_email",
        backend_name="default",
        run_after=get_date_max(),
        status=TaskResultStatus.RUNNING,
        started_at=started_at,
        worker_ids=worker_ids,
    )


def heartbeat(worker_id: str, seen_at) -> None:
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="host", pid=1, started_at=seen_at, seen_at=seen_at
    )


@pytest.mark.django_db
def test_only_tasks_of_workers_silent_for_two_minutes_are_queued_again():
    now = timezone.now()
    long_ago = now - timedelta(minutes=10)
    heartbeat("lebendig", now - timedelta(seconds=100))
    heartbeat("still", now - timedelta(seconds=130))
    alive = running_task(["lebendig"], long_ago)
    silent = running_task(["still"], long_ago)
    vanished = running_task(["weg"], long_ago)  # its heartbeat row is gone
    just_taken = running_task(["weg"], now - timedelta(seconds=30))
    mine = running_task(["ich"], long_ago)

    requeued = requeue_abandoned(now=now, worker_id="ich")

    assert sorted(requeued) == sorted([str(silent.pk), str(vanished.pk)])
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[silent.pk] == statuses[vanished.pk] == TaskResultStatus.READY
    for task in (alive, just_taken, mine):
        assert statuses[task.pk] == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_task_that_killed_three_workers_is_given_up():
    now = timezone.now()
    task = running_task(["a", "b", "c"], now - timedelta(minutes=10))
    assert requeue_abandoned(now=now) == []
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.task_result.errors[0].exception_class is WorkerLost


@pytest.mark.django_db
def test_a_mail_recorded_as_sent_is_not_sent_again(mail_dir):
    first = send_email.enqueue(
        subject="Eins", body="Hallo", to=["kim@beispiel.de"], message_id="<m1@x>"
    )
    again = send_email.enqueue(
        subject="Eins", body="Hallo", to=["kim@beispiel.de"], message_id="<m1@x>"
    )
    assert first.status == again.status == TaskResultStatus.SUCCESSFUL
    [message] = mails(mail_dir)
    assert message["Message-ID"] == "<m1@x>"


@pytest.mark.django_db
def test_records_of_sent_mail_are_forgotten_after_a_week():
    old = SentMail.objects.create(message_id="<alt@x>")
    SentMail.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=8))
    SentMail.objects.create(message_id="<neu@x>")
    forget_sent_mail.call()
    assert list(SentMail.objects.values_list("message_id", flat=True)) == ["<neu@x>"]
