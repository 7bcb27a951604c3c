"""Hard limits on counted places (a course's places, a Kita's places per group form): one
conditional ``UPDATE`` decides.

``take(Offer.objects.filter(pk=…), 2)`` runs ``UPDATE … SET taken = taken + 2 WHERE
taken + 2 <= capacity`` and says whether a row changed. The database evaluates the
condition on the newest committed row and holds the row lock only until the commit, so
across processes and hosts no limit is ever exceeded and nothing is read, checked and
written back in Python. Callers write their own rows first and take the places last, so
the lock is held for one statement and the commit. A ``CHECK (taken <= capacity)``
constraint on the table is the second line of defence.

The guard can be switched off for the control runs of race tests (``locking.guard_enabled``):
then the count is read, checked in Python and written back – the lost update the tests
must catch.
"""

from django.db.models import F, Model, QuerySet

from .locking import guard_enabled

__all__ = ["give_back", "take"]


def take(
    row: QuerySet[Model],
    count: int,
    *,
    guard: str,
    used: str = "taken",
    limit: str = "capacity",
) -> bool:
    """Add ``count`` to ``used`` of the one row in ``row`` if it stays within ``limit``."""
    if guard_enabled(guard):
        return bool(
            row.filter(**{f"{used}__lte": F(limit) - count}).update(**{used: F(used) + count})
        )
    current, maximum = row.values_list(used, limit).get()
    if current + count > maximum:
        return False
    row.update(**{used: current + count})
    return True


def give_back(row: QuerySet[Model], count: int, *, used: str = "taken") -> None:
    """Return ``count`` places to the free pool."""
    if count:
        row.update(**{used: F(used) - count})
