"""Metrics, structured logs with a request id, and the readiness probe."""

import io
import json
import logging
import threading
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from rathaus.core.models import WorkerHeartbeat
from rathaus.core.serving import metrics_directory
from rathaus.core.tasks import send_email
from tests.support import app_servers

TOKEN = "scrape-token-for-the-tests-0123456789"
DB_TASKS = {
    "default": {"BACKEND": "rathaus.core.task_backend.DatabaseBackend", "QUEUES": ["default"]}
}


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of a scrape by (name, labels)."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client: Client) -> dict[tuple[str, frozenset], float]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return samples(response.content.decode())


def requests_of(scraped: dict, route: str, status: str = "2xx", method: str = "GET") -> float:
    labels = frozenset({"route": route, "method": method, "status": status}.items())
    return scraped.get(("rathaus_http_request_duration_seconds_count", labels), 0)


# --- Who may scrape -----------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_are_hidden_from_other_addresses_and_open_with_the_token(client, settings):
    settings.METRICS_TOKEN = TOKEN
    stranger = {"REMOTE_ADDR": "203.0.113.7"}
    assert client.get("/metrics", **stranger).status_code == 404
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token", **stranger)
    assert wrong.status_code == 404
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **stranger)
    assert response.status_code == 200
    assert b"rathaus_http_request_duration_seconds" in response.content


@pytest.mark.django_db
def test_metrics_answer_loopback_but_not_what_an_untrusted_proxy_relays(client, settings):
    settings.METRICS_TOKEN = ""
    settings.TRUSTED_PROXIES = []
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    relayed = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert relayed.status_code == 404
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200


# --- What is counted ----------------------------------------------------------------


@pytest.mark.django_db
def test_requests_are_timed_per_route_never_per_path(client):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/impressum/").status_code == 200
    assert client.get("/gibt-es-nicht-4711/").status_code == 404  # could be a homepage's page
    assert client.get("/gibt-es-nicht-4711.txt").status_code == 404  # could be nothing

    after = scrape(client)
    assert requests_of(after, "core:imprint") - requests_of(before, "core:imprint") == 3
    pages = "wagtail_serve"
    assert requests_of(after, pages, "4xx") - requests_of(before, pages, "4xx") == 1
    assert requests_of(after, "unmatched", "4xx") - requests_of(before, "unmatched", "4xx") == 1
    routes = {dict(labels).get("route", "") for _, labels in after}
    assert not any("/" in route and "4711" in route for route in routes)
    assert not any(route.startswith("/") for route in routes)


@pytest.mark.django_db
def test_an_unhandled_exception_counts_as_an_error_a_404_does_not(client, settings, log_lines):
    exceptions = "rathaus_http_exceptions_total"
    crash = frozenset({"route": "kaputt/", "exception": "ZeroDivisionError"}.items())
    before = scrape(client)
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7").status_code == 404  # raises Http404

    settings.ROOT_URLCONF = "tests.core.broken_urls"
    failed = Client(raise_request_exception=False).get("/kaputt/")
    assert failed.status_code == 500
    settings.ROOT_URLCONF = "rathaus.urls"
    errors = [line for line in log_lines() if line["level"] == "ERROR"]
    assert [line["request_id"] for line in errors] == [failed["X-Request-ID"]]
    assert "ZeroDivisionError" in errors[0]["exception"]

    after = scrape(client)
    assert after.get((exceptions, crash), 0) - before.get((exceptions, crash), 0) == 1
    assert requests_of(after, "kaputt/", "5xx") - requests_of(before, "kaputt/", "5xx") == 1
    http404 = {labels for name, labels in after if name == exceptions and "Http404" in str(labels)}
    assert not http404


@pytest.mark.django_db
def test_queue_depth_and_age_show_the_tasks_waiting(client, settings):
    settings.TASKS = DB_TASKS
    DBTaskResult.objects.all().delete()  # what the demo city queued when it was loaded
    queue = frozenset({"queue": "default"}.items())
    empty = scrape(client)
    assert empty[("rathaus_tasks_waiting", queue)] == 0
    assert empty[("rathaus_tasks_oldest_waiting_seconds", queue)] == 0

    for number in range(3):
        send_email.enqueue(subject=f"Nr. {number}", body="Hallo", to=["kim@beispiel.de"])
    oldest = DBTaskResult.objects.order_by("enqueued_at").first()
    DBTaskResult.objects.filter(pk=oldest.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=5)
    )

    waiting = scrape(client)
    assert waiting[("rathaus_tasks_waiting", queue)] == 3
    assert 300 <= waiting[("rathaus_tasks_oldest_waiting_seconds", queue)] < 360
    assert waiting[("rathaus_tasks_running", frozenset())] == 0


@pytest.mark.django_db
def test_domain_counters_and_database_state_are_exposed(client):
    from rathaus.core import metrics

    before = scrape(client)
    metrics.booking_conflict()
    metrics.passkey_failure("authentication")
    metrics.passkey_failure("made-up kind")
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        key = (name, frozenset(labels.items()))
        return after.get(key, 0) - before.get(key, 0)

    assert delta("rathaus_booking_conflicts_total") == 1
    assert delta("rathaus_passkey_failures_total", ceremony="authentication") == 1
    assert delta("rathaus_passkey_failures_total", ceremony="other") == 1
    assert after[("rathaus_metrics_database_up", frozenset())] == 1
    connections = {labels for name, labels in after if name == "rathaus_db_connections"}
    if connection.vendor == "postgresql":  # the scrape's own connection is active
        assert after[("rathaus_db_connections", frozenset({"state": "active"}.items()))] >= 1
        assert after[("rathaus_db_connections_max", frozenset())] > 0
    else:  # SQLite has no server connections to count, and says nothing made up
        assert not connections


