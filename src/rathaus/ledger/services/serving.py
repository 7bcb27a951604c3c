"""What the log serves: tiles and entry bundles exactly as C2SP tlog-tiles lays them out,
the checkpoint with the witnesses' co-signatures, and the overview page's figures."""

from dataclasses import dataclass

from django.db.models import Count

from .. import keys, merkle, tiles
from ..models import KINDS, Checkpoint, Entry, Pending, Tile
from .sequencer import state
from .witness import cosigned


class NotServed(LookupError):
    """The tree has no such tile (yet)."""


def _available(level: int, index: int, width: int, level_size: int) -> None:
    """A tile of ``width`` hashes exists once the tree has that many at its place."""
    if (index + 1) * tiles.TILE_WIDTH <= level_size:
        if width != tiles.TILE_WIDTH:
            raise NotServed("a full tile is served without .p/")
        return
    if index * tiles.TILE_WIDTH + width > level_size:
        raise NotServed("the tree is not that large yet")


def tile(level: int, index: int, width: int) -> bytes:
    size = state().size
    _available(level, index, width, size >> (tiles.TILE_HEIGHT * level))
    stored = Tile.objects.filter(level=level, index=index).values_list("hashes", flat=True).first()
    if stored is None:
        raise NotServed("no such tile")
    return bytes(stored)[: width * merkle.HASH_SIZE]


def entry_bundle(index: int, width: int) -> bytes:
    _available(0, index, width, state().size)
    first = index * tiles.TILE_WIDTH
    records = list(
        Entry.objects.filter(index__gte=first, index__lt=first + width)
        .order_by("index")
        .values_list("record", flat=True)
    )
    return tiles.encode_bundle([text.encode() for text in records])


def checkpoint_text() -> str:
    latest = Checkpoint.objects.first()
    if latest is None:
        raise NotServed("no checkpoint yet")
    return cosigned(latest)


@dataclass(frozen=True)
class Overview:
    checkpoint: Checkpoint | None
    recent: list[Entry]
    by_kind: list[tuple[str, int]]
    waiting: int
    verifier_key: str
    previous_keys: list[str]
    witness_names: list[str]


def overview(recent: int = 20) -> Overview:
    counts = dict(
        Entry.objects.values_list("kind").annotate(n=Count("index")).values_list("kind", "n")
    )
    return Overview(
        checkpoint=Checkpoint.objects.prefetch_related("cosignatures").first(),
        recent=list(Entry.objects.order_by("-index")[:recent]),
        by_kind=[(label, counts[kind]) for kind, label in KINDS.items() if kind in counts],
        waiting=Pending.objects.count(),
        verifier_key=keys.signer().verifier_key(),
        previous_keys=[v.name + "+" + v.key_id.hex() for v in keys.verifiers()[1:]],
        witness_names=[v.name for v in keys.witnesses()],
    )
