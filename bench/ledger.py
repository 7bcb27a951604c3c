"""Transparency log: appends per second (one by one and batched), checkpoint signing, and
inclusion and consistency proofs at 1 million and 10 million leaves – each against raw
SHA-256 hashing of the same leaves, measured in the same run (the physical floor).

Pure core, in memory (``rathaus.ledger.merkle``, ``tiles``, ``note``; no Django): the
leaves are canonical JSON records as ``ledger.record`` writes them (a Bescheid of the
"Amt für Einwohnerwesen", reference ``DUS-2026-0000123``, a SHA-256 per leaf), made batch
by batch (65,536 leaves) so that no list of 10 million objects is ever held. Per batch,
timed separately: ``hashlib.sha256`` of every leaf's data (the baseline), ``leaf_hash`` of
every leaf, and ``tiles.append`` into a ``MemoryTiles`` (all tile levels). The tree of
1,000,000 and then the one of 10,000,000 leaves are built afresh (the 10M tree holds
~330 MB of tiles). ``ratio_to_sha256`` is the tree build (leaf_hash + tiles.append) over
the raw hashing of the same leaf data, at the largest size: a Merkle tree hashes every
leaf and about as many interior nodes, so ~2 is the floor. On each tree: 1,000 inclusion
proofs of random leaves and 1,000 consistency proofs between random pairs of sizes up to
the full size (``merkle.*_proof`` reading ``tiles.node_reader``, a new reader per proof as
a server makes one per request; the LRU of full tiles' interior levels is cold for most),
each verified (``verify_ms``: median ``verify_inclusion`` at 10M). Then
``sign_checkpoint`` and ``open_checkpoint`` (median of 1,000) of the 10M checkpoint.

Database (PostgreSQL by default, in a database of its own, ``rathaus_bench_ledger``,
created and migrated if missing, its ledger tables and queued ledger tasks emptied first;
``--sqlite``: a fresh SQLite file in a temporary folder), as producers and the worker
use it: ``appends_per_s`` – N times one transaction with ``ledger.record`` and then
``sequencer.sequence()`` (one entry appended, tiles written, one checkpoint signed: a lone
Bescheid end to end); ``appends_per_s_batched`` – 100,000 records written by producers,
1,000 per transaction ("outbox writes/s", timed on its own), then ``sequence_all()``
drains them (records / sequencing time; also records / both times). ``record``'s
``on_commit`` queues the sequencing task as in production (django-tasks' database
backend; no worker runs, so the bench's calls are the only sequencer; TASKS_IMMEDIATE
is ignored). Then ``proofs.by_index`` for random entries and ``proofs.consistency``
between random signed sizes, read from the database tiles, each verified.

Checks (the script exits non-zero if one fails): every proof verifies; each in-memory
tree's root equals ``merkle.root_from_leaves`` of the same leaves (per batch, the batch
roots folded as RFC 9162 does); the checkpoint opens to what was signed; in the database
the tree size equals the records written, the outbox is empty, every entry is the record
written at its index, the stored root, tiles and latest checkpoint equal a ``MemoryTiles``
rebuilt from the entries' records.

The table's ratio is the time per item over the time raw SHA-256 takes for one leaf in
the same run. Targets: at least 20,000 appends/s batched on PostgreSQL, inclusion and
consistency proofs under 1 ms (median) at 10 million leaves.

    python bench/ledger.py [--leaves-max 10000000] [--proofs 1000] [--single 300]
        [--batched 100000] [--producer-batch 1000] [--database-url postgres://…]
        [--sqlite] [--skip-database] [--json]
"""

import argparse
import hashlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
from rathaus.ledger import merkle, note, tiles