# --- Several worker processes, one scrape -------------------------------------------


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status


def _served_by_process(folder: Path, route: str) -> dict[str, float]:
    """Requests of ``route`` each worker process wrote to its own metrics file."""
    counts = {}
    for path in folder.glob("histogram_*.db"):
        for family in MultiProcessCollector.merge([str(path)]):
            for sample in family.samples:
                if sample.name.endswith("_count") and sample.labels.get("route") == route:
                    counts[path.name] = counts.get(path.name, 0) + sample.value
    return counts


@pytest.mark.django_db(transaction=True)
def test_one_scrape_adds_up_all_worker_processes_of_a_server():
    with app_servers(1, workers=2) as (base,):
        folder = metrics_directory(base.removeprefix("http://"))
        sent = 0
        # The kernel hands connections to whichever worker accepts first: send in parallel
        # until both processes have served some (bounded), then compare with one scrape.
        while len(_served_by_process(folder, "core:imprint")) < 2 and sent < 400:
            threads = [
                threading.Thread(target=_get, args=(f"{base}/impressum/",)) for _ in range(8)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            sent += len(threads)
        per_process = _served_by_process(folder, "core:imprint")
        with urllib.request.urlopen(f"{base}/metrics", timeout=10) as response:
            scraped = samples(response.read().decode())

    assert len(per_process) == 2, per_process
    assert all(count > 0 for count in per_process.values())
    assert requests_of(scraped, "core:imprint") == sent == sum(per_process.values())
    assert scraped[("rathaus_app_processes", frozenset())] == 2


# --- Logs with a request id, from the request to the worker -------------------------


@pytest.fixture
def log_lines():
    """What the configured console format writes, captured for one test."""
    console = next(handler for handler in logging.getLogger().handlers if handler.name == "console")
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    capture.setFormatter(console.formatter)
    for log_filter in console.filters:
        capture.addFilter(log_filter)
    root = logging.getLogger()
    root.addHandler(capture)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(capture)


@pytest.mark.django_db(transaction=True)
def test_the_request_id_goes_from_the_request_to_the_worker_log(settings, mail_dir, log_lines):
    settings.TASKS = DB_TASKS
    DBTaskResult.objects.all().delete()  # what the demo city queued when it was loaded
    response = Client().post(
        "/barrierefreiheit/",
        {"message": "Der Kontrast ist zu schwach.", "email": "kim@beispiel.de"},
        HTTP_X_REQUEST_ID="lb-7f3a9c21",
    )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "lb-7f3a9c21"
    call_command("worker", batch=True, verbosity=1)
    assert len(list(mail_dir.iterdir())) == 1

    lines = log_lines()
    (request_line,) = [line for line in lines if line["logger"] == "rathaus.request"]
    assert request_line["request_id"] == "lb-7f3a9c21"
    assert request_line["route"] == "core:accessibility"
    assert request_line["method"] == "POST"
    assert request_line["status"] == 302
    assert request_line["duration_ms"] > 0
    assert request_line["client_ip"] == "127.0.0.1"
    assert {"time", "level", "message"} <= request_line.keys()
    task_lines = [line for line in lines if line.get("task") == "rathaus.core.tasks.send_email"]
    assert task_lines and all(line["request_id"] == "lb-7f3a9c21" for line in task_lines)
    assert "kim@beispiel.de" not in json.dumps(lines)


@pytest.mark.django_db
def test_an_unsafe_request_id_is_replaced_by_a_new_one(client):
    response = client.get("/impressum/", HTTP_X_REQUEST_ID='x" onload="' + "a" * 100)
    assert response["X-Request-ID"] != 'x" onload="' + "a" * 100
    assert len(response["X-Request-ID"]) == 32
    generated = client.get("/impressum/")["X-Request-ID"]
    assert generated != response["X-Request-ID"]


# --- Readiness ------------------------------------------------------------------------


@pytest.mark.django_db
def test_readyz_reports_a_silent_worker_without_leaving_the_load_balancer(client, log_lines):
    WorkerHeartbeat.objects.all().delete()
    beat = WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="app1", pid=1, started_at=timezone.now(), seen_at=timezone.now()
    )
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "worker": "ok"},
    }

    WorkerHeartbeat.objects.filter(pk=beat.pk).update(seen_at=timezone.now() - timedelta(minutes=5))
    stale = client.get("/readyz")
    assert stale.status_code == 200
    assert stale.json()["status"] == "degraded"
    assert stale.json()["checks"]["worker"] == "degraded"
    assert stale.json()["checks"]["database"] == "ok"
    # Every line about the failed probe carries its id; none names the path instead.
    lines = [line for line in log_lines() if line["level"] in {"WARNING", "ERROR"}]
    assert lines and {line["request_id"] for line in lines} == {stale["X-Request-ID"]}
