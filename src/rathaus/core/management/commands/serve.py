import os
import re
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def default_workers() -> int:
    """Gunicorn's rule of thumb: two per core plus one."""
    return 2 * (os.cpu_count() or 1) + 1


def metrics_directory(bind: str) -> Path:
    """Where the worker processes of the server listening on ``bind`` keep their metrics:
    one folder per address, so two servers on one host never mix or delete each other's."""
    return settings.METRICS_DIR / re.sub(r"[^A-Za-z0-9.-]+", "_", bind)


class Command(BaseCommand):
    help = "Serve Rathaus with gunicorn (production). The app keeps no state: run it on many hosts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default=os.environ.get("RATHAUS_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", default_workers()))
        )
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *, bind: str, workers: int, no_collectstatic: bool, **options) -> None:
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        # Counters of the previous run are gone with its processes: start from an empty folder.
        directory = metrics_directory(bind)
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "rathaus.wsgi:application",
            "--config",
            "python:rathaus.core.gunicorn_config",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--forwarded-allow-ips",
            os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        self.stdout.write(f"Rathaus auf http://{bind}/ mit {workers} Prozessen")
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 -- our own interpreter, fixed arguments
