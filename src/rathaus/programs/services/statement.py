"""Bank-statement import: transfers that name a booking code are marked as paid.

Providers export their account's transactions from online banking as CSV (every German
bank can) and upload the file. We read it as German banks write it – ``;`` between
columns, decimal comma, a few lines of account details before the header, UTF-8 or
ISO-8859-1 – find the column with the amount and the ones with the reference text by
their names (Betrag, Umsatz, Haben … / Verwendungszweck, Buchungstext …), look for
booking codes (``K7Q4-M2XP``) in the text and compare the amount with what the booking
costs. Nothing is changed until the staff member has seen the preview and confirmed it.

Only bookings of the staff member's providers are ever matched; a code of another
provider's booking is reported like one that does not exist.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts.models import User
from rathaus.core import audit
from rathaus.core.secrets import CODE_ALPHABET

from ..models import Booking, PaymentEvent
from . import backoffice

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "Line",
    "Match",
    "Outcome",
    "Statement",
    "StatementError",
    "apply",
    "codes_in",
    "confirmation",
    "match",
    "parse_amount",
    "read",
]

MAX_BYTES = 2 * 1024 * 1024  # a year of a busy club's account is far less
MAX_ROWS = 10_000
MAX_COLUMNS = 60
HEADER_SCAN = 40  # account details some banks write before the header

_CODE = "[" + re.escape(CODE_ALPHABET) + "]{4}"
# With the dash, as we print it ("Buchung K7Q4-M2XP"); not inside a longer code.
STRONG = re.compile(rf"(?<![A-Z0-9])(?<![A-Z0-9]-)({_CODE})-({_CODE})(?!-?[A-Z0-9])")
# Without it ("K7Q4M2XP", "K7Q4 M2XP"): counted only when such a booking exists.
WEAK = re.compile(rf"(?<![A-Z0-9-])({_CODE}) ?({_CODE})(?![A-Z0-9-])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class StatementError(Exception):
    """The file cannot be read as a statement; ``message`` says why, in German."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Line:
    """One incoming transfer of the statement."""

    row: int  # line in the file, as a spreadsheet numbers it
    day: date | None
    day_text: str
    amount: Decimal
    reference: str
    payer: str
    codes: list[str]  # written with a dash: certainly meant as booking codes
    maybe: list[str]  # without it: codes only if such a booking exists


@dataclass
class Statement:
    lines: list[Line] = field(default_factory=list)  # incoming, with something like a code
    without_code: int = 0
    outgoing: int = 0
    unreadable: list[int] = field(default_factory=list)  # rows whose amount we cannot read


class Outcome(models.TextChoices):
    MATCHED = "matched", gettext_lazy("Passt: wird als bezahlt vermerkt")
    LAPSED = "lapsed", gettext_lazy("Buchung storniert: wird als zu erstatten vermerkt")
    AMOUNT_DIFFERS = "amount_differs", gettext_lazy("Betrag weicht ab")
    UNKNOWN = "unknown", gettext_lazy("Buchungscode unbekannt")
    ALREADY_PAID = "already_paid", gettext_lazy("Schon bezahlt")
    DUPLICATE = "duplicate", gettext_lazy("Doppelt im Kontoauszug")
    NOTHING_DUE = "nothing_due", gettext_lazy("Keine Zahlung offen")


APPLIES = {Outcome.MATCHED, Outcome.LAPSED}


@dataclass
class Match:
    line: Line
    outcome: str
    bookings: list[Booking] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def expected(self) -> Decimal | None:
        return sum((b.total for b in self.bookings), Decimal("0.00")) if self.bookings else None

    @property
    def applies(self) -> bool:
        return self.outcome in APPLIES

    @property
    def label(self) -> str:
        return str(Outcome(self.outcome).label)

    @property
    def codes(self) -> list[str]:
        return [b.code for b in self.bookings]


# --- reading --------------------------------------------------------------------------

