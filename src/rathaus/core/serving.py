"""``rathaus serve``: the production server (gunicorn), started without loading Django.

The command only builds gunicorn's command line and replaces itself with it. Loading every
app and the CMS for that would cost seconds, which each worker pays again anyway; only
``collectstatic`` (skipped with ``--no-collectstatic``) runs Django first.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path


def default_workers() -> int:
    """Gunicorn's rule of thumb: two per core plus one."""
    return 2 * (os.cpu_count() or 1) + 1


def metrics_directory(bind: str) -> Path:
    """Where the worker processes of the server listening on ``bind`` keep their metrics:
    one folder per address, so two servers on one host never mix or delete each other's."""
    from rathaus import settings

    return settings.METRICS_DIR / re.sub(r"[^A-Za-z0-9.-]+", "_", bind)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="rathaus serve",
        description="Serve Rathaus with gunicorn (production). The app keeps no state: "
        "run it on many hosts.",
    )
    parser.add_argument("--bind", default=os.environ.get("RATHAUS_BIND", "127.0.0.1:8000"))
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", default_workers()))
    )
    parser.add_argument("--no-collectstatic", action="store_true")
    options = parser.parse_args(argv)
    if not options.no_collectstatic:
        command = [sys.executable, "-m", "rathaus.cli", "collectstatic", "--no-input", "-v0"]
        subprocess.run(command, check=True)  # noqa: S603 -- our own interpreter and command
    # Counters of the previous run are gone with its processes: start from an empty folder.
    directory = metrics_directory(options.bind)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "rathaus.wsgi:application",
        "--config",
        "python:rathaus.core.gunicorn_config",
        "--bind",
        options.bind,
        "--workers",
        str(options.workers),
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    print(f"Rathaus auf http://{options.bind}/ mit {options.workers} Prozessen", flush=True)
    os.execv(sys.executable, gunicorn)  # noqa: S606 -- our own interpreter, fixed arguments
