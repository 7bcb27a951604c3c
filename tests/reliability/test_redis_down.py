"""Redis stopped under a running site: rate limits fall back to each process's memory (never
a 500, never unlimited), and ``rathaus check`` fails on the cache.

A real ``redis-server`` is started on a free port and killed in the middle of the test.
"""

import logging
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import CommandError, call_command
from django.test import Client

from rathaus.appointments.models import Appointment, OfficeService
from rathaus.core import cache as resilient_cache
from tests.appointments.conftest import make_office
from tests.appointments.test_public_pages import booking_url, first_free, post_booking
from tests.factories import ServiceFactory

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
NO_PERSISTENCE = ("--save", "", "--appendonly", "no")
FEEDBACK_URL = "/barrierefreiheit/"
FEEDBACKS_PER_HOUR = 5  # rathaus.core.views.accessibility


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_redis(port: int, folder) -> subprocess.Popen:
    """``redis-server`` on ``port`` without persistence, once it answers PING."""
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            *NO_PERSISTENCE,
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    probe = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1)
    deadline = time.monotonic() + 20
    try:
        while True:
            try:
                probe.ping()
                return process
            except redis.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    process.kill()
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
    finally:
        probe.close()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    """A real Redis on a free port; yields (process, url, port). Killed at the end."""
    port = _free_port()
    process = _start_redis(port, tmp_path)
    try:
        yield process, f"redis://127.0.0.1:{port}/0", port
    finally:
        _stop(process)


@pytest.fixture
def redis_cache(settings, redis_server, monkeypatch):
    """The site's cache is that Redis, as with REDIS_URL; the rate limits' fallback starts
    as in a fresh process."""
    process, url, _ = redis_server
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "rathaus.core.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "rathaus",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
        "pages": settings.CACHES["pages"],
    }
    # Local-memory caches of one name share their storage: start as a fresh process.
    LocMemCache("rathaus-cache-fallback", {}).clear()
    monkeypatch.setitem(resilient_cache._state, "down_until", 0.0)
    monkeypatch.setitem(resilient_cache._state, "last_warning", float("-inf"))
    return process, redis.Redis.from_url(url)


def _send_feedback(client) -> int:
    response = client.post(FEEDBACK_URL, {"message": "Der Kontrast ist zu schwach."})
    assert response.status_code in {200, 302}, response.status_code
    if response.status_code == 200:
        assert "schon mehrere Rückmeldungen" in response.content.decode()
    return response.status_code


@pytest.mark.django_db
def test_rate_limits_fall_back_to_process_memory_when_redis_stops(
    client, redis_cache, mail_dir, caplog
):
    process, probe = redis_cache
    assert [_send_feedback(client) for _ in range(3)] == [302] * 3
    assert probe.keys("*rl:accessibility-feedback*"), "the counts were not kept in Redis"

    _stop(process)
    with caplog.at_level(logging.WARNING, logger="rathaus.core.cache"):
        statuses = [_send_feedback(client) for _ in range(FEEDBACKS_PER_HOUR + 2)]
    # Counted anew in this process: the limit holds (per process), nothing is a 500.
    assert statuses == [302] * FEEDBACKS_PER_HOUR + [200, 200]
    warnings = [r for r in caplog.records if "Shared cache (Redis) unreachable" in r.getMessage()]
    assert len(warnings) == 1  # once a minute, not once a request


@pytest.mark.django_db
def test_rate_limits_go_back_to_redis_once_it_answers_again(
    client, redis_cache, redis_server, mail_dir, monkeypatch, tmp_path
):
    process, probe = redis_cache
    monkeypatch.setattr(resilient_cache, "RETRY_SECONDS", 0)
    _stop(process)
    assert _send_feedback(client) == 302  # counted in memory
    restarted = _start_redis(redis_server[2], tmp_path)
    try:
        assert _send_feedback(client) == 302
        assert probe.keys("*rl:accessibility-feedback*")
    finally:
        _stop(restarted)


@pytest.mark.django_db
def test_check_fails_on_the_cache_when_redis_stops(redis_cache, capsys):
    process, _ = redis_cache
    _stop(process)
    with pytest.raises(CommandError):
        call_command("selfcheck")
    cache_line = next(line for line in capsys.readouterr().out.splitlines() if "Cache:" in line)
    assert cache_line.startswith("FEHLER") and "nicht erreichbar" in cache_line


@pytest.mark.django_db
def test_bookings_stay_correct_while_redis_is_down(redis_cache, settings):
    """Two counters, three people for the same time: two appointments, never a third."""
    settings.APPOINTMENT_POW_MAX_NUMBER = 2000
    office = make_office("redisbuero", counters=2)
    passport = ServiceFactory(title="Ausfallausweis", slug="ausfallausweis")
    OfficeService.objects.create(office=office, service=passport, minutes_per_person=15)
    process, _ = redis_cache
    day, unit = first_free(office, [passport])
    url = booking_url(office, [passport], day, unit)
    _stop(process)
    booked = [post_booking(Client(), url, email=f"person{n}@beispiel.de") for n in range(2)]
    assert [response.status_code for response in booked] == [302, 302]
    # The refusal page offers other times from the appointments' offer cache, which answers
    # from process memory meanwhile.
    third = post_booking(Client(), url, email="person2@beispiel.de")
    assert third.status_code == 409
    assert "Dieser Termin ist gerade vergeben worden" in third.content.decode()
    appointments = Appointment.objects.filter(office=office, day=day, start_unit=unit)
    assert sorted(appointments.values_list("counter__number", flat=True)) == [1, 2]
