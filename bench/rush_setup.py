"""Setting up the rush benchmark (``programs_rush.py``): the database, signed-in residents
with their sessions and CSRF cookies, the course, the app servers, and what the database
says afterwards.
"""

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta

import common

SESSION_PREFIX = "rush"  # bench session keys start with it (keys are [a-z0-9]{32})
EMAIL = "rush-{n}@bench.invalid"
# The bench client is the city's proxy: one X-Forwarded-For address per resident.
SERVER_ENV = {"TRUSTED_PROXIES": "127.0.0.1"}
START_TIMEOUT_S = 300


def prepare(database_url: str) -> None:
    """Create the database if needed and bring its tables up to date (no demo data)."""
    if database_url.startswith("postgres"):
        import psycopg

        name = database_url.rsplit("/", 1)[1]
        admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as connection:
            if not connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')
    for command in (["migrate"], ["collectstatic", "--no-input"]):
        subprocess.run(
            [sys.executable, "-m", "rathaus.cli", *command, "--verbosity", "0"],
            env=common.environment(database_url),
            check=True,
            stdout=subprocess.DEVNULL,
        )


@contextmanager
def app_servers(database_url: str, count: int, workers: int):
    """``count`` ``rathaus serve`` processes, started together; yields (base URL, process)
    pairs. Like ``common.server_process``, with the static files collected once beforehand
    and more patience: on a busy machine booting a dozen workers takes longer than a minute.
    """
    env = common.environment(database_url) | SERVER_ENV
    started = []
    try:
        for _ in range(count):
            port = common.free_port()
            command = ["serve", "--no-collectstatic", "--bind", f"127.0.0.1:{port}"]
            process = subprocess.Popen(
                [sys.executable, "-m", "rathaus.cli", *command, "--workers", str(workers)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            started.append((f"http://127.0.0.1:{port}", process))
        deadline = time.monotonic() + START_TIMEOUT_S
        for base, process in started:
            while True:
                try:
                    with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError(f"server {base} did not start") from None
                    time.sleep(0.5)
        yield started
    finally:
        for _base, process in started:
            process.terminate()
        for _base, process in started:
            process.wait(timeout=60)


def setup_django(database_url: str) -> None:
    os.environ.update(common.environment(database_url))
    import django

    django.setup()


def residents(count: int, returning: bool) -> list[int]:
    """The ids of ``count`` bench residents (made once, kept between runs); their
    "Ich selbst" participant made (``returning``) or removed, so runs compare."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from rathaus.accounts.models import User
    from rathaus.programs.models import Participant

    emails = [EMAIL.format(n=n) for n in range(count)]
    known = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    now = timezone.now()
    User.objects.bulk_create(
        [
            User(
                email=email,
                full_name=f"Bench Person {n}",
                password=make_password(None),
                email_confirmed_at=now,
            )
            for n, email in enumerate(emails)
            if email not in known
        ],
        batch_size=1000,
    )
    known = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    ids = [known[email] for email in emails]
    selves = Participant.objects.filter(account_id__in=ids, is_self=True)
    if not returning:
        selves.delete()
    else:
        have = set(selves.values_list("account_id", flat=True))
        Participant.objects.bulk_create(
            [
                Participant(account_id=pk, is_self=True, name=f"Bench Person {n}")
                for n, pk in enumerate(ids)
                if pk not in have
            ],
            batch_size=1000,
        )
    return ids


def sessions(user_ids: list[int]) -> list[tuple[str, str, str]]:
    """A fresh database session per resident, as a passkey sign-in leaves it, and a CSRF
    cookie with the form token the booking page would carry: (session key, csrftoken
    cookie, csrfmiddlewaretoken)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from rathaus.accounts.models import User
    from rathaus.accounts.services.sessions import SIGNED_IN_AT, VERIFIED_AT

    Session.objects.filter(session_key__startswith=SESSION_PREFIX).delete()
    hashes = {u.pk: u.get_session_auth_hash() for u in User.objects.filter(pk__in=user_ids)}
    store, now, signed_in = SessionStore(), timezone.now(), time.time()
    expires = now + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows, keys = [], []
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    for pk in user_ids:
        key = SESSION_PREFIX + get_random_string(32 - len(SESSION_PREFIX), alphabet)
        data = {
            SESSION_KEY: str(pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: hashes[pk],
            SIGNED_IN_AT: signed_in,
            VERIFIED_AT: signed_in,
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        secret = _get_new_csrf_string()
        keys.append((key, secret, _mask_cipher_secret(secret)))
    Session.objects.bulk_create(rows, batch_size=1000)
    return keys


def course(slug: str, places: int, opens_in: timedelta):
    """A free course for adults (no age range: residents book for themselves), ten weekly
    sessions from next month, booking open ``opens_in`` from now."""
    from django.utils import timezone

    from rathaus.programs.models import Offer, Provider, Session, Venue
    from rathaus.programs.services import offers

    provider, _ = Provider.objects.get_or_create(
        slug="bench-vhs",
        defaults={"name": "Bench-Volkshochschule", "kind": Provider.Kind.ADULT_EDUCATION},
    )
    venue, _ = Venue.objects.get_or_create(
        provider=provider,
        name="Bench-Haus",
        defaults={"street": "Benchstraße 1", "postcode": "40210"},
    )
    now = timezone.now()
    offer = Offer.objects.create(
        provider=provider,
        slug=slug,
        title="Erste Hilfe am Kind (Bench)",
        summary="Der Kurs, den alle wollen",
        category="bildung",
        status=Offer.Status.PUBLISHED,
        venue=venue,
        capacity=places,
        booking_opens_at=now + opens_in,
    )
    first = now.replace(hour=16, minute=0, second=0, microsecond=0) + timedelta(days=30)
    Session.objects.bulk_create(
        Session(
            offer=offer,
            starts_at=first + timedelta(weeks=w),
            ends_at=first + timedelta(weeks=w, hours=2),
        )
        for w in range(10)
    )
    return offers.refresh(offer)


def analyze() -> None:
    """Fresh planner statistics after the bulk inserts (autovacuum may not have run)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("accounts_user", "django_session", "programs_participant"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def outcome(slug: str) -> dict[str, int]:
    """What the database says after the rush."""
    from rathaus.programs.models import Booking, BookingParticipant, Offer

    offer = Offer.objects.get(slug=slug)
    active = BookingParticipant.objects.filter(offer=offer, active=True).count()
    return {
        "capacity": offer.capacity,
        "taken": offer.taken,
        "bookings": Booking.objects.filter(offer=offer, status=Booking.Status.BOOKED).count(),
        "active_places": active,
        "oversold": max(0, active - offer.capacity),
    }


def database_backends(database_url: str) -> Callable[[], list[int]]:
    """The PostgreSQL server processes serving the bench database (none for SQLite: there
    the servers' own processes do the database's work)."""
    if not database_url.startswith("postgres"):
        return list
    import psycopg

    name = database_url.rsplit("/", 1)[1]

    def pids() -> list[int]:
        with psycopg.connect(database_url, autocommit=True) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            ).fetchall()
        return [pid for (pid,) in rows]

    return pids
