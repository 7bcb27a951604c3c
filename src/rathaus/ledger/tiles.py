"""The Merkle tree stored as C2SP tlog-tiles (https://c2sp.org/tlog-tiles).

A tile of level L and index N holds up to 256 consecutive hashes of Merkle level 8·L, those
with indices N·256 …; entry bundles hold the matching entries. Full tiles never change, only
the right-most (partial) tile of each level grows, so a stored tile may be longer than a
reader for an older tree size may use: readers cut every tile to the width that size implies.
"""

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Protocol

from .merkle import HASH_SIZE, NodeID

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
MAX_TILE_LEVEL = 63
MAX_ENTRY_SIZE = 0xFFFF

TileID = tuple[int, int]
"""(tile level, tile index)."""

_TILE_BYTES = TILE_WIDTH * HASH_SIZE
_CACHE_SIZE = 1024  # tiles; at most ~8 KiB of subtree hashes each
_sha256 = hashlib.sha256

# Up to 7 index groups (21 digits) cover every uint64 tree size.
_PATH = re.compile(
    r"tile/(?P<level>entries|[0-9]+)/(?P<index>(?:x[0-9]{3}/){0,6}[0-9]{3})(?:\.p/(?P<width>[0-9]+))?"
)


class TileReader(Protocol):
    """Where tiles are stored (database, memory)."""

    def tiles(self, ids: Sequence[TileID]) -> dict[TileID, bytes]:
        """Stored content of the asked tiles that exist (concatenated hashes)."""
        ...


def _index_path(index: int, width: int) -> str:
    if index < 0:
        raise ValueError(f"tile index {index} must not be negative")
    if not 1 <= width <= TILE_WIDTH:
        raise ValueError(f"tile width {width} must be between 1 and {TILE_WIDTH}")
    digits = str(index)
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    path = "/".join([*("x" + group for group in groups[:-1]), groups[-1]])
    return path if width == TILE_WIDTH else f"{path}.p/{width}"


def tile_path(level: int, index: int, width: int = TILE_WIDTH) -> str:
    """Path of a hash tile below the log prefix, e.g. ``tile/0/x001/x234/067.p/8``."""
    if not 0 <= level <= MAX_TILE_LEVEL:
        raise ValueError(f"tile level {level} must be between 0 and {MAX_TILE_LEVEL}")
    return f"tile/{level}/{_index_path(index, width)}"


def entries_path(index: int, width: int = TILE_WIDTH) -> str:
    """Path of an entry bundle below the log prefix, e.g. ``tile/entries/x001/067``."""
    return f"tile/entries/{_index_path(index, width)}"


def parse_tile_path(path: str) -> tuple[int | str, int, int]:
    """(``"entries"`` or level, index, width) of a canonical tile path; ValueError otherwise.

    Only the one spelling tile_path/entries_path produce is accepted (no leading zeros, no
    ``.p/256``), so a web view can answer 404 to anything else.
    """
    match = _PATH.fullmatch(path)
    if match is None:
        raise ValueError(f"not a tile path: {path!r}")
    index = int(match["index"].replace("x", "").replace("/", ""))
    width = int(match["width"]) if match["width"] is not None else TILE_WIDTH
    if match["width"] is not None and width >= TILE_WIDTH:
        raise ValueError(f"partial tile width must be below {TILE_WIDTH}: {path!r}")
    if match["level"] == "entries":
        level: int | str = "entries"
        canonical = entries_path(index, width)
    else:
        level = int(match["level"])
        canonical = tile_path(level, index, width)
    if canonical != path:
        raise ValueError(f"not the canonical tile path {canonical!r}: {path!r}")
    return level, index, width


