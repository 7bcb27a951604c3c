"""What verifiers and witnesses read: checkpoint, verifier key, tiles and entry bundles as
C2SP tlog-tiles lays them out, and the JSON proofs. A client that trusts nothing but the
key rebuilds the root from the served tiles."""

import base64

import pytest

from rathaus.ledger import keys, merkle, tiles
from rathaus.ledger.models import Checkpoint, Entry
from rathaus.ledger.note import Verifier, open_checkpoint
from rathaus.ledger.services import sequencer

from .conftest import put_and_sequence

pytestmark = pytest.mark.django_db


class ServedTiles:
    """A tiles reader that only uses what the web server serves."""

    def __init__(self, client, size: int) -> None:
        self.client, self.widths = client, tiles.tile_widths(size)

    def tiles(self, ids):
        found = {}
        for tile_id in ids:
            answer = self.client.get(
                "/transparenz/log/" + tiles.tile_path(*tile_id, width=self.widths[tile_id])
            )
            assert answer.status_code == 200, tiles.tile_path(*tile_id)
            found[tile_id] = answer.content
        return found


@pytest.fixture
def served(client):
    put_and_sequence(600, "SERVE")
    answer = client.get("/transparenz/log/checkpoint")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-cache" in answer["Cache-Control"]
    vkey = client.get("/transparenz/log/vkey").content.decode().strip()
    checkpoint, _note = open_checkpoint(
        answer.content, keys.origin(), [Verifier.from_verifier_key(vkey)]
    )
    return checkpoint


def test_the_verifier_key_is_in_the_signed_note_format(client):
    vkey = client.get("/transparenz/log/vkey").content.decode().strip()
    name, key_id, key = vkey.split("+", 2)
    assert name == keys.origin() and len(bytes.fromhex(key_id)) == 4
    assert base64.b64decode(key)[0] == 1 and len(base64.b64decode(key)) == 33


def test_a_client_rebuilds_the_signed_root_from_the_served_tiles(client, served):
    read = tiles.node_reader(ServedTiles(client, served.size), served.size)
    assert merkle.root_hash(served.size, read) == served.root


def test_entry_bundles_hold_the_records_whose_leaves_are_in_the_tiles(client, served):
    last = (served.size - 1) // 256
    width = served.size - last * 256
    path = "/transparenz/log/" + tiles.entries_path(last, width)
    bundle = tiles.decode_bundle(client.get(path).content)
    assert len(bundle) == width
    level0 = client.get("/transparenz/log/" + tiles.tile_path(0, last, width)).content
    assert b"".join(merkle.leaf_hash(record) for record in bundle) == level0
    assert bundle[-1].decode() == Entry.objects.get(index=served.size - 1).record


def test_full_tiles_are_cached_forever_and_wrong_paths_are_404(client, served):
    full = client.get("/transparenz/log/tile/0/000")
    assert full.status_code == 200 and len(full.content) == 256 * 32
    assert full["Cache-Control"] == "public, max-age=31536000, immutable"
    assert full["Access-Control-Allow-Origin"] == "*"
    beyond = served.size // 256 + 1
    for path in (
        "tile/0/000.p/5",  # a full tile is never served as partial
        f"tile/0/{beyond:03d}",  # not there yet
        f"tile/0/{served.size // 256:03d}.p/255",  # more hashes than the tree has
        "tile/0/0",  # not the canonical three digits
        "tile/entries/x000/000",
        "tile/9/000",
        "tile/0/000.p/0",
    ):
        assert client.get("/transparenz/log/" + path).status_code == 404, path


def test_an_inclusion_proof_by_index_and_by_hash_verifies(client, served):
    entry = Entry.objects.filter(reference__startswith="SERVE").order_by("index")[7]
    for url in (
        f"/api/v1/transparenz/eintraege/{entry.index}",
        f"/api/v1/transparenz/nachweis?sha256={entry.sha256}",
    ):
        answer = client.get(url).json()
        checkpoint, _note = open_checkpoint(answer["checkpoint"], keys.origin(), keys.verifiers())
        assert answer["index"] == entry.index and answer["record"] == entry.record
        merkle.verify_inclusion(
            merkle.leaf_hash(answer["record"].encode()),
            answer["index"],
            checkpoint.size,
            [base64.b64decode(item) for item in answer["proof"]],
            checkpoint.root,
        )


def test_a_consistency_proof_links_two_signed_checkpoints(client, served):
    old = Checkpoint.objects.first()
    put_and_sequence(3, "LATER")
    answer = client.get(f"/api/v1/transparenz/konsistenz?von={old.size}").json()
    new, _note = open_checkpoint(answer["checkpoint2"], keys.origin(), keys.verifiers())
    assert answer["size1"] == old.size and new.size == old.size + 3
    merkle.verify_consistency(
        old.size,
        new.size,
        [base64.b64decode(item) for item in answer["proof"]],
        bytes(old.root),
        new.root,
    )


@pytest.mark.parametrize(
    ("url", "status", "detail"),
    [
        ("/api/v1/transparenz/eintraege/99999999", 404, "no entry"),
        ("/api/v1/transparenz/eintraege/-1", 404, "no such entry"),
        (f"/api/v1/transparenz/nachweis?sha256={'0' * 64}", 404, "No entry records"),
        ("/api/v1/transparenz/nachweis?sha256=xyz", 422, "Invalid request"),
        ("/api/v1/transparenz/nachweis", 422, "Invalid request"),
        ("/api/v1/transparenz/konsistenz?von=3&bis=2", 404, "checkpoint"),
        ("/api/v1/transparenz/eintraege/0?groesse=123456789", 404, "No checkpoint was signed"),
    ],
)
def test_the_api_answers_nonsense_with_a_clear_english_error(client, url, status, detail):
    answer = client.get(url)
    assert answer.status_code == status
    assert detail.lower() in answer.json()["detail"].lower()


def test_a_cosignature_from_an_unlisted_witness_or_on_a_foreign_checkpoint_is_refused(
    client, stranger
):
    sequencer.sequence_all()
    latest = Checkpoint.objects.first()
    body = open_checkpoint(latest.note, keys.origin(), keys.verifiers())[0].body()
    line = stranger.cosign(body, 1_790_000_000)
    answer = client.post(
        "/api/v1/transparenz/kosignaturen",
        {"checkpoint": body, "cosignature": line},
        content_type="application/json",
    )
    assert answer.status_code == 403 and "does not verify" in answer.json()["detail"]
    answer = client.post(
        "/api/v1/transparenz/kosignaturen",
        {"checkpoint": "nonsense\n", "cosignature": line},
        content_type="application/json",
    )
    assert answer.status_code == 404 and "Not a checkpoint" in answer.json()["detail"]


def test_the_log_page_shows_the_checkpoint_and_the_newest_entries(client, served):
    page = client.get("/transparenz/log/").content.decode()
    assert "SERVE-2026-000599" in page
    assert f"{served.size} Einträge" in page
    assert keys.signer().verifier_key() in page


def test_the_explanations_are_there_in_plain_and_easy_language(client):
    plain = client.get("/transparenz/")
    easy = client.get("/transparenz/leichte-sprache/")
    assert plain.status_code == easy.status_code == 200
    assert "/transparenz/leichte-sprache/" in plain.content.decode()
    assert "/transparenz/" in easy.content.decode()
    for page in (plain, easy):
        assert "/bescheid-pruefen/" in page.content.decode()
