"""C2SP tlog-tiles: paths as the spec spells them, entry bundles, appends in any batches, and
Merkle proofs read from tiles (also from tiles stored for a bigger tree than the one proven).
"""

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rathaus.ledger import merkle, tiles
from rathaus.ledger.tiles import MemoryTiles

REFERENCE = json.loads((Path(__file__).parent / "data" / "rfc6962-reference-tree.json").read_text())
BIG = 65537 + 300
LEAVES = [merkle.leaf_hash(b"entry %d" % i) for i in range(BIG)]
SIZES = [0, 1, 2, 255, 256, 257, 511, 512, 513, 65535, 65536, 65537]
settings_ = settings(derandomize=True, deadline=None, max_examples=60)


class SpyTiles(MemoryTiles):
    """Counts the reads, to hold node_reader and append to one read each."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[list[tiles.TileID]] = []

    def tiles(self, ids):
        self.reads.append(list(ids))
        return super().tiles(ids)


def build(leaves: list[bytes], batches: list[int] | None = None) -> MemoryTiles:
    store = MemoryTiles()
    size = 0
    for batch in batches or [len(leaves)]:
        store.store(tiles.append(store, size, leaves[size : size + batch]))
        size += batch
    assert size == len(leaves)
    return store


@pytest.fixture(scope="module")
def big_store() -> MemoryTiles:
    return build(LEAVES)


@pytest.fixture(scope="module")
def roots() -> dict[int, bytes]:
    """Roots of the sizes under test, from the leaves (root_from_leaves, not the tiles)."""
    return {size: merkle.root_from_leaves(LEAVES[:size]) for size in {*SIZES, 300, BIG}}


# -- paths ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "path"),
    [
        ((0, 1234067), "tile/0/x001/x234/067"),
        ((0, 1234067, 8), "tile/0/x001/x234/067.p/8"),
        ((0, 0), "tile/0/000"),
        ((1, 5, 1), "tile/1/005.p/1"),
        ((2, 1000, 255), "tile/2/x001/000.p/255"),
        ((63, 999), "tile/63/999"),
        ((0, 2**64 - 1), "tile/0/x018/x446/x744/x073/x709/x551/615"),
    ],
)
def test_tile_path(args, path):
    assert tiles.tile_path(*args) == path
    level, index, *width = args
    assert tiles.parse_tile_path(path) == (level, index, width[0] if width else 256)


def test_entries_path():
    assert tiles.entries_path(1234067) == "tile/entries/x001/x234/067"
    assert tiles.entries_path(1234067, 8) == "tile/entries/x001/x234/067.p/8"
    assert tiles.parse_tile_path("tile/entries/x001/x234/067.p/8") == ("entries", 1234067, 8)
    assert tiles.parse_tile_path("tile/entries/000") == ("entries", 0, 256)


@pytest.mark.parametrize(
    "path",
    [
        "tile/0/x000/001",  # leading zero group
        "tile/0/x000/000",
        "tile/0/1",  # groups are three digits
        "tile/0/01",
        "tile/0/0001",
        "tile/0/x1/234",
        "tile/0/001/002",  # inner groups start with x
        "tile/0/x001/x002",  # the last one does not
        "tile/0/x001",
        "tile/0/x001/",
        "tile/00/001",  # level without leading zeros, 0..63
        "tile/01/001",
        "tile/64/000",
        "tile/-1/000",
        "tile/+1/000",
        "tile/0/001.p/0",  # width 1..255
        "tile/0/001.p/256",
        "tile/0/001.p/08",
        "tile/0/001.p/",
        "tile/0/001.p",
        "tile/0/001.p/8/",
        "tile/0/001.p/-8",
        "tile/entries/001.p/256",
        "tile/entries/x000/005",
        "tile/entries",
        "tile/data/000",
        "tile/Entries/000",
        "/tile/0/001",
        "tile/0/001/",
        "tile//001",
        "tile/0/000\n",
        " tile/0/000",
        "tile/0/٠٠١",  # Arabic-Indic digits are digits to Python, not to the spec
        "tile/٠/000",
        "tile/0/000.p/٨",
        "tile/0/x001/x002/x003/x004/x005/x006/x007/008",  # beyond any uint64 tree
        "tiles/0/000",
        "",
    ],
)
def test_parse_tile_path_rejects(path):
    with pytest.raises(ValueError):  # noqa: PT011 - what matters is that nothing else passes
        tiles.parse_tile_path(path)


@pytest.mark.parametrize(("level", "index", "width"), [(64, 0, 256), (-1, 0, 256), (0, -1, 256)])
def test_tile_path_rejects(level, index, width):
    with pytest.raises(ValueError):  # noqa: PT011
        tiles.tile_path(level, index, width)


@pytest.mark.parametrize("width", [0, 257, -1])
def test_width_out_of_range(width):
    with pytest.raises(ValueError, match="tile width"):
        tiles.tile_path(0, 0, width)
    with pytest.raises(ValueError, match="tile width"):
        tiles.entries_path(0, width)


@settings_
@given(st.integers(0, 63), st.integers(0, 2**64 - 1), st.integers(1, 256))
def test_tile_paths_round_trip(level, index, width):
    assert tiles.parse_tile_path(tiles.tile_path(level, index, width)) == (level, index, width)
    assert tiles.parse_tile_path(tiles.entries_path(index, width)) == ("entries", index, width)


# -- which tiles a tree has -------------------------------------------------------------------


def test_tile_widths_spec_examples():
    assert tiles.tile_widths(70_000) == {
        **{(0, n): 256 for n in range(273)},
        (0, 273): 112,
        (1, 0): 256,
        (1, 1): 17,
        (2, 0): 1,
    }
    assert tiles.tile_widths(256) == {(0, 0): 256, (1, 0): 1}
    assert tiles.tile_widths(0) == {}
    assert tiles.tile_widths(1) == {(0, 0): 1}


@settings_
@given(st.integers(0, 2**20))
def test_tile_widths_hold_every_hash_once(size):
    widths = tiles.tile_widths(size)
    level = 0
    while size >> (8 * level):
        at_level = sorted((n, w) for (lv, n), w in widths.items() if lv == level)
        assert sum(w for _n, w in at_level) == size >> (8 * level)
        assert [n for n, _w in at_level] == list(range(len(at_level)))
        assert all(w == 256 for _n, w in at_level[:-1]) and 0 < at_level[-1][1] <= 256
        level += 1
    assert all(lv < level for lv, _n in widths)


# -- entry bundles ----------------------------------------------------------------------------


@settings_
@given(st.lists(st.binary(max_size=300), max_size=256))
def test_bundle_round_trip(entries):
    assert tiles.decode_bundle(tiles.encode_bundle(entries)) == entries


def test_bundle_layout_and_limits():
    assert tiles.encode_bundle([b"ab", b""]) == b"\x00\x02ab\x00\x00"
    biggest = b"x" * 65535
    assert tiles.decode_bundle(tiles.encode_bundle([biggest])) == [biggest]
    with pytest.raises(ValueError, match="exceeds"):
        tiles.encode_bundle([b"x" * 65536])
    with pytest.raises(ValueError, match="at most 256"):
        tiles.encode_bundle([b""] * 257)
    with pytest.raises(ValueError, match="at most 256"):
        tiles.decode_bundle(b"\x00\x00" * 257)


@pytest.mark.parametrize("data", [b"\x00", b"\x00\x05abc", b"\x00\x01a\x00", b"\x00\x02a"])
def test_truncated_bundle(data):
    with pytest.raises(ValueError, match="truncated"):
        tiles.decode_bundle(data)


# -- append -----------------------------------------------------------------------------------


@settings_
@given(st.lists(st.integers(1, 300), max_size=12))
def test_append_in_any_batches_equals_one_append(batches):
    leaves = LEAVES[: sum(batches)]
    once = build(leaves)
    assert build(leaves, batches).content == once.content
    assert set(once.content) == set(tiles.tile_widths(len(leaves)))
    size = len(leaves)
    assert merkle.root_hash(size, tiles.node_reader(once, size)) == merkle.root_from_leaves(leaves)


def test_append_over_a_level_one_tile_in_batches():
    batches = [1, 254, 1, 65279, 1, 300]
    assert build(LEAVES[: sum(batches)], batches).content == build(LEAVES[:65836]).content
    assert sum(batches) == 65836


def test_append_returns_only_what_changed():
    store = build(LEAVES[:65535])
    spy = SpyTiles()
    spy.content = dict(store.content)
    changed = tiles.append(spy, 65535, LEAVES[65535:65536])
    assert spy.reads == [[(0, 255), (1, 0)]]
    assert {t: len(c) // 32 for t, c in changed.items()} == {(0, 255): 256, (1, 0): 256, (2, 0): 1}
    assert tiles.append(spy, 65536, []) == {}
    assert len(spy.reads) == 1


def test_append_uses_only_the_old_size_of_a_longer_edge_tile():
    """A store that holds more than ``size`` leaves (another branch) does not leak into it."""
    other = [merkle.leaf_hash(b"other %d" % i) for i in range(100)]
    store = build(LEAVES[:300])
    store.store(tiles.append(store, 200, other))
    assert store.content == build(LEAVES[:200] + other).content


class EdgeOnly:
    """A tree of ten million leaves of which only the tiles asked for exist, made up on read."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.reads: list[list[tiles.TileID]] = []

    def tiles(self, ids):
        self.reads.append(list(ids))
        widths = tiles.tile_widths(self.size)
        return {i: bytes(32 * widths[i]) for i in ids}


