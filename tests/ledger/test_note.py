"""Signed notes, checkpoints and cosignatures against the C2SP examples and vectors that Go
wrote (x/mod sumdb/note, transparency-dev/witness and formats; sources in data/SOURCES.md),
plus round trips (hypothesis, fixed seed) and every malformed input.
"""

import base64
import hashlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st

from rathaus.ledger.note import (
    COSIGNATURE_V1,
    ED25519,
    EMPTY_ROOT,
    Checkpoint,
    NoteError,
    Signature,
    Signer,
    Verifier,
    open_checkpoint,
    open_note,
    parse_note,
    sign_checkpoint,
)

C2SP = Path(__file__).parent / "data" / "c2sp"
EXAMPLE_NOTE = (C2SP / "signed-note-example.note").read_bytes()
EXAMPLE_VKEY = (C2SP / "signed-note-example.vkey").read_text().strip()
CHECKPOINT_EXAMPLE = (C2SP / "tlog-checkpoint-example.note").read_text()
COSIGNATURE_EXAMPLE = (C2SP / "tlog-cosignature-example.note").read_text()

# golang.org/x/mod sumdb/note/note_test.go
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
NEUMANN_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_LINE = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXg"
    "KvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_LINE = (
    "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTG"
    "wnWLox33WWd1RvMc+QQ=\n"
)

# transparency-dev/witness internal/witness/witness_test.go: checkpoints signed by Go
MONKEYS_SKEY = "PRIVATE+KEY+monkeys+db4d9f7e+ATWIAF3yVBG+Hv1rZFQoNt/BaURkLPtOFMAM2HrEeIr6"
MONKEYS_VKEY = "monkeys+db4d9f7e+AULaJMvTtDLHPUcUrjdDad9vDlh/PTfC2VV60JUtCfWT"
BANANAS_SKEY = "PRIVATE+KEY+bananas+cf639f13+AdjzytHoXdvn+1vG2UXXqFR3LZ+kvnmQZFretRaKfTIu"
WITNESS_SKEY = "PRIVATE+KEY+witness+f13a86db+AaLa/dfyBhyo/m0Z7WCi98ENVZWtrP8pxgRNrx7tIWiA"
WITNESS_VKEY = "witness+f13a86db+AdYV1Ztajd9BvyjP2HgpwrqYL6TjOwIjGMOq8Bu42xbN"
GO_ORIGIN = "Log Checkpoint v0"
GO_CHECKPOINTS = {
    # (key, size): the whole note as Go's note.Sign wrote it
    (MONKEYS_SKEY, 5): "Log Checkpoint v0\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n\n"
    "— monkeys 202ffu1mJ0hrPIodgN0YQV7uZk9CAEzh+hOQyRjkf9CDY1IOr/oiH6WkzGIy7aEF0rw/9SHiZztjDiTOb53"
    "i6CE/zQ8=\n",
    (BANANAS_SKEY, 5): "Log Checkpoint v0\n5\n41smjBUiAU70EtKlT6lIOIYtRTYxYXsDB+XHfcvu/BE=\n\n"
    "— bananas z2OfE18+NwUjjJBXH7m+fh67bu29p1Jbypr4GFUQohgQgCeuPJZtGTvfR9Pquh2Iebfq+6bhl3G/77lsKiGI"
    "ea6NAwE=\n",
    (MONKEYS_SKEY, 8): "Log Checkpoint v0\n8\nV8K9aklZ4EPB+RMOk1/8VsJUdFZR77GDtZUQq84vSbo=\n\n"
    "— monkeys 202ffm1n5/h7F3x0D6CCysNnqiL2WBu7iubseJggohhX6JBbeLts5NWKY/g0r6yNRVN/k+QJJx1Sii0MzbM"
    "UTnmO+wA=\n",
    (MONKEYS_SKEY, 15): "Log Checkpoint v0\n15\nsrKoB8sjvP1QAt1Ih3nqGHzjvmtRLs/geQdehrUHvqs=\n\n"
    "— monkeys 202ffsI0bYEfiyoXANzIXNoUCcro6D4TfvQlU+zbxmJLGLXPGu15VNIWBOJr0EUQO0P3dxSJI5SsFLLYQLy"
    "qvRercQ4=\n",
}
GO_FROG_CHECKPOINT = (
    "Frog Checkpoint v0\n8\nV8K9aklZ4EPB+RMOk1/8VsJUdFZR77GDtZUQq84vSbo=\n\n"
    "— monkeys 202ffgCVdfZmrroccRdQoEfn2TfmXHez4R++GvVrFvFiaI85O12aTV5GpNOvWsuQW77eNxQ2b7ggYeglzF/Q"
    "Sy/EBws=\n"
)