# "Betrag", "Betrag (€)", "Umsatz in EUR" – but not "Umsatzart" or "Lastschrift Ursprungsbetrag".
_UNIT = r"(\s*\(.*\)|\s+in\s+\S+|\s+eur|\s*€)?$"
AMOUNT_NAME = re.compile(r"^(betrag|umsatz|amount)" + _UNIT)
CREDIT_NAME = re.compile(r"^(haben|gutschrift)" + _UNIT)
DEBIT_NAME = re.compile(r"^(soll|lastschrift)" + _UNIT)
SIGN_NAMES = ("s/h", "soll/haben", "soll-haben")
REFERENCE_NAMES = ("verwendungszweck", "zweck", "buchungstext", "referenz", "beschreibung")
DATE_NAMES = ("buchungstag", "buchungsdatum", "buchung", "datum", "valuta", "wertstellung", "wert")
PAYER_NAMES = (
    "zahlungspflichtige",
    "auftraggeber",
    "begünstigter",
    "beguenstigter",
    "zahlungsbeteiligte",
    "empfänger",
    "name",
)


def _normal(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").strip().strip("\"'").lower().split()).rstrip(":")


@dataclass
class _Columns:
    amount: int | None = None
    credit: int | None = None
    debit: int | None = None
    sign: int | None = None
    references: list[int] = field(default_factory=list)
    day: int | None = None
    payer: int | None = None

    @property
    def usable(self) -> bool:
        return (self.amount is not None or self.credit is not None) and bool(self.references)


def _columns(header: list[str]) -> _Columns:
    names = [_normal(h) for h in header]
    found = _Columns()
    for index, name in enumerate(names):
        if not name:
            continue
        if name in SIGN_NAMES:
            found.sign = index
        elif AMOUNT_NAME.match(name) and found.amount is None:
            found.amount = index
        elif CREDIT_NAME.match(name) and found.credit is None:
            found.credit = index
        elif DEBIT_NAME.match(name) and found.debit is None:
            found.debit = index
        elif any(word in name for word in REFERENCE_NAMES) or name.startswith("vorgang"):
            found.references.append(index)
        elif any(word in name for word in PAYER_NAMES) and found.payer is None:
            found.payer = index
    for wanted in DATE_NAMES:  # the booking day before the value date
        if wanted in names:
            found.day = names.index(wanted)
            break
    # The Verwendungszweck first: it is what the payer wrote.
    found.references.sort(key=lambda i: (0 if "zweck" in names[i] else 1, i))
    return found


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise StatementError(_("Die Datei ist nicht lesbar (Zeichenkodierung).")) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older exports: Windows-1252 / ISO-8859-1. Latin-1 decodes any byte.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _refuse_binary(data: bytes) -> None:
    head = data[:8]
    if head.startswith(b"%PDF"):
        raise StatementError(
            _(
                "Das ist eine PDF-Datei. Bitte exportieren Sie die Umsätze in Ihrem "
                "Online-Banking als CSV-Datei."
            )
        )
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise StatementError(
            _(
                "Das ist eine Excel-Datei. Bitte speichern Sie sie als CSV-Datei "
                "(Trennzeichen Semikolon) oder exportieren Sie die Umsätze als CSV."
            )
        )
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise StatementError(
            _("Die Datei enthält keine lesbaren Textzeilen. Bitte laden Sie eine CSV-Datei hoch.")
        )


def _rows(text: str, delimiter: str) -> Iterable[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    return reader


def _find_header(text: str) -> tuple[str, int, list[str], _Columns]:
    for delimiter in (";", "\t", ","):
        try:
            for index, row in enumerate(_rows(text, delimiter)):
                if index >= HEADER_SCAN:
                    break
                columns = _columns(row[:MAX_COLUMNS])
                if columns.usable:
                    return delimiter, index, row, columns
        except csv.Error:
            continue
    raise StatementError(
        _(
            "In der Datei fehlt die Kopfzeile mit den Spalten „Betrag“ und „Verwendungszweck“ "
            "(oder „Buchungstext“). Bitte exportieren Sie die Umsätze Ihrer Bank als "
            "CSV-Datei und laden Sie diese unverändert hoch."
        )
    )


_GERMAN = re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$")
_ENGLISH = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)\.(\d{1,2})$")


