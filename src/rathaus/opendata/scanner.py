"""The personal-data scanner: columns of an upload that look personal block its publication.

Stewards upload tables (CSV, XLSX, GeoJSON properties) to publish as open data; a column of
e-mail addresses, phone numbers, IBANs, dates of birth, home addresses or first names must
not go out by accident. ``scan`` looks at the values – the column name only as a hint – and
returns one ``Finding`` per suspicious column and kind; ``services.releases`` holds the
release until a steward overrides every finding with a recorded reason. Findings count
values, they never carry them, so a finding can be stored and shown without leaking.

Rules (a column is flagged when):

- ``email``, ``iban``: any value matches – one person's data in one row is personal data.
  IBANs are checked against the ISO 13616 country lengths and the mod-97 check digits.
- ``phone``: any value holds a number with a leading ``+``, ``00`` or ``0``, an area code of
  at least three digits, 7–15 digits and a separator or prefix (``+49 211 8993456``,
  ``0211/899-3456``, ``(0211) 89 93 456``); digits only (``02118993456``) count only in a
  column whose name says phone (``telefon``, ``tel``, ``mobil`` …), so counts, years,
  postcodes, ids and keys with a leading zero (``05111000``) stay clean; dates never match.
- ``birth_date``: with a name hint (``geburtsdatum``, ``geb.``, ``birth``, ``dob`` …) any full
  date; without one, at least 80 % of the values are full dates 0–110 years in the past and
  they spread over at least 15 distinct years (event dates of a year or two, months
  ``2025-03`` and years ``1984`` never trigger).
- ``address``: at least 30 % of the values (any value under an ``adresse``/``anschrift``
  hint) hold a German street name followed by a house number (``Königsallee 12``,
  ``Am Wehrhahn 3 a``, ``Berliner Allee 12-14``); street names without a number do not.
- ``first_name``: more than half of the values (at least a quarter under a ``vorname``
  hint) are a first name from ``firstnames.txt``, alone or as ``Vorname Nachname`` /
  ``Nachname, Vorname``; names of streets, schools and other places after a person
  (``Heinrich-Heine-Allee``) do not count.

At most the first ``MAX_ROWS`` rows are scanned; findings then say so.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

__all__ = ["KINDS", "MAX_ROWS", "Finding", "scan", "scan_records"]

KINDS: dict[str, str] = {
    "email": "E-Mail-Adressen",
    "phone": "Telefonnummern",
    "iban": "IBANs (Kontonummern)",
    "birth_date": "vollständige Geburtsdaten",
    "address": "Straßenadressen mit Hausnummer",
    "first_name": "Vornamen",
}
_ONE_DE = {
    "email": "eine E-Mail-Adresse",
    "phone": "eine Telefonnummer",
    "iban": "eine IBAN (Kontonummer)",
    "birth_date": "ein vollständiges Geburtsdatum",
    "address": "eine Straßenadresse mit Hausnummer",
    "first_name": "ein Vorname",
}
_KINDS_EN = {
    "email": "e-mail addresses",
    "phone": "phone numbers",
    "iban": "IBANs (bank account numbers)",
    "birth_date": "full dates of birth",
    "address": "street addresses with house numbers",
    "first_name": "first names",
}
_ONE_EN = {
    "email": "an e-mail address",
    "phone": "a phone number",
    "iban": "an IBAN (bank account number)",
    "birth_date": "a full date of birth",
    "address": "a street address with a house number",
    "first_name": "a first name",
}

MAX_ROWS = 100_000
ADDRESS_SHARE = 0.3
FIRST_NAME_SHARE = 0.5  # strictly more than half
FIRST_NAME_SHARE_HINTED = 0.25
BIRTH_DATE_SHARE = 0.8
BIRTH_DATE_MIN_YEARS = 15
BIRTH_DATE_MAX_AGE = 110
# Distinct values whose classification is remembered (category columns repeat a lot).
_MEMO_LIMIT = 200_000


@dataclass(frozen=True)
class Finding:
    """A column that looks personal: how many of its checked values matched a kind."""

    column: str
    kind: str  # a key of KINDS
    matches: int
    checked: int
    truncated_at: int | None = None  # the row limit when the table had more rows

    @property
    def truncated(self) -> bool:
        return self.truncated_at is not None

    def message_de(self) -> str:
        """The steward's sentence, e.g. „Spalte „kontakt“: 12 von 40 Werten sehen aus wie
        E-Mail-Adressen.“"""
        values = "Wert" if self.checked == 1 else "Werten"
        if self.matches == 1:
            looks = f"sieht aus wie {_ONE_DE[self.kind]}"
        else:
            looks = f"sehen aus wie {KINDS[self.kind]}"
        text = (
            f"Spalte „{self.column}“: {_number_de(self.matches)} von "
            f"{_number_de(self.checked)} {values} {looks}."
        )
        if self.truncated_at is not None:
            text += f" Geprüft wurden nur die ersten {_number_de(self.truncated_at)} Zeilen."
        return text

    def message_en(self) -> str:
        """The same sentence for the API."""
        values = "value" if self.checked == 1 else "values"
        if self.matches == 1:
            looks = f"looks like {_ONE_EN[self.kind]}"
        else:
            looks = f"look like {_KINDS_EN[self.kind]}"
        text = f'Column "{self.column}": {self.matches:,} of {self.checked:,} {values} {looks}.'
        if self.truncated_at is not None:
            text += f" Only the first {self.truncated_at:,} rows were checked."
        return text


def _number_de(number: int) -> str:
    return f"{number:,}".replace(",", ".")


# --- What a single value looks like -------------------------------------------------------

_EMAIL = 1
_IBAN = 2
_PHONE = 4
_PHONE_DIGITS = 8  # a phone number written as digits only: counts only under a name hint
_ADDRESS = 16
_FIRST_NAME = 32

_FIRST_DIGIT = re.compile(r"[0-9]").search
_NON_DIGIT = re.compile(r"\D").sub
# Numbers, amounts, dates, times, ranges: nothing there can be a street or a name.
_NUMERIC_LIKE = re.compile(r"[\d\s.,:;+\-–/()%€$']*").fullmatch

_EMAIL_RE = re.compile(r"[\w.%+\-]++@(?:[\w\-]++\.)+[^\W\d_]{2,}")
# Searched only around each "@" (local part ≤ 64, domain ≤ 255 characters), so a long cell
# full of letters cannot make the search quadratic.
_EMAIL_BEFORE, _EMAIL_AFTER, _EMAIL_MAX_AT = 64, 256, 20

# ISO 13616 registry: IBAN length per country (SWIFT IBAN registry).
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip
# Printed in groups of four (DE89 3704 0044 0532 0130 00) or without spaces. The search
# starts at the check digits – digits are rare in text – and looks back for the country.
_IBAN_RE = re.compile(
    r"[0-9][0-9](?<=[A-Za-z]{2}[0-9]{2})(?<![^\W_][A-Za-z]{2}[0-9]{2})"
    r"(?:(?: [A-Za-z0-9]{4}){2,7}(?: [A-Za-z0-9]{1,3})?|[A-Za-z0-9]{11,30})"
    r"(?![A-Za-z0-9])"
)

# A run of digits with separators that starts like a phone number: +, 00, 0 or (0 (each
# alternative starts with a literal, so the search skips ahead to them).
_PHONE_RE = re.compile(
    r"(?:\+(?<![\w+\-/.,]\+)|0(?<![\w+\-/.,]0)|\((?<![\w+\-/.,]\()0)"
    r"[\d ()/\-–]*\d(?!\w)(?![.,]\d)"
)
_PHONE_DATE_RE = re.compile(r"(?<!\d)\d{1,2}[/\-.](?:\d{1,2}[/\-.])?(?:19|20)\d{2}(?!\d)")
_FIRST_DIGIT_RUN = re.compile(r"\d+")

_DATE_RE = re.compile(
    r"(?:(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"|(?P<gd>\d{1,2})\.\s?(?P<gm>\d{1,2})\.\s?(?P<gy>\d{4})"
    r"|(?P<sd>\d{1,2})/(?P<sm>\d{1,2})/(?P<sy>\d{4}))"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s?(?:Z|[+-]\d{2}:?\d{2}|Uhr)?)?"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STREET_WORDS = (
    "straße", "strasse", "weg", "allee", "platz", "gasse", "ring", "damm", "ufer", "chaussee",
    "pfad", "steig", "stieg", "kamp", "promenade", "graben",
)  # fmt: skip
# Last three letters of the street words: one cheap look back at the end of each capitalised
# word; ``_is_street_word`` then checks the whole suffix.
_STREET_TAILS = "|".join(sorted({word[-3:] for word in _STREET_WORDS} | {"Weg"}))
_STREET_WORD_TITLE = "|".join(word.title() for word in _STREET_WORDS) + r"|Str\."
# Words after "Am", "Im", "Zum" … that start a phrase of a text, not a street name.
_NOT_A_STREET_AFTER_PREFIX = (
    "Jahr|Jahre|Jahren|Monat|Monaten|Quartal|Halbjahr|Vorjahr|Zeitraum|Zeitpunkt|Tag|Tage|"
    "Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Wochenende|Januar|Februar|"
    "März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|Frühjahr|Sommer|"
    "Herbst|Winter|Bezirk|Stadtbezirk|Stadtteil|Stadtgebiet|Gebiet|Kreis|Wahlbezirk|"
    "Stimmbezirk|Alter|Durchschnitt|Schnitt|Mittel|Rahmen|Bereich|Vergleich|Gesamten|Raum|"
    "Zimmer|Saal|Gebäude|Haus|Stock|Geschoss|Obergeschoss|Erdgeschoss|Block|Abschnitt|"
    "Bauabschnitt|Kapitel|Teil|Schritt|Level|Los|Kurs|Gruppe|Team|Wert|Ende|Anfang|Beginn"
)
_HOUSE_NUMBER = (
    r"[1-9]\d{0,2}(?:\s?[a-zA-Z](?!\w))?(?:\s?[-–/]\s?[1-9]\d{0,2}(?:\s?[a-zA-Z](?!\w))?)?"
)
# The number ends the value or a clause, or the postcode follows.
_HOUSE_END = r"(?=\s*(?:$|[,;()/|\n]|\.(?!\d)|\d{5}(?!\d)))"
# Each pattern starts with a letter (set) before its look back, so the search skips ahead.
_STREET_RE = re.compile(
    r"[A-ZÄÖÜ](?<![\w\-].)(?:"
    # a compound: Kaiserstraße, Königsallee, Graf-Adolf-Platz, Immermannstr., Kaiser-Str.
    rf"(?P<compound>[\w\-]*+(?:(?<={_STREET_TAILS})|(?<=[Ss]tr)\.))"
    # an adjective and a street word: Berliner Allee, Hohe Straße
    rf"|\w*+(?:(?<=e)|(?<=er))\s(?:{_STREET_WORD_TITLE})"
    rf")\s*{_HOUSE_NUMBER}{_HOUSE_END}"
)
# A preposition and a name: Am Wehrhahn, An der Kreuzkirche, Zum Schwarzen Meer.
_PREFIX_STREET_RE = re.compile(
    r"(?:A(?<![\w\-].)(?:m|n\s(?:der|den|dem)|uf\s(?:dem|der|den)|lte[rs]?)"
    r"|I(?<![\w\-].)(?:m|n\s(?:der|den))|Z(?<![\w\-].)u[mr]|U(?<![\w\-].)nter\sden"
    r"|H(?<![\w\-].)inter\s(?:der|dem)|V(?<![\w\-].)or\s(?:dem|der))"
    rf"\s(?!(?:{_NOT_A_STREET_AFTER_PREFIX})\b)[A-ZÄÖÜ][\w\-]*+(?:\s[A-ZÄÖÜ][\w\-]*+){{0,2}}"
    rf"\s*{_HOUSE_NUMBER}{_HOUSE_END}"
)
_STREET_REACH = 80  # characters of a street name before its house number
# Compounds that are things, not streets, when they stand alone ("Spielplatz 3").
_NOT_A_STREET = _words(
    """radweg gehweg fußweg fussweg wanderweg rundweg umweg ausweg schulweg heimweg fluchtweg
    rettungsweg spielplatz parkplatz sportplatz stellplatz arbeitsplatz bolzplatz campingplatz
    ausbildungsplatz studienplatz kitaplatz betreuungsplatz pflegeplatz sitzplatz abstellplatz
    liegeplatz standplatz wohnmobilstellplatz"""
)

# Parts of a value that make it the name of a place, not of a person (Heinrich-Heine-Allee).
_PLACE_WORDS = _words(
    """straße strasse str. weg allee platz gasse ring damm ufer chaussee pfad steig stieg kamp
    promenade graben schule gymnasium realschule gesamtschule grundschule hauptschule
    förderschule berufskolleg kolleg kita kindergarten kindertagesstätte familienzentrum kirche
    kapelle haus heim park halle sporthalle bad schwimmbad zentrum stift stiftung brücke denkmal
    preis garten markt apotheke klinik krankenhaus hospital museum bibliothek bücherei saal turm
    center galerie theater stadion arena akademie institut siedlung hof"""
)
_PLACE_ENDINGS = (
    "straße", "strasse", "allee", "gasse", "chaussee", "schule", "gymnasium", "kirche",
    "krankenhaus", "kindergarten", "platz", "promenade",
)  # fmt: skip
_TITLES = _words("herr frau hr. fr. dr. prof. dr prof")
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*").fullmatch
_FOLD_EXTRA = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe"})


def _fold(word: str) -> str:
    """Lower case without accents, so "Ayşe", "AYSE" and "ayse" are the same name."""
    if word.isascii():
        return word.lower()
    word = unicodedata.normalize("NFKD", word.casefold().translate(_FOLD_EXTRA))
    return "".join(char for char in word if not unicodedata.combining(char))


_PLACE_WORDS_FOLDED = frozenset(_fold(word) for word in _PLACE_WORDS)
_PLACE_ENDINGS_FOLDED = tuple(_fold(ending) for ending in _PLACE_ENDINGS)


@cache
def _first_names() -> frozenset[str]:
    """The hand-written name list, folded; read once per process."""
    text = Path(__file__).with_name("firstnames.txt").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(_fold(line) for line in lines if line and not line.startswith("#"))


def _has_email(value: str) -> bool:
    at = value.find("@")
    for _ in range(_EMAIL_MAX_AT):
        if at < 0:
            return False
        if _EMAIL_RE.search(value, max(0, at - _EMAIL_BEFORE), at + _EMAIL_AFTER):
            return True
        at = value.find("@", at + 1)
    return False


def _iban_kind(value: str, start: int) -> int:
    """``_IBAN`` for a valid IBAN; -1 for something printed like one whose country, length
    or check digits are wrong (a typo or a made-up number – not a phone number either)."""
    kind = 0
    for match in _IBAN_RE.finditer(value, start):
        kind = -1
        compact = value[match.start() - 2 : match.end()].replace(" ", "").upper()
        if _IBAN_LENGTHS.get(compact[:2]) != len(compact):
            continue
        rearranged = compact[4:] + compact[:4]
        if int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1:
            return _IBAN
    return kind


def _phone_kind(value: str, start: int) -> int:
    """``_PHONE`` for a written phone number, ``_PHONE_DIGITS`` for a bare digit run."""
    kind = 0
    for match in _PHONE_RE.finditer(value, start):
        candidate = match.group()
        if _PHONE_DATE_RE.search(candidate):
            continue
        digits = _NON_DIGIT("", candidate)
        count = len(digits)
        if count < 7:
            continue
        if candidate.startswith("+"):
            plausible = digits[0] != "0" and 8 <= count <= 15
        elif digits.startswith("00"):
            plausible = digits[2] != "0" and 10 <= count <= 17
        else:
            area = _FIRST_DIGIT_RUN.search(candidate).group()
            plausible = digits[1] != "0" and len(area) >= 3 and 7 <= count <= 13
        if not plausible:
            continue
        if candidate.isdigit():
            kind = _PHONE_DIGITS
            continue
        return _PHONE
    return kind


def _is_street_word(word: str) -> bool:
    lowered = word.lower()
    if lowered in _NOT_A_STREET:
        return False
    if lowered.endswith("str."):
        return len(lowered) > 4
    return any(lowered.endswith(end) and len(lowered) > len(end) for end in _STREET_WORDS)


def _is_address(value: str, start: int) -> bool:
    for match in _STREET_RE.finditer(value, start):
        compound = match.end("compound")
        if compound < 0 or _is_street_word(value[match.start() : compound]):
            return True
    return _PREFIX_STREET_RE.search(value, start) is not None


def _parse_date(value: str) -> date | None:
    match = _DATE_RE.fullmatch(value)
    if match is None:
        return None
    parts = match.groupdict()
    try:
        if parts["iy"]:
            return date(int(parts["iy"]), int(parts["im"]), int(parts["id"]))
        if parts["gy"]:
            return date(int(parts["gy"]), int(parts["gm"]), int(parts["gd"]))
        year, first, second = int(parts["sy"]), int(parts["sd"]), int(parts["sm"])
    except ValueError:
        return None
    try:  # 07/03/1984 is day first in Germany; 12/31/1984 can only be American
        return date(year, second, first)
    except ValueError:
        try:
            return date(year, first, second)
        except ValueError:
            return None


def _is_first_name(value: str) -> bool:
    if len(value) > 60 or not value[0].isalpha():
        return False
    if "," in value:  # "Müller, Anna": the first name follows the comma
        surname, _, given = value.partition(",")
        words = given.split() + surname.split()
    else:
        words = value.split()
    while words and words[0].lower() in _TITLES:
        del words[0]
    if not words or len(words) > 4 or not all(_NAME_WORD(word) for word in words):
        return False
    if len(words) > 1 or "-" in words[0]:
        last = _fold(words[-1]).rsplit("-", 1)[-1]
        if last in _PLACE_WORDS_FOLDED or last.endswith(_PLACE_ENDINGS_FOLDED):
            return False
    names = _first_names()
    first = _fold(words[0])
    if first in names:
        return True
    parts = first.split("-")
    return len(parts) > 1 and all(part in names for part in parts)


def _classify(value: str) -> tuple[int, date | None]:
    """What a non-empty, stripped value looks like: kind bits and the date it is, if any.
    Cheap character tests run first; most cells are numbers or words and stop early."""
    kinds = _EMAIL if "@" in value and _has_email(value) else 0
    digit = _FIRST_DIGIT(value)
    if digit is None:
        if _is_first_name(value):
            kinds |= _FIRST_NAME
        return kinds, None
    if value[0].isdigit() and len(value) <= 32:
        day = _parse_date(value)
        if day is not None:
            return kinds, day
    # IBANs, phone numbers and house numbers start at most a few characters (a street name
    # at most _STREET_REACH) before the first digit: long texts are searched from there on.
    first = digit.start()
    iban = _iban_kind(value, max(0, first - 2)) if len(value) >= 15 else 0
    if iban:
        kinds |= max(iban, 0)
    elif "0" in value or "+" in value:
        kinds |= _phone_kind(value, max(0, first - 2))
    if not _NUMERIC_LIKE(value) and _is_address(value, max(0, first - _STREET_REACH)):
        kinds |= _ADDRESS
    return kinds, None


# --- What a column name hints at ------------------------------------------------------------

_HINT_SUBSTRINGS = {
    "email": ("mail",),
    "iban": ("iban", "kontonummer", "bankverbindung"),
    "phone": ("telefon", "phone", "handy", "mobilnummer", "mobiltelefon", "rufnummer", "faxnr"),
    "birth_date": ("geburt", "birth", "geboren"),
    "address": ("adresse", "anschrift", "address", "wohnort", "strasse"),
    "first_name": (
        "vorname",
        "nachname",
        "familienname",
        "firstname",
        "givenname",
        "surname",
        "lastname",
        "ansprechp",
        "kontaktperson",
    ),
}
_HINT_TOKENS = {
    "phone": {"tel", "telnr", "fon", "fax", "mobil", "mobile"},
    "birth_date": {"geb", "gebdat", "gebdatum", "dob", "born"},
    "first_name": {"name", "namen"},  # only as the whole column name, see _hints
}


def _hints(column: str) -> frozenset[str]:
    """The kinds a column name points at: ``Geb.-Datum`` → birth dates."""
    tokens = re.findall(r"[^\W\d_]+", column.casefold())
    compact = "".join(tokens)
    found = {kind for kind, parts in _HINT_SUBSTRINGS.items() if any(p in compact for p in parts)}
    for kind in ("phone", "birth_date"):
        if _HINT_TOKENS[kind].intersection(tokens):
            found.add(kind)
    if compact in _HINT_TOKENS["first_name"]:
        found.add("first_name")
    return frozenset(found)


# --- Scanning -------------------------------------------------------------------------------


class _Column:
    """Counts per column: how often each classification occurred."""

    __slots__ = ("counts", "index", "name")

    def __init__(self, name: str, index: int) -> None:
        self.name = name
        self.index = index
        self.counts: dict[tuple[int, date | None], int] = {}


class _Tally:
    """Classifies cells, remembering the classification of repeated values."""

    def __init__(self) -> None:
        self.memo: dict[str, tuple[int, date | None]] = {}

    def add(self, column: _Column, raw: object) -> None:
        if raw is None:
            return
        value = (raw if isinstance(raw, str) else str(raw)).strip()
        if not value:
            return
        found = self.memo.get(value)
        if found is None:
            found = _classify(value)
            if len(self.memo) < _MEMO_LIMIT:
                self.memo[value] = found
        counts = column.counts
        counts[found] = counts.get(found, 0) + 1


def scan(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    today: date | None = None,
    max_rows: int = MAX_ROWS,
) -> list[Finding]:
    """The findings for a table: one per (column, kind), in column order. Cells are
    strings (``None`` and ``""`` are empty; other objects are converted with ``str``)."""
    tracked = [_Column(str(name), index) for index, name in enumerate(columns)]
    tally = _Tally()
    truncated = False
    for number, row in enumerate(rows):
        if number >= max_rows:
            truncated = True
            break
        for column, raw in zip(tracked, row, strict=False):
            tally.add(column, raw)
    return _findings(tracked, today or date.today(), max_rows if truncated else None)


def scan_records(
    records: Iterable[Mapping[str, object]],
    *,
    today: date | None = None,
    max_rows: int = MAX_ROWS,
) -> list[Finding]:
    """``scan`` for dict rows (JSON records, GeoJSON properties); columns in order of
    first appearance, a missing key is an empty cell."""
    tracked: dict[str, _Column] = {}
    tally = _Tally()
    truncated = False
    for number, record in enumerate(records):
        if number >= max_rows:
            truncated = True
            break
        for key, raw in record.items():
            column = tracked.get(key)
            if column is None:
                column = tracked[key] = _Column(str(key), len(tracked))
            tally.add(column, raw)
    return _findings(list(tracked.values()), today or date.today(), max_rows if truncated else None)


def _findings(columns: list[_Column], today: date, truncated_at: int | None) -> list[Finding]:
    try:
        earliest = today.replace(year=today.year - BIRTH_DATE_MAX_AGE)
    except ValueError:  # 29 February
        earliest = today.replace(year=today.year - BIRTH_DATE_MAX_AGE, day=28)
    findings: list[Finding] = []
    for column in sorted(columns, key=lambda c: c.index):
        checked = sum(column.counts.values())
        if not checked:
            continue
        hints = _hints(column.name)
        bits = dict.fromkeys((_EMAIL, _IBAN, _PHONE, _PHONE_DIGITS, _ADDRESS, _FIRST_NAME), 0)
        dates = born = 0
        years: set[int] = set()
        for (kinds, day), count in column.counts.items():
            for bit in bits:
                if kinds & bit:
                    bits[bit] += count
            if day is not None:
                dates += count
                if earliest <= day <= today:
                    born += count
                    years.add(day.year)
        matches = {
            "email": bits[_EMAIL],
            "phone": bits[_PHONE] + (bits[_PHONE_DIGITS] if "phone" in hints else 0),
            "iban": bits[_IBAN],
            "birth_date": 0,
            "address": 0,
            "first_name": 0,
        }
        if "birth_date" in hints:
            matches["birth_date"] = dates
        elif born >= BIRTH_DATE_SHARE * checked and len(years) >= BIRTH_DATE_MIN_YEARS:
            matches["birth_date"] = born
        addresses = bits[_ADDRESS]
        if addresses >= ADDRESS_SHARE * checked or "address" in hints:
            matches["address"] = addresses
        names = bits[_FIRST_NAME]
        if names > FIRST_NAME_SHARE * checked or (
            "first_name" in hints and names >= FIRST_NAME_SHARE_HINTED * checked
        ):
            matches["first_name"] = names
        findings.extend(
            Finding(column.name, kind, matches[kind], checked, truncated_at)
            for kind in KINDS
            if matches[kind] > 0
        )
    return findings
