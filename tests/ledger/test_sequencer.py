"""Recording through the outbox and sequencing: exactly once, in order, signed."""

import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from rathaus import ledger
from rathaus.applications.models import Document
from rathaus.ledger import demo, keys, merkle, tiles
from rathaus.ledger.models import Checkpoint, Entry, LogState, Pending
from rathaus.ledger.note import Signer, open_checkpoint
from rathaus.ledger.services import audit, proofs, sequencer
from rathaus.ledger.services.records import RecordError, canonical

from .conftest import digest, put, put_and_sequence

pytestmark = pytest.mark.django_db


def test_a_record_is_canonical_versioned_json_without_personal_fields():
    text = canonical(
        "bescheid",
        "DUS-2026-000123",
        digest("x"),
        office="Bürgerbüro Mitte (Demo)",
        issued_at=datetime(2026, 11, 27, 9, 15, 30, 123456, tzinfo=UTC),
    )
    assert text == (
        '{"issued":"2026-11-27T09:15:30Z","kind":"bescheid","office":"Bürgerbüro Mitte (Demo)",'
        f'"ref":"DUS-2026-000123","sha256":"{digest("x")}","v":1}}'
    )
    assert set(json.loads(text)) == {"v", "kind", "ref", "sha256", "office", "issued"}


@pytest.mark.parametrize(
    ("kind", "reference", "sha", "problem"),
    [
        ("unbekannt", "DUS-1", digest("a"), "unknown record kind"),
        ("bescheid", "DUS-1", "ABC", "SHA-256"),
        ("bescheid", "DUS-1", digest("a").upper(), "SHA-256"),
        ("bescheid", "", digest("a"), "reference"),
        ("bescheid", "DUS\n1", digest("a"), "reference"),
        ("bescheid", "x" * 201, digest("a"), "reference"),
    ],
)
def test_the_log_refuses_what_is_not_a_fact(kind, reference, sha, problem):
    with pytest.raises(RecordError, match=problem):
        ledger.record(kind, reference, sha)
    assert not Pending.objects.filter(sha256=sha).exists()


def test_a_record_rolled_back_with_its_producer_is_never_logged():
    before = Pending.objects.count()

    def producer() -> None:
        with transaction.atomic():
            ledger.record("bescheid", "DUS-2026-999999", digest("rolled back"))
            raise RuntimeError("the producer failed")

    with pytest.raises(RuntimeError):
        producer()
    assert Pending.objects.count() == before
    sequencer.sequence_all()
    assert not Entry.objects.filter(sha256=digest("rolled back")).exists()


def test_sequencing_appends_in_outbox_order_and_signs_a_checkpoint():
    start = sequencer.state().size
    digests = put(5, "ORDER")
    assert sequencer.sequence() == 5
    entries = list(Entry.objects.filter(index__gte=start).order_by("index"))
    assert [e.sha256 for e in entries] == digests
    assert [e.index for e in entries] == list(range(start, start + 5))
    assert not Pending.objects.exists()
    latest = Checkpoint.objects.first()
    signed, _note = open_checkpoint(latest.note, keys.origin(), [keys.signer().verifier()])
    assert signed.size == start + 5 == LogState.objects.get().size
    every_leaf = [
        merkle.leaf_hash(text.encode())
        for text in Entry.objects.order_by("index").values_list("record", flat=True)
    ]
    assert signed.root == merkle.root_from_leaves(every_leaf)
    assert sequencer.sequence() == 0


def test_more_than_a_batch_is_sequenced_in_several_transactions(monkeypatch):
    monkeypatch.setattr(sequencer, "BATCH", 4)
    start = sequencer.state().size
    checkpoints = Checkpoint.objects.count()
    put(10, "BATCH")
    assert sequencer.sequence_all() == 10
    assert sequencer.state().size == start + 10
    assert Checkpoint.objects.count() == checkpoints + 3  # 4 + 4 + 2
    assert audit.audit() == []


def test_a_proof_by_document_hash_verifies_against_the_signed_checkpoint():
    (sha,) = put_and_sequence(1, "PROOF")
    found = proofs.by_digest(sha)
    signed, _note = open_checkpoint(found.checkpoint.note, keys.origin(), keys.verifiers())
    merkle.verify_inclusion(
        found.leaf_hash, found.entry.index, signed.size, found.proof, signed.root
    )
    standing = ledger.standing(sha)
    assert standing.intact and standing.inclusion.entry.index == found.entry.index
    assert standing.record["ref"] == "PROOF-2026-000000"