def parse_amount(text: str) -> Decimal | None:
    """ "1.234,56", "-40,00 €", "40,00-", "+12,5", "40.00" → Decimal; ``None`` if unreadable."""
    value = (text or "").strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
    for unit in ("EUR", "€", "eur"):
        value = value.replace(unit, "")
    sign = 1
    if value.endswith("-"):
        sign, value = -1, value[:-1]
    if value.startswith(("+", "-")):
        sign, value = (-1 if value[0] == "-" else 1) * sign, value[1:]
    if found := _GERMAN.match(value):
        whole, cents = found.group(1).replace(".", ""), found.group(2) or "0"
    elif found := _ENGLISH.match(value):
        whole, cents = found.group(1).replace(",", ""), found.group(2)
    else:
        return None
    try:
        return sign * Decimal(f"{whole}.{cents.ljust(2, '0')}")
    except InvalidOperation:
        return None


def _parse_day(text: str) -> date | None:
    value = text.strip()
    for pattern in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _clean(text: str, limit: int = 300) -> str:
    return " ".join(_CONTROL.sub(" ", text or "").split())[:limit]


def codes_in(text: str) -> tuple[list[str], list[str]]:
    """Booking codes in ``text``: (written with a dash, written without)."""
    upper = (text or "").upper()
    strong = list(dict.fromkeys(f"{a}-{b}" for a, b in STRONG.findall(upper)))
    weak = [
        code
        for code in dict.fromkeys(f"{a}-{b}" for a, b in WEAK.findall(upper))
        if code not in strong
    ]
    return strong, weak


def _cell(row: list[str], index: int | None) -> str:
    return row[index] if index is not None and index < len(row) else ""


def _amount(row: list[str], columns: _Columns) -> Decimal | None:
    if columns.amount is not None and _cell(row, columns.amount).strip():
        value = parse_amount(_cell(row, columns.amount))
        if value is not None and _cell(row, columns.sign).strip().upper() == "S":
            value = -abs(value)
        return value
    if columns.credit is not None and _cell(row, columns.credit).strip():
        value = parse_amount(_cell(row, columns.credit))
        return abs(value) if value is not None else None
    if columns.debit is not None and _cell(row, columns.debit).strip():
        value = parse_amount(_cell(row, columns.debit))
        return -abs(value) if value is not None else None
    return None


