"""The lottery of an oversubscribed offer, as a program anyone can run again.

Standard library only, no Django and nothing else of Rathaus: copy this one file and run

    python3 draw.py verlosung.json            # or: python -m rathaus.programs.draw …
    python3 draw.py verlosung.json --json     # the result as JSON

with the list the offer's lottery page publishes after the draw (``verlosung.json``). The
program checks that the seed matches the commitment (``Prüfwert``) shown before the draw,
draws again and says whether the result equals the published one. The algorithm, exactly
(``docs/lottery.md`` says the same in words):

1. Every entry gets a sort key: for each priority group in the listed order, 0 if the
   entry belongs to the group, else 1; then ``sha256(seed + ":" + pseudonym)`` as hex.
2. The entries are walked in ascending order of that key. An entry wins if all its places
   fit into the places still free (a family is never split); otherwise it goes on the
   waiting list, in this order.

Input that is not exactly the documented format is refused with a message (exit code 2);
a result or commitment that does not match exits with 1.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from typing import Any

__all__ = [
    "GROUPS",
    "VERSION",
    "InputError",
    "commitment",
    "compare",
    "main",
    "order",
    "run",
    "ticket",
    "validate",
]

VERSION = 1
GROUPS = ("duesselpass", "district", "new")
MAX_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 100_000
MAX_PLACES = 100
MAX_CAPACITY = 1_000_000

SEED = re.compile(r"[0-9a-f]{64}")
PSEUDONYM = re.compile(r"[0-9a-f]{12}")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
TIMESTAMP = re.compile(r"[0-9T:+\-. Z]{1,40}")

REQUIRED = {"version", "offer", "capacity", "seed", "priorities", "entries"}
OPTIONAL = {"commitment", "drawn_at", "result"}
ENTRY_KEYS = {"pseudonym", "places", *GROUPS}
RESULT_KEYS = {"rank", "pseudonym", "places", "won", "waitlist_position"}


class InputError(ValueError):
    """The input is not a lottery list in the documented format; the message says where."""


def commitment(seed: str) -> str:
    """The ``Prüfwert`` published before the draw: SHA-256 of the seed (hex)."""
    return hashlib.sha256(seed.encode()).hexdigest()


def ticket(seed: str, pseudonym: str) -> str:
    """The random part of an entry's sort key; nobody knows it before the seed."""
    return hashlib.sha256((seed + ":" + pseudonym).encode()).hexdigest()


def _is_int(value: Any) -> bool:
    return type(value) is int  # bool is an int in Python, but not here


def _check_keys(obj: Any, required: set, optional: set, where: str) -> None:
    if not isinstance(obj, dict):
        raise InputError(f"{where}: ein JSON-Objekt wird erwartet.")
    missing = sorted(required - obj.keys())
    if missing:
        raise InputError(f"{where}: es fehlt {', '.join(missing)}.")
    unknown = sorted(str(k)[:40] for k in obj.keys() - required - optional)
    if unknown:
        raise InputError(f"{where}: unbekannter Eintrag {', '.join(map(repr, unknown))}.")


def validate(document: Any) -> dict:
    """The document if it is a lottery list in the documented format; raises ``InputError``."""
    _check_keys(document, REQUIRED, OPTIONAL, "Liste")
    if not _is_int(document["version"]) or document["version"] != VERSION:
        raise InputError(f"version: nur Version {VERSION} ist bekannt.")
    if not isinstance(document["offer"], str) or not SLUG.fullmatch(document["offer"]):
        raise InputError("offer: der Kurzname des Angebots (Buchstaben, Ziffern, -, _).")
    capacity = document["capacity"]
    if not _is_int(capacity) or not 0 <= capacity <= MAX_CAPACITY:
        raise InputError(f"capacity: eine ganze Zahl von 0 bis {MAX_CAPACITY}.")
    seed = document["seed"]
    if seed == "":
        raise InputError("seed: der Startwert wird erst nach der Verlosung veröffentlicht.")
    if not isinstance(seed, str) or not SEED.fullmatch(seed):
        raise InputError("seed: 64 Hexadezimalzeichen (0-9, a-f) werden erwartet.")
    priorities = document["priorities"]
    if (
        not isinstance(priorities, list)
        or not all(isinstance(g, str) and g in GROUPS for g in priorities)
        or len(set(priorities)) != len(priorities)
    ):
        raise InputError(f"priorities: eine Liste ohne Wiederholung aus {', '.join(GROUPS)}.")
    entries = document["entries"]
    if not isinstance(entries, list) or len(entries) > MAX_ENTRIES:
        raise InputError(f"entries: eine Liste mit höchstens {MAX_ENTRIES} Anmeldungen.")
    seen = set()
    for number, entry in enumerate(entries, 1):
        where = f"entries[{number}]"
        _check_keys(entry, ENTRY_KEYS, set(), where)
        pseudonym = entry["pseudonym"]
        if not isinstance(pseudonym, str) or not PSEUDONYM.fullmatch(pseudonym):
            raise InputError(f"{where}.pseudonym: 12 Hexadezimalzeichen (0-9, a-f).")
        if pseudonym in seen:
            raise InputError(f"{where}.pseudonym: {pseudonym} kommt doppelt vor.")
        seen.add(pseudonym)
        if not _is_int(entry["places"]) or not 1 <= entry["places"] <= MAX_PLACES:
            raise InputError(f"{where}.places: eine ganze Zahl von 1 bis {MAX_PLACES}.")
        for group in GROUPS:
            if not isinstance(entry[group], bool):
                raise InputError(f"{where}.{group}: true oder false.")
    if "commitment" in document and (
        not isinstance(document["commitment"], str) or not SEED.fullmatch(document["commitment"])
    ):
        raise InputError("commitment: 64 Hexadezimalzeichen (0-9, a-f) werden erwartet.")
    if "drawn_at" in document and (
        not isinstance(document["drawn_at"], str) or not TIMESTAMP.fullmatch(document["drawn_at"])
    ):
        raise InputError("drawn_at: ein Zeitpunkt wie 2026-11-26T10:00:00+01:00.")
    if "result" in document:
        result = document["result"]
        if not isinstance(result, list) or len(result) > MAX_ENTRIES:
            raise InputError("result: eine Liste.")
        for number, row in enumerate(result, 1):
            _check_keys(row, RESULT_KEYS, set(), f"result[{number}]")
    return document