def tile_widths(size: int) -> dict[TileID, int]:
    """Every tile a tree of ``size`` leaves has (full ones and one partial per level) → width."""
    if size < 0:
        raise ValueError(f"tree size {size} must not be negative")
    widths = {}
    level = 0
    while count := size >> (TILE_HEIGHT * level):
        full, rest = divmod(count, TILE_WIDTH)
        widths.update(dict.fromkeys(((level, index) for index in range(full)), TILE_WIDTH))
        if rest:
            widths[(level, full)] = rest
        level += 1
    return widths


def encode_bundle(entries: Sequence[bytes]) -> bytes:
    """An entry bundle: each entry as big-endian uint16 length, then its bytes."""
    if len(entries) > TILE_WIDTH:
        raise ValueError(f"an entry bundle holds at most {TILE_WIDTH} entries, not {len(entries)}")
    parts = []
    for entry in entries:
        if len(entry) > MAX_ENTRY_SIZE:
            raise ValueError(f"entry of {len(entry)} bytes exceeds {MAX_ENTRY_SIZE} bytes")
        parts.append(len(entry).to_bytes(2, "big"))
        parts.append(entry)
    return b"".join(parts)


def decode_bundle(data: bytes) -> list[bytes]:
    """The entries of a bundle; ValueError if it is truncated or holds too many."""
    entries = []
    position = 0
    while position < len(data):
        if position + 2 > len(data):
            raise ValueError(f"entry bundle is truncated in a length prefix at byte {position}")
        length = int.from_bytes(data[position : position + 2], "big")
        position += 2
        if position + length > len(data):
            raise ValueError(f"entry bundle is truncated in an entry at byte {position}")
        entries.append(bytes(data[position : position + length]))
        position += length
    if len(entries) > TILE_WIDTH:
        raise ValueError(f"an entry bundle holds at most {TILE_WIDTH} entries, not {len(entries)}")
    return entries


def _hash_pairs(hashes: bytes) -> bytes:
    """The next Merkle level up from concatenated hashes; an odd last one has no parent yet."""
    return b"".join(
        _sha256(b"\x01" + hashes[i : i + 2 * HASH_SIZE]).digest()
        for i in range(0, len(hashes) - HASH_SIZE, 2 * HASH_SIZE)
    )


_levels_cache: OrderedDict[bytes, tuple[bytes, ...]] = OrderedDict()
_levels_lock = threading.Lock()


def _tile_levels(content: bytes) -> tuple[bytes, ...]:
    """Complete-subtree hashes of levels 1…8 inside a tile, concatenated per level.

    Level 8 of a full tile is its root. Kept in a small LRU keyed by the SHA-256 of the
    content: whatever content hashes alike has the same subtrees, so entries never go stale
    and are safe across logs and stores; hashing 8 KiB is far cheaper than 255 nodes. Full
    tiles stay useful for good; a partial one until the next append, meanwhile every proof
    against the current checkpoint needs the same right edge.
    """
    key = _sha256(content).digest()
    with _levels_lock:
        levels = _levels_cache.get(key)
        if levels is not None:
            _levels_cache.move_to_end(key)
            return levels
    computed = [_hash_pairs(content)]
    for _ in range(TILE_HEIGHT - 1):
        computed.append(_hash_pairs(computed[-1]))
    levels = tuple(computed)
    with _levels_lock:
        _levels_cache[key] = levels
        while len(_levels_cache) > _CACHE_SIZE:
            _levels_cache.popitem(last=False)
    return levels


def _load(tiles: TileReader, widths: dict[TileID, int]) -> dict[TileID, bytes]:
    """The asked tiles in one read, each cut to its width; LookupError if one is missing."""
    if not widths:
        return {}
    stored = tiles.tiles(list(widths))
    loaded = {}
    for tile_id, width in widths.items():
        content = stored.get(tile_id)
        if content is None or len(content) < width * HASH_SIZE:
            have = "none" if content is None else f"{len(content) // HASH_SIZE} hashes"
            raise LookupError(f"tile {tile_id} should hold {width} hashes, the store has {have}")
        loaded[tile_id] = content[: width * HASH_SIZE]
    return loaded