def read(data: bytes) -> Statement:
    """The incoming transfers of a CSV statement; raises ``StatementError`` (German)."""
    if not data.strip():
        raise StatementError(_("Die Datei ist leer."))
    if len(data) > MAX_BYTES:
        raise StatementError(
            _(
                "Die Datei ist zu groß (höchstens %(mb)s MB). Bitte wählen Sie einen "
                "kürzeren Zeitraum."
            )
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    _refuse_binary(data)
    text = _decode(data)
    try:
        delimiter, header_index, _header, columns = _find_header(text)
        statement = Statement()
        for index, row in enumerate(_rows(text, delimiter)):
            if index <= header_index or not any(cell.strip() for cell in row):
                continue
            if index - header_index > MAX_ROWS:
                raise StatementError(
                    _(
                        "Die Datei hat mehr als %(n)s Umsätze. Bitte exportieren Sie einen "
                        "kürzeren Zeitraum."
                    )
                    % {"n": f"{MAX_ROWS:,}".replace(",", ".")}
                )
            _add(statement, index + 1, row[:MAX_COLUMNS], columns)
    except csv.Error as error:
        raise StatementError(
            _(
                "Die Datei lässt sich nicht als CSV lesen (eine Zeile ist beschädigt oder "
                "viel zu lang). Bitte exportieren Sie die Umsätze erneut."
            )
        ) from error
    return statement


def _add(statement: Statement, number: int, row: list[str], columns: _Columns) -> None:
    amount = _amount(row, columns)
    if amount is None:
        statement.unreadable.append(number)
        return
    if amount <= 0:
        statement.outgoing += 1
        return
    text = " ".join(_cell(row, i) for i in columns.references)
    strong, weak = codes_in(text)
    if not strong and not weak:
        statement.without_code += 1
        return
    day_text = _clean(_cell(row, columns.day), 20)
    statement.lines.append(
        Line(
            row=number,
            day=_parse_day(day_text),
            day_text=day_text,
            amount=amount,
            reference=_clean(_cell(row, columns.references[0])) or _clean(text),
            payer=_clean(_cell(row, columns.payer), 100),
            codes=strong,
            maybe=weak,
        )
    )


# --- matching ---------------------------------------------------------------------------


def _bookings(codes: Iterable[str], providers: Iterable[int]) -> dict[str, Booking]:
    wanted = list(dict.fromkeys(codes))
    found: dict[str, Booking] = {}
    for start in range(0, len(wanted), 500):
        for item in Booking.objects.filter(
            code__in=wanted[start : start + 500], offer__provider_id__in=list(providers)
        ).select_related("offer"):
            found[item.code] = item
    return found


def match(statement: Statement, providers: Iterable[int]) -> list[Match]:
    """What each line would do, with the bookings of ``providers`` only."""
    providers = list(providers)
    known = _bookings([c for line in statement.lines for c in line.codes + line.maybe], providers)
    seen: set[str] = set()
    result = []
    for line in statement.lines:
        found = [known[c] for c in line.codes + line.maybe if c in known]
        unknown = [c for c in line.codes if c not in known]
        if not found and not unknown:
            statement.without_code += 1  # a word that only looked like a code
            continue
        result.append(_judge(line, found, unknown, seen))
    return result


def _judge(line: Line, found: list[Booking], unknown: list[str], seen: set[str]) -> Match:
    if unknown or not found:
        return Match(line, Outcome.UNKNOWN, found, unknown)
    if any(b.code in seen for b in found):
        return Match(line, Outcome.DUPLICATE, found)
    states = {b.payment_status for b in found}
    lapsed = {
        b.code
        for b in found
        if b.payment_status == Booking.Payment.VOID and b.status != Booking.Status.BOOKED
    }
    if states & {Booking.Payment.PAID, Booking.Payment.REFUND_DUE, Booking.Payment.REFUNDED}:
        outcome = Outcome.ALREADY_PAID
    elif any(b.payment_status != Booking.Payment.OPEN and b.code not in lapsed for b in found):
        outcome = Outcome.NOTHING_DUE
    elif sum((b.total for b in found), Decimal("0.00")) != line.amount:
        outcome = Outcome.AMOUNT_DIFFERS
    else:
        outcome = Outcome.LAPSED if lapsed else Outcome.MATCHED
    if outcome in APPLIES:
        seen.update(b.code for b in found)
    return Match(line, outcome, found)


# --- applying -------------------------------------------------------------------------------


def confirmation(matches: list[Match]) -> str:
    """What the confirm button carries: one line per transfer to apply,
    ``CODE[+CODE…];amount;YYYY-MM-DD``."""
    return "\n".join(
        ";".join(
            [
                "+".join(m.codes),
                f"{m.line.amount:.2f}",
                m.line.day.isoformat() if m.line.day else "",
            ]
        )
        for m in matches
        if m.applies
    )


def apply(
    items: list[tuple[list[str], Decimal, date | None]],
    providers: Iterable[int],
    *,
    by: User,
    now: datetime | None = None,
) -> tuple[int, int]:
    """Mark the confirmed transfers as paid, each checked again (the staff member's
    providers, still open, the amount). Returns (bookings marked, transfers skipped because
    they no longer fit – paid meanwhile, cancelled, changed)."""
    now = now or timezone.now()
    providers = list(providers)
    marked = skipped = 0
    seen: set[str] = set()
    with transaction.atomic():
        known = _bookings([c for codes, _a, _d in items for c in codes], providers)
        for codes, amount, day in items:
            if _apply_one(known, codes, amount, day, seen, by=by, now=now):
                marked += len(codes)
            else:
                skipped += 1
        audit.record(
            "programs.statement.imported",
            actor=by,
            data={"transfers": len(items), "marked": marked, "skipped": skipped},
        )
    return marked, skipped


def _apply_one(
    known: dict[str, Booking],
    codes: list[str],
    amount: Decimal,
    day: date | None,
    seen: set[str],
    *,
    by: User,
    now: datetime,
) -> bool:
    found = [known[c] for c in codes if c in known]
    line = Line(0, day, "", amount, "", "", codes, [])
    if len(found) != len(codes) or _judge(line, found, [], seen).outcome not in APPLIES:
        return False
    note = (
        _("Kontoauszug, Buchungstag %(day)s") % {"day": day.strftime("%d.%m.%Y")}
        if day
        else _("Kontoauszug")
    )
    for item in found:
        backoffice.mark_paid(
            item, by=by, source=PaymentEvent.Source.STATEMENT, amount=item.total, note=note, now=now
        )
    return True
