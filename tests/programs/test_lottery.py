"""The lottery of an oversubscribed offer: entries in the window, a committed seed, a draw
that anyone re-runs from the published list (with the standalone ``draw.py`` and with
``rathaus programs_draw``), priority groups, whole families, the capacity, the waiting list
in draw order, and a draw that happens once and only after the window."""

import hashlib
import json
import random
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from rathaus import ledger
from rathaus.ledger.models import Entry
from rathaus.ledger.services import sequencer
from rathaus.programs import draw as drawing
from rathaus.programs.models import Booking, LotteryEntry, Offer, Participant, WaitlistEntry
from rathaus.programs.services import backoffice, booking, lottery, waitlist
from tests.factories import UserFactory
from tests.support import mails

from .conftest import make_offer

DRAW_PY = Path(drawing.__file__)


def lottery_offer(provider, slug: str = "test-verlosung", **fields) -> Offer:
    """A holiday camp whose places are drawn; the window closes tomorrow."""
    now = timezone.now()
    fields.setdefault("title", "Testferienfreizeit")
    fields.setdefault("category", "ferien")
    fields.setdefault("capacity", 10)
    fields.setdefault("allocation", Offer.Allocation.LOTTERY)
    fields.setdefault("booking_opens_at", now - timedelta(days=2))
    fields.setdefault("booking_closes_at", now + timedelta(days=1))
    return make_offer(provider, slug, **fields)


def after_close(offer: Offer):
    return offer.booking_closes_at + timedelta(minutes=1)


def entrant(
    offer: Offer,
    n: int,
    *,
    places: int = 1,
    duesselpass: bool = False,
    district: bool = False,
    now=None,
) -> LotteryEntry:
    """A resident with ``places`` children who enters them all into the lottery."""
    user = UserFactory(email=f"los{n}@{offer.slug}.beispiel.de", full_name=f"Person {n}")
    kids = [
        Participant.objects.create(account=user, name=f"Kind {n}-{k}", birth_year=2018)
        for k in range(places)
    ]
    return lottery.enter(
        booking.Request(
            offer=offer,
            people=[booking.Person.of(kid) for kid in kids],
            contact_name=user.full_name,
            email=user.email,
            account=user,
            duesselpass=duesselpass,
            extra={"lives_in_district": district},
        ),
        now,
    )


@pytest.fixture
def raffle(provider, venue) -> Offer:
    return lottery_offer(provider, venue=venue)


def drawn(offer: Offer) -> list[dict]:
    result = lottery.draw(offer, after_close(offer))
    assert result is not None
    offer.refresh_from_db()
    return result


# The algorithm -------------------------------------------------------------------------


def document(capacity: int, entries: list[dict], priorities=(), seed: str = "ab" * 32) -> dict:
    return {
        "version": 1,
        "offer": "test",
        "capacity": capacity,
        "seed": seed,
        "priorities": list(priorities),
        "entries": entries,
    }


def row(pseudonym: str, places: int = 1, **groups) -> dict:
    return {
        "pseudonym": pseudonym,
        "places": places,
        "duesselpass": groups.get("duesselpass", False),
        "district": groups.get("district", False),
        "new": groups.get("new", False),
    }


def test_the_order_is_the_documented_sort_key():
    seed = "0f" * 32
    entries = [row(f"{n:012x}", duesselpass=n % 3 == 0) for n in range(40)]
    result = drawing.run(document(40, entries, ["duesselpass"], seed=seed))

    def key(entry):
        ticket = hashlib.sha256((seed + ":" + entry["pseudonym"]).encode()).hexdigest()
        return (0 if entry["duesselpass"] else 1, ticket)

    assert [r["pseudonym"] for r in result] == [e["pseudonym"] for e in sorted(entries, key=key)]
    assert [r["rank"] for r in result] == list(range(1, 41))


def test_families_are_never_split_and_the_capacity_never_exceeded():
    randomness = random.Random(20261126)
    for round_ in range(200):
        capacity = randomness.randint(0, 30)
        entries = [
            row(f"{round_:04x}{n:08x}", randomness.randint(1, 5))
            for n in range(randomness.randint(0, 25))
        ]
        seed = f"{randomness.getrandbits(256):064x}"
        result = drawing.run(document(capacity, entries, seed=seed))
        remaining = capacity
        for r in result:
            # Won exactly when the whole family fit into what was left at its turn.
            assert r["won"] == (r["places"] <= remaining), (round_, seed)
            remaining -= r["places"] if r["won"] else 0
        assert sum(r["places"] for r in result if r["won"]) <= capacity
        losers = [r["waitlist_position"] for r in result if not r["won"]]
        assert losers == list(range(1, len(losers) + 1))