ROOT = hashlib.sha256(b"root").digest()
hypothesis_settings = settings(derandomize=True, deadline=None)


def flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 1]) + data[index + 1 :]


def checkpoint_note(log: Signer, size: int = 3, root: bytes = ROOT) -> tuple[str, str]:
    body = Checkpoint(log.name, size, root).body()
    return body, log.sign(body)


# The C2SP signed-note example


def test_c2sp_example_verifies_with_its_vkey():
    note = open_note(EXAMPLE_NOTE, [Verifier.from_verifier_key(EXAMPLE_VKEY)])

    assert note.text == "This is an example message.\n"
    assert note.verified_by == ["example.com/foo"]
    assert [(s.name, s.verified, s.cosignature) for s in note.signatures] == [
        ("example.com/foo", True, False)
    ]


def test_c2sp_example_key_id_is_derived_from_name_and_public_key():
    verifier = Verifier.from_verifier_key(EXAMPLE_VKEY)
    typed_key = base64.b64decode(EXAMPLE_VKEY.split("+", 2)[2])

    assert verifier.key_id.hex() == "530d903a"
    assert hashlib.sha256(b"example.com/foo\n" + typed_key).digest()[:4] == verifier.key_id
    assert (verifier.signature_type, verifier.public_key) == (ED25519, typed_key[1:])
    assert verifier.verifier_key() == EXAMPLE_VKEY


def test_c2sp_example_with_a_changed_text_byte_fails():
    changed = EXAMPLE_NOTE.replace(b"example message", b"example massage")

    with pytest.raises(NoteError, match=r"invalid signature of key example\.com/foo"):
        open_note(changed, [Verifier.from_verifier_key(EXAMPLE_VKEY)])


@pytest.mark.parametrize("index", [4, 5, 35, 66, 67])
def test_c2sp_example_with_a_changed_signature_byte_fails(index):
    signature = parse_note(EXAMPLE_NOTE).signatures[0]
    raw = flip(signature.key_id + signature.raw, index)
    changed = (
        "This is an example message.\n\n" + Signature("example.com/foo", raw[:4], raw[4:]).line()
    )

    with pytest.raises(NoteError, match="invalid signature"):
        open_note(changed, [Verifier.from_verifier_key(EXAMPLE_VKEY)])


def test_c2sp_example_with_a_changed_key_id_is_from_an_unknown_key():
    signature = parse_note(EXAMPLE_NOTE).signatures[0]
    changed = (
        "This is an example message.\n\n"
        + Signature(signature.name, flip(signature.key_id, 3), signature.raw).line()
    )

    with pytest.raises(NoteError, match="no valid signature of a known key"):
        open_note(changed, [Verifier.from_verifier_key(EXAMPLE_VKEY)])


def test_c2sp_example_does_not_verify_with_another_key_of_the_same_name():
    impostor = Signer.generate("example.com/foo")

    with pytest.raises(NoteError, match="no valid signature of a known key"):
        open_note(EXAMPLE_NOTE, [impostor.verifier()])


def test_c2sp_checkpoint_example_parses():
    note = parse_note(CHECKPOINT_EXAMPLE)
    checkpoint = Checkpoint.parse(note.text)

    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert checkpoint.root == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert checkpoint.extensions == ()
    assert checkpoint.body() == note.text
    assert [(s.name, len(s.raw), s.verified) for s in note.signatures] == [
        ("example.com/behind-the-sofa", 64, False)
    ]


