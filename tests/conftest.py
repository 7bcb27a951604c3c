"""Fixtures named after the things of the domain; the demo city is loaded once per test run.

``db`` tests run inside a transaction on top of the demo city. Tests that need a
live server (``transactional_db``) get an empty database and load what they need.
"""

import os
import time
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from rathaus.catalog import search as catalog_search
from rathaus.programs.services import booking as programs_booking
from rathaus.sites import cache as page_cache
from tests.support import load_demo_city, missing_browser_requirements, remember_demo_city

# Playwright's sync API runs an event loop in the test thread; Django's ORM is fine with it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Lets a control run switch a concurrency guard off (rathaus.core.locking.guard_enabled);
# the servers the tests start inherit it.
os.environ["RATHAUS_TESTING"] = "1"
# The green-IT meter writes only when a test asks (a write at a random moment would change
# the queries a test counts); the servers the tests start inherit it.
os.environ["RESOURCE_FLUSH_SECONDS"] = "off"


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "browser" in item.keywords]
    missing = missing_browser_requirements()
    if not browser_items or not missing:
        return
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        raise pytest.UsageError("Browser-Tests können in CI nicht laufen: " + "; ".join(missing))
    config._rathaus_browser_missing = (missing, [item.nodeid for item in browser_items])
    config.hook.pytest_deselected(items=browser_items)
    items[:] = [item for item in items if "browser" not in item.keywords]


def pytest_terminal_summary(terminalreporter, config):
    if info := getattr(config, "_rathaus_browser_missing", None):
        missing, nodeids = info
        terminalreporter.section("Nicht ausgeführte Browser-Tests", sep="!", yellow=True)
        terminalreporter.write_line("Grund: " + "; ".join(missing))
        for nodeid in nodeids:
            terminalreporter.write_line(f"  nicht ausgeführt: {nodeid}")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_demo_city()
        remember_demo_city()
    catalog_search.invalidate()


# A test computes "today" and then asks a page, which computes it again; across midnight
# the two differ. Tests take seconds, so none starts in the last two minutes of a day.
MIDNIGHT_MARGIN = timedelta(minutes=2)


def seconds_to_wait_for_a_new_day(now: datetime) -> float:
    """How long to wait at ``now`` (local time) so that a test does not cross midnight."""
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
    return (midnight - now).total_seconds() + 1 if midnight - now < MIDNIGHT_MARGIN else 0.0


@pytest.fixture(autouse=True)
def _not_across_midnight():
    """Wait (at most two minutes, on the real clock) for the day to change, if it is about to."""
    time.sleep(seconds_to_wait_for_a_new_day(timezone.localtime()))


@pytest.fixture(autouse=True)
def _fresh_cache_and_vocabulary():
    """Rate limits, the search vocabulary, what a process remembers of sold-out offers and
    stored homepages must not leak from one test into the next."""
    cache.clear()
    page_cache.forget_everything()  # a folder the workers share: made stale, not emptied
    catalog_search.invalidate()
    programs_booking.forget_sold_out()
    yield
    catalog_search.invalidate()


@pytest.fixture(autouse=True)
def _resource_meter_writes_only_when_asked(settings):
    settings.RATHAUS = {**settings.RATHAUS, "RESOURCE_FLUSH_SECONDS": None}


@pytest.fixture(autouse=True)
def _german_first():
    """Every test starts in German: a request of an earlier test leaves its visitor's language
    active in the thread (LocaleMiddleware does not switch back), and a mail sent from the
    test itself would then be written in it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def mail_dir(settings, tmp_path):
    """E-mail is written as real .eml files; each test gets its own folder."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    return tmp_path / "mail"


@pytest.fixture(autouse=True)
def relying_party(request, settings):
    """The test client's host is the relying party, as a real domain would be (the live
    server of the browser tests runs on localhost, the default)."""
    if "live_server" not in request.fixturenames:
        settings.WEBAUTHN_RP_ID = "testserver"
        settings.WEBAUTHN_ORIGINS = []


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Queued tasks run when enqueued; tests of the worker itself switch the real queue back on."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