def test_a_smaller_family_after_one_that_did_not_fit_still_wins():
    seed = "11" * 32
    entries = [row("aaaaaaaaaaaa", 3), row("bbbbbbbbbbbb", 2), row("cccccccccccc", 1)]
    ordered = drawing.order(entries, seed, [])
    big = next(e for e in ordered if e["places"] == 3)
    capacity = sum(e["places"] for e in ordered[: ordered.index(big)]) + 2
    result = {r["pseudonym"]: r for r in drawing.run(document(capacity, entries, seed=seed))}
    assert not result[big["pseudonym"]]["won"]
    assert sum(r["places"] for r in result.values() if r["won"]) <= capacity


HOSTILE = [
    ([], "Liste: ein JSON-Objekt"),
    ({**document(1, []), "version": True}, "version"),
    ({**document(1, []), "version": 2}, "version"),
    ({**document(1, []), "offer": "\x1b[31mrot"}, "offer"),
    ({**document(1, []), "capacity": -1}, "capacity"),
    ({**document(1, []), "capacity": 1.5}, "capacity"),
    ({**document(1, []), "capacity": "10"}, "capacity"),
    ({**document(1, []), "seed": ""}, "erst nach der Verlosung"),
    ({**document(1, []), "seed": "XY" * 32}, "seed"),
    ({**document(1, []), "priorities": ["reich"]}, "priorities"),
    ({**document(1, []), "priorities": ["new", "new"]}, "priorities"),
    ({**document(1, []), "extra": 1}, "unbekannter Eintrag 'extra'"),
    (document(1, [row("<script>x</s")]), "pseudonym"),
    (document(1, [row("aaaaaaaaaaa\n")]), "pseudonym"),
    (document(1, [row("aaaaaaaaaaaa"), row("aaaaaaaaaaaa")]), "doppelt"),
    (document(1, [row("aaaaaaaaaaaa", places=0)]), "places"),
    (document(1, [row("aaaaaaaaaaaa", places=True)]), "places"),
    (document(1, [row("aaaaaaaaaaaa", places=10**9)]), "places"),
    (document(1, [{**row("aaaaaaaaaaaa"), "duesselpass": "ja"}]), "duesselpass"),
    (document(1, [{**row("aaaaaaaaaaaa"), "name": "Mia"}]), "unbekannter Eintrag 'name'"),
    (document(1, ["aaaaaaaaaaaa"]), "entries[1]: ein JSON-Objekt"),
    ({**document(1, []), "commitment": "nein"}, "commitment"),
    ({**document(1, []), "result": {"rank": 1}}, "result"),
]


@pytest.mark.parametrize(("bad", "message"), HOSTILE)
def test_hostile_lists_are_refused_with_a_message(bad, message):
    with pytest.raises(drawing.InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        drawing.run(bad)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"version": 1, "version": 1}', "doppelt"),
        (b'{"capacity": NaN}', "NaN"),
        (b"\xff\xfe\x00", "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "verschachtelt"),
        (b'{"version": 1,', "Kein gültiges JSON"),
        (b" " * (drawing.MAX_BYTES + 1), "größer als"),
    ],
)
def test_hostile_files_are_refused_with_a_message(raw, message):
    with pytest.raises(drawing.InputError, match=message):
        drawing.parse(raw)