def test_c2sp_cosignature_example_parses_with_its_timestamp():
    note = parse_note(COSIGNATURE_EXAMPLE)
    log, witness = note.signatures

    assert log.name == "example.com/behind-the-sofa"
    assert witness.name == "witness.example.com/w1"
    assert witness.key_id.hex() == "8d66cf3f"
    assert len(witness.raw) == 8 + 64
    assert int.from_bytes(witness.raw[:8], "big") == 1679315147  # "time 1679315147" in the spec
    assert note.text + "\n" + log.line() + witness.line() == COSIGNATURE_EXAMPLE


def test_cosignature_signs_the_message_the_spec_shows():
    witness = Signer.generate("witness.example.com/w1")
    body = parse_note(COSIGNATURE_EXAMPLE).text
    spec_message = (
        b"cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
        b"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    )

    line = witness.cosign(body, 1679315147)

    name, encoded = line.removeprefix("— ").removesuffix("\n").split(" ")
    raw = base64.b64decode(encoded)
    public_key = Verifier.from_verifier_key(witness.cosigner_key()).public_key
    assert name == witness.name
    assert raw[:4] == Verifier.from_verifier_key(witness.cosigner_key()).key_id
    assert raw[4:12] == (1679315147).to_bytes(8, "big")
    Ed25519PublicKey.from_public_bytes(public_key).verify(raw[12:], spec_message)


# What Go wrote


def test_go_note_is_reproduced_byte_for_byte():
    signer = Signer.from_private_key(PETER_SKEY)

    assert signer.sign(NEUMANN_TEXT) == NEUMANN_TEXT + "\n" + PETER_LINE
    assert signer.verifier_key() == PETER_VKEY
    assert signer.private_key() == PETER_SKEY


def test_go_note_with_two_signatures_verifies_with_either_key():
    message = NEUMANN_TEXT + "\n" + PETER_LINE + ENOCH_LINE
    peter, enoch = Verifier.from_verifier_key(PETER_VKEY), Verifier.from_verifier_key(ENOCH_VKEY)

    only_peter = open_note(message, [peter])
    both = open_note(message, [enoch, peter])

    assert only_peter.verified_by == ["PeterNeumann"]
    assert [s.verified for s in only_peter.signatures] == [True, False]
    assert both.verified_by == ["PeterNeumann", "EnochRoot"]
    assert open_note(message, [enoch]).verified_by == ["EnochRoot"]


@pytest.mark.parametrize(("skey", "size"), list(GO_CHECKPOINTS))
def test_go_checkpoints_are_reproduced_byte_for_byte(skey, size):
    go_note = GO_CHECKPOINTS[skey, size]
    signer = Signer.from_private_key(skey)

    checkpoint, note = open_checkpoint(go_note, GO_ORIGIN, [signer.verifier()])

    assert checkpoint.size == size
    assert note.verified_by == [signer.name]
    assert sign_checkpoint(checkpoint, signer) == go_note


def test_go_checkpoint_of_another_origin_is_rejected():
    monkeys = Verifier.from_verifier_key(MONKEYS_VKEY)

    assert open_note(GO_FROG_CHECKPOINT, [monkeys]).verified_by == ["monkeys"]
    with pytest.raises(NoteError, match="'Frog Checkpoint v0', not 'Log Checkpoint v0'"):
        open_checkpoint(GO_FROG_CHECKPOINT, GO_ORIGIN, [monkeys])


def test_go_witness_key_gives_the_vkeys_go_derives():
    witness = Signer.from_private_key(WITNESS_SKEY)
    cosigner = Verifier.from_verifier_key(witness.cosigner_key())

    assert witness.verifier_key() == WITNESS_VKEY
    assert cosigner.signature_type == COSIGNATURE_V1
    assert cosigner.public_key == witness.verifier().public_key
    assert cosigner.key_id != witness.key_id


@pytest.mark.parametrize(
    ("vkey", "signature_type", "key_id"),
    [
        # transparency-dev/formats note/note_cosigv1_test.go: a witness's real 0x04 key
        ("remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2", 0x04, "da77ade7"),
        # the same file: a 0x01 key whose base64 holds a plus
        ("TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6", 0x01, "7997405c"),
    ],
)
def test_go_vkeys_are_read(vkey, signature_type, key_id):
    verifier = Verifier.from_verifier_key(vkey)

    assert (verifier.signature_type, verifier.key_id.hex()) == (signature_type, key_id)
    assert verifier.verifier_key() == vkey


# Keys


def test_private_key_round_trip_signs_identically():
    signer = Signer.generate("rathaus.example/log")

    again = Signer.from_private_key(signer.private_key())

    assert again == signer
    assert again.sign("hello\n") == signer.sign("hello\n")


def test_private_key_has_go_format():
    signer = Signer.generate("rathaus.example/log")

    prefix, key, name, key_id, typed_seed = signer.private_key().split("+", 4)

    assert (prefix, key, name, key_id) == ("PRIVATE", "KEY", signer.name, signer.key_id.hex())
    assert base64.b64decode(typed_seed) == b"\x01" + signer.seed


def test_signer_repr_does_not_show_the_seed():
    signer = Signer.generate("rathaus.example/log")

    assert signer.seed.hex() not in repr(signer)
    assert base64.b64encode(signer.seed).decode() not in repr(signer)


@pytest.mark.parametrize("method", ["verifier_key", "cosigner_key"])
def test_vkey_round_trip(method):
    signer = Signer.generate("rathaus.example/log")
    vkey = getattr(signer, method)()

    verifier = Verifier.from_verifier_key(vkey)

    assert verifier.verifier_key() == vkey
    assert verifier.public_key == signer.verifier().public_key


def test_every_mangled_go_vkey_is_rejected():
    """Go's own test: every part of the key, and the key with any one character changed."""
    for i in range(len(PETER_VKEY)):
        for j in range(i + 1, len(PETER_VKEY) + 1):
            if (i, j) != (0, len(PETER_VKEY)):
                with pytest.raises(NoteError):
                    Verifier.from_verifier_key(PETER_VKEY[i:j])
        mangled = PETER_VKEY[:i] + chr(ord(PETER_VKEY[i]) + 1) + PETER_VKEY[i + 1 :]
        with pytest.raises(NoteError):
            Verifier.from_verifier_key(mangled)


def test_every_mangled_go_private_key_is_rejected():
    for i in range(len(PETER_SKEY)):
        for j in range(i + 1, len(PETER_SKEY) + 1):
            if (i, j) != (0, len(PETER_SKEY)):
                with pytest.raises(NoteError):
                    Signer.from_private_key(PETER_SKEY[i:j])
        mangled = PETER_SKEY[:i] + chr(ord(PETER_SKEY[i]) + 1) + PETER_SKEY[i + 1 :]
        with pytest.raises(NoteError):
            Signer.from_private_key(mangled)


def typed(kind: int, key: bytes) -> str:
    return base64.b64encode(bytes([kind]) + key).decode()


PUBLIC = bytes(range(32))


@pytest.mark.parametrize(
    ("vkey", "message"),
    [
        ("bananas.sigstore.dev+12344556", "<name>\\+<key ID>\\+<key>"),
        ("rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!", "not valid base64"),
        ("rekor.sigstore.dev+12345678+AwEB", "unsupported signature type 0x03"),
        ("name+NOT_A_NUMBER+" + typed(1, PUBLIC), "8 lowercase hex digits"),
        ("name+00000000+" + typed(1, PUBLIC), "does not match"),
        ("name+" + Verifier("name", PUBLIC).key_id.hex().upper() + "+" + typed(1, PUBLIC), "hex"),
        ("name+1234567+" + typed(1, PUBLIC), "8 lowercase hex digits"),
        ("name+12345678+" + typed(2, PUBLIC), "unsupported signature type 0x02"),
        ("name+12345678+" + typed(1, PUBLIC[:31]), "32 bytes"),
        ("name+12345678+" + typed(1, PUBLIC + b"\0"), "32 bytes"),
        ("name+12345678+", "verifier key is empty"),
        ("name+12345678+" + typed(1, PUBLIC)[:-1], "not valid base64"),
        ("+12345678+" + typed(1, PUBLIC), "key name is empty"),
        ("na me+12345678+" + typed(1, PUBLIC), "contains a space"),
        ("na\u00a0me+12345678+" + typed(1, PUBLIC), "contains a space"),
        ("n" * 256 + "+12345678+" + typed(1, PUBLIC), "longer than 255 bytes"),
    ],
)
def test_malformed_vkeys_are_rejected(vkey, message):
    with pytest.raises(NoteError, match=message):
        Verifier.from_verifier_key(vkey)


def test_private_key_of_another_type_is_rejected():
    signer = Signer.generate("witness.example")
    name, key_id, _ = signer.private_key().removeprefix("PRIVATE+KEY+").split("+", 2)

    with pytest.raises(NoteError, match="type 0x01"):
        Signer.from_private_key(f"PRIVATE+KEY+{name}+{key_id}+{typed(4, signer.seed)}")


def test_private_key_errors_do_not_repeat_the_key():
    signer = Signer.generate("rathaus.example/log")
    wrong_id = signer.private_key().replace(signer.key_id.hex(), "00000000")

    with pytest.raises(NoteError) as error:
        Signer.from_private_key(wrong_id)

    assert typed(1, signer.seed) not in str(error.value)


@pytest.mark.parametrize("name", ["", "two words", "a+b", "tab\there", "x" * 256, "\udc00"])
def test_signer_name_must_be_a_valid_key_name(name):
    with pytest.raises(NoteError, match="key name"):
        Signer.generate(name)


@pytest.mark.parametrize("seed", [bytes(31), bytes(33), "0" * 32])
def test_signer_seed_has_32_bytes(seed):
    with pytest.raises(NoteError, match="32 bytes"):
        Signer("rathaus.example/log", seed)


def test_note_signature_of_the_wrong_length_fails():
    signer = Signer.from_private_key(PETER_SKEY)
    short = Signature(signer.name, signer.key_id, bytes(63)).line()

    with pytest.raises(NoteError, match=r"invalid signature of key PeterNeumann\+c74f20a3"):
        open_note("text\n\n" + short, [signer.verifier()])


# Cosignatures


def test_witness_cosignature_verifies_with_the_witness_cosigner_key():
    log, witness = Signer.generate("rathaus.example/log"), Signer.generate("witness.example")
    body, signed = checkpoint_note(log)

    note = open_note(
        signed + witness.cosign(body, 1700000000),
        [Verifier.from_verifier_key(witness.cosigner_key())],
    )

    assert note.verified_by == ["witness.example"]
    assert [(s.verified, s.cosignature, s.timestamp) for s in note.signatures] == [
        (False, False, None),
        (True, True, 1700000000),
    ]


def test_note_with_log_signature_and_cosignature_verifies_with_either_key():
    log, witness = Signer.generate("rathaus.example/log"), Signer.generate("witness.example")
    body, signed = checkpoint_note(log)
    message = signed + witness.cosign(body, 1700000000)
    cosigner = Verifier.from_verifier_key(witness.cosigner_key())

    assert open_note(message, [log.verifier()]).verified_by == ["rathaus.example/log"]
    assert open_note(message, [cosigner]).verified_by == ["witness.example"]
    checkpoint, note = open_checkpoint(message, log.name, [log.verifier(), cosigner])
    assert note.verified_by == ["rathaus.example/log", "witness.example"]
    assert checkpoint == Checkpoint.parse(body)


def test_cosignature_with_a_changed_timestamp_fails():
    log, witness = Signer.generate("rathaus.example/log"), Signer.generate("witness.example")
    body, signed = checkpoint_note(log)
    cosignature = parse_note(signed + witness.cosign(body, 1700000000)).signatures[1]
    later = (1700000001).to_bytes(8, "big") + cosignature.raw[8:]

    with pytest.raises(NoteError, match=r"invalid signature of key witness\.example"):
        open_note(
            signed + Signature(witness.name, cosignature.key_id, later).line(),
            [Verifier.from_verifier_key(witness.cosigner_key())],
        )


def test_cosignature_of_another_checkpoint_fails():
    log, witness = Signer.generate("rathaus.example/log"), Signer.generate("witness.example")
    body, _ = checkpoint_note(log, size=3)
    _, other_signed = checkpoint_note(log, size=4, root=hashlib.sha256(b"other").digest())
    message = other_signed + witness.cosign(body, 1700000000)

    assert open_note(message, [log.verifier()]).verified_by == [log.name]
    with pytest.raises(NoteError, match=r"invalid signature of key witness\.example"):
        open_note(message, [log.verifier(), Verifier.from_verifier_key(witness.cosigner_key())])


def test_cosignature_does_not_count_as_a_note_signature():
    log, witness = Signer.generate("rathaus.example/log"), Signer.generate("witness.example")
    body, signed = checkpoint_note(log)

    with pytest.raises(NoteError, match="no valid signature of a known key"):
        open_note(signed + witness.cosign(body, 1700000000), [witness.verifier()])


def test_cosignature_with_a_timestamp_beyond_2_63_fails():
    log, witness = Signer.generate("rathaus.example/log"), Signer.generate("witness.example")
    body, signed = checkpoint_note(log)
    cosigner = Verifier.from_verifier_key(witness.cosigner_key())
    message = f"cosignature/v1\ntime {2**63}\n{body}".encode()
    raw = (2**63).to_bytes(8, "big") + Ed25519PrivateKey.from_private_bytes(witness.seed).sign(
        message
    )

    with pytest.raises(NoteError, match="invalid signature"):
        open_note(signed + Signature(witness.name, cosigner.key_id, raw).line(), [cosigner])


@pytest.mark.parametrize("timestamp", [-1, 2**63, True, 1.5])
def test_cosign_rejects_timestamps_out_of_range(timestamp):
    log, witness = Signer.generate("rathaus.example/log"), Signer.generate("witness.example")
    body, _ = checkpoint_note(log)

    with pytest.raises(NoteError, match="timestamp"):
        witness.cosign(body, timestamp)


def test_cosign_signs_only_checkpoints():
    with pytest.raises(NoteError, match="fewer than three lines"):
        Signer.generate("witness.example").cosign("hello\n", 1700000000)


def test_a_known_key_whose_signature_fails_rejects_the_whole_note():
    log, witness = Signer.generate("rathaus.example/log"), Signer.generate("witness.example")
    _, signed = checkpoint_note(log)
    cosigner = Verifier.from_verifier_key(witness.cosigner_key())
    short = Signature(witness.name, cosigner.key_id, bytes(71)).line()

    assert open_note(signed + short, [log.verifier()]).verified_by == [log.name]
    with pytest.raises(NoteError, match=r"invalid signature of key witness\.example"):
        open_note(signed + short, [log.verifier(), cosigner])


def test_configured_keys_sharing_name_and_key_id_are_ambiguous():
    # Two seeds found by search whose keys for this name share the key ID 6579dd02.
    first, second = (
        Signer("collide.example", hashlib.sha256(b"seed %d" % n).digest()) for n in (60655, 80725)
    )
    assert first.key_id == second.key_id == bytes.fromhex("6579dd02")

    note = first.sign("hello\n")

    assert open_note(note, [first.verifier(), first.verifier()]).verified_by == [first.name]
    with pytest.raises(NoteError, match="two configured keys share"):
        open_note(note, [first.verifier(), second.verifier()])


# Round trips


line_text = st.text(st.characters(codec="utf-8", min_codepoint=0x20), min_size=1, max_size=40)


@hypothesis_settings
@given(
    origin=line_text,
    size=st.integers(0, 2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
    extensions=st.lists(line_text, max_size=3),
)
def test_checkpoint_body_round_trip(origin, size, root, extensions):
    checkpoint = Checkpoint(origin, size, EMPTY_ROOT if size == 0 else root, tuple(extensions))

    assert Checkpoint.parse(checkpoint.body()) == checkpoint


@hypothesis_settings
@given(lines=st.lists(st.text(st.characters(codec="utf-8", min_codepoint=0x20)), min_size=1))
def test_any_note_text_survives_signing(lines):
    signer = Signer("rathaus.example/log", bytes(32))
    text = "\n".join(lines) + "\n"

    note = open_note(signer.sign(text).encode(), [signer.verifier()])

    assert note.text == text


def test_checkpoint_body_has_the_spec_layout():
    checkpoint = Checkpoint("example.com/log", 3, ROOT, ["extension one"])

    assert checkpoint.extensions == ("extension one",)
    assert checkpoint.body() == (
        f"example.com/log\n3\n{base64.b64encode(ROOT).decode()}\nextension one\n"
    )


def test_parse_accepts_text_and_bytes_alike():
    assert parse_note(EXAMPLE_NOTE) == parse_note(EXAMPLE_NOTE.decode())


# Malformed notes

GOOD = "text\n\n" + PETER_LINE
SIG = PETER_LINE.split(" ", 2)[2].strip()


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("text\n" + PETER_LINE, "no blank line"),
        ("text\r\n\r\n" + PETER_LINE, "control character"),
        ("text\n\n" + PETER_LINE.replace("\n", "\r\n"), "control character"),
        ("\x01" + GOOD, "control character"),
        ("te\tx\n\n" + PETER_LINE, "control character"),
        (b"\xff" + GOOD.encode(), "not valid UTF-8"),
        ("\udc00" + GOOD, "not valid UTF-8"),
        ("text\n", "no blank line"),
        ("text\n\n", "no signature"),
        ("text\n\n" + PETER_LINE.rstrip("\n"), "does not end with a newline"),
        (GOOD + "Unexpected line.\n", "does not start with an em dash"),
        ("text\n\n- PeterNeumann " + SIG + "\n", "does not start with an em dash"),
        ("text\n\n\u2013 PeterNeumann " + SIG + "\n", "does not start with an em dash"),
        ("text\n\n—PeterNeumann " + SIG + "\n", "does not start with an em dash"),
        ("text\n\n— PeterNeumann\n", "has no signature"),
        ("text\n\n— PeterNeumann \n", "has no signature"),
        ("text\n\n—  PeterNeumann " + SIG + "\n", "key name is empty"),
        ("text\n\n— Peter+Neumann " + SIG + "\n", "contains a space, a plus"),
        ("text\n\n— Peter\u2003Neumann " + SIG + "\n", "contains a space, a plus"),
        ("text\n\n— PeterNeumann " + SIG + " extra\n", "not valid base64"),
        ("text\n\n— PeterNeumann !!!!\n", "not valid base64"),
        ("text\n\n— PeterNeumann " + SIG.rstrip("=") + "\n", "not valid base64"),
        ("text\n\n— PeterNeumann " + SIG[:-2] + "N=\n", "not canonical base64"),
        ("text\n\n— PeterNeumann AAAAAA==\n", "too short"),
        (GOOD + PETER_LINE, "two signatures of key PeterNeumann\\+c74f20a3"),
        (
            "text\n\n" + "".join(f"— n{i} {SIG}\n" for i in range(101)),
            "more than 100 signatures",
        ),
        ("x" * (1 << 20) + "\n\n" + PETER_LINE, "larger than"),
    ],
)
def test_malformed_notes_are_rejected(message, error):
    with pytest.raises(NoteError, match=error):
        parse_note(message)
    with pytest.raises(NoteError, match=error):
        open_note(message, [Verifier.from_verifier_key(PETER_VKEY)])


