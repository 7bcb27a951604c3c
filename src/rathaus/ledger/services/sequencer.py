"""The single sequencer: appends what the outbox holds and signs a checkpoint.

One run is one transaction under the lock on the ``LogState`` row: read a batch of the
outbox, give each record the next leaf index, write the entries (COPY on PostgreSQL) and
the changed tiles, delete exactly the outbox rows it read, move the tree size and root on
and sign a checkpoint. Whatever kills the worker in between, the transaction rolls back
as a whole and the next run does the same work again: every record is appended exactly
once. Two workers never fork the tree: the second waits for the lock (and the leaf index
is the entries' primary key besides).
"""

import logging
from collections.abc import Callable, Sequence
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rathaus.core.bulk import delete_ids, insert_rows
from rathaus.core.locking import Busy, for_update

from .. import keys, merkle, tiles
from ..models import Checkpoint, Entry, LogState, Pending, Tile
from ..note import Checkpoint as CheckpointBody
from ..note import open_checkpoint, sign_checkpoint

__all__ = ["BATCH", "DatabaseTiles", "refresh_checkpoint", "sequence", "sequence_all", "state"]

# Outbox rows per transaction: large enough for tens of thousands of appends a second,
# small enough that the delete's parameter list stays far below PostgreSQL's limit.
BATCH = 10_000
logger = logging.getLogger(__name__)


class DatabaseTiles:
    """The stored tiles as :class:`tiles.TileReader` (one query per call), optionally seen
    through tiles changed but not yet written."""

    def __init__(self, changed: dict[tiles.TileID, bytes] | None = None) -> None:
        self.changed = changed or {}

    def tiles(self, ids: Sequence[tiles.TileID]) -> dict[tiles.TileID, bytes]:
        found = {tile_id: self.changed[tile_id] for tile_id in ids if tile_id in self.changed}
        wanted = [tile_id for tile_id in ids if tile_id not in found]
        if wanted:
            condition = reduce(or_, (Q(level=level, index=index) for level, index in wanted))
            for level, index, hashes in Tile.objects.filter(condition).values_list(
                "level", "index", "hashes"
            ):
                found[(level, index)] = bytes(hashes)
        return found


def state() -> LogState:
    return LogState.objects.get_or_create(pk=1, defaults={"root": merkle.EMPTY_ROOT})[0]


def sequence(limit: int | None = None) -> int:
    """Append up to ``limit`` (default ``BATCH``) waiting records; returns how many."""
    limit = limit or BATCH
    state()
    with transaction.atomic():
        log = for_update(LogState.objects, guard="ledger.sequence").get(pk=1)
        waiting = list(
            Pending.objects.order_by("id").values_list(
                "id", "record", "kind", "reference", "sha256"
            )[:limit]
        )
        if not waiting:
            return 0
        logger.info("appending %d records to the log at %d", len(waiting), log.size)
        leaves = [merkle.leaf_hash(row[1].encode()) for row in waiting]
        changed = tiles.append(DatabaseTiles(), log.size, leaves)
        now = timezone.now()
        insert_rows(
            Entry,
            ["index", "record", "kind", "reference", "sha256", "outbox_id", "sequenced_at"],
            (
                (log.size + offset, text, kind, reference, sha, outbox_id, now)
                for offset, (outbox_id, text, kind, reference, sha) in enumerate(waiting)
            ),
        )
        _store_tiles(changed)
        delete_ids(Pending, [row[0] for row in waiting])
        size = log.size + len(waiting)
        root = merkle.root_hash(size, tiles.node_reader(DatabaseTiles(changed), size))
        LogState.objects.filter(pk=1).update(size=size, root=root, updated_at=now)
        sign(size, root)
    return len(waiting)


def sequence_all(progress: Callable[[str], object] | None = None) -> int:
    """Sequence until the outbox is empty (another sequencer holding the lock: stop)."""
    total = 0
    while True:
        try:
            appended = sequence()
        except Busy:
            logger.info("another sequencer is running; leaving the outbox to it")
            return total
        total += appended
        if not appended:
            refresh_checkpoint()
            return total
        if progress and appended == BATCH:
            progress(f"  Transparenzlog: {total} Einträge …")


def sign(size: int, root: bytes) -> Checkpoint:
    """Sign the checkpoint for the tree as it is now and keep it."""
    body = CheckpointBody(origin=keys.origin(), size=size, root=root)
    return Checkpoint.objects.create(
        size=size, root=root, note=sign_checkpoint(body, keys.signer())
    )


def refresh_checkpoint() -> Checkpoint | None:
    """Sign the current tree if no checkpoint shows it with the current key: a new log, a
    rotated key. Returns the new checkpoint, if one was needed."""
    state()
    with transaction.atomic():
        log = for_update(LogState.objects, guard="ledger.sequence").get(pk=1)
        latest = Checkpoint.objects.first()
        if latest and latest.size == log.size and _signed_by_current_key(latest.note):
            return None
        return sign(log.size, bytes(log.root))


def _signed_by_current_key(note: str) -> bool:
    try:
        open_checkpoint(note, keys.origin(), [keys.signer().verifier()])
    except ValueError:
        return False
    return True


def _store_tiles(changed: dict[tiles.TileID, bytes]) -> None:
    """Replace the changed tiles: the growing right edge of each level, plus new ones."""
    if not changed:
        return
    Tile.objects.filter(reduce(or_, (Q(level=lv, index=ix) for lv, ix in changed))).delete()
    Tile.objects.bulk_create(
        Tile(level=level, index=index, hashes=hashes) for (level, index), hashes in changed.items()
    )