def test_the_standalone_program_refuses_bad_files_with_exit_code_2(tmp_path):
    bad = tmp_path / "verlosung.json"
    bad.write_text(json.dumps(document(1, [row("\x1b[2J" + "a" * 8)])))
    done = subprocess.run(
        [sys.executable, "-I", "-S", str(DRAW_PY), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Ungültige Liste: entries[1].pseudonym" in done.stderr
    assert "\x1b" not in done.stderr


# Entering ------------------------------------------------------------------------------


def test_an_entry_gets_a_pseudonym_and_the_offer_a_seed(raffle):
    entry = entrant(raffle, 1, places=2, duesselpass=True, district=True)
    raffle.refresh_from_db()
    assert len(raffle.lottery_seed) == 64 and int(raffle.lottery_seed, 16) >= 0
    assert len(entry.pseudonym) == 12 and entry.pseudonym == lottery.pseudonym(entry)
    assert LotteryEntry.objects.get(pk=entry.pk).pseudonym == entry.pseudonym
    assert entry.places == 2 and entry.duesselpass and entry.lives_in_district
    assert [p["name"] for p in entry.people] == ["Kind 1-0", "Kind 1-1"]
    assert Offer.objects.get(pk=raffle.pk).taken == 0  # nothing is taken before the draw


def test_the_seed_is_made_once(raffle):
    first = lottery.commitment(raffle)
    entrant(raffle, 1)
    raffle.refresh_from_db()
    assert lottery.commitment(raffle) == first
    assert hashlib.sha256(raffle.lottery_seed.encode()).hexdigest() == first


def test_one_entry_per_account(raffle, parent):
    request = booking.Request(
        offer=raffle,
        people=[booking.Person.of(parent.program_participants.get(name="Mia Beispiel"))],
        contact_name=parent.full_name,
        account=parent,
    )
    lottery.enter(request)
    again = booking.Request(
        offer=raffle,
        people=[booking.Person.of(parent.program_participants.get(name="Ben Beispiel"))],
        contact_name=parent.full_name,
        account=parent,
    )
    with pytest.raises(lottery.LotteryError) as refused:
        lottery.enter(again)
    assert refused.value.message == "Sie nehmen an dieser Verlosung schon teil."
    assert LotteryEntry.objects.filter(offer=raffle).count() == 1


def test_a_withdrawn_entry_may_enter_again_with_a_new_pseudonym(raffle):
    entry = entrant(raffle, 1)
    assert lottery.withdraw(entry)
    assert not lottery.withdraw(entry)  # already withdrawn
    request = booking.Request(
        offer=raffle,
        people=[booking.Person.of(entry.account.program_participants.get())],
        contact_name="Person 1",
        account=entry.account,
    )
    again = lottery.enter(request)
    assert again.pseudonym != entry.pseudonym
    assert lottery.entry_for(raffle, entry.account) == again


def test_entries_and_withdrawals_only_in_the_window(raffle):
    entry = entrant(raffle, 1)
    with pytest.raises(lottery.LotteryError, match="nicht mehr zurückgezogen"):
        lottery.withdraw(entry, after_close(raffle))
    with pytest.raises(lottery.LotteryError, match="Anmeldung zur Verlosung ist geschlossen"):
        entrant(raffle, 2, now=after_close(raffle))
    early = raffle.booking_opens_at - timedelta(minutes=1)
    with pytest.raises(lottery.LotteryError, match="beginnt am"):
        entrant(raffle, 3, now=early)
    assert LotteryEntry.objects.filter(offer=raffle).count() == 1


def test_the_rules_of_a_booking_apply_to_entries(provider):
    young = lottery_offer(provider, "test-verlosung-klein", age_min=3, age_max=5)
    young.max_places_per_booking = 2
    with pytest.raises(booking.BookingError, match="passt nicht in die Altersgruppe"):
        entrant(young, 1)  # born 2018: too old
    young.age_min = young.age_max = None
    with pytest.raises(booking.BookingError, match="höchstens 2 Personen"):
        entrant(young, 2, places=3)
    first_come = make_offer(provider, "test-kein-los")
    with pytest.raises(lottery.LotteryError, match="keine Verlosung"):
        entrant(first_come, 3)
    assert not LotteryEntry.objects.filter(offer__slug__startswith="test-").exists()


# Drawing -------------------------------------------------------------------------------


def test_the_commitment_before_is_the_hash_of_the_seed_published_after(raffle):
    for n in range(5):
        entrant(raffle, n)
    before = lottery.input_list(raffle)
    assert before["seed"] == "" and before["entries"] == [] and "result" not in before
    drawn(raffle)
    after = lottery.input_list(raffle)
    assert after["commitment"] == before["commitment"]
    assert hashlib.sha256(after["seed"].encode()).hexdigest() == before["commitment"]
    assert len(after["entries"]) == 5


def test_the_draw_is_reproducible_from_the_published_list(raffle, tmp_path):
    randomness = random.Random(9)
    for n in range(30):
        entrant(raffle, n, places=randomness.choice([1, 1, 2, 3]))
    stored = drawn(raffle)
    published = lottery.input_list(raffle)
    assert published["result"] == stored == lottery.result(raffle)
    assert drawing.run(published) == drawing.run(json.loads(json.dumps(published))) == stored
    # The copy anyone downloads runs without Django or any other package (-I -S).
    path = tmp_path / "verlosung.json"
    path.write_text(json.dumps(published))
    done = subprocess.run(
        [sys.executable, "-I", "-S", str(DRAW_PY), str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == stored
    assert "stimmt mit dieser Nachrechnung überein" in done.stderr
    assert "passt zum vorher veröffentlichten Prüfwert" in done.stderr
    # As a module of the installed package, too – and importing it loads no Django.
    module = subprocess.run(
        [sys.executable, "-m", "rathaus.programs.draw", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert module.returncode == 0, module.stderr
    assert module.stdout.startswith(drawing.table(published, stored))
    probe = (
        "import sys, rathaus.programs.draw; print(sorted(m for m in sys.modules if 'django' in m))"
    )
    assert subprocess.check_output([sys.executable, "-c", probe], text=True).strip() == "[]"


def test_the_database_draw_agrees_with_the_standalone_program(raffle, mail_dir):
    for n in range(16):
        entrant(raffle, n, places=1 + n % 3)
    stored = drawn(raffle)
    entries = {e.pseudonym: e for e in LotteryEntry.objects.filter(offer=raffle)}
    for r in stored:
        entry = entries[r["pseudonym"]]
        assert entry.rank == r["rank"]
        assert entry.status == (LotteryEntry.Status.WON if r["won"] else LotteryEntry.Status.LOST)
        if r["won"]:
            assert entry.booking.places == entry.places
            assert entry.booking.account_id == entry.account_id
            assert entry.booking.status == Booking.Status.BOOKED
            assert sorted(p.name for p in entry.booking.participants.all()) == sorted(
                p["name"] for p in entry.people
            )
        else:
            assert entry.booking is None
    won = sum(r["places"] for r in stored if r["won"])
    assert raffle.taken == won <= raffle.capacity
    assert raffle.lottery_drawn_at is not None


@pytest.mark.django_db
def test_the_published_list_s_hash_goes_into_the_transparency_log_with_the_draw(raffle, client):
    for n in range(4):
        entrant(raffle, n)
    drawn(raffle)
    download = client.get(f"/angebote/{raffle.slug}/verlosung.json")
    digest = hashlib.sha256(download.content).hexdigest()
    assert json.loads(download.content) == json.loads(json.dumps(lottery.input_list(raffle)))
    assert ledger.standing(digest).pending
    sequencer.sequence_all()
    entry = Entry.objects.get(sha256=digest)
    assert entry.kind == "lottery" and entry.reference == f"Verlosung {raffle.slug}"
    assert raffle.provider.name in entry.record
    page = client.get(f"/angebote/{raffle.slug}/verlosung/").content.decode()
    assert f"im Transparenzlog der Stadt (Eintrag Nr. {entry.index})" in page
    # What was drawn stays published as it was, whatever the provider edits afterwards.
    Offer.objects.filter(pk=raffle.pk).update(capacity=raffle.capacity + 5, lottery_priorities=[])
    again = client.get(f"/angebote/{raffle.slug}/verlosung.json")
    assert again.content == download.content


def test_losers_wait_in_draw_order(raffle):
    for n in range(20):
        entrant(raffle, n, places=2)
    stored = drawn(raffle)
    losers = [r for r in stored if not r["won"]]
    assert len(losers) == 15
    by_pseudonym = {e.pseudonym: e for e in LotteryEntry.objects.filter(offer=raffle)}
    queue = list(raffle.waitlist.order_by("created_at", "pk"))
    assert [w.account_id for w in queue] == [
        by_pseudonym[r["pseudonym"]].account_id for r in losers
    ]
    created = [w.created_at for w in queue]
    assert created == sorted(created) and len(set(created)) == len(created)
    for r, w in zip(losers, queue, strict=True):
        assert waitlist.position(w) == r["waitlist_position"]
        assert w.status == WaitlistEntry.Status.WAITING and w.places == 2


def test_a_cancelled_winner_place_goes_to_the_first_loser(raffle):
    for n in range(8):
        entrant(raffle, n, places=2)
    stored = drawn(raffle)
    winner = LotteryEntry.objects.get(offer=raffle, pseudonym=stored[0]["pseudonym"])
    first_loser = next(r for r in stored if not r["won"])
    assert booking.cancel(winner.booking)
    offered = WaitlistEntry.objects.get(offer=raffle, status=WaitlistEntry.Status.OFFERED)
    assert offered.account_id == (
        LotteryEntry.objects.get(offer=raffle, pseudonym=first_loser["pseudonym"]).account_id
    )
    assert Offer.objects.get(pk=raffle.pk).taken == 10


def test_priority_groups_come_first_in_their_order(provider):
    offer = lottery_offer(
        provider,
        "test-verlosung-vorrang",
        capacity=8,
        lottery_priorities=["duesselpass", "district"],
    )
    for n in range(20):
        entrant(offer, n)
    for n in range(20, 24):
        entrant(offer, n, district=True)
    for n in range(24, 28):
        entrant(offer, n, duesselpass=True)
    stored = drawn(offer)
    entries = {e.pseudonym: e for e in LotteryEntry.objects.filter(offer=offer)}
    ranked = [entries[r["pseudonym"]] for r in stored]
    # A random order of 28 would put these 8 first with a chance of 1 in 3 million.
    assert all(e.duesselpass for e in ranked[:4])
    assert all(e.lives_in_district and not e.duesselpass for e in ranked[4:8])
    assert [r["won"] for r in stored] == [True] * 8 + [False] * 20
    assert lottery.input_list(offer)["priorities"] == ["duesselpass", "district"]


def test_not_yet_placed_this_season_comes_first(provider):
    offer = lottery_offer(provider, "test-verlosung-neu", capacity=4, lottery_priorities=["new"])
    now = after_close(offer)
    same = make_offer(provider, "test-anderes-ferienlager", category="ferien", capacity=50)
    long_ago = make_offer(
        provider,
        "test-ferienlager-2025",
        category="ferien",
        capacity=50,
        first=now - timedelta(days=200),
    )
    other_kind = make_offer(provider, "test-theater", category="kultur", capacity=50)
    placed, fresh = [], []
    for n in range(12):
        entry = entrant(offer, n)
        kid = entry.account.program_participants.get()
        holds = {0: same, 1: long_ago, 2: other_kind}.get(n % 4)
        if holds is not None:
            booking.create_held(
                booking.Request(
                    offer=holds,
                    people=[booking.Person.of(kid)],
                    contact_name=entry.contact_name,
                    account=entry.account,
                )
            )
        (placed if holds is same else fresh).append(entry.pseudonym)
    stored = drawn(offer)
    assert len(placed) == 3 and len(fresh) == 9
    assert {r["pseudonym"] for r in stored[:9]} == set(fresh)
    assert {r["pseudonym"] for r in stored[9:]} == set(placed)
    listed = {e["pseudonym"]: e["new"] for e in lottery.input_list(offer)["entries"]}
    assert {p for p, new in listed.items() if not new} == set(placed)


def test_the_draw_happens_once(raffle):
    for n in range(12):
        entrant(raffle, n)
    first = drawn(raffle)
    taken = Offer.objects.get(pk=raffle.pk).taken
    assert lottery.draw(raffle, after_close(raffle)) is None
    fresh = Offer.objects.get(pk=raffle.pk)
    assert lottery.draw(fresh, after_close(fresh) + timedelta(hours=1)) is None
    assert lottery.draw_due(after_close(fresh) + timedelta(hours=2)) == 0
    assert Offer.objects.get(pk=raffle.pk).taken == taken == 10
    assert Booking.objects.filter(offer=raffle).count() == 10
    assert WaitlistEntry.objects.filter(offer=raffle).count() == 2
    assert lottery.result(raffle) == first


def test_no_draw_before_the_window_closes(raffle):
    entrant(raffle, 1)
    with pytest.raises(lottery.LotteryError) as refused:
        lottery.draw(raffle, raffle.booking_closes_at - timedelta(seconds=1))
    closes = timezone.localtime(raffle.booking_closes_at).strftime("%d.%m.%Y um %H:%M Uhr")
    assert refused.value.message == f"Verlost werden kann erst nach dem Anmeldeschluss am {closes}."
    raffle.refresh_from_db()
    assert raffle.lottery_drawn_at is None and raffle.taken == 0
    assert LotteryEntry.objects.get(offer=raffle).status == LotteryEntry.Status.ENTERED


def test_the_periodic_job_draws_what_is_due(provider):
    due = lottery_offer(provider, "test-verlosung-faellig")
    later = lottery_offer(
        provider,
        "test-verlosung-spaeter",
        booking_closes_at=due.booking_closes_at + timedelta(days=3),
    )
    for n in range(3):
        entrant(due, n)
        entrant(later, 10 + n)
    assert lottery.draw_due(after_close(due)) == 1
    assert Offer.objects.get(pk=due.pk).lottery_drawn_at is not None
    assert Offer.objects.get(pk=later.pk).lottery_drawn_at is None


def test_winners_get_the_booking_and_losers_their_waiting_list_position(
    provider, mail_dir, django_capture_on_commit_callbacks
):
    offer = lottery_offer(provider, "test-verlosung-post", capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            entrant(offer, n)
    entered = [m for m in mails(mail_dir) if m["Subject"].startswith("Sie nehmen an")]
    assert len(entered) == 4
    text = entered[0].get_body(("plain",)).get_content()
    assert "Sie nehmen an der Verlosung der Plätze teil" in text and "Ihre Losnummer" in text
    assert "/angebote/test-verlosung-post/verlosung/" in text
    assert "/angebote/test-verlosung-post/verlosung/anmelden/" in text.split("zurückziehen:")[1]
    with django_capture_on_commit_callbacks(execute=True):
        stored = drawn(offer)
    entries = {e.pseudonym: e for e in LotteryEntry.objects.filter(offer=offer)}
    by_address = {m["To"]: m for m in mails(mail_dir) if "Sie nehmen an" not in m["Subject"]}
    for r in stored:
        message = by_address[entries[r["pseudonym"]].email]
        body = message.get_body(("plain",)).get_content()
        if r["won"]:
            assert message["Subject"].strip() == "Buchungsbestätigung: Testferienfreizeit"
            assert entries[r["pseudonym"]].booking.code in body
        else:
            assert message["Subject"].strip() == "Verlosung: leider kein Platz – Testferienfreizeit"
            assert f"an Position {r['waitlist_position']}." in body
            assert r["pseudonym"] in body


def test_an_empty_lottery_draws_nothing(raffle):
    assert drawn(raffle) == []
    assert lottery.input_list(raffle)["result"] == []
    assert raffle.taken == 0


# The re-run command --------------------------------------------------------------------


def test_the_rerun_command_prints_the_stored_result(raffle, tmp_path):
    for n in range(9):
        entrant(raffle, n, places=1 + n % 2)
    stored = drawn(raffle)
    published = lottery.input_list(raffle)
    path = tmp_path / "verlosung.json"
    path.write_text(json.dumps(published))

    out = StringIO()
    call_command("programs_draw", str(path), stdout=out)
    lines = out.getvalue().splitlines()
    assert "\n".join(lines[:-2]) == drawing.table(published, stored)
    assert lines[-1] == "Das veröffentlichte Ergebnis stimmt mit dieser Nachrechnung überein."
    for r in stored:
        outcome = "Platz erhalten" if r["won"] else f"Warteliste, Position {r['waitlist_position']}"
        assert f"{r['rank']:>4}  {r['pseudonym']}  {r['places']:>6}  {outcome}" in lines

    out = StringIO()
    call_command("programs_draw", offer=raffle.slug, json=True, stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue()) == stored


def test_the_rerun_command_finds_a_tampered_list(raffle, tmp_path):
    for n in range(6):
        entrant(raffle, n)
    drawn(raffle)
    published = lottery.input_list(raffle)
    path = tmp_path / "verlosung.json"

    swapped = json.loads(json.dumps(published))
    swapped["result"][0], swapped["result"][1] = swapped["result"][1], swapped["result"][0]
    path.write_text(json.dumps(swapped))
    with pytest.raises(CommandError, match="weicht ab Rang 1 ab"):
        call_command("programs_draw", str(path), stdout=StringIO())

    other_seed = {**published, "seed": "0" * 64}
    path.write_text(json.dumps(other_seed))
    with pytest.raises(CommandError, match="passt nicht zum vor der Verlosung"):
        call_command("programs_draw", str(path), stdout=StringIO())

    path.write_text('{"version": 1')
    with pytest.raises(CommandError, match="Ungültige Liste: Kein gültiges JSON"):
        call_command("programs_draw", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="noch nicht verlost"):
        call_command("programs_draw", offer=lottery_offer(raffle.provider, "test-v2").slug)
    with pytest.raises(CommandError, match="entweder eine Datei"):
        call_command("programs_draw")


def test_the_documented_algorithm_is_the_one_that_runs():
    """docs/lottery.md holds the whole draw in a few lines; it must give the same result."""
    text = (Path(__file__).parents[2] / "docs" / "lottery.md").read_text()
    code = text.split("In Python, the whole draw:\n\n```python\n", 1)[1].split("```", 1)[0]
    namespace = {"hashlib": hashlib}
    exec(code, namespace)  # noqa: S102 - our own documentation
    randomness = random.Random(7)
    for round_ in range(50):
        entries = [
            row(
                f"{round_:04x}{n:08x}",
                randomness.randint(1, 4),
                duesselpass=randomness.random() < 0.3,
                district=randomness.random() < 0.5,
                new=randomness.random() < 0.7,
            )
            for n in range(randomness.randint(0, 30))
        ]
        doc = document(
            randomness.randint(0, 40),
            entries,
            randomness.sample(drawing.GROUPS, randomness.randint(0, 3)),
            seed=f"{randomness.getrandbits(256):064x}",
        )
        assert namespace["draw"](doc) == drawing.run(doc)


def test_cancelling_an_offer_before_its_draw_closes_the_lottery_and_tells_everyone(
    raffle, provider_staff, mail_dir, django_capture_on_commit_callbacks
):
    first, second = entrant(raffle, 1), entrant(raffle, 2)
    lottery.withdraw(second)
    with django_capture_on_commit_callbacks(execute=True):
        backoffice.cancel_offer(raffle, "Unterkunft nicht verfügbar", by=provider_staff)
    states = dict(LotteryEntry.objects.filter(offer=raffle).values_list("pk", "status"))
    assert states == {
        first.pk: LotteryEntry.Status.CLOSED,
        second.pk: LotteryEntry.Status.WITHDRAWN,
    }
    told = [m for m in mails(mail_dir) if m["Subject"].startswith("Abgesagt")]
    assert [m["To"] for m in told] == [first.email]
    text = told[0].get_body(("plain",)).get_content()
    assert "zur Verlosung der Plätze angemeldet" in text and "Unterkunft nicht verfügbar" in text
    assert "Die Verlosung findet nicht statt." in text
    assert lottery.draw_due(after_close(raffle)) == 0
    assert not Booking.objects.filter(offer=raffle).exists()


def test_a_draw_is_audited_in_the_register_without_its_priority_groups(provider):
    from rathaus.register.models import Audit

    offer = lottery_offer(
        provider, "test-verlosung-pruefung", capacity=30, lottery_priorities=["district"]
    )
    for n in range(40):
        entrant(offer, n, duesselpass=n % 2 == 0, district=n < 10)
    drawn(offer)
    made = Audit.objects.get(source=Audit.Source.LOTTERY, title="Verlosung „Testferienfreizeit“")
    assert made.record.slug == "verlosung-angebote"
    names = [a["name"] for a in made.results["attributes"]]
    assert names == ["DüsselPass", "In dieser Saison noch ohne Platz"]  # district: a priority
    assert made.results["rows"] == 40 and made.results["selected"] == 30
    passes = next(a for a in made.results["attributes"] if a["name"] == "DüsselPass")
    assert {g["value"]: g["n"] for g in passes["groups"]} == {"ja": 20, "nein": 20}


def test_a_draw_where_every_group_has_priority_is_not_audited(provider):
    from rathaus.register.models import Audit

    offer = lottery_offer(
        provider,
        "test-verlosung-alle-vorrang",
        capacity=2,
        lottery_priorities=["duesselpass", "district", "new"],
    )
    before = Audit.objects.filter(source=Audit.Source.LOTTERY).count()
    for n in range(4):
        entrant(offer, n)
    drawn(offer)
    assert Audit.objects.filter(source=Audit.Source.LOTTERY).count() == before
