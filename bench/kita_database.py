"""The synthetic round of ``kita_matching`` loaded into a database of its own, and the round
run end to end as staff run it (``services.rounds.run``: read registrations, wishes and
places, order, allocate, explain, check stability, write outcomes, cut-offs and statuses).

Registrations get the synthetic children's ids as primary keys and daycares the synthetic
daycares' numbers, so the lottery tickets (HMAC of the id) and therefore the placement are
the same as the pure core's – which the bench checks.
"""

import os
import sys
import time
from datetime import time as clock_time
from datetime import timedelta

import common
from kita_matching import NAMES, START, Facts

DEFAULT_DATABASE = "rathaus_bench_kita"
PREFIX = "bench-"
BATCH = 5000


def setup(database_url: str) -> None:
    """Create the database if needed, point Django at it and migrate it."""
    if database_url.startswith("postgres"):
        import psycopg

        name = database_url.rsplit("/", 1)[1]
        with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
            if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                db.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(common.environment(database_url))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(children, capacities, facts: Facts, seed: str):
    """Replace the bench's Kita year with the synthetic round; returns the period."""
    from django.db import transaction
    from django.utils import timezone

    from rathaus.kita.models import (
        Daycare,
        Period,
        Places,
        Provider,
        Registration,
        Round,
        Wish,
    )
    from rathaus.offices.models import District

    now = timezone.now()
    with transaction.atomic():
        Round.objects.filter(period__slug__startswith=PREFIX).delete()
        Registration.objects.filter(period__slug__startswith=PREFIX).delete()
        Period.objects.filter(slug__startswith=PREFIX).delete()
        Daycare.objects.filter(slug__startswith=PREFIX).delete()
        Provider.objects.filter(slug__startswith=PREFIX).delete()
        districts = [
            District.objects.get_or_create(number=n, defaults={"name": f"Stadtbezirk {n}"})[0]
            for n in range(1, 11)
        ]
        provider = Provider.objects.create(slug=f"{PREFIX}traeger", name="Bench", kind="frei")
        Daycare.objects.bulk_create(
            [
                Daycare(
                    pk=kita,
                    provider=provider,
                    slug=f"{PREFIX}{kita}",
                    name=f"Bench-Kita {kita}",
                    street="Benchstraße 1",
                    postcode="40210",
                    district=districts[district],
                    opens_at=clock_time(7),
                    closes_at=clock_time(17),
                    inclusion_places=1,
                )
                for kita, district in enumerate(facts.kita_district, 1)
            ],
            batch_size=BATCH,
        )
        period = Period.objects.create(
            slug=f"{PREFIX}kita-jahr",
            name="Bench-Kita-Jahr",
            start=START,
            last_start=START.replace(year=START.year + 1, month=7),
            registration_opens=now - timedelta(days=60),
            registration_closes=now - timedelta(days=1),
            criteria=list(NAMES),
            tie_break="lottery",
            seed=seed,
            seed_digest="-",
        )
        Places.objects.bulk_create(
            [
                Places(
                    period=period,
                    daycare_id=unit.kita,
                    group_form=unit.group_form,
                    hours=unit.hours,
                    places=places,
                )
                for unit, places in capacities.items()
            ],
            batch_size=BATCH,
        )
        Registration.objects.bulk_create(
            [
                Registration(
                    pk=child.id,
                    period=period,
                    parent_name="Bench",
                    child_given_name="Kind",
                    child_family_name=str(child.id),
                    birth_date=child.birth_date,
                    start_month=START,
                    hours=child.hours,
                    street="Benchweg 1",
                    postcode="40210",
                    district=districts[facts.home[child.id]],
                    inclusion_needs=child.id in facts.inclusion,
                    parents_working=child.id in facts.working,
                )
                for child in children
            ],
            batch_size=BATCH,
        )
        Wish.objects.bulk_create(
            [
                Wish(registration_id=child.id, rank=rank, daycare_id=kita)
                for child in children
                for rank, kita in enumerate(child.wishes, 1)
            ],
            batch_size=BATCH,
        )
        through = Registration.sibling_daycares.through
        through.objects.bulk_create(
            [through(registration_id=c, daycare_id=k) for c, k in facts.sibling_at.items()],
            batch_size=BATCH,
        )
    return period


def run_round(period) -> tuple[float, dict]:
    """One round end to end (wall seconds) and its placement; the round is undone after, so
    the next run starts from the same registrations."""
    from rathaus.kita.allocation import Unit
    from rathaus.kita.models import Outcome, Registration, Round
    from rathaus.kita.services import rounds

    started = time.perf_counter()
    done = rounds.run(period)
    seconds = time.perf_counter() - started
    placement = {
        registration: Unit(daycare, form, hours) if daycare else None
        for registration, daycare, form, hours in Outcome.objects.filter(round=done).values_list(
            "registration_id", "daycare_id", "group_form", "hours"
        )
    }
    Round.objects.filter(pk=done.pk).delete()
    Registration.objects.filter(period=period).update(status=Registration.Status.SUBMITTED)
    period.seed_published_at = None
    period.save(update_fields=["seed_published_at"])
    return seconds, placement


def progress(text: str) -> None:
    print(f"… {text}", file=sys.stderr, flush=True)