def order(entries: list[dict], seed: str, priorities: list[str]) -> list[dict]:
    """The entries in draw order: priority groups first, then by ticket."""

    def key(entry: dict) -> tuple:
        groups = tuple(0 if entry[group] else 1 for group in priorities)
        return (*groups, ticket(seed, entry["pseudonym"]))

    return sorted(entries, key=key)


def run(document: Any) -> list[dict]:
    """Draw: the ranked entries, each won or on the waiting list (with its position)."""
    data = validate(document)
    remaining = data["capacity"]
    waiting = 0
    result = []
    for rank, entry in enumerate(order(data["entries"], data["seed"], data["priorities"]), 1):
        won = entry["places"] <= remaining
        if won:
            remaining -= entry["places"]
        else:
            waiting += 1
        result.append(
            {
                "rank": rank,
                "pseudonym": entry["pseudonym"],
                "places": entry["places"],
                "won": won,
                "waitlist_position": None if won else waiting,
            }
        )
    return result


def compare(document: dict, result: list[dict]) -> list[str]:
    """What does not match: the commitment, the published result (empty list: all good)."""
    problems = []
    if "commitment" in document and document["commitment"] != commitment(document["seed"]):
        problems.append(
            "Der Startwert passt nicht zum vor der Verlosung veröffentlichten Prüfwert."
        )
    if "result" in document:
        published = document["result"]
        if len(published) != len(result):
            problems.append("Das veröffentlichte Ergebnis hat eine andere Zahl von Einträgen.")
        else:
            for mine, theirs in zip(result, published):  # noqa: B905 (Python < 3.10)
                if mine != theirs:
                    problems.append(
                        f"Das veröffentlichte Ergebnis weicht ab Rang {mine['rank']} ab."
                    )
                    break
    return problems


def table(document: dict, result: list[dict]) -> str:
    """The result as text, one line per entry, for a terminal."""
    won = [row for row in result if row["won"]]
    given = sum(row["places"] for row in won)
    priorities = ", ".join(document["priorities"]) or "keiner"
    lines = [
        f"Verlosung {document['offer']}: {document['capacity']} Plätze, "
        f"{len(result)} Anmeldungen, Vorrang: {priorities}",
        f"Startwert: {document['seed']}",
        f"Prüfwert:  {commitment(document['seed'])}",
        "",
        "Rang  Losnummer     Plätze  Ergebnis",
    ]
    for row in result:
        outcome = (
            "Platz erhalten" if row["won"] else f"Warteliste, Position {row['waitlist_position']}"
        )
        lines.append(f"{row['rank']:>4}  {row['pseudonym']}  {row['places']:>6}  {outcome}")
    lines += [
        "",
        f"{given} von {document['capacity']} Plätzen an {len(won)} Anmeldungen vergeben, "
        f"{len(result) - len(won)} auf der Warteliste.",
    ]
    return "\n".join(lines)


def _no_constants(name: str) -> Any:
    raise InputError(f"{name} ist in der Liste nicht erlaubt.")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise InputError(f"Der Eintrag {key[:40]!r} kommt doppelt vor.")
        obj[key] = value
    return obj


def parse(raw: bytes) -> Any:
    """JSON text of at most ``MAX_BYTES``; no NaN, no repeated keys."""
    if len(raw) > MAX_BYTES:
        raise InputError(f"Die Datei ist größer als {MAX_BYTES // 1024 // 1024} MB.")
    try:
        text = raw.decode("utf-8-sig")
        return json.loads(text, parse_constant=_no_constants, object_pairs_hook=_no_duplicates)
    except UnicodeDecodeError as error:
        raise InputError("Die Datei ist nicht in UTF-8 kodiert.") from error
    except RecursionError as error:
        raise InputError("Die Datei ist zu tief verschachtelt.") from error
    except json.JSONDecodeError as error:
        raise InputError(
            f"Kein gültiges JSON (Zeile {error.lineno}, Spalte {error.colno})."
        ) from error


def read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    with open(path, "rb") as handle:
        return handle.read(MAX_BYTES + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="draw.py",
        description="Eine veröffentlichte Verlosung nachrechnen (Rathaus, Angebote und Kurse).",
    )
    parser.add_argument("file", help="die veröffentlichte Liste (verlosung.json), - für stdin")
    parser.add_argument("--json", action="store_true", help="das Ergebnis als JSON ausgeben")
    args = parser.parse_args(argv)
    try:
        document = parse(read(args.file))
        result = run(document)
    except OSError as error:
        print(f"Die Datei kann nicht gelesen werden: {error.strerror}", file=sys.stderr)
        return 2
    except InputError as error:
        print(f"Ungültige Liste: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(table(document, result))
    problems = compare(document, result)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        notes = sys.stderr if args.json else sys.stdout
        if "commitment" in document:
            print("Der Startwert passt zum vorher veröffentlichten Prüfwert.", file=notes)
        if "result" in document:
            print(
                "Das veröffentlichte Ergebnis stimmt mit dieser Nachrechnung überein.", file=notes
            )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