def node_reader(tiles: TileReader, size: int) -> Callable[[Sequence[NodeID]], list[bytes]]:
    """The ``read`` callable merkle needs, for the tree of ``size`` leaves kept in ``tiles``.

    Subtree (l, i) is one stored hash when l is a multiple of 8, otherwise the root of
    2**(l % 8) adjacent hashes in a single tile. Each call reads its tiles in one go; raises
    ValueError for a node that is not a complete subtree of the tree, LookupError for a tile
    the store lacks.
    """

    def read(nodes: Sequence[NodeID]) -> list[bytes]:
        places = []
        widths: dict[TileID, int] = {}
        for level, index in nodes:
            if level < 0 or index < 0 or (index + 1) << level > size:
                raise ValueError(f"node {(level, index)} is not complete in a tree of size {size}")
            tile_level, height = divmod(level, TILE_HEIGHT)
            first = index << height
            tile_id = (tile_level, first >> TILE_HEIGHT)
            places.append((tile_id, height, first % TILE_WIDTH))
            if tile_id not in widths:
                count = size >> (TILE_HEIGHT * tile_level)
                widths[tile_id] = min(TILE_WIDTH, count - tile_id[1] * TILE_WIDTH)
        contents = _load(tiles, widths)
        levels: dict[TileID, tuple[bytes, ...]] = {}
        hashes = []
        for tile_id, height, offset in places:
            if height == 0:
                source, position = contents[tile_id], offset * HASH_SIZE
            else:
                if tile_id not in levels:
                    levels[tile_id] = _tile_levels(contents[tile_id])
                source, position = levels[tile_id][height - 1], (offset >> height) * HASH_SIZE
            hashes.append(source[position : position + HASH_SIZE])
        return hashes

    return read


def append(tiles: TileReader, size: int, leaf_hashes: Sequence[bytes]) -> dict[TileID, bytes]:
    """Add leaves to the tree of ``size`` leaves; the new content of every tile that changed.

    Reads (once) only the partial right-edge tiles that gain hashes; every full tile made
    here is hashed once into the level above, so the work is linear in the leaves added.
    """
    if size < 0:
        raise ValueError(f"tree size {size} must not be negative")
    if any(len(leaf) != HASH_SIZE for leaf in leaf_hashes):
        raise ValueError(f"every leaf hash must have {HASH_SIZE} bytes")
    new_size = size + len(leaf_hashes)
    edge = {}
    level = 0
    while (old := size >> (TILE_HEIGHT * level)) < new_size >> (TILE_HEIGHT * level):
        if old % TILE_WIDTH:
            edge[(level, old // TILE_WIDTH)] = old % TILE_WIDTH
        level += 1
    stored = _load(tiles, edge)

    changed = {}
    added = b"".join(leaf_hashes)
    level = 0
    while added:
        first_tile = (size >> (TILE_HEIGHT * level)) // TILE_WIDTH
        hashes = stored.get((level, first_tile), b"") + added
        parents = []
        for offset in range(0, len(hashes), _TILE_BYTES):
            content = hashes[offset : offset + _TILE_BYTES]
            changed[(level, first_tile + offset // _TILE_BYTES)] = content
            if len(content) == _TILE_BYTES:
                parents.append(_tile_levels(content)[-1])
        added = b"".join(parents)
        level += 1
    return changed


class MemoryTiles:
    """A TileReader in a dict, for tests, benchmarks and the audit's rebuilt tree."""

    def __init__(self) -> None:
        self.content: dict[TileID, bytes] = {}

    def tiles(self, ids: Sequence[TileID]) -> dict[TileID, bytes]:
        """Stored content of the asked tiles that exist."""
        return {tile_id: self.content[tile_id] for tile_id in ids if tile_id in self.content}

    def store(self, changed: dict[TileID, bytes]) -> None:
        """Take over what append() returned."""
        self.content.update(changed)
