"""Against a running server: the standalone verifier (no Django, no database) and a witness
that follows the log, co-signs it and refuses a log that rewrote its history."""

import hashlib
import os
import subprocess
import sys

import pytest

from rathaus import ledger
from rathaus.ledger import keys, merkle
from rathaus.ledger.models import Checkpoint, Cosignature, Entry, WitnessedLog
from rathaus.ledger.note import Checkpoint as CheckpointBody
from rathaus.ledger.note import Signer, Verifier, open_note, sign_checkpoint
from rathaus.ledger.services import sequencer, witness
from rathaus.ledger.verifier import LogClient, VerificationError, verify_digest

from .conftest import put_and_sequence

pytestmark = pytest.mark.django_db(transaction=True)

# Run the verifier with Django made unimportable: it must not need it.
WITHOUT_DJANGO = (
    "import sys; sys.modules['django'] = None; from rathaus.cli import main; main(sys.argv[1:])"
)


def verify(*args: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_DJANGO, "verify", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_rathaus_verify_checks_a_file_and_its_continuation_without_django(live_server, tmp_path):
    document = tmp_path / "bescheid.pdf"
    document.write_bytes(b"%PDF-1.7 a Bescheid of the demo city")
    ledger.record(
        "bescheid",
        "DUS-2026-424242",
        hashlib.sha256(document.read_bytes()).hexdigest(),
        office="Umweltamt (Demo)",
    )
    sequencer.sequence_all()
    old = tmp_path / "old.checkpoint"
    old.write_text(Checkpoint.objects.first().note)
    put_and_sequence(3, "LATER")
    vkey = keys.signer().verifier_key()

    checked = verify(
        str(document), "--url", live_server.url, "--vkey", vkey, "--checkpoint", str(old)
    )
    assert checked.returncode == 0, checked.stderr
    assert "Echt: bescheid DUS-2026-424242" in checked.stdout
    assert "von Umweltamt (Demo)" in checked.stdout
    assert "unverändert fort" in checked.stdout

    changed = tmp_path / "changed.pdf"
    changed.write_bytes(document.read_bytes() + b" ")
    refused = verify(str(changed), "--url", live_server.url, "--vkey", vkey)
    assert refused.returncode == 1
    assert "nicht im Transparenzlog" in refused.stderr

    other_key = Signer.generate(keys.origin()).verifier_key()
    refused = verify(str(document), "--url", live_server.url, "--vkey", other_key)
    assert refused.returncode == 1 and "Signatur des Checkpoints" in refused.stderr

    trusting = verify(str(document), "--url", live_server.url)
    assert trusting.returncode == 0
    assert "Prüfschlüssel vom Server geladen" in trusting.stderr

    nothing = verify("kein-code", "--url", live_server.url, "--vkey", vkey)
    assert nothing.returncode == 1 and "weder eine Datei noch ein Prüfcode" in nothing.stderr
    away = verify(str(document), "--url", "http://127.0.0.1:9", "--vkey", vkey)
    assert away.returncode == 1 and "nicht erreichbar" in away.stderr


def test_a_forged_older_checkpoint_shows_that_history_was_rewritten(live_server, tmp_path):
    """The verifier holds an old checkpoint the log signed; the log today is not its
    continuation (here: a checkpoint for the same size with another root)."""
    document = tmp_path / "bescheid.pdf"
    document.write_bytes(b"%PDF-1.7 another Bescheid")
    ledger.record("bescheid", "DUS-2026-434343", hashlib.sha256(document.read_bytes()).hexdigest())
    sequencer.sequence_all()
    latest = Checkpoint.objects.first()
    forged = CheckpointBody(origin=keys.origin(), size=latest.size, root=merkle.leaf_hash(b"x"))
    old = tmp_path / "old.checkpoint"
    old.write_text(sign_checkpoint(forged, keys.signer()))
    checked = verify(
        str(document),
        "--url",
        live_server.url,
        "--vkey",
        keys.signer().verifier_key(),
        "--checkpoint",
        str(old),
    )
    assert checked.returncode == 1
    assert "nachträglich verändert" in checked.stderr


@pytest.fixture
def a_witness(settings):
    signer = Signer.generate("zeuge.example.org/rathaus")
    settings.LEDGER_WITNESS_KEYS = [signer.cosigner_key()]
    return signer


def test_a_witness_checks_and_cosigns_and_the_log_shows_it(live_server, a_witness, client):
    put_and_sequence(4, "WITNESS")
    log_key = keys.signer().verifier_key()
    first = witness.witness(live_server.url, log_key, a_witness)
    assert first.previous_size == 0 and first.size == sequencer.state().size
    put_and_sequence(3, "WITNESS2")
    second = witness.witness(live_server.url, log_key, a_witness)
    assert second.previous_size == first.size and second.size == first.size + 3
    assert Cosignature.objects.filter(witness="zeuge.example.org/rathaus").count() == 2

    served = client.get("/transparenz/log/checkpoint").content.decode()
    note = open_note(served, [Verifier.from_verifier_key(a_witness.cosigner_key())])
    assert note.verified_by == ["zeuge.example.org/rathaus"]
    open_note(served, [keys.signer().verifier()])
    assert "zeuge.example.org/rathaus" in client.get("/transparenz/log/").content.decode()


def test_a_witness_refuses_a_log_that_rewrote_its_history(live_server, a_witness):
    put_and_sequence(4, "REWRITE")
    log_key = keys.signer().verifier_key()
    witness.witness(live_server.url, log_key, a_witness)
    followed = WitnessedLog.objects.get()
    # What the witness saw before: the same size with another tree (a split view) …
    seen = CheckpointBody(
        origin=keys.origin(), size=followed.size, root=merkle.leaf_hash(b"other history")
    )
    followed.checkpoint = sign_checkpoint(seen, keys.signer())
    followed.save()
    with pytest.raises(VerificationError, match="anderen Baum"):
        witness.witness(live_server.url, log_key, a_witness)
    # … or a smaller tree of which today's log is not the continuation.
    put_and_sequence(2, "REWRITE2")
    with pytest.raises(VerificationError, match="nachträglich verändert"):
        witness.witness(live_server.url, log_key, a_witness)
    assert Cosignature.objects.count() == 1


def test_the_witness_command_says_what_went_wrong(live_server, a_witness, tmp_path):
    from django.core.management import CommandError, call_command

    put_and_sequence(1, "COMMAND")
    key_file = tmp_path / "zeuge.key"
    key_file.write_text(a_witness.private_key())
    call_command(
        "ledger",
        "witness",
        live_server.url,
        "--log-key",
        keys.signer().verifier_key(),
        "--key-file",
        str(key_file),
    )
    with pytest.raises(CommandError, match="Nicht kosigniert"):
        call_command(
            "ledger",
            "witness",
            live_server.url,
            "--log-key",
            Signer.generate(keys.origin()).verifier_key(),
            "--key-file",
            str(key_file),
        )


def _change_entry(entry, other):
    forged = entry.record.replace(entry.sha256[:8], "00000000")
    Entry.objects.filter(index=entry.index).update(record=forged)


def _reorder(entry, other):
    Entry.objects.filter(index=entry.index).update(record=other.record, sha256=other.sha256)
    Entry.objects.filter(index=other.index).update(record=entry.record, sha256=entry.sha256)


def _delete(entry, other):
    Entry.objects.filter(index=entry.index).delete()


def _replace_checkpoint(entry, other):
    latest = Checkpoint.objects.first()
    body = CheckpointBody(origin=keys.origin(), size=latest.size, root=merkle.leaf_hash(b"x"))
    Checkpoint.objects.filter(pk=latest.pk).update(note=sign_checkpoint(body, keys.signer()))


def _forge_signature(entry, other):
    latest = Checkpoint.objects.first()
    body, line = latest.note.rsplit("— ", 1)
    name, value = line.split(" ")
    forged = value[:20] + ("A" if value[20] != "A" else "B") + value[21:]
    Checkpoint.objects.filter(pk=latest.pk).update(note=f"{body}— {name} {forged}")


def _sign_with_another_key(entry, other):
    latest = Checkpoint.objects.first()
    body = CheckpointBody(origin=keys.origin(), size=latest.size, root=bytes(latest.root))
    stranger = Signer.generate(keys.origin())
    Checkpoint.objects.filter(pk=latest.pk).update(note=sign_checkpoint(body, stranger))


@pytest.mark.parametrize(
    "tamper",
    [
        _change_entry,
        _reorder,
        _delete,
        _replace_checkpoint,
        _forge_signature,
        _sign_with_another_key,
    ],
)
def test_the_verifier_notices_every_kind_of_tampering(live_server, tamper):
    digests = put_and_sequence(6, "TAMPER")
    entry, other = (Entry.objects.get(sha256=digests[n]) for n in (2, 4))
    client = LogClient(live_server.url)
    verifier = keys.signer().verifier()
    assert verify_digest(client, verifier, entry.sha256).index == entry.index
    tamper(entry, other)
    with pytest.raises(VerificationError):
        verify_digest(client, verifier, entry.sha256)
