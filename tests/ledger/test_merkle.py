"""RFC 9162 hashing, proofs and verification against the transparency-dev/merkle test vectors,
a word-for-word recursive reading of the RFC, and random trees (hypothesis, fixed seed).
"""

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rathaus.ledger import merkle
from rathaus.ledger.merkle import ProofError

DATA = Path(__file__).parent / "data"
VECTORS = DATA / "transparency-dev-merkle" / "testdata"
REFERENCE = json.loads((DATA / "rfc6962-reference-tree.json").read_text())
REFERENCE_LEAVES = [merkle.leaf_hash(bytes.fromhex(x)) for x in REFERENCE["leaf_inputs_hex"]]
REFERENCE_ROOTS = [bytes.fromhex(x) for x in REFERENCE["root_hashes_by_tree_size"]]

LEAVES = [merkle.leaf_hash(b"entry %d" % i) for i in range(1100)]
EDGE_SIZES = sorted({0, 1, 2, 3} | {s for k in range(1, 11) for s in (2**k - 1, 2**k, 2**k + 1)})
settings_ = settings(derandomize=True, deadline=None, max_examples=150)


def vector_files(kind: str) -> list[Path]:
    return sorted((VECTORS / kind).rglob("*.json"))


def vector_id(path: Path) -> str:
    return str(path.relative_to(VECTORS))


def load_vector(path: Path) -> dict:
    vector = json.loads(path.read_text())
    for key in ("root", "leafHash", "root1", "root2"):
        if key in vector:
            vector[key] = base64.b64decode(vector[key])
    vector["proof"] = [base64.b64decode(p) for p in vector["proof"] or []]
    return vector


def reader(leaves: list[bytes], calls: list | None = None):
    """Hashes of complete subtrees straight from the leaves; refuses anything else."""

    def read(nodes):
        if calls is not None:
            calls.append(list(nodes))
        hashes = []
        for level, index in nodes:
            start, end = index << level, (index + 1) << level
            assert end <= len(leaves), f"node {(level, index)} is not complete"
            hashes.append(merkle.root_from_leaves(leaves[start:end]))
        return hashes

    return read


def flip(data: bytes) -> bytes:
    return bytes([data[0] ^ 1, *data[1:]]) if data else b"\x01"


# -- RFC 9162 §2.1 read recursively, word for word ------------------------------------------


def rfc_mth(leaves: list[bytes]) -> bytes:
    if not leaves:
        return merkle.EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return merkle.node_hash(rfc_mth(leaves[:k]), rfc_mth(leaves[k:]))


def rfc_path(m: int, leaves: list[bytes]) -> list[bytes]:
    if len(leaves) == 1:
        return []
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m < k:
        return [*rfc_path(m, leaves[:k]), rfc_mth(leaves[k:])]
    return [*rfc_path(m - k, leaves[k:]), rfc_mth(leaves[:k])]


def rfc_subproof(m: int, leaves: list[bytes], complete: bool) -> list[bytes]:
    if m == len(leaves):
        return [] if complete else [rfc_mth(leaves)]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m <= k:
        return [*rfc_subproof(m, leaves[:k], complete), rfc_mth(leaves[k:])]
    return [*rfc_subproof(m - k, leaves[k:], False), rfc_mth(leaves[:k])]


# -- vectors ----------------------------------------------------------------------------------


def test_hasher_vectors():
    want = {v["desc"]: bytes.fromhex(v["want"]) for v in REFERENCE["hasher_vectors"]}
    assert want["empty tree root"] == merkle.EMPTY_ROOT
    assert merkle.leaf_hash(b"") == want["leaf hash of empty leaf"]
    assert merkle.leaf_hash(b"L123456") == want["leaf hash of ASCII 'L123456'"]
    node = want["node hash of children ASCII 'N123','N456' (non-32-byte children, raw concat)"]
    assert merkle.node_hash(b"N123", b"N456") == node


