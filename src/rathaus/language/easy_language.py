"""A checker for German easy language (Leichte Sprache): what a text breaks, where, and how
to fix it, in short German hints – plus readability figures for standard German.

Pure Python, no Django: the back office calls it while staff write an easy-language text,
``rathaus language check FILE`` from the console. The rules and their sources are in
docs/language.md; each ``Rule`` names its source in one word:

* *Netzwerk* – Netzwerk Leichte Sprache, „Die Regeln für Leichte Sprache“ (in the BMAS
  guide „Leichte Sprache – Ein Ratgeber“, 2014);
* *DIN* – DIN SPEC 33429:2025-03, „Empfehlungen für Deutsche Leichte Sprache“;
* *Maaß* – Christiane Maaß, „Leichte Sprache. Das Regelbuch“ (2015).

The checker flags; it does not judge. Some findings are fine in context (a negation that
cannot be avoided, a long name of an office): staff read the hint and decide. Each rule is a
small function over one sentence, so a city can switch rules off or add its own.
"""

import bisect
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

__all__ = ["RULES", "Finding", "Readability", "Rule", "check", "readability", "sentences"]

MAX_WORDS: Final = 12
"""Longest sentence without a finding. The rules say „kurze Sätze“ without a number; 12 is
what most easy-language guides and translators work to (Maaß 2015: 8–12)."""

MAX_LETTERS: Final = 13
"""Longest word without a hyphen or mediopunkt before it counts as a long compound (13: most
words this long that are not compounds – Bescheinigung, Dolmetscherin – stay below)."""