DATABASE = "rathaus_bench_ledger"
BATCH = 65_536
SIZES = (1_000_000, 10_000_000)
ORIGIN = "bench.rathaus.invalid/transparenz/log"
KIND = "bescheid"
OFFICE = "Amt für Einwohnerwesen (Bench)"
ISSUED = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
# The leaf data: exactly the canonical JSON services.records.canonical writes (checked
# against it in the database part), with the index in the reference and a digest.
TEMPLATE = (
    '{"issued":"2026-11-27T08:30:00Z","kind":"bescheid","office":"' + OFFICE + '",'
    '"ref":"DUS-2026-%07d","sha256":"%064x","v":1}'
).encode()
SPREAD = int.from_bytes(hashlib.sha256(b"rathaus bench ledger").digest(), "big") | 1
MASK = (1 << 256) - 1
SEED = 2026
TARGETS = {
    "appends_per_s_batched": (">=", 20_000),
    "inclusion_proof_ms_10m": ("<", 1),
    "consistency_proof_ms_10m": ("<", 1),
}


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--leaves-max",
        type=int,
        default=SIZES[-1],
        help="largest in-memory tree (default 10,000,000; the *_10m figures are taken there)",
    )
    parser.add_argument("--batch", type=int, default=BATCH, help="leaves per append (2**k)")
    parser.add_argument("--proofs", type=int, default=1000, help="proofs of each kind per tree")
    parser.add_argument("--signatures", type=int, default=1000, help="checkpoints signed")
    parser.add_argument("--single", type=int, default=300, help="record + sequence, one each")
    parser.add_argument("--batched", type=int, default=100_000, help="records drained at once")
    parser.add_argument(
        "--producer-batch", type=int, default=1000, help="records per producer transaction"
    )
    parser.add_argument("--db-proofs", type=int, default=1000, help="proofs from the database")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DATABASE_URL", common.DEFAULT_DATABASE_URL.rsplit("/", 1)[0] + "/" + DATABASE
        ),
        help="a database of its own: the bench empties its ledger tables",
    )
    parser.add_argument("--sqlite", action="store_true", help="a fresh SQLite file instead")
    parser.add_argument("--skip-database", action="store_true", help="the pure core only")
    parser.add_argument("--json", action="store_true", help="end with one JSON object of figures")
    args = parser.parse_args()
    if args.batch < 256 or args.batch & (args.batch - 1):
        parser.error("--batch must be a power of two, at least 256")
    if args.leaves_max < 2:
        parser.error("--leaves-max must be at least 2")
    if min(args.proofs, args.signatures, args.single, args.batched, args.producer_batch) < 1:
        parser.error("--proofs, --signatures, --single, --batched, --producer-batch: at least 1")
    return args


def progress(text: str) -> None:
    print(f"… {text}", file=sys.stderr, flush=True)


def reference(index: int) -> str:
    return f"DUS-2026-{index:07d}"


def digest(index: int) -> str:
    return f"{index * SPREAD & MASK:064x}"


def leaf_data(index: int) -> bytes:
    return TEMPLATE % (index, index * SPREAD & MASK)


def leaf_batch(start: int, stop: int) -> list[bytes]:
    template, spread, mask = TEMPLATE, SPREAD, MASK
    return [template % (i, i * spread & mask) for i in range(start, stop)]


def ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


# --- Pure core ------------------------------------------------------------------------


@dataclass
class Tree:
    """A tree built in memory, with what building it cost and what the checks found."""

    size: int
    store: tiles.MemoryTiles
    root: bytes
    sha256_s: float
    leaf_s: float
    append_s: float
    tile_bytes: int
    root_matches: bool
    per_leaf_sha256_ms: list[float] = field(default_factory=list)

    @property
    def build_s(self) -> float:
        return self.leaf_s + self.append_s


def build(size: int, batch: int) -> Tree:
    """Build the tree of ``size`` leaves batch by batch, timing raw SHA-256 of each batch's
    data, its leaf hashes and its tiles.append; the root is checked against
    ``merkle.root_from_leaves`` of every batch, folded like RFC 9162 (batches are a power
    of two wide, so full ones are complete subtrees)."""
    sha256, leaf_hash = hashlib.sha256, merkle.leaf_hash
    store = tiles.MemoryTiles()
    sha256_s = leaf_s = append_s = 0.0
    per_leaf: list[float] = []
    stack: list[tuple[int, bytes]] = []  # (leaves, hash) of complete subtrees, left to right
    done, shown, started = 0, 0, time.perf_counter()
    while done < size:
        stop = min(size, done + batch)
        data = leaf_batch(done, stop)
        t0 = time.perf_counter()
        raw = [sha256(item).digest() for item in data]
        t1 = time.perf_counter()
        leaves = [leaf_hash(item) for item in data]
        t2 = time.perf_counter()
        store.store(tiles.append(store, done, leaves))
        t3 = time.perf_counter()
        sha256_s += t1 - t0
        leaf_s += t2 - t1
        append_s += t3 - t2
        if stop - done == batch:
            per_leaf.append((t1 - t0) * 1000 / batch)
        del raw
        stack.append((stop - done, merkle.root_from_leaves(leaves)))
        while len(stack) > 1 and stack[-1][0] == stack[-2][0]:
            (width, right), (_, left) = stack.pop(), stack.pop()
            stack.append((2 * width, merkle.node_hash(left, right)))
        done = stop
        if done - shown >= 1_000_000 or done == size:
            shown = done
            progress(f"Baum {size:,}: {done:,} Blätter ({time.perf_counter() - started:.0f} s)")
    expected = stack[-1][1]
    for _width, left in reversed(stack[:-1]):
        expected = merkle.node_hash(left, expected)
    root = merkle.root_hash(size, tiles.node_reader(store, size))
    return Tree(
        size=size,
        store=store,
        root=root,
        sha256_s=sha256_s,
        leaf_s=leaf_s,
        append_s=append_s,
        tile_bytes=sum(len(content) for content in store.content.values()),
        root_matches=root == expected,
        per_leaf_sha256_ms=per_leaf,
    )