def test_a_hundred_signatures_are_accepted():
    message = "text\n\n" + "".join(f"— n{i} {SIG}\n" for i in range(100))

    assert len(parse_note(message).signatures) == 100


def test_blank_lines_belong_to_the_text_up_to_the_last_one():
    signer = Signer.from_private_key(PETER_SKEY)
    text = "\nfirst\n\nsecond\n\n"

    note = parse_note(signer.sign(text))

    assert note.text == text
    assert len(note.signatures) == 1


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("no newline", "does not end with a newline"),
        ("", "does not end with a newline"),
        ("carriage\r\n", "control character"),
        ("bell\x07\n", "control character"),
        ("\udc00\n", "not valid UTF-8"),
        ("x" * (1 << 20) + "\n", "larger than"),
    ],
)
def test_sign_rejects_what_no_note_may_hold(text, error):
    with pytest.raises(NoteError, match=error):
        Signer.from_private_key(PETER_SKEY).sign(text)


# Malformed checkpoints

B64_ROOT = base64.b64encode(ROOT).decode()


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (f"log\n007\n{B64_ROOT}\n", "leading zeros"),
        (f"log\n00\n{B64_ROOT}\n", "leading zeros"),
        (f"log\n-1\n{B64_ROOT}\n", "decimal"),
        (f"log\n+1\n{B64_ROOT}\n", "decimal"),
        (f"log\n 1\n{B64_ROOT}\n", "decimal"),
        (f"log\n1.0\n{B64_ROOT}\n", "decimal"),
        (f"log\n1_000\n{B64_ROOT}\n", "decimal"),
        (f"log\n\u0661\n{B64_ROOT}\n", "decimal"),
        (f"log\n\n{B64_ROOT}\n", "decimal"),
        (f"log\n{2**64}\n{B64_ROOT}\n", "2\\^64 - 1"),
        (f"log\n{10**40}\n{B64_ROOT}\n", "decimal"),
        (f"log\n1\n{base64.b64encode(ROOT[:31]).decode()}\n", "not 32 bytes"),
        (f"log\n1\n{base64.b64encode(ROOT + b'x').decode()}\n", "not 32 bytes"),
        ("log\n1\nnot base64\n", "not valid base64"),
        (f"log\n1\n{B64_ROOT.rstrip('=')}\n", "not valid base64"),
        (f"log\n1\n{B64_ROOT[:-2]}P=\n", "not canonical"),
        (f"\n1\n{B64_ROOT}\n", "origin is empty"),
        (f"log\n1\n{B64_ROOT}", "does not end with a newline"),
        ("log\n1\n", "fewer than three lines"),
        (f"log\n1\n{B64_ROOT}\n\nextension\n", "extension line is empty"),
        (f"log\x01\n1\n{B64_ROOT}\n", "control character"),
        (f"log\n0\n{B64_ROOT}\n", "empty tree"),
    ],
)
def test_malformed_checkpoints_are_rejected(body, error):
    with pytest.raises(NoteError, match=error):
        Checkpoint.parse(body)


