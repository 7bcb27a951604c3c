"""Tampering behind the log's back: the audit and the verifier notice every kind."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from rathaus.ledger import keys, merkle
from rathaus.ledger.models import Checkpoint, Entry, Tile
from rathaus.ledger.note import Checkpoint as CheckpointBody
from rathaus.ledger.note import NoteError, open_checkpoint, sign_checkpoint
from rathaus.ledger.services import audit, proofs, records

from .conftest import put_and_sequence

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged():
    put_and_sequence(20, "AUDIT")
    assert audit.audit() == []
    return list(Entry.objects.filter(reference__startswith="AUDIT").order_by("index"))


def _findings_mention(text: str) -> bool:
    return any(text in finding for finding in audit.audit())


def test_an_entry_changed_in_the_database_is_found(logged):
    victim = logged[3]
    forged = victim.record.replace(victim.sha256, "0" * 64)
    Entry.objects.filter(index=victim.index).update(record=forged, sha256="0" * 64)
    assert _findings_mention("passt nicht zu den Einträgen")
    standing = proofs.standing("0" * 64)
    assert standing.inclusion is not None and not standing.intact


def test_a_search_column_changed_without_the_record_is_found(logged):
    Entry.objects.filter(index=logged[0].index).update(reference="DUS-FALSCH")
    assert _findings_mention(f"Suchspalten von Eintrag Nr. {logged[0].index}")


def test_a_deleted_entry_is_found(logged):
    Entry.objects.filter(index=logged[5].index).delete()
    assert _findings_mention(f"Eintrag Nr. {logged[5].index} fehlt")


def test_reordered_entries_are_found(logged):
    first, second = logged[1], logged[2]
    Entry.objects.filter(index=first.index).update(record=second.record)
    Entry.objects.filter(index=second.index).update(record=first.record)
    assert _findings_mention("passt nicht zu den Einträgen")


def test_a_rewritten_tile_is_found(logged):
    tile = Tile.objects.filter(level=0).order_by("-index").first()
    hashes = bytearray(tile.hashes)
    hashes[0] ^= 1
    Tile.objects.filter(pk=tile.pk).update(hashes=bytes(hashes))
    assert _findings_mention("Kachel tile/0/")


def test_a_checkpoint_replaced_by_one_for_another_tree_is_found(logged):
    latest = Checkpoint.objects.first()
    other = CheckpointBody(origin=keys.origin(), size=latest.size, root=merkle.leaf_hash(b"x"))
    Checkpoint.objects.filter(pk=latest.pk).update(
        note=sign_checkpoint(other, keys.signer()), root=other.root
    )
    assert _findings_mention("Der signierte Baum passt nicht zu den Einträgen")


def test_a_forged_signature_is_found(logged):
    latest = Checkpoint.objects.first()
    body, signature = latest.note.rsplit("— ", 1)
    name, value = signature.split(" ")
    forged = value[:10] + ("A" if value[10] != "A" else "B") + value[11:]
    Checkpoint.objects.filter(pk=latest.pk).update(note=f"{body}— {name} {forged}")
    assert _findings_mention("Signatur ungültig")
    with pytest.raises(NoteError):
        open_checkpoint(f"{body}— {name} {forged}", keys.origin(), keys.verifiers())


def test_a_checkpoint_from_another_key_is_found(logged, stranger):
    latest = Checkpoint.objects.first()
    body = CheckpointBody(origin=keys.origin(), size=latest.size, root=bytes(latest.root))
    Checkpoint.objects.filter(pk=latest.pk).update(note=sign_checkpoint(body, stranger))
    assert _findings_mention("Signatur ungültig oder unbekannter Schlüssel")


def test_the_audit_command_fails_loudly_and_passes_quietly(logged, capsys):
    call_command("ledger", "audit")
    assert "Alles stimmt" in capsys.readouterr().out
    Entry.objects.filter(index=logged[0].index).update(
        record=records.canonical(
            "bescheid", "AUDIT-X", "1" * 64, office="", issued_at=logged[0].sequenced_at
        )
    )
    with pytest.raises(CommandError, match="Abweichungen"):
        call_command("ledger", "audit")
    assert "✗" in capsys.readouterr().err


def test_entries_are_not_changed_by_sql_in_a_way_the_checkpoint_would_hide(logged):
    """Even rewriting entry, tiles and state together is found: the signed checkpoints
    still hold the old root, and the key is not in the database."""
    victim = logged[0]
    forged = victim.record.replace(victim.sha256, "2" * 64)
    Entry.objects.filter(index=victim.index).update(record=forged, sha256="2" * 64)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_tile")
    from rathaus.ledger import tiles

    rebuilt = tiles.MemoryTiles()
    leaves = [
        merkle.leaf_hash(text.encode())
        for text in Entry.objects.order_by("index").values_list("record", flat=True)
    ]
    rebuilt.store(tiles.append(rebuilt, 0, leaves))
    Tile.objects.bulk_create(
        Tile(level=level, index=index, hashes=rebuilt.tiles([(level, index)])[(level, index)])
        for level, index in tiles.tile_widths(len(leaves))
    )
    findings = audit.audit()
    assert any("Der signierte Baum passt nicht" in finding for finding in findings)