def test_reference_tree():
    for size, root in enumerate(REFERENCE_ROOTS):
        assert merkle.root_from_leaves(REFERENCE_LEAVES[:size]) == root
        assert merkle.root_hash(size, reader(REFERENCE_LEAVES[:size])) == root
    read = reader(REFERENCE_LEAVES)
    for level, hashes in enumerate(REFERENCE["node_hashes_by_level"]):
        nodes = [(level, index) for index in range(len(hashes))]
        assert read(nodes) == [bytes.fromhex(h) for h in hashes]


@pytest.mark.parametrize("path", vector_files("inclusion"), ids=vector_id)
def test_inclusion_vector(path):
    v = load_vector(path)
    if v["wantErr"]:
        with pytest.raises(ProofError):
            merkle.verify_inclusion(
                v["leafHash"], v["leafIdx"], v["treeSize"], v["proof"], v["root"]
            )
        return
    merkle.verify_inclusion(v["leafHash"], v["leafIdx"], v["treeSize"], v["proof"], v["root"])
    if v["treeSize"] < len(REFERENCE_ROOTS) and v["root"] == REFERENCE_ROOTS[v["treeSize"]]:
        built = merkle.inclusion_proof(v["leafIdx"], v["treeSize"], reader(REFERENCE_LEAVES))
        assert built == v["proof"]


@pytest.mark.parametrize("path", vector_files("consistency"), ids=vector_id)
def test_consistency_vector(path):
    v = load_vector(path)
    if v["wantErr"]:
        with pytest.raises(ProofError):
            merkle.verify_consistency(v["size1"], v["size2"], v["proof"], v["root1"], v["root2"])
        return
    merkle.verify_consistency(v["size1"], v["size2"], v["proof"], v["root1"], v["root2"])
    if v["size2"] < len(REFERENCE_ROOTS) and v["root2"] == REFERENCE_ROOTS[v["size2"]]:
        built = merkle.consistency_proof(v["size1"], v["size2"], reader(REFERENCE_LEAVES))
        assert built == v["proof"]


def test_every_vector_is_found():
    assert len(vector_files("inclusion")) + len(vector_files("consistency")) == 196


# -- random trees -----------------------------------------------------------------------------

sizes = st.one_of(st.integers(1, 300), st.sampled_from([s for s in EDGE_SIZES if s]))


def test_root_from_leaves_is_the_rfc_definition():
    for size in range(70):
        assert merkle.root_from_leaves(LEAVES[:size]) == rfc_mth(LEAVES[:size])


@settings_
@given(size=sizes, data=st.data())
def test_inclusion_proof_is_the_rfc_path_and_verifies(size, data):
    index = data.draw(st.one_of(st.integers(0, size - 1), st.sampled_from([0, size - 1])))
    leaves = LEAVES[:size]
    calls = []
    proof = merkle.inclusion_proof(index, size, reader(leaves, calls))
    assert proof == rfc_path(index, leaves)
    assert len(calls) <= 1 and calls == ([merkle.inclusion_nodes(index, size)] if proof else [])
    root = merkle.root_from_leaves(leaves)
    assert merkle.root_hash(size, reader(leaves)) == root
    merkle.verify_inclusion(leaves[index], index, size, proof, root)


@settings_
@given(size=sizes, data=st.data())
def test_tampered_inclusion_proofs_fail(size, data):
    index = data.draw(st.integers(0, size - 1))
    leaves = LEAVES[:size]
    proof = merkle.inclusion_proof(index, size, reader(leaves))
    root = merkle.root_from_leaves(leaves)
    tampered = [
        (leaves[index], index ^ 1, proof, root),
        (flip(leaves[index]), index, proof, root),
        (leaves[index], index, proof, flip(root)),
        (leaves[index], index, [*proof, root], root),
        (leaves[index], index, [leaves[index], *proof], root),
    ]
    tampered += [
        (leaves[index], index, proof[:i] + proof[i + 1 :], root) for i in range(len(proof))
    ]
    tampered += [
        (leaves[index], index, [*proof[:i], flip(proof[i]), *proof[i + 1 :]], root)
        for i in range(len(proof))
    ]
    for leaf, at, bad_proof, bad_root in tampered:
        with pytest.raises(ProofError):
            merkle.verify_inclusion(leaf, at, size, bad_proof, bad_root)