def test_empty_checkpoint_carries_the_empty_tree_root():
    body = f"log\n0\n{base64.b64encode(hashlib.sha256(b'').digest()).decode()}\n"

    assert Checkpoint.parse(body) == Checkpoint("log", 0, EMPTY_ROOT)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (("", 1, ROOT), "origin is empty"),
        (("a\nb", 1, ROOT), "newline"),
        (("log", -1, ROOT), "2\\^64 - 1"),
        (("log", 2**64, ROOT), "2\\^64 - 1"),
        (("log", True, ROOT), "2\\^64 - 1"),
        (("log", 1, ROOT.hex()), "32 bytes"),
        (("log", 1, ROOT[:31]), "32 bytes"),
        (("log", 1, ROOT, ("two\nlines",)), "newline"),
        (("log", 1, ROOT, ("",)), "extension line is empty"),
    ],
)
def test_checkpoint_fields_are_checked(fields, error):
    with pytest.raises(NoteError, match=error):
        Checkpoint(*fields)


def test_checkpoint_of_another_key_with_the_same_name_is_not_ours():
    ours, impostor = Signer.generate("rathaus.example/log"), Signer.generate("rathaus.example/log")
    _, forged = checkpoint_note(impostor)

    with pytest.raises(NoteError, match="no valid signature of a known key"):
        open_checkpoint(forged, "rathaus.example/log", [ours.verifier()])


def test_signed_note_that_is_no_checkpoint_is_rejected():
    log = Signer.generate("rathaus.example/log")

    with pytest.raises(NoteError, match="fewer than three lines"):
        open_checkpoint(log.sign("hello\n"), log.name, [log.verifier()])