def test_a_fact_still_in_the_outbox_is_shown_as_pending():
    (sha,) = put(1, "WAITING")
    standing = ledger.standing(sha)
    assert standing.pending and standing.inclusion is None
    sequencer.sequence_all()
    assert ledger.standing(sha).inclusion is not None


def test_the_demo_city_s_bescheide_are_in_the_log_and_the_log_is_intact():
    decisions = Document.objects.filter(kind=Document.Kind.DECISION)
    assert decisions.exists()
    logged = set(Entry.objects.filter(kind="bescheid").values_list("sha256", flat=True))
    assert set(decisions.values_list("sha256", flat=True)) <= logged
    archive = Entry.objects.filter(reference__startswith=demo.ARCHIVE_PREFIX)
    assert archive.count() == demo.ARCHIVE_PER_SCALE  # so the tiles hold full tiles
    demo.load(scale=1, log=lambda *_: None)  # a second `rathaus demo` adds no archive
    assert archive.count() == demo.ARCHIVE_PER_SCALE
    assert Checkpoint.objects.exists()
    assert audit.audit() == []


def test_tiles_grow_at_the_right_edge_and_proofs_work_for_older_checkpoints():
    put_and_sequence(300, "TILES")
    old = Checkpoint.objects.first()
    put_and_sequence(300, "TILES2")
    new = Checkpoint.objects.first()
    assert new.size == old.size + 300
    read = tiles.node_reader(sequencer.DatabaseTiles(), new.size)
    proof = merkle.consistency_proof(old.size, new.size, read)
    merkle.verify_consistency(old.size, new.size, proof, bytes(old.root), bytes(new.root))
    entry = Entry.objects.get(index=old.size - 1)
    found = proofs.inclusion(entry, old.size)
    merkle.verify_inclusion(found.leaf_hash, entry.index, old.size, found.proof, bytes(old.root))


def test_a_rotated_key_signs_a_fresh_checkpoint_and_old_ones_stay_verifiable(
    settings, stranger, tmp_path
):
    put_and_sequence(1, "ROTATE")
    old_key = keys.signer().verifier_key()
    old_checkpoint = Checkpoint.objects.first()
    key_file = tmp_path / "new.key"
    key_file.write_text(stranger.private_key())
    settings.LEDGER_SIGNING_KEY_FILE = str(key_file)
    settings.LEDGER_PREVIOUS_KEYS = [old_key]
    keys.signer.cache_clear()
    try:
        fresh = sequencer.refresh_checkpoint()
        assert fresh is not None and fresh.size == old_checkpoint.size
        open_checkpoint(fresh.note, keys.origin(), [stranger.verifier()])
        assert sequencer.refresh_checkpoint() is None
        assert audit.audit() == []
    finally:
        keys.signer.cache_clear()


def test_keygen_writes_a_private_key_file_once_and_prints_the_verifier_key(tmp_path, capsys):
    path = tmp_path / "ledger.key"
    call_command(
        "ledger", "keygen", "--name", "rathaus.example/transparenz/log", "--out", str(path)
    )
    out = capsys.readouterr().out
    signer = Signer.from_private_key(path.read_text().strip())
    assert signer.name == "rathaus.example/transparenz/log"
    assert signer.verifier_key() in out and "LEDGER_PREVIOUS_KEYS" in out
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(CommandError, match="gibt es schon"):
        call_command("ledger", "keygen", "--out", str(path))


def test_rathaus_check_names_where_the_log_key_comes_from(settings, tmp_path, capsys):
    assert keys.check()[0] == "WARNUNG"  # generated into the data folder
    path = tmp_path / "ledger.key"
    path.write_text(keys.signer().private_key())
    settings.LEDGER_SIGNING_KEY_FILE = str(path)
    keys.signer.cache_clear()
    try:
        assert keys.check() == ("OK", f"aus {path}")
        settings.LEDGER_ORIGIN = "anderes.example/log"
        assert keys.check()[0] == "WARNUNG"
        settings.LEDGER_SIGNING_KEY_FILE = str(tmp_path / "fehlt.key")
        keys.signer.cache_clear()
        assert keys.check()[0] == "FEHLER"
    finally:
        keys.signer.cache_clear()


def test_the_sequence_command_says_how_many_it_took(capsys):
    put(3, "COMMAND")
    call_command("ledger", "sequence")
    assert "3 Einträge aufgenommen" in capsys.readouterr().out
