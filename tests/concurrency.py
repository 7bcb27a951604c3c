"""Race tests through real servers: browsers that keep cookies, and a start line.

Every race test of every module uses these, as pretix's concurrency tests do: each simulated
person prepares in its own thread (opens the page, takes the CSRF token, solves the proof of
work), then all of them wait at one barrier and send their last request at the same moment
to servers started with ``tests.support.app_servers``.
"""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.cookiejar import Cookie, CookieJar
from typing import TypeVar

from django.conf import settings
from django.db import connection
from django.test import Client

R = TypeVar("R")

TIMEOUT = 60


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    location: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser against one server: cookies kept, redirects not followed."""

    def __init__(self, base: str, *, signed_in_as: Client | None = None):
        self.base = base
        self.jar = CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )
        if signed_in_as is not None:
            self._set_cookie(
                settings.SESSION_COOKIE_NAME,
                signed_in_as.cookies[settings.SESSION_COOKIE_NAME].value,
            )

    def _set_cookie(self, name: str, value: str) -> None:
        host = urllib.parse.urlsplit(self.base).hostname
        self.jar.set_cookie(
            Cookie(0, name, value, None, False, host, False, False, "/", True, False, None,
                   False, None, None, {})
        )  # fmt: skip

    def _open(self, request: urllib.request.Request) -> Answer:
        try:
            with self._opener.open(request, timeout=TIMEOUT) as response:
                return Answer(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(), error.headers.get("Location", ""))

    def get(self, path: str) -> Answer:
        return self._open(urllib.request.Request(self.base + path))

    def csrf(self, path: str) -> str:
        """Open ``path`` and take the CSRF token of its form."""
        answer = self.get(path)
        assert answer.status == 200, (path, answer.status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.body).group(1)

    def post(self, path: str, data: dict[str, object], *, token: str) -> Answer:
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        request = urllib.request.Request(
            self.base + path, data=form, headers={"Referer": self.base + path}
        )
        return self._open(request)


class AccountBrowser(Browser):
    """A browser on the passkey host (``localhost``), where the pages of an account live: a
    GET on 127.0.0.1 is sent there. ``http.cookiejar`` keeps the cookies of a host name
    without a dot under ``<name>.local``, so the session cookie is filed there too."""

    def __init__(self, base: str, *, signed_in_as: Client):
        super().__init__(base.replace("127.0.0.1", "localhost"), signed_in_as=signed_in_as)

    def _set_cookie(self, name: str, value: str) -> None:
        self.jar.set_cookie(
            Cookie(0, name, value, None, False, "localhost.local", False, False, "/", True,
                   False, None, False, None, None, {})
        )  # fmt: skip


def at_once(jobs: Sequence[Callable[[], Callable[[], R]]]) -> list[R]:
    """Run every job's preparation in a thread of its own, then release their final requests
    together; returns what each final request returned, in the order of ``jobs``.

    A job is a function that prepares (page, token, proof of work) and returns the function
    that sends the request that races.
    """
    start = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(index: int, job: Callable[[], Callable[[], R]]) -> None:
        try:
            fire = job()
            start.wait(timeout=120)
            results[index] = fire()
        except BaseException as error:  # reported in the test's thread below
            errors.append(error)
            start.abort()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    if errors:
        raise errors[0]
    assert not any(thread.is_alive() for thread in threads), "a request never came back"
    return results


def guards_off(*names: str) -> dict[str, str]:
    """The environment of servers for a control run: these guards switched off."""
    return {"RATHAUS_TEST_GUARDS_OFF": ",".join(names)}


def in_thread(job: Callable[[], object]) -> tuple[threading.Thread, list]:
    """Start ``job`` on a connection of its own; the list gets its result or exception."""
    outcome: list = []

    def run() -> None:
        try:
            outcome.append(job())
        except BaseException as error:  # reported by the test
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome
