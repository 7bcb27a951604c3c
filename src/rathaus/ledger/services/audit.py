"""The audit: rebuild the whole tree from the stored entries and compare.

It recomputes every leaf from the entry's record, rebuilds every tile, and checks each
stored checkpoint's signature and root against the rebuilt tree. An entry changed,
deleted or moved, a tile rewritten, a checkpoint replaced or signed with another key –
each shows up as a finding. (The rebuilt tree is held in memory: about 100 bytes a leaf,
so a log of a million entries needs about 100 MB.)
"""

from collections.abc import Callable

from .. import keys, merkle, tiles
from ..models import Checkpoint, Entry, Tile
from ..note import open_checkpoint
from .records import parse
from .sequencer import state

CHUNK = 50_000


def audit(progress: Callable[[str], object] | None = None) -> list[str]:
    """Everything that does not add up, as German sentences for the operator; an empty
    list when the log is intact."""
    findings: list[str] = []
    leaves = _leaves(findings, progress)
    checkpoints = list(Checkpoint.objects.order_by("size", "id"))
    log = state()
    rebuilt = tiles.MemoryTiles()
    roots: dict[int, bytes] = {}
    size = 0
    for target in sorted({c.size for c in checkpoints} | {log.size, len(leaves)}):
        if target > len(leaves):
            break
        rebuilt.store(tiles.append(rebuilt, size, leaves[size:target]))
        size = target
        roots[target] = merkle.root_hash(size, tiles.node_reader(rebuilt, size))
    findings.extend(_tiles(rebuilt, len(leaves)))
    findings.extend(_checkpoints(checkpoints, roots, len(leaves)))
    if log.size != len(leaves):
        findings.append(
            f"Der Log-Zustand nennt {log.size} Einträge, gespeichert sind {len(leaves)}."
        )
    elif bytes(log.root) != roots[log.size]:
        findings.append("Der gespeicherte Wurzel-Hash passt nicht zu den Einträgen.")
    return findings


def _leaves(findings: list[str], progress: Callable[[str], object] | None) -> list[bytes]:
    """Every entry's leaf hash in index order; gaps and columns that contradict the
    record become findings."""
    leaves: list[bytes] = []
    rows = Entry.objects.order_by("index").values_list(
        "index", "record", "kind", "reference", "sha256"
    )
    for index, text, kind, reference, sha256 in rows.iterator(chunk_size=CHUNK):
        if index != len(leaves):
            findings.append(f"Eintrag Nr. {len(leaves)} fehlt (der nächste ist Nr. {index}).")
        leaves.append(merkle.leaf_hash(text.encode()))
        try:
            record = parse(text)
        except ValueError:
            findings.append(f"Eintrag Nr. {index} ist kein gültiger Datensatz.")
            continue
        if (record.get("kind"), record.get("ref"), record.get("sha256")) != (
            kind,
            reference,
            sha256,
        ):
            findings.append(f"Die Suchspalten von Eintrag Nr. {index} passen nicht zum Datensatz.")
        if progress and len(leaves) % CHUNK == 0:
            progress(f"  {len(leaves)} Einträge gelesen …")
    return leaves


def _tiles(rebuilt: tiles.MemoryTiles, size: int) -> list[str]:
    findings = []
    expected = tiles.tile_widths(size)
    stored = {
        (level, index): bytes(hashes)
        for level, index, hashes in Tile.objects.values_list("level", "index", "hashes")
    }
    computed = rebuilt.tiles(list(expected))
    for tile_id, width in sorted(expected.items()):
        path = tiles.tile_path(*tile_id, width=width)
        if tile_id not in stored:
            findings.append(f"Die Kachel {path} fehlt.")
        elif stored[tile_id] != computed[tile_id][: width * merkle.HASH_SIZE]:
            findings.append(f"Die Kachel {path} passt nicht zu den Einträgen.")
    findings.extend(
        f"Die Kachel {tiles.tile_path(*tile_id)} gehört zu keinem Eintrag."
        for tile_id in sorted(set(stored) - set(expected))
    )
    return findings


def _checkpoints(checkpoints: list[Checkpoint], roots: dict[int, bytes], size: int) -> list[str]:
    findings = []
    for stored in checkpoints:
        label = (
            f"Checkpoint {stored.pk} ({stored.size} Einträge, {stored.created_at:%d.%m.%Y %H:%M})"
        )
        try:
            signed, _note = open_checkpoint(stored.note, keys.origin(), keys.verifiers())
        except ValueError as error:
            findings.append(f"{label}: Signatur ungültig oder unbekannter Schlüssel ({error}).")
            continue
        if (signed.size, signed.root) != (stored.size, bytes(stored.root)):
            findings.append(f"{label}: Die signierte Notiz passt nicht zu den Spalten.")
        elif signed.size > size:
            findings.append(f"{label}: Es sind nur {size} Einträge gespeichert.")
        elif roots.get(signed.size) != signed.root:
            findings.append(f"{label}: Der signierte Baum passt nicht zu den Einträgen.")
    return findings
