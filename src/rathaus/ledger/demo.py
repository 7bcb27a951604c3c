"""The demo log: the demo city's Bescheide (recorded by the applications module as they
are decided) and, so that the pages and tiles show a log of some size, an archive of
Bescheide from 2025 taken in afterwards – as a city that starts the log mid-year would do.
The archive's references and fingerprints are invented (demo data): no document behind
them exists here, so ``/bescheid-pruefen/`` does not know them.
"""

import hashlib
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db import transaction

from .models import Entry, Pending
from .services.records import record
from .services.sequencer import sequence_all

ARCHIVE_PREFIX = "DUS-2025-"
ARCHIVE_PER_SCALE = 600
# Offices that issue Bescheide in the demo archive (demo data).
ARCHIVE_OFFICES = [
    "Amt für Einwohnerwesen (Demo)",
    "Steueramt (Demo)",
    "Umweltamt (Demo)",
    "Amt für Verkehrsmanagement (Demo)",
    "Jugendamt (Demo)",
    "Amt für Soziales (Demo)",
]


def load(*, scale: int, log: Callable[[str], object]) -> None:
    archived = Entry.objects.filter(reference__startswith=ARCHIVE_PREFIX).exists() or (
        Pending.objects.filter(reference__startswith=ARCHIVE_PREFIX).exists()
    )
    if not archived:
        _archive(ARCHIVE_PER_SCALE * scale)
    appended = sequence_all(progress=log)
    log(f"Transparenzlog: {appended} Einträge aufgenommen und signiert.")


def _archive(count: int) -> None:
    """Bescheide of 2025 on working days between 8 and 16 o'clock, in order of issue."""
    chance = random.Random(2025)  # noqa: S311 -- demo data, reproducible on purpose
    start = datetime(2025, 1, 2, 7, 0, tzinfo=UTC)
    step = timedelta(days=360) / count
    with transaction.atomic():
        for number in range(count):
            moment = start + number * step
            if moment.weekday() >= 5:
                moment += timedelta(days=7 - moment.weekday())
            moment = moment.replace(hour=7 + chance.randrange(8), minute=chance.randrange(60))
            digest = hashlib.sha256(f"demo archive bescheid {number}".encode()).hexdigest()
            record(
                "bescheid",
                f"{ARCHIVE_PREFIX}{number + 1:06d}",
                digest,
                office=chance.choice(ARCHIVE_OFFICES),
                issued_at=moment,
            )