_LETTER = "A-Za-zÄÖÜäöüß"
_WORD = re.compile(rf"[{_LETTER}]+(?:[-·][{_LETTER}0-9]+)*|\d+(?:[.,]\d+)*")
_MASK = re.compile(  # web and e-mail addresses, without the full stop after them
    r"(?:https?://|www\.)\S+?(?=[.,;:!?)]*(?:\s|$))|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
_ABBREVIATION = re.compile(
    r"(?<![\w.])(?:[a-zäöü]{1,2}\.\s?){1,3}[a-zäöüA-ZÄÖÜ]{1,2}\.(?=\s|$|[,;:)])"  # z. B., d. h.
    r"|(?<![\w.])(?:bzw|usw|ggf|evtl|inkl|exkl|zzgl|ca|vgl|sog|Nr|Str|Tel|Abs|Std|Mio|Mrd"
    r"|max|min|bspw|etc|Hr|Fr|Jh|gem|lt|u\.a|i\.d\.R)\.",
)
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n")
_ORDINAL = re.compile(
    r"\d\.(?=\d)|\d\.(?=[ \t]*\d)|\d\.(?=[ \t]+(?:Januar|Februar|März|April|Mai|Juni|Juli"
    r"|August|September|Oktober|November|Dezember|Geburtstag|Lebensjahr|Klasse|Stock|Etage"
    r"|Mal|Jahrhundert|Platz)\b)"
)
_SPECIAL = re.compile(r"[&§;#*+/\\()\[\]{}<>|~^]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NUMBER_WORDS: Final = _words(
    "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn "
    "fünfzehn sechzehn siebzehn achtzehn neunzehn zwanzig dreißig vierzig fünfzig sechzig "
    "siebzig achtzig neunzig hundert tausend million millionen milliarde milliarden"
)
_SUBJUNCTIVE: Final = _words(
    "würde würdest würden würdet hätte hättest hätten hättet wäre wärst wären wärt könnte "
    "könntest könnten könntet müsste müsstest müssten dürfte dürften sollte solltest "
    "sollten bräuchte bräuchten"
)
_NEGATIONS: Final = _words(
    "nicht kein keine keinen keinem keiner keines nie niemals nichts niemand nirgends "
    "nirgendwo weder"
)
_WERDEN: Final = _words("wird werden wirst werdet wurde wurden wurdest worden")
_GENITIVE_PREPOSITIONS: Final = _words(
    "wegen trotz während aufgrund anstatt statt innerhalb außerhalb bezüglich mittels "
    "seitens infolge anhand"
)
_GENITIVE_ARTICLES: Final = _words("des eines meines deines seines ihres unseres")
_SUBORDINATORS: Final = _words(
    "dass weil obwohl damit nachdem bevor sodass falls sobald solange indem ob"
)
_RELATIVES: Final = _words("der die das dem den denen deren dessen welche welcher")
_CLAUSE_JOINERS: Final = _words("und oder aber denn sondern")
_PARTICIPLE = re.compile(
    r"^(?:ge[a-zäöüß]{2,}(?:t|en)|(?:be|ver|er|ent|zer|emp|miss)[a-zäöüß]{2,}t"
    r"|[a-zäöüß]{2,}iert|[a-zäöüß]+ge[a-zäöüß]{2,}(?:t|en))$"
)
_FOREIGN_WORDS = Path(__file__).with_name("foreign_words.txt")
_ENDINGS = re.compile(r"(?:innen|in|en|n|s|e)$")  # plural, feminine: not what makes it long
# A street before its house number is a name as on the sign („Lindenhofplatz 2“), not a
# word the writer chose.
_STREET = re.compile(
    r"(?:straße|strasse|weg|platz|allee|ring|gasse|ufer|damm|park|markt|chaussee|steig|pfad)$"
)
_HOUSE_NUMBER = re.compile(r"\s+\d+\s?[a-z]?\b")
_PRONOUNS = _words("Sie Ihnen Ihr Ihre Ihren Ihrem Ihrer Ihres")


@dataclass(frozen=True)
class Finding:
    """One place in the text that breaks a rule: offsets into the text, 1-based line and
    column for people, the words concerned and a short German hint."""

    rule: str
    start: int
    end: int
    line: int
    column: int
    text: str
    hint: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Rule:
    key: str
    title: str  # German, for lists and the documentation
    source: str
    find: Callable[["_Sentence"], Iterator[tuple[int, int, str]]]


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class _Sentence:
    text: str
    start: int
    words: tuple[_Word, ...]


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence: ended by . ! ? or a line break (in easy language every
    sentence starts on a new line), not by the dot of an abbreviation or a date."""
    masked = _masked(text)
    protected = set()
    for match in _ABBREVIATION.finditer(masked):
        protected.update(range(match.start(), match.end()))
    for match in _ORDINAL.finditer(masked):  # 26.11.2026, 1. 2., 1. Januar, 18. Geburtstag
        protected.add(match.start() + 1)
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(masked):
        if match.start() in protected:
            continue
        if masked[start : match.end()].strip():
            spans.append((start, match.end()))
        start = match.end()
    if masked[start:].strip():
        spans.append((start, len(masked)))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans]


def check(text: str, rules: tuple[Rule, ...] | None = None) -> list[Finding]:
    """Every finding of ``rules`` (default: all) in ``text``, in reading order."""
    masked = _masked(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    findings = []
    for start, end in sentences(text):
        words = tuple(
            _Word(m.group(), start + m.start(), start + m.end())
            for m in _WORD.finditer(masked[start:end])
        )
        sentence = _Sentence(masked[start:end], start, words)
        for rule in rules or RULES:
            for begin, finish, hint in rule.find(sentence):
                line = bisect.bisect_right(line_starts, begin) - 1
                findings.append(
                    Finding(
                        rule=rule.key,
                        start=begin,
                        end=finish,
                        line=line + 1,
                        column=begin - line_starts[line] + 1,
                        text=text[begin:finish],
                        hint=hint,
                    )
                )
    return sorted(findings, key=lambda f: (f.start, f.rule))


def _masked(text: str) -> str:
    """Web and e-mail addresses blanked out (same length): no rule applies inside them."""
    return _MASK.sub(lambda m: " " * len(m.group()), text)


# --- the rules -----------------------------------------------------------------------------


def _long_sentence(s: _Sentence) -> Iterator[tuple[int, int, str]]:
    if len(s.words) > MAX_WORDS:
        yield (
            s.start,
            s.start + len(s.text.rstrip()),
            f"Dieser Satz hat {len(s.words)} Wörter. Schreiben Sie kurze Sätze mit höchstens "
            f"{MAX_WORDS} Wörtern.",
        )


def _several_statements(s: _Sentence) -> Iterator[tuple[int, int, str]]:
    words = s.words
    for i, word in enumerate(words):
        lower = word.lower
        after_comma = i > 0 and "," in s.text[words[i - 1].end - s.start : word.start - s.start]
        if lower in _SUBORDINATORS and not (i == 0 and lower == "damit"):  # damit = so
            reason = f"„{word.text}“ leitet einen Nebensatz ein"
        elif after_comma and lower in _RELATIVES and not _article(words[i + 1 : i + 3]):
            reason = f"„{word.text}“ leitet einen Relativsatz ein"
        elif after_comma and lower in _CLAUSE_JOINERS:
            reason = f"„{word.text}“ verbindet zwei Hauptsätze"
        elif lower == "wenn" and i > 0:
            reason = "„wenn“ mitten im Satz leitet einen Nebensatz ein"
        else:
            continue
        yield (
            word.start,
            word.end,
            f"Mehrere Aussagen in einem Satz: {reason}. Schreiben Sie für jede Aussage einen "
            "eigenen Satz.",
        )
    for match in re.finditer(";", s.text):
        yield (
            s.start + match.start(),
            s.start + match.end(),
            "Mehrere Aussagen in einem Satz: Schreiben Sie statt „;“ zwei Sätze.",
        )


def _article(following: tuple[_Word, ...]) -> bool:
    """Whether der/die/das after a comma starts a list item („für das Leben, die Miete und
    die Heizung“), not a relative clause („der Antrag, den Sie ausfüllen“): a noun follows
    within two words."""
    return any(w.text[0].isupper() and w.text not in _PRONOUNS for w in following)


def _long_compound(s: _Sentence) -> Iterator[tuple[int, int, str]]:
    for i, word in enumerate(s.words):
        if i == 0 and len(s.words) > 1 and s.words[1].text == "Sie":
            continue  # „Unterschreiben Sie …“: a verb, not a noun
        after = s.text[word.end - s.start :]
        if _STREET.search(word.lower) and _HOUSE_NUMBER.match(after):
            continue
        if (
            word.text[0].isupper()
            and len(_ENDINGS.sub("", word.text)) > MAX_LETTERS  # Veranstaltungen is one word
            and "-" not in word.text
            and "·" not in word.text
        ):
            yield (
                word.start,
                word.end,
                f"Langes Wort „{word.text}“: Trennen Sie zusammengesetzte Wörter mit "
                "Bindestrich oder Mediopunkt (Bürger-Büro, Bürger·büro).",
            )


def _passive(s: _Sentence) -> Iterator[tuple[int, int, str]]:
    forms = [w for w in s.words if w.lower in _WERDEN]
    participles = [
        w for w in s.words if w.text[0].islower() and _PARTICIPLE.match(w.lower) and len(w.text) > 4
    ]
    if forms and participles:
        first, last = (
            min(forms + participles, key=lambda w: w.start),
            max(forms + participles, key=lambda w: w.end),
        )
        yield (
            first.start,
            last.end,
            f"Passiv („{forms[0].text} … {participles[-1].text}“): Sagen Sie, wer etwas tut. "
            "Zum Beispiel: „Das Amt prüft den Antrag.“",
        )


def _subjunctive(s: _Sentence) -> Iterator[tuple[int, int, str]]:
    for word in s.words:
        if word.lower in _SUBJUNCTIVE:
            yield (
                word.start,
                word.end,
                f"Möglichkeitsform „{word.text}“: Schreiben Sie direkt, was ist oder was man "
                "tun kann. Zum Beispiel: „Sie können …“",
            )


def _negation(s: _Sentence) -> Iterator[tuple[int, int, str]]:
    for word in s.words:
        if word.lower in _NEGATIONS:
            yield (
                word.start,
                word.end,
                f"Verneinung „{word.text}“: Schreiben Sie positiv, wenn es geht. Zum Beispiel: "
                "„Das Amt ist zu.“ statt „Das Amt ist nicht offen.“",
            )


def _genitive(s: _Sentence) -> Iterator[tuple[int, int, str]]:
    words = s.words
    for i, word in enumerate(words):
        following = words[i + 1].lower if i + 1 < len(words) else ""
        if word.lower in _GENITIVE_ARTICLES or (
            word.lower in _GENITIVE_PREPOSITIONS
            and following in _GENITIVE_ARTICLES | {"der", "einer", "ihrer", "seiner"}
        ):
            yield (
                word.start,
                word.end,
                f"Genitiv („{word.text}“): Schreiben Sie „von dem“ oder „von der“. Zum "
                "Beispiel: „das Auto von dem Mann“ statt „das Auto des Mannes“.",
            )


def _abbreviation(s: _Sentence) -> Iterator[tuple[int, int, str]]:
    for match in _ABBREVIATION.finditer(s.text):
        yield (
            s.start + match.start(),
            s.start + match.end(),
            f"Abkürzung „{match.group()}“: Schreiben Sie das ganze Wort, zum Beispiel „zum "
            "Beispiel“ statt „z. B.“",
        )


def _number_word(s: _Sentence) -> Iterator[tuple[int, int, str]]:
    for word in s.words:
        if word.lower in _NUMBER_WORDS:
            yield (
                word.start,
                word.end,
                f"Zahl als Wort „{word.text}“: Schreiben Sie Zahlen als Ziffern, zum Beispiel "
                "„3“ statt „drei“.",
            )


def _percent_or_large_number(s: _Sentence) -> Iterator[tuple[int, int, str]]:
    for match in re.finditer(r"\d+(?:,\d+)?\s?(?:%|Prozent\b|v\.\s?H\.)", s.text):
        yield (
            s.start + match.start(),
            s.start + match.end(),
            f"Prozentangabe „{match.group()}“: Schreiben Sie „viele“, „wenige“ oder „die Hälfte“.",
        )
    for match in re.finditer(
        r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,]\d)|(?<![\d.,])\d{5,}", s.text
    ):
        rest = s.text[match.end() :]
        if re.fullmatch(r"\d{5}", match.group()) and re.match(rf"\s[A-ZÄÖÜ][{_LETTER}]", rest):
            continue  # a postcode before a place name
        yield (
            s.start + match.start(),
            s.start + match.end(),
            f"Große Zahl „{match.group()}“: Schreiben Sie „viele“ oder runden Sie, wenn die "
            "genaue Zahl nicht wichtig ist.",
        )


def _foreign_word(s: _Sentence) -> Iterator[tuple[int, int, str]]:
    words = foreign_words()
    for word in s.words:
        for part in re.split("[-·]", word.lower):
            if part in words:
                yield (
                    word.start,
                    word.end,
                    f"Fremdwort „{word.text}“: Schreiben Sie „{words[part]}“.",
                )
                break


def _special_character(s: _Sentence) -> Iterator[tuple[int, int, str]]:
    for match in _SPECIAL.finditer(s.text):
        character = match.group()
        if character == "/" and re.search(r"\d/\d", s.text[match.start() - 1 : match.end() + 1]):
            continue  # 24/7, a fraction
        yield (
            s.start + match.start(),
            s.start + match.end(),
            f"Sonderzeichen „{character}“: Schreiben Sie das Wort aus (zum Beispiel „und“ "
            "statt „&“, „Paragraf“ statt „§“) oder lassen Sie es weg.",
        )


@functools.cache
def foreign_words() -> dict[str, str]:
    """The list of foreign words and their plain German replacements (foreign_words.txt)."""
    words = {}
    for line in _FOREIGN_WORDS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, replacement = (part.strip() for part in line.split("→", 1))
            words[word.lower()] = replacement
    return words


RULES: Final = (
    Rule("satzlaenge", "Satz zu lang", "Netzwerk, DIN, Maaß", _long_sentence),
    Rule(
        "mehrere-aussagen", "Mehrere Aussagen in einem Satz", "Netzwerk, DIN", _several_statements
    ),
    Rule("langes-wort", "Langes zusammengesetztes Wort", "Netzwerk, DIN", _long_compound),
    Rule("passiv", "Passiv", "Netzwerk, Maaß", _passive),
    Rule("konjunktiv", "Möglichkeitsform (Konjunktiv)", "Netzwerk", _subjunctive),
    Rule("verneinung", "Verneinung", "Netzwerk", _negation),
    Rule("genitiv", "Genitiv", "Netzwerk, Maaß", _genitive),
    Rule("abkuerzung", "Abkürzung", "Netzwerk, DIN", _abbreviation),
    Rule("zahlwort", "Zahl als Wort", "Netzwerk", _number_word),
    Rule(
        "prozent-grosse-zahl", "Prozentangabe oder große Zahl", "Netzwerk", _percent_or_large_number
    ),
    Rule("fremdwort", "Fremdwort", "Netzwerk, DIN", _foreign_word),
    Rule("sonderzeichen", "Sonderzeichen", "Netzwerk", _special_character),
)


# --- readability of standard German ------------------------------------------------------


@dataclass(frozen=True)
class Readability:
    """Wiener Sachtextformel (1st, Bamberger & Vanecek 1984: a school grade, 4 = easy,
    15 = very hard) and Flesch reading ease for German (Amstad 1978: 0–100, higher = easier),
    with what they are computed from."""

    sentences: int
    words: int
    syllables: int
    wiener_sachtextformel: float
    flesch_amstad: float


_VOWELS = re.compile(r"[aeiouyäöü]+")


def syllables(word: str) -> int:
    """Vowel groups (ei, ie, au, eu, äu count once, as they are one sound): a German
    heuristic that is right for most words and never below 1."""
    return max(1, len(_VOWELS.findall(word.lower())))


def readability(text: str) -> Readability:
    spans = sentences(text)
    masked = _masked(text)
    words = [
        m.group()
        for start, end in spans
        for m in _WORD.finditer(masked, start, end)
        if not m.group()[0].isdigit()
    ]
    if not words:
        return Readability(len(spans), 0, 0, 0.0, 0.0)
    counts = [syllables(word) for word in words]
    n = len(words)
    sentence_length = n / max(1, len(spans))
    many_syllables = 100 * sum(c >= 3 for c in counts) / n
    long_words = 100 * sum(len(w) > 6 for w in words) / n
    one_syllable = 100 * sum(c == 1 for c in counts) / n
    wstf = (
        0.1935 * many_syllables
        + 0.1672 * sentence_length
        + 0.1297 * long_words
        - 0.0327 * one_syllable
        - 0.875
    )
    flesch = 180 - sentence_length - 58.5 * (sum(counts) / n)
    return Readability(
        sentences=len(spans),
        words=n,
        syllables=sum(counts),
        wiener_sachtextformel=round(wstf, 1),
        flesch_amstad=round(max(0.0, min(100.0, flesch)), 1),
    )
