"""A task that takes as long as a reliability test wants (imported by the worker by its path)."""

import os
import time
from pathlib import Path

from django_tasks import task

from .faults import LONGEST_STALL


@task()
def wait_for_release(folder: str) -> None:
    """A task that takes as long as the test wants: it notes each run in ``folder/runs``
    and ends once ``folder/release`` exists."""
    base = Path(folder)
    with (base / "runs").open("a") as runs:
        runs.write(f"{os.getpid()}\n")
    deadline = time.monotonic() + LONGEST_STALL
    while not (base / "release").exists():
        if time.monotonic() > deadline:
            raise RuntimeError("never released")
        time.sleep(0.05)
