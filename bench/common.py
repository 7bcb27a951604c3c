"""What every benchmark shares: a database with the scaled demo city, a real server, a table.

Benchmarks are not tests: they print a table of figures with ratios against a
baseline measured in the same run, and with ``--json`` end with one JSON object.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/rathaus_bench"


def arguments(
    description: str,
    scale: int,
    more: Callable[[argparse.ArgumentParser], None] | None = None,
) -> argparse.Namespace:
    """The options every benchmark has; ``more`` adds its own to the parser."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", type=int, default=scale)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON object of figures")
    parser.add_argument("--rounds", type=int, default=5, help="repetitions of the query mix")
    parser.add_argument(
        "--skip-load",
        action="store_true",
        help="use the database as an earlier run at the same --scale left it (loading the "
        "demo city at scale 50 takes many minutes)",
    )
    if more is not None:
        more(parser)
    return parser.parse_args()


def environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="rathaus.settings")
    env.setdefault("RATHAUS_VAR_DIR", str(ROOT / "var" / "bench"))
    return env


def prepare_database(database_url: str, scale: int) -> None:
    """Create the PostgreSQL database if needed and load the demo city at ``scale``."""
    if database_url.startswith("postgres"):
        import psycopg

        name = database_url.rsplit("/", 1)[1]
        admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, "-m", "rathaus.cli", "demo", "--scale", str(scale), "--load-only"],
        env=environment(database_url),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(
    database_url: str,
    workers: int = 2,
    extra_env: dict[str, str] | None = None,
    app: str | None = None,
):
    """A real ``rathaus serve`` (gunicorn) on a free port; yields its base URL.

    ``extra_env`` is added to the server's environment (settings read from it).
    ``app`` (``module:name``, importable from ``bench/``) serves that WSGI application
    instead, with the gunicorn options ``rathaus serve`` uses (for baselines such as
    ``insert_wsgi:application``).
    """
    with server_process(database_url, workers, extra_env, app) as (base, _process):
        yield base


@contextmanager
def server_process(
    database_url: str,
    workers: int = 2,
    extra_env: dict[str, str] | None = None,
    app: str | None = None,
):
    """Like :func:`server`, yielding ``(base URL, process)`` for those who watch the process."""
    port = free_port()
    env = environment(database_url) | (extra_env or {})
    if app is None:
        command = [sys.executable, "-m", "rathaus.cli", "serve"]
    else:
        command = [sys.executable, "-m", "gunicorn", app, "--pythonpath", str(ROOT / "bench")]
        allowed = env.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
        command += ["--access-logfile", "-", "--forwarded-allow-ips", allowed]
    process = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("server did not start") from None
                time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=20)


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status}")
        return response.read()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "mean": statistics.fmean(values),
    }


def print_table(title: str, rows: Iterable[tuple[str, dict[str, float], float | None]]) -> None:
    print(f"\n{title}")
    header = f"{'measurement':<44} {'n':>6} {'p50 ms':>9} {'p95 ms':>9} {'mean ms':>9} {'ratio':>8}"
    print(header)
    print("-" * len(header))
    for name, figures, ratio in rows:
        ratio_text = f"{ratio:>7.1f}x" if ratio is not None else f"{'1.0x':>8}"
        print(
            f"{name:<44} {figures['n']:>6} {figures['p50']:>9.2f} {figures['p95']:>9.2f} "
            f"{figures['mean']:>9.2f} {ratio_text}"
        )


def emit_json(figures: dict[str, object]) -> None:
    print(json.dumps(figures, sort_keys=True))
