"""A lean load client for the rush benchmarks: many browsers' last request, at one moment.

The client shares the machine's two cores with the servers it measures, so it costs as
little as it can: one thread, one asyncio loop, every request prepared as bytes before
the start (headers, cookies, form body), one fresh connection per request with
``Connection: close`` (gunicorn's sync workers close it anyway), the response read to its
end and only its status line and ``Location`` parsed. A request's time runs from the
connect to the last byte of the answer, so it includes the wait in the servers' listen
queues – what a person in the rush waits.
"""

import asyncio
import os
import time
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Answer", "CpuMeter", "Request", "fire", "process_tree", "request"]

TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Request:
    host: str
    port: int
    payload: bytes


@dataclass(frozen=True)
class Answer:
    status: int  # 0: no answer (refused, reset, timed out)
    location: str
    body: bytes
    ms: float
    error: str = ""


def request(
    base: str,
    method: str,
    path: str,
    *,
    host: str | None = None,
    headers: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> Request:
    """The bytes a browser sends: ``host`` is the name in the address bar (the connection
    goes to ``base``)."""
    parts = urllib.parse.urlsplit(base)
    body = urllib.parse.urlencode(form).encode() if form is not None else b""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host or parts.netloc}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if form is not None:
        lines.append("Content-Type: application/x-www-form-urlencoded")
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return Request(parts.hostname or "127.0.0.1", parts.port or 80, head + body)


def _parse(data: bytes, ms: float) -> Answer:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    try:
        status = int(lines[0].split(b" ", 2)[1])
    except (IndexError, ValueError):
        return Answer(0, "", data[:200], ms, "no HTTP answer")
    location = ""
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"location":
            location = value.strip().decode("latin-1")
    return Answer(status, location, body, ms)


async def _send(item: Request, timeout: float) -> Answer:
    started = time.perf_counter()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(item.host, item.port)
            writer.write(item.payload)
            data = await reader.read()  # to the end: the server closes the connection
    except TimeoutError:
        return Answer(0, "", b"", (time.perf_counter() - started) * 1000, "timeout")
    except OSError as error:
        ms = (time.perf_counter() - started) * 1000
        return Answer(0, "", b"", ms, f"{type(error).__name__}: {error}")
    finally:
        if writer is not None:
            writer.close()
    return _parse(data, (time.perf_counter() - started) * 1000)


async def _fire(
    items: Sequence[Request], clients: int, start_at: float | None, timeout: float
) -> tuple[list[Answer], float]:
    answers: list[Answer | None] = [None] * len(items)
    cursor = iter(range(len(items)))

    async def client() -> None:
        for index in cursor:  # the clients share one queue: the next free client sends next
            answers[index] = await _send(items[index], timeout)

    if start_at is not None:
        await asyncio.sleep(max(0.0, start_at - time.time()))
    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return answers, time.perf_counter() - began  # type: ignore[return-value]


def fire(
    items: Sequence[Request],
    clients: int,
    *,
    start_at: float | None = None,
    timeout: float = TIMEOUT_S,
) -> tuple[list[Answer], float]:
    """Send ``items`` from ``clients`` concurrent clients, starting at the wall-clock time
    ``start_at`` (``time.time()``; at once without); the answers in the order of ``items``
    and the seconds from the first request to the last answer."""
    return asyncio.run(_fire(items, clients, start_at, timeout))


# --- CPU used ----------------------------------------------------------------------------
# On a shared machine the wall-clock figures depend on who else runs; the CPU seconds the
# servers, the database backends and the client spent per request do not (much), and say
# what the same load would reach on idle cores.

TICK_S = 1 / os.sysconf("SC_CLK_TCK")


def _cpu_s(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * TICK_S  # utime + stime


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (gunicorn's master and workers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in task.read_text().split()]
            except OSError:
                continue
    return found


def busy_s() -> tuple[float, float]:
    """CPU seconds of the whole machine: (busy, total), all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) * TICK_S, sum(values) * TICK_S


class CpuMeter:
    """CPU seconds spent by groups of processes between ``start`` and ``stop``; each group is
    a function that lists its processes now (so workers and backends that start during
    the phase count from their start)."""

    def __init__(self, groups: dict[str, Callable[[], Iterable[int]]]):
        self.groups = groups
        self.before: dict[str, dict[int, float]] = {}
        self.spent: dict[str, float] = {}
        self.machine: tuple[float, float] = (0.0, 0.0)

    def _read(self) -> dict[str, dict[int, float]]:
        read = {}
        for name, pids in self.groups.items():
            read[name] = {pid: cpu for pid in pids() if (cpu := _cpu_s(pid)) is not None}
        return read

    def start(self) -> None:
        self.machine = busy_s()
        self.client = time.process_time()
        self.before = self._read()

    def stop(self) -> dict[str, float]:
        after = self._read()
        busy, total = busy_s()
        self.spent = {
            name: sum(cpu - self.before[name].get(pid, 0.0) for pid, cpu in after[name].items())
            for name in self.groups
        }
        self.spent["client"] = time.process_time() - self.client
        self.spent["machine busy"] = busy - self.machine[0]
        self.spent["machine total"] = total - self.machine[1]
        return self.spent