@pytest.mark.parametrize("size", [10_000_000, 10_000_255, 2**24 - 1])
def test_one_leaf_on_ten_million_reads_and_writes_little(size):
    store = EdgeOnly(size)
    changed = tiles.append(store, size, [LEAVES[0]])
    assert len(store.reads) == 1 and len(store.reads[0]) <= 3
    assert len(changed) <= 4
    assert set(changed) <= set(tiles.tile_widths(size + 1))


def test_append_needs_the_edge_tile_and_hashes():
    with pytest.raises(LookupError, match=r"tile \(0, 0\) should hold 3 hashes"):
        tiles.append(MemoryTiles(), 3, LEAVES[:1])
    with pytest.raises(ValueError, match="32 bytes"):
        tiles.append(MemoryTiles(), 0, [b"short"])
    with pytest.raises(ValueError, match="negative"):
        tiles.append(MemoryTiles(), -1, LEAVES[:1])


def test_tile_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(tiles, "_CACHE_SIZE", 2)
    build([merkle.leaf_hash(b"cache %d" % i) for i in range(5 * 256)])
    assert len(tiles._levels_cache) <= 2


# -- proofs from tiles ------------------------------------------------------------------------


def sample_indices(size: int) -> list[int]:
    if size <= 513:
        return list(range(size))
    edges = {0, 1, 255, 256, 257, 65535, size // 2, size - 257, size - 256, size - 2, size - 1}
    return sorted(
        {i for i in edges if 0 <= i < size} | set(random.Random(size).sample(range(size), 40))
    )


def test_rfc6962_reference_tree():
    leaves = [merkle.leaf_hash(bytes.fromhex(x)) for x in REFERENCE["leaf_inputs_hex"]]
    store = build(leaves)
    for size, root in enumerate(REFERENCE["root_hashes_by_tree_size"]):
        assert merkle.root_hash(size, tiles.node_reader(store, size)).hex() == root
        assert merkle.root_hash(size, tiles.node_reader(build(leaves[:size]), size)).hex() == root
    read = tiles.node_reader(store, 8)
    for level, hashes in enumerate(REFERENCE["node_hashes_by_level"]):
        assert [h.hex() for h in read([(level, i) for i in range(len(hashes))])] == hashes


def test_proofs_at_tile_edges(roots):
    """Each size with a store holding exactly that tree (grown in order), one read per proof."""
    store = SpyTiles()
    size = 0
    for target in SIZES:
        store.store(tiles.append(store, size, LEAVES[size:target]))
        size = target
        store.reads.clear()
        read = tiles.node_reader(store, size)
        assert merkle.root_hash(size, read) == roots[size]
        for index in sample_indices(size):
            proof = merkle.inclusion_proof(index, size, read)
            merkle.verify_inclusion(LEAVES[index], index, size, proof, roots[size])
        for old in [s for s in SIZES if 0 < s <= size]:
            proof = merkle.consistency_proof(old, size, read)
            merkle.verify_consistency(old, size, proof, roots[old], roots[size])
        assert all(len(ids) == len(set(ids)) for ids in store.reads)
        assert len(store.reads) <= 1 + len(sample_indices(size)) + len(SIZES)


def test_proofs_for_an_older_size_from_newer_tiles(big_store, roots):
    for old in [s for s in (*SIZES, 300) if s]:
        read = tiles.node_reader(big_store, old)
        assert merkle.root_hash(old, read) == roots[old]
        for index in sample_indices(old)[::7]:
            proof = merkle.inclusion_proof(index, old, read)
            merkle.verify_inclusion(LEAVES[index], index, old, proof, roots[old])
        proof = merkle.consistency_proof(old, BIG, tiles.node_reader(big_store, BIG))
        merkle.verify_consistency(old, BIG, proof, roots[old], roots[BIG])


@settings_
@given(st.integers(1, 3000), st.data())
def test_proofs_from_tiles_for_random_sizes(big_store, size, data):
    root = merkle.root_from_leaves(LEAVES[:size])
    read = tiles.node_reader(big_store, size)
    assert merkle.root_hash(size, read) == root
    index = data.draw(st.integers(0, size - 1))
    merkle.verify_inclusion(
        LEAVES[index], index, size, merkle.inclusion_proof(index, size, read), root
    )
    old = data.draw(st.integers(1, size))
    proof = merkle.consistency_proof(old, size, read)
    merkle.verify_consistency(old, size, proof, merkle.root_from_leaves(LEAVES[:old]), root)


def test_node_reader_reads_once_and_cuts(big_store):
    spy = SpyTiles()
    spy.content = big_store.content
    read = tiles.node_reader(spy, 1000)
    nodes = merkle.inclusion_nodes(700, 1000)
    assert read(nodes) == [
        merkle.root_from_leaves(LEAVES[i << lv : (i + 1) << lv]) for lv, i in nodes
    ]
    assert len(spy.reads) == 1


def test_node_reader_errors(big_store):
    with pytest.raises(ValueError, match="not complete"):
        tiles.node_reader(big_store, 5)([(1, 2)])
    with pytest.raises(ValueError, match="not complete"):
        tiles.node_reader(big_store, 5)([(-1, 0)])
    with pytest.raises(LookupError, match="the store has none"):
        tiles.node_reader(MemoryTiles(), 5)([(0, 1)])
    with pytest.raises(LookupError, match="the store has 3 hashes"):
        tiles.node_reader(build(LEAVES[:3]), 5)([(0, 1)])
