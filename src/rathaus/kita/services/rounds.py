"""Running an allocation round: read the registrations, place the children by deferred
acceptance (``allocation``), keep outcomes and cut-offs, tell the families.

Round 1 takes every registration once the deadline has passed. A later round runs when no
offer is waiting for an answer any more; it fills what was declined, expired or left, for
the children still without a place, and takes nobody's accepted place
(``allocation.later_round``). The whole round is one transaction on the period's row lock:
two staff members pressing the button at once get one round, not two.

The round keeps what explains it: every unit's cut-off. Why a family did not get a wish is
worked out from that when the family asks or is written to (``explanations``), so a city's
round of 30,000 children stays within a few seconds.
"""

import gc
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.core import audit, bulk, locking

from .. import allocation
from ..models import Outcome, Period, Places, Registration, Round, UnitResult, Wish
from . import criteria, fairness, notices

__all__ = ["RoundRefused", "can_run", "run"]

WAITING = (Registration.Status.SUBMITTED, Registration.Status.WAITING)
# The period's row lock: one round at a time (switched off only in a race test's control run).
ROUND_GUARD = "kita.round"


class RoundRefused(Exception):
    """The round cannot run now; the message says why, in German."""


def can_run(period: Period, now: datetime | None = None) -> str | None:
    """Why a round cannot run now (German), or ``None`` if it can."""
    now = now or timezone.now()
    if now < period.registration_closes:
        return _("Die Anmeldung läuft noch bis %(date)s.") % {
            "date": timezone.localtime(period.registration_closes).strftime("%d.%m.%Y %H:%M")
        }
    open_offers = Outcome.objects.filter(round__period=period, status=Outcome.Status.OFFERED)
    if open_offers.exists():
        return _(
            "Es gibt noch %(count)d Platzangebote ohne Antwort. Die nächste Runde kann erst "
            "laufen, wenn alle beantwortet oder abgelaufen sind."
        ) % {"count": open_offers.count()}
    if not Registration.objects.filter(period=period, status__in=WAITING).exists():
        return _("Kein Kind wartet mehr auf einen Platz.")
    return None


def _rows(queryset) -> list[tuple]:
    """The rows of a ``values_list`` query straight from the cursor: a round reads 150,000
    wishes, and the ORM's per-row work would be a third of the round."""
    statement, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def _children(period: Period) -> tuple[list[allocation.Child], dict[int, criteria.Facts]]:
    waiting = {"registration__period": period, "registration__status__in": WAITING}
    wishes: dict[int, list[int]] = defaultdict(list)
    for registration_id, daycare_id in _rows(
        Wish.objects.filter(**waiting)
        .order_by("registration_id", "rank")
        .values_list("registration_id", "daycare_id")
    ):
        wishes[registration_id].append(daycare_id)
    siblings: dict[int, set[int]] = defaultdict(set)
    through = Registration.sibling_daycares.through
    for registration_id, daycare_id in _rows(
        through.objects.filter(**waiting).values_list("registration_id", "daycare_id")
    ):
        siblings[registration_id].add(daycare_id)
    children, facts = [], {}
    for row in _rows(
        Registration.objects.filter(period=period, status__in=WAITING)
        .order_by("pk")
        .values_list(*criteria.REGISTRATION_FACTS)
    ):
        pk = row[0]
        child, facts[pk] = criteria.registration_facts(
            period, row, tuple(wishes[pk]), frozenset(siblings.get(pk, ()))
        )
        children.append(child)
    return children, facts


def _capacities(period: Period) -> dict[allocation.Unit, int]:
    return {
        allocation.Unit(daycare_id, form, hours): places
        for daycare_id, form, hours, places in Places.objects.filter(period=period).values_list(
            "daycare_id", "group_form", "hours", "places"
        )
    }


def _accepted(period: Period) -> dict[int, allocation.Unit]:
    return {
        registration_id: allocation.Unit(daycare_id, form, hours)
        for registration_id, daycare_id, form, hours in Outcome.objects.filter(
            round__period=period, status=Outcome.Status.ACCEPTED
        ).values_list("registration_id", "daycare_id", "group_form", "hours")
    }


def _cutoff(key: allocation.Key | None, names: tuple[str, ...]) -> dict:
    if key is None:
        return {}
    return dict(zip((allocation.EXACT_HOURS, *names), key, strict=True))