@dataclass
class ProofTimes:
    inclusion: list[float] = field(default_factory=list)
    verify_inclusion: list[float] = field(default_factory=list)
    consistency: list[float] = field(default_factory=list)
    verify_consistency: list[float] = field(default_factory=list)
    failures: int = 0


def measure_proofs(tree: Tree, count: int, rng: random.Random) -> ProofTimes:
    """Inclusion proofs of random leaves and consistency proofs between random sizes, each
    made from the tiles and verified (both timed)."""
    store, size, root = tree.store, tree.size, tree.root
    times = ProofTimes()
    for index in rng.sample(range(size), min(count, size)):
        started = time.perf_counter()
        proof = merkle.inclusion_proof(index, size, tiles.node_reader(store, size))
        times.inclusion.append(ms_since(started))
        leaf = merkle.leaf_hash(leaf_data(index))
        started = time.perf_counter()
        try:
            merkle.verify_inclusion(leaf, index, size, proof, root)
        except merkle.ProofError:
            times.failures += 1
        times.verify_inclusion.append(ms_since(started))
    for _ in range(count):
        size1, size2 = sorted(rng.sample(range(1, size + 1), 2))
        started = time.perf_counter()
        proof = merkle.consistency_proof(size1, size2, tiles.node_reader(store, size2))
        times.consistency.append(ms_since(started))
        root1 = merkle.root_hash(size1, tiles.node_reader(store, size1))
        root2 = root if size2 == size else merkle.root_hash(size2, tiles.node_reader(store, size2))
        started = time.perf_counter()
        try:
            merkle.verify_consistency(size1, size2, proof, root1, root2)
        except merkle.ProofError:
            times.failures += 1
        times.verify_consistency.append(ms_since(started))
    return times


def measure_signing(size: int, root: bytes, count: int) -> tuple[list[float], list[float], bool]:
    """sign_checkpoint and open_checkpoint of the checkpoint of the given tree."""
    signer = note.Signer.generate(ORIGIN)
    verifiers = [signer.verifier()]
    body = note.Checkpoint(origin=ORIGIN, size=size, root=root)
    signing, opening, same = [], [], True
    for _ in range(count):
        started = time.perf_counter()
        text = note.sign_checkpoint(body, signer)
        signing.append(ms_since(started))
    for _ in range(count):
        started = time.perf_counter()
        opened, _note = note.open_checkpoint(text, ORIGIN, verifiers)
        opening.append(ms_since(started))
        same &= opened == body
    return signing, opening, same


# --- Database -------------------------------------------------------------------------


@dataclass
class DatabaseRun:
    vendor: str
    single_ms: list[float]
    single_record_ms: list[float]
    single_sequence_ms: list[float]
    batched: int
    outbox_s: float
    sequence_s: float
    by_index_ms: list[float]
    consistency_ms: list[float]
    entries: int
    checkpoints: int
    failures: list[str]


def setup_database(database_url: str) -> None:
    """kita_database.setup (create if missing, point Django at it, migrate), with the
    sequencing task queued, never run in place."""
    import kita_database

    os.environ.pop("TASKS_IMMEDIATE", None)
    # The log lines (one per sequencing run) go to stdout and would run through the table.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    kita_database.setup(database_url)


