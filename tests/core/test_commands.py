from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from rathaus.catalog.models import Service
from rathaus.core.models import AuditEntry, WorkerHeartbeat
from rathaus.offices.models import Office


def _heartbeat(age: timedelta) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="host", pid=1, started_at=now - age, seen_at=now - age
    )


@pytest.mark.django_db
def test_check_fails_without_a_living_worker(capsys):
    with pytest.raises(CommandError):
        call_command("selfcheck")
    assert "kein Hintergrundprozess" in capsys.readouterr().out


@pytest.mark.django_db
def test_check_passes_with_a_fresh_heartbeat_and_names_the_warnings(capsys, monkeypatch):
    # The browser tests need this variable; a real deployment must not have it.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    monkeypatch.delenv("RATHAUS_TESTING", raising=False)
    _heartbeat(timedelta(seconds=5))
    call_command("selfcheck")
    out = capsys.readouterr().out
    assert "Alle Pflichtprüfungen bestanden" in out
    assert "HTTPS ist nicht gesetzt" in out
    assert "Datenbank" in out and "alle Migrationen angewendet" in out


@pytest.mark.django_db
def test_check_fails_on_a_stale_heartbeat_and_on_debug(settings, capsys, monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    monkeypatch.delenv("RATHAUS_TESTING", raising=False)
    _heartbeat(timedelta(minutes=5))
    settings.DEBUG = True
    with pytest.raises(CommandError, match="2 Prüfung"):
        call_command("selfcheck")
    assert "DEBUG ist an" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_scales_the_city_and_loading_twice_changes_nothing():
    services, offices = Service.objects.count(), Office.objects.count()
    call_command("demo", scale=3, load_only=True, verbosity=0)
    assert Service.objects.count() == 3 * services
    assert Office.objects.count() == 3 * offices
    copy = Service.objects.get(slug="personalausweis-beantragen-3")
    assert copy.office.slug.endswith("-3")
    call_command("demo", scale=3, load_only=True, verbosity=0)
    assert Service.objects.count() == 3 * services
    assert AuditEntry.objects.filter(action="rathaus.core.demo.loaded").count() == 2


@pytest.mark.django_db
def test_demo_refuses_a_silly_scale():
    with pytest.raises(CommandError, match="zwischen 1 und 500"):
        call_command("demo", scale=0, load_only=True)


def test_committed_openapi_description_is_current_and_valid():
    call_command("openapi", check=True)
