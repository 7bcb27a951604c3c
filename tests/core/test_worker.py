import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from rathaus.core import mail
from rathaus.core.models import WorkerHeartbeat


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