def empty_ledger() -> None:
    """No entries, tiles, outbox rows, checkpoints or queued ledger tasks left."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from rathaus.ledger.models import Checkpoint, Cosignature, Entry, LogState, Pending, Tile

    models = [Cosignature, Checkpoint, Entry, Tile, Pending, LogState]
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY")
    else:
        for model in models:
            model.objects.all().delete()
    DBTaskResult.objects.filter(task_path__startswith="rathaus.ledger.").delete()


def run_database(args: argparse.Namespace, rng: random.Random) -> DatabaseRun:
    from django.db import connection, transaction

    from rathaus import ledger
    from rathaus.ledger.models import Checkpoint
    from rathaus.ledger.services import proofs, records, sequencer

    failures = []
    if records.canonical(KIND, reference(7), digest(7), office=OFFICE, issued_at=ISSUED) != (
        leaf_data(7).decode()
    ):
        failures.append("die Blattdaten des Kerns sind nicht das kanonische JSON von records")
    empty_ledger()

    def put(index: int) -> None:
        ledger.record(KIND, reference(index), digest(index), office=OFFICE, issued_at=ISSUED)

    progress(f"Datenbank: {args.single} x record + sequence() …")
    single_ms, record_ms, sequence_ms = [], [], []
    for index in range(args.single):
        started = time.perf_counter()
        with transaction.atomic():
            put(index)
        recorded = time.perf_counter()
        appended = sequencer.sequence()
        done = time.perf_counter()
        if appended != 1:
            failures.append(f"sequence() nach einem record hängte {appended} an")
        single_ms.append((done - started) * 1000)
        record_ms.append((recorded - started) * 1000)
        sequence_ms.append((done - recorded) * 1000)

    total = args.single + args.batched
    progress(f"Datenbank: {args.batched:,} records zu je {args.producer_batch:,} je Transaktion …")
    started = time.perf_counter()
    for first in range(args.single, total, args.producer_batch):
        with transaction.atomic():
            for index in range(first, min(total, first + args.producer_batch)):
                put(index)
    outbox_s = time.perf_counter() - started
    progress("Datenbank: sequence_all() …")
    started = time.perf_counter()
    appended = sequencer.sequence_all(progress=lambda text: progress(text.strip()))
    sequence_s = time.perf_counter() - started
    if appended != args.batched:
        failures.append(f"sequence_all hängte {appended} an, nicht {args.batched}")

    progress(f"Datenbank: {args.db_proofs} x proofs.by_index, proofs.consistency …")
    size = sequencer.state().size
    by_index_ms = []
    for index in rng.sample(range(size), min(args.db_proofs, size)):
        started = time.perf_counter()
        found = proofs.by_index(index)
        by_index_ms.append(ms_since(started))
        try:
            merkle.verify_inclusion(
                merkle.leaf_hash(leaf_data(index)),
                index,
                found.checkpoint.size,
                found.proof,
                bytes(found.checkpoint.root),
            )
        except merkle.ProofError:
            failures.append(f"Inklusionsbeweis für Eintrag {index} aus der Datenbank")
    roots = {size: bytes(root) for size, root in Checkpoint.objects.values_list("size", "root")}
    sizes = sorted(roots)
    consistency_ms = []
    for _ in range(min(args.db_proofs, len(sizes) * (len(sizes) - 1) // 2)):
        size1, size2 = sorted(rng.sample(sizes, 2))
        started = time.perf_counter()
        _old, _new, proof = proofs.consistency(size1, size2)
        consistency_ms.append(ms_since(started))
        try:
            merkle.verify_consistency(size1, size2, proof, roots[size1], roots[size2])
        except merkle.ProofError:
            failures.append(f"Konsistenzbeweis {size1} → {size2} aus der Datenbank")
    failures += check_database(total)
    return DatabaseRun(
        vendor=connection.vendor,
        single_ms=single_ms,
        single_record_ms=record_ms,
        single_sequence_ms=sequence_ms,
        batched=args.batched,
        outbox_s=outbox_s,
        sequence_s=sequence_s,
        by_index_ms=by_index_ms,
        consistency_ms=consistency_ms,
        entries=size,
        checkpoints=Checkpoint.objects.count(),
        failures=failures,
    )


def check_database(written: int) -> list[str]:
    """Size, outbox, entries and tiles against a MemoryTiles rebuilt from the records."""
    from rathaus.ledger import keys
    from rathaus.ledger.models import Checkpoint, Entry, Pending, Tile
    from rathaus.ledger.services import sequencer

    progress("Datenbank: Prüfung gegen den aus den Einträgen neu gebauten Baum …")
    failures = []
    log = sequencer.state()
    if log.size != written:
        failures.append(f"LogState.size = {log.size}, geschrieben wurden {written}")
    if waiting := Pending.objects.count():
        failures.append(f"{waiting} records warten noch im Ausgang")

    def leaves() -> Iterator[bytes]:
        rows = Entry.objects.order_by("index").values_list("index", "record")
        for position, (index, text) in enumerate(rows.iterator(chunk_size=10_000)):
            if index != position or text.encode() != leaf_data(position):
                failures.append(f"Eintrag {index} ist nicht der record Nr. {position}")
            yield merkle.leaf_hash(text.encode())

    hashes = list(leaves())
    if len(hashes) != written:
        failures.append(f"{len(hashes)} Einträge, geschrieben wurden {written} records")
    rebuilt = tiles.MemoryTiles()
    rebuilt.store(tiles.append(rebuilt, 0, hashes))
    root = merkle.root_hash(len(hashes), tiles.node_reader(rebuilt, len(hashes)))
    if bytes(log.root) != root or root != merkle.root_from_leaves(hashes):
        failures.append("der Wurzel-Hash der Datenbank ist nicht der der Einträge")
    stored = {
        (lv, ix): bytes(h) for lv, ix, h in Tile.objects.values_list("level", "index", "hashes")
    }
    if stored != rebuilt.content:
        failures.append("die Kacheln der Datenbank sind nicht die der Einträge")
    latest = Checkpoint.objects.first()
    try:
        signed, _note = note.open_checkpoint(latest.note, keys.origin(), keys.verifiers())
    except (AttributeError, ValueError):
        failures.append("der letzte Checkpoint fehlt oder lässt sich nicht öffnen")
    else:
        if (signed.size, signed.root) != (written, root):
            failures.append("der letzte Checkpoint zeigt einen anderen Baum")
    return failures


# --- Report ---------------------------------------------------------------------------


def check_targets(figures: dict, targets: dict) -> list[str]:
    missed = []
    for key, (op, limit) in targets.items():
        value = figures.get(key)
        if value is None:
            missed.append(f"{key} nicht gemessen")
            continue
        ok = {">=": value >= limit, "<": value < limit}[op]
        if not ok:
            missed.append(f"{key} = {value} (Ziel {op} {limit})")
    return missed


@dataclass
class Report:
    """What the parts found, for the tables and the checks."""

    throughput: list[tuple[str, int, float, float | None]] = field(default_factory=list)
    latency: list[tuple[str, list[float]]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    floor_s: float = 0.0
    largest: int = 0


def throughput_table(rows: list[tuple[str, int, float, float | None]]) -> None:
    """Rows of (name, items, seconds, seconds per leaf of raw SHA-256 – None: the baseline)."""
    print(
        "\nDurchsatz (ratio: Zeit je Blatt bzw. Eintrag / Zeit je Blatt beim rohen SHA-256 der "
        "Blattdaten im selben Lauf)"
    )
    header = f"{'measurement':<52} {'items':>11} {'s':>8} {'per s':>11} {'µs each':>9} {'ratio':>8}"
    print(header)
    print("-" * len(header))
    for name, items, seconds, floor in rows:
        each = seconds / items
        ratio_text = f"{each / floor:>7.1f}x" if floor is not None else f"{'1.0x':>8}"
        print(
            f"{name:<52} {items:>11,} {seconds:>8.2f} {items / seconds:>11,.0f} "
            f"{each * 1e6:>9.2f} {ratio_text}"
        )


def latency_table(floor_ms: list[float], rows: list[tuple[str, list[float]]]) -> None:
    """Like common.print_table, with the finer columns sub-millisecond figures need."""
    floor = common.summary(floor_ms)
    print("\nBeweise, Checkpoints, Datenbank (ratio: p50 / p50 des rohen SHA-256 eines Blatts)")
    header = (
        f"{'measurement':<52} {'n':>6} {'p50 ms':>10} {'p95 ms':>10} {'mean ms':>10} {'ratio':>9}"
    )
    print(header)
    print("-" * len(header))
    for name, values in [("SHA-256 roh, ein Blatt (Bezug; je Stapel)", floor_ms), *rows]:
        measured = common.summary(values)
        ratio = measured["p50"] / floor["p50"]
        print(
            f"{name:<52} {measured['n']:>6} {measured['p50']:>10.4f} {measured['p95']:>10.4f} "
            f"{measured['mean']:>10.4f} {ratio:>8.1f}x"
        )


def core(args: argparse.Namespace, rng: random.Random, figures: dict, report: Report) -> None:
    """Trees of 1M and 10M leaves (up to --leaves-max) in memory, their proofs, and the
    checkpoint of the largest signed and opened."""
    sizes = [size for size in SIZES if size < args.leaves_max] + [args.leaves_max]
    for size in sizes:
        progress(f"Baum mit {size:,} Blättern im Speicher bauen (Stapel zu {args.batch:,}) …")
        tree = build(size, args.batch)
        if not tree.root_matches:
            report.failures.append(f"Wurzel des Baums {size:,} ≠ merkle.root_from_leaves")
        floor = tree.sha256_s / size
        report.throughput += [
            (f"SHA-256 roh der Blattdaten, {size:,} (Bezug)", size, tree.sha256_s, None),
            (f"Baum {size:,}: leaf_hash + tiles.append", size, tree.build_s, floor),
            ("  davon leaf_hash", size, tree.leaf_s, floor),
            ("  davon tiles.append + MemoryTiles.store", size, tree.append_s, floor),
        ]
        progress(f"Baum {size:,}: je {args.proofs} Inklusions- und Konsistenzbeweise …")
        times = measure_proofs(tree, args.proofs, rng)
        if times.failures:
            report.failures.append(f"{times.failures} Beweise im Baum {size:,} verifizieren nicht")
        label = f"{size / 1e6:g}M" if size % 100_000 == 0 else f"{size:,}"
        report.latency += [
            (f"inclusion_proof, {label}", times.inclusion),
            (f"verify_inclusion, {label}", times.verify_inclusion),
            (f"consistency_proof, {label}", times.consistency),
            (f"verify_consistency, {label}", times.verify_consistency),
        ]
        # The largest tree gives the *_10m figures (leaves_max says which size that was).
        key = "10m" if size == sizes[-1] else "1m" if size == SIZES[0] else None
        if key:
            figures[f"inclusion_proof_ms_{key}"] = round(statistics.median(times.inclusion), 4)
            figures[f"consistency_proof_ms_{key}"] = round(statistics.median(times.consistency), 4)
            figures[f"verify_consistency_ms_{key}"] = round(
                statistics.median(times.verify_consistency), 4
            )
            figures[f"build_s_{key}"] = round(tree.build_s, 2)
            figures[f"tiles_mb_{key}"] = round(tree.tile_bytes / 1e6, 1)
        if size != sizes[-1]:
            del tree
            continue
        report.floor_ms = tree.per_leaf_sha256_ms or [tree.sha256_s * 1000 / size]
        report.floor_s = floor
        report.largest = size
        figures["verify_ms"] = round(statistics.median(times.verify_inclusion), 4)
        figures["ratio_to_sha256"] = round(tree.build_s / tree.sha256_s, 2)
        figures["sha256_leaves_per_s"] = round(size / tree.sha256_s)
        figures["build_leaves_per_s"] = round(size / tree.build_s)
        progress(f"Checkpoint {size:,}: je {args.signatures} x sign_checkpoint, open_checkpoint …")
        signing, opening, same = measure_signing(size, tree.root, args.signatures)
        if not same:
            report.failures.append("open_checkpoint liefert nicht den signierten Checkpoint")
        report.latency += [("sign_checkpoint", signing), ("open_checkpoint", opening)]
        figures["sign_checkpoint_ms"] = round(statistics.median(signing), 4)
        figures["open_checkpoint_ms"] = round(statistics.median(opening), 4)


def in_database(args: argparse.Namespace, rng: random.Random, figures: dict, report: Report) -> str:
    """The database part; returns the vendor."""
    sqlite_dir = None
    if args.sqlite:
        sqlite_dir = tempfile.mkdtemp(prefix="rathaus-bench-ledger-")
        args.database_url = f"sqlite:///{sqlite_dir}/ledger.sqlite3"
    progress(f"Datenbank {args.database_url.rsplit('/', 1)[-1]} vorbereiten …")
    try:
        setup_database(args.database_url)
        run = run_database(args, rng)
    finally:
        if sqlite_dir:
            shutil.rmtree(sqlite_dir, ignore_errors=True)
    report.failures += run.failures
    name = "PostgreSQL" if run.vendor == "postgresql" else "SQLite"
    single_s = sum(run.single_ms) / 1000
    both_s = run.outbox_s + run.sequence_s
    floor = report.floor_s
    report.throughput += [
        (f"{name}: record + sequence() einzeln", len(run.single_ms), single_s, floor),
        (
            f"{name}: Outbox, record ({args.producer_batch:,} je Transaktion)",
            run.batched,
            run.outbox_s,
            floor,
        ),
        (f"{name}: sequence_all() der Outbox", run.batched, run.sequence_s, floor),
        (f"{name}: Outbox + sequence_all() zusammen", run.batched, both_s, floor),
    ]
    figures.update(
        database=run.vendor,
        appends_per_s=round(len(run.single_ms) / single_s, 1),
        appends_per_s_batched=round(run.batched / run.sequence_s),
        appends_per_s_combined=round(run.batched / both_s),
        outbox_writes_per_s=round(run.batched / run.outbox_s),
        db_entries=run.entries,
        db_checkpoints=run.checkpoints,
        db_inclusion_proof_ms=round(statistics.median(run.by_index_ms), 3),
    )
    report.latency += [
        (f"{name}: record + sequence(), ein Eintrag", run.single_ms),
        ("  davon record (eine Transaktion)", run.single_record_ms),
        ("  davon sequence()", run.single_sequence_ms),
        (f"{name}: proofs.by_index ({run.entries:,} Einträge)", run.by_index_ms),
    ]
    if run.consistency_ms:
        figures["db_consistency_proof_ms"] = round(statistics.median(run.consistency_ms), 3)
        report.latency.append((f"{name}: proofs.consistency", run.consistency_ms))
    return run.vendor


def main() -> None:
    args = options()
    started = time.perf_counter()
    rng = random.Random(SEED)
    figures: dict[str, object] = {
        "leaves_max": args.leaves_max,
        "appends_per_s": None,
        "appends_per_s_batched": None,
    }
    report = Report()
    core(args, rng, figures, report)
    vendor = None if args.skip_database else in_database(args, rng, figures, report)
    figures["run_s"] = round(time.perf_counter() - started, 1)

    throughput_table(report.throughput)
    latency_table(report.floor_ms, report.latency)
    print()
    at = "" if args.leaves_max == SIZES[-1] else f" (bei {args.leaves_max:,})"
    lines = [
        ("appends_per_s (record + sequence, einzeln)", figures["appends_per_s"]),
        ("appends_per_s_batched (sequence_all)", figures["appends_per_s_batched"]),
        ("inclusion_proof_ms_10m (p50)" + at, figures["inclusion_proof_ms_10m"]),
        ("consistency_proof_ms_10m (p50)" + at, figures["consistency_proof_ms_10m"]),
        ("verify_ms (verify_inclusion, p50)" + at, figures["verify_ms"]),
        ("ratio_to_sha256 (Baum bauen / SHA-256 roh)" + at, figures["ratio_to_sha256"]),
    ]
    for name, value in lines:
        print(f"{name:<52} {'–' if value is None else value:>11}")
    failures = report.failures
    print(
        "\nPrüfungen: "
        + ("alle bestanden" if not failures else "FEHLGESCHLAGEN: " + "; ".join(failures[:10]))
    )
    targets = dict(TARGETS)
    if vendor != "postgresql":
        del targets["appends_per_s_batched"]  # a target for PostgreSQL only
    missed = check_targets(figures, targets)
    if args.leaves_max != SIZES[-1]:
        missed.append(f"Beweise bei {args.leaves_max:,} statt {SIZES[-1]:,} Blättern gemessen")
    print("Ziele: " + ("alle erreicht" if not missed else "verfehlt: " + "; ".join(missed)))
    figures["checks_ok"] = int(not failures)
    if args.json:
        common.emit_json(figures)
    if failures:
        raise SystemExit("checks failed: " + "; ".join(failures[:10]))


if __name__ == "__main__":
    main()
