"""RFC 9162 Merkle tree: hashes, proofs built from stored subtrees, and proof verification.

The log stores only hashes of *complete* subtrees (``NodeID``). Proofs also need hashes over
the ragged right edge of the tree; these are recomputed here from the complete subtrees that
cover the same leaves, so storage never holds a hash that changes when the tree grows. The
proofs are byte for byte those of RFC 9162 §2.1.3.1 / §2.1.4.1 (and transparency-dev/merkle).
"""

import hashlib
from collections.abc import Callable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

NodeID = tuple[int, int]
"""(level, index): the complete subtree of 2**level leaves starting at leaf index * 2**level."""

NodeReader = Callable[[Sequence[NodeID]], list[bytes]]
"""Returns the stored hashes of the given complete subtrees, in the order asked."""

_sha256 = hashlib.sha256


class ProofError(ValueError):
    """A proof does not verify, or cannot exist for the sizes and indices given."""


def leaf_hash(data: bytes) -> bytes:
    """Hash of a log entry; the 0x00 prefix keeps leaves and interior nodes apart."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash of an interior node from its two children."""
    return _sha256(b"\x01" + left + right).digest()


def root_from_leaves(leaf_hashes: Sequence[bytes]) -> bytes:
    """Merkle Tree Hash of all leaves, straight from the definition (tests and the audit).

    Pairing level by level and lifting an odd last node unchanged equals RFC 9162's split at
    the largest power of two below the size.
    """
    if not leaf_hashes:
        return EMPTY_ROOT
    level = list(leaf_hashes)
    while len(level) > 1:
        parents = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            parents.append(level[-1])
        level = parents
    return level[0]


def _split(width: int) -> int:
    """RFC 9162's k: the largest power of two smaller than width (width >= 2)."""
    return 1 << ((width - 1).bit_length() - 1)


def _inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Leaf ranges whose hashes form PATH(index, D[0:size]), lowest level first."""
    ranges = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()
    return ranges


def _consistency_ranges(size1: int, size2: int) -> list[tuple[int, int]]:
    """Leaf ranges whose hashes form SUBPROOF(size1, D[0:size2], true), lowest level first."""
    ranges = []
    start, end, known = 0, size2, True
    while size1 != end:
        k = _split(end - start)
        if size1 <= start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
            known = False
    if not known:
        # The old tree's subtree here is not its root, so the verifier does not have it.
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def _range_nodes(start: int, end: int) -> list[NodeID]:
    """The complete subtrees covering leaves [start, end), largest first."""
    nodes = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start:
            level = min(level, (start & -start).bit_length() - 1)
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def _read_ranges(ranges: list[tuple[int, int]], read: NodeReader) -> list[bytes]:
    """Hash of each range, from one read of the complete subtrees under all ranges.

    Every range of a proof starts at a multiple of a power of two at least its width, so its
    hash folds its subtrees from the right (RFC 9162 MTH).
    """
    per_range = [_range_nodes(start, end) for start, end in ranges]
    nodes = [node for range_nodes in per_range for node in range_nodes]
    hashes = read(nodes) if nodes else []
    if len(hashes) != len(nodes):
        raise ValueError(f"the reader returned {len(hashes)} hashes for {len(nodes)} nodes")
    result = []
    position = 0
    for range_nodes in per_range:
        position += len(range_nodes)
        folded = hashes[position - 1]
        for i in range(position - 2, position - len(range_nodes) - 1, -1):
            folded = node_hash(hashes[i], folded)
        result.append(folded)
    return result


def _check_inclusion_args(index: int, size: int) -> None:
    if index < 0 or size < 0:
        raise ProofError(f"leaf index {index} and tree size {size} must not be negative")
    if index >= size:
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")


def _check_consistency_args(size1: int, size2: int) -> None:
    if size1 < 0 or size2 < 0:
        raise ProofError(f"tree sizes {size1} and {size2} must not be negative")
    if size1 > size2:
        raise ProofError(f"old tree size {size1} is larger than new tree size {size2}")
    if size1 == 0:
        raise ProofError("a consistency proof from the empty tree proves nothing")


def inclusion_nodes(index: int, size: int) -> list[NodeID]:
    """The complete subtrees an inclusion proof reads, e.g. to prefetch them."""
    _check_inclusion_args(index, size)
    return [n for start, end in _inclusion_ranges(index, size) for n in _range_nodes(start, end)]


def consistency_nodes(size1: int, size2: int) -> list[NodeID]:
    """The complete subtrees a consistency proof reads, e.g. to prefetch them."""
    _check_consistency_args(size1, size2)
    ranges = _consistency_ranges(size1, size2)
    return [n for start, end in ranges for n in _range_nodes(start, end)]


def inclusion_proof(index: int, size: int, read: NodeReader) -> list[bytes]:
    """RFC 9162 inclusion proof of leaf ``index`` in the tree of ``size`` leaves."""
    _check_inclusion_args(index, size)
    return _read_ranges(_inclusion_ranges(index, size), read)


def consistency_proof(size1: int, size2: int, read: NodeReader) -> list[bytes]:
    """RFC 9162 consistency proof from the tree of ``size1`` leaves to that of ``size2``.

    Empty when the sizes are equal; ``size1 == 0`` is refused, as no verifier accepts it.
    """
    _check_consistency_args(size1, size2)
    return _read_ranges(_consistency_ranges(size1, size2), read)


def root_hash(size: int, read: NodeReader) -> bytes:
    """Root of the tree of ``size`` leaves, from its complete subtrees."""
    if size < 0:
        raise ProofError(f"tree size {size} must not be negative")
    if size == 0:
        return EMPTY_ROOT
    return _read_ranges([(0, size)], read)[0]


def _shift_while_even(fn: int, sn: int) -> tuple[int, int]:
    """RFC 9162: right-shift fn and sn equally until LSB(fn) is set or fn is 0."""
    while fn and not fn & 1:
        fn >>= 1
        sn >>= 1
    return fn, sn


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that the leaf hash ``leaf`` sits at ``index`` in the tree with ``root``.

    RFC 9162 §2.1.3.2; raises ProofError. ``leaf`` is the leaf *hash* (``leaf_hash(entry)``),
    and must be HASH_SIZE bytes, so that no other value can stand in for a one-leaf root.
    """
    _check_inclusion_args(index, size)
    if len(leaf) != HASH_SIZE:
        raise ProofError(f"leaf hash has {len(leaf)} bytes, expected {HASH_SIZE}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("inclusion proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            fn, sn = _shift_while_even(fn, sn)
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is shorter than the path to the root")
    if r != root:
        raise ProofError("inclusion proof leads to a different root")


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """Check that the tree with ``root2`` extends the tree with ``root1``.

    RFC 9162 §2.1.4.2; raises ProofError. Equal sizes need an empty proof and equal roots;
    size1 == 0 always fails (like transparency-dev/merkle: nothing is proven).
    """
    _check_consistency_args(size1, size2)
    if size1 == size2:
        if proof:
            raise ProofError("trees of equal size need an empty consistency proof")
        if root1 != root2:
            raise ProofError("trees of equal size have different roots")
        return
    if not proof:
        raise ProofError("consistency proof is empty")
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            fn, sn = _shift_while_even(fn, sn)
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof is shorter than the path to the root")
    if fr != root1:
        raise ProofError("consistency proof does not lead to the old root")
    if sr != root2:
        raise ProofError("consistency proof does not lead to the new root")