@contextmanager
def _without_cycle_collection():
    """A round makes millions of small tuples and no reference cycles; Python's cycle
    collector would walk the growing heap again and again (a fifth of the round)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(period: Period, *, by=None, now: datetime | None = None) -> Round:
    """Run the next round of ``period`` and return it; ``RoundRefused`` says why not."""
    now = now or timezone.now()
    started = time.perf_counter()
    with _without_cycle_collection(), transaction.atomic():
        period = locking.for_update(Period.objects, guard=ROUND_GUARD).get(pk=period.pk)
        if reason := can_run(period, now):
            raise RoundRefused(reason)
        number = (
            period.rounds.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        children, facts = _children(period)
        priorities = allocation.priority_order(
            children,
            criteria.classes(period.criteria, facts, criteria.daycare_facts()),
            names=period.criteria,
            tie_break=period.tie_break,
            seed=period.seed,
        )
        result = allocation.later_round(
            children,
            _capacities(period),
            priorities,
            _accepted(period),
            start=period.start,
            allow_longer_hours=period.allow_longer_hours,
            max_wishes=period.max_wishes,
        )
        stable = not allocation.blocking_pairs(result, children, priorities)
        respond_by = _respond_by(now, period.response_days)
        offered = sum(unit is not None for unit in result.placement.values())
        round_ = Round.objects.create(
            period=period,
            number=number,
            run_at=now,
            run_by=by,
            respond_by=respond_by,
            children=len(children),
            offered=offered,
            stable=stable,
        )
        _write(round_, children, result, priorities, respond_by)
        fairness.audit(round_, _strata(children, priorities, len(period.criteria), period))
        if period.seed_published_at is None:
            period.seed_published_at = now
            period.save(update_fields=["seed_published_at"])
        round_.seconds = time.perf_counter() - started
        round_.save(update_fields=["seconds"])
        audit.record(
            "kita.round_run",
            actor=by,
            target=round_,
            data={"children": len(children), "offered": offered, "stable": stable},
        )
        notices.round_finished(round_)
    return round_


def _strata(children, priorities, criteria_count: int, period: Period) -> dict:
    """Each child's stratum for the fairness audit: its criteria at its first wish and the
    group form its age calls for."""
    keys = priorities.keys
    return {
        child.id: (
            keys[child.wishes[0]][child.id][:criteria_count] if child.wishes else (),
            allocation.group_forms(child.birth_date, child.start or period.start)[0],
        )
        for child in children
    }


def _respond_by(now: datetime, days: int) -> datetime:
    """The end of the day ``days`` days from now, in the city's time."""
    day: date = timezone.localtime(now).date() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, datetime.max.time().replace(microsecond=0)))


def _write(round_, children, result, priorities, respond_by) -> None:
    """Outcomes and unit results in bulk (``core.bulk``: COPY on PostgreSQL), then each
    registration's status from its outcome in two statements."""
    offered, none = Outcome.Status.OFFERED, Outcome.Status.NONE

    def outcome(child):
        unit = result.placement[child.id]
        if unit is None:
            return (round_.pk, child.id, None, "", None, None, none, None)
        return (
            round_.pk,
            child.id,
            unit.kita,
            unit.group_form,
            unit.hours,
            child.wishes.index(unit.kita) + 1,
            offered,
            respond_by,
        )

    bulk.insert_rows(
        Outcome,
        (
            "round_id",
            "registration_id",
            "daycare_id",
            "group_form",
            "hours",
            "wish_rank",
            "status",
            "respond_by",
        ),
        (outcome(child) for child in children),
    )
    admitted = Counter(unit for unit in result.placement.values() if unit is not None)
    bulk.insert_rows(
        UnitResult,
        ("round_id", "daycare_id", "group_form", "hours", "places", "admitted", "cutoff"),
        (
            (
                round_.pk,
                unit.kita,
                unit.group_form,
                unit.hours,
                places,
                admitted[unit],
                _cutoff(result.cutoffs[unit], priorities.names),
            )
            for unit, places in result.capacities.items()
        ),
    )
    mine = Outcome.objects.filter(round=round_)
    for status, registration_status in (
        (offered, Registration.Status.OFFERED),
        (none, Registration.Status.WAITING),
    ):
        Registration.objects.filter(
            pk__in=mine.filter(status=status).values("registration_id")
        ).update(status=registration_status, updated_at=round_.run_at)