@settings_
@given(size2=sizes, data=st.data())
def test_consistency_proof_is_the_rfc_proof_and_verifies(size2, data):
    size1 = data.draw(
        st.one_of(st.integers(1, size2), st.sampled_from([s for s in EDGE_SIZES if 0 < s <= size2]))
    )
    calls = []
    proof = merkle.consistency_proof(size1, size2, reader(LEAVES[:size2], calls))
    assert proof == rfc_subproof(size1, LEAVES[:size2], True)
    assert len(calls) <= 1 and calls == ([merkle.consistency_nodes(size1, size2)] if proof else [])
    root1 = merkle.root_from_leaves(LEAVES[:size1])
    root2 = merkle.root_from_leaves(LEAVES[:size2])
    merkle.verify_consistency(size1, size2, proof, root1, root2)


@settings_
@given(size2=sizes, data=st.data())
def test_tampered_consistency_proofs_fail(size2, data):
    size1 = data.draw(st.integers(1, size2))
    proof = merkle.consistency_proof(size1, size2, reader(LEAVES[:size2]))
    root1 = merkle.root_from_leaves(LEAVES[:size1])
    root2 = merkle.root_from_leaves(LEAVES[:size2])
    tampered = [
        (size1, proof, flip(root1), root2),
        (size1, proof, root1, flip(root2)),
        (size1, [*proof, root2], root1, root2),
        (size1, [root1, *proof], root1, root2),
        (0, proof, root1, root2),
    ]
    if size1 < size2:
        tampered.append((size1 + 1, proof, root1, root2))
    tampered += [(size1, proof[:i] + proof[i + 1 :], root1, root2) for i in range(len(proof))]
    tampered += [
        (size1, [*proof[:i], flip(proof[i]), *proof[i + 1 :]], root1, root2)
        for i in range(len(proof))
    ]
    for at, bad_proof, bad_root1, bad_root2 in tampered:
        with pytest.raises(ProofError):
            merkle.verify_consistency(at, size2, bad_proof, bad_root1, bad_root2)


# -- arguments that cannot have a proof -------------------------------------------------------


@pytest.mark.parametrize(("index", "size"), [(0, 0), (1, 1), (5, 3), (-1, 3), (0, -1)])
def test_inclusion_out_of_range(index, size):
    read = reader(LEAVES[: max(size, 0)])
    with pytest.raises(ProofError):
        merkle.inclusion_proof(index, size, read)
    with pytest.raises(ProofError):
        merkle.inclusion_nodes(index, size)
    with pytest.raises(ProofError):
        merkle.verify_inclusion(LEAVES[0], index, size, [], merkle.EMPTY_ROOT)


@pytest.mark.parametrize(("size1", "size2"), [(0, 0), (0, 5), (6, 5), (-1, 5), (1, -1)])
def test_consistency_out_of_range(size1, size2):
    read = reader(LEAVES[: max(size2, 0)])
    with pytest.raises(ProofError):
        merkle.consistency_proof(size1, size2, read)
    with pytest.raises(ProofError):
        merkle.consistency_nodes(size1, size2)
    with pytest.raises(ProofError):
        merkle.verify_consistency(size1, size2, [], merkle.EMPTY_ROOT, merkle.EMPTY_ROOT)


def test_root_hash_of_negative_size():
    with pytest.raises(ProofError):
        merkle.root_hash(-1, reader([]))


def test_empty_tree_root_reads_nothing():
    calls = []
    assert merkle.root_hash(0, reader([], calls)) == merkle.EMPTY_ROOT
    assert calls == []
    assert merkle.root_from_leaves([]) == merkle.EMPTY_ROOT


def test_reader_returning_too_few_hashes_is_an_error():
    with pytest.raises(ValueError, match="returned 1 hashes for 2 nodes"):
        merkle.root_hash(3, lambda nodes: [LEAVES[0]])


def test_inclusion_leaf_must_be_a_hash():
    with pytest.raises(ProofError, match="leaf hash has 3 bytes"):
        merkle.verify_inclusion(b"abc", 0, 1, [], b"abc")
