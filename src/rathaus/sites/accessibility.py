"""The accessibility rules a page must pass before it goes live (BITV 2.0 / WCAG 2.1 AA).

Wagtail's checker in the editor (axe-core on the preview) advises; these rules decide: a
page with a finding is not published, whoever asks and by whatever path (the editor, a
reviewer's approval, a bulk action). Each finding says in German what to change.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .blocks import PASSAGE_LANGUAGES

# Link texts that do not say where a link leads (WCAG 2.4.4), compared lower-case.
VAGUE_LINK_TEXTS = frozenset(
    {
        "hier",
        "hier klicken",
        "klicken sie hier",
        "bitte hier klicken",
        "mehr",
        "mehr erfahren",
        "mehr lesen",
        "weiter",
        "weiterlesen",
        "link",
        "dieser link",
        "click here",
        "here",
        "more",
        "read more",
    }
)
AA_CONTRAST = 4.5

# Frequent function words: a passage with many of another language's and few German ones
# is in that language (WCAG 3.1.2 wants it marked so a screen reader switches its voice).
STOPWORDS = {
    code: frozenset(words.split())
    for code, words in {
        "de": """der die das und ist nicht ein eine mit für auf den dem des sich von zu im sie
            wir ich es auch bei oder wie an als werden wird kann sind nach aus haben""",
        "en": """the and is are of to in for with on this that you your we our be have from by
            at it as an or not can will""",
        "fr": """le la les et est des une un du pour dans que qui sur pas avec vous nous au ce""",
        "tr": """ve bir bu için ile de da çok ne olarak daha gibi var ben sen siz""",
        "pl": """i w na nie się z do jest to że o jak po co ale dla od są""",
        "es": """el la los las y es en que de un una por con para no se del al""",
    }.items()
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 … 21)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def colour_findings(accent: str) -> list[Finding]:
    """The accent colour carries white text and is text on white: both need 4.5:1."""
    ratio = contrast_ratio(accent, "#ffffff")
    if ratio >= AA_CONTRAST:
        return []
    return [
        Finding(
            "contrast",
            _(
                "Die Akzentfarbe %(colour)s hat auf Weiß nur ein Kontrastverhältnis von "
                "%(ratio)s:1; nötig sind mindestens 4,5:1 (WCAG AA). Wählen Sie einen "
                "dunkleren Farbton."
            )
            % {"colour": accent, "ratio": number_format(ratio, 1)},
        )
    ]


class _Markup(HTMLParser):
    """Headings, links and paragraphs of a piece of rich text, in reading order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.links: list[str] = []
        self.paragraphs: list[str] = []
        self._open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6", "a", "p", "li"}:
            self._open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                _, parts = self._open.pop(index)
                text = " ".join("".join(parts).split())
                if tag == "a":
                    self.links.append(text)
                elif tag in {"p", "li"}:
                    self.paragraphs.append(text)
                else:
                    self.headings.append((int(tag[1]), text))
                return

    def handle_data(self, data: str) -> None:
        for _tag, parts in self._open:
            parts.append(data)


def _markup(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser


def guess_language(text: str, page_language: str = "de") -> str | None:
    """The language of a passage if it is clearly not the page's, else None (also for a page
    language without a word list here: no guess is better than a wrong one)."""
    if page_language not in STOPWORDS:
        return None
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 6:
        return None
    counts = {code: sum(w in stop for w in words) for code, stop in STOPWORDS.items()}
    own = counts.pop(page_language)
    code, hits = max(counts.items(), key=lambda item: item[1])
    if hits >= 3 and hits > 2 * own:
        return code
    return None


def heading_findings(headings: Iterable[tuple[int, str]]) -> list[Finding]:
    """The page title is the only h1; below it no level may be skipped (h2 → h4)."""
    findings, previous = [], 1
    for level, text in headings:
        if level == 1:
            findings.append(
                Finding(
                    "heading",
                    _(
                        "Die Überschrift „%(text)s“ ist eine Hauptüberschrift (H1); die hat nur "
                        "der Seitentitel. Nehmen Sie Überschrift 2."
                    )
                    % {"text": text},
                )
            )
        elif level > previous + 1:
            findings.append(
                Finding(
                    "heading",
                    _(
                        "Die Überschrift „%(text)s“ springt von Ebene %(previous)d auf Ebene "
                        "%(level)d. Überschriften dürfen keine Ebene auslassen."
                    )
                    % {"text": text, "previous": previous, "level": level},
                )
            )
        previous = level
    return findings


def link_findings(texts: Iterable[str]) -> list[Finding]:
    findings = []
    for text in texts:
        if not text.strip():
            findings.append(
                Finding("link", _("Ein Link hat keinen Text. Schreiben Sie, wohin er führt."))
            )
        elif text.strip(" .:!»›>").lower() in VAGUE_LINK_TEXTS:
            findings.append(
                Finding(
                    "link",
                    _(
                        "Der Linktext „%(text)s“ sagt nicht, wohin der Link führt. Schreiben "
                        "Sie das Ziel, z. B. „Antrag auf Wohngeld“."
                    )
                    % {"text": text},
                )
            )
    return findings


def language_findings(paragraphs: Iterable[str], page_language: str) -> list[Finding]:
    findings = []
    for paragraph in paragraphs:
        if code := guess_language(paragraph, page_language):
            findings.append(
                Finding(
                    "language",
                    _(
                        "Der Abschnitt „%(start)s …“ ist vermutlich %(language)s, aber nicht als "
                        "solcher gekennzeichnet. Setzen Sie ihn in den Block „Text in anderer "
                        "Sprache“, damit Vorleseprogramme die Sprache wechseln."
                    )
                    % {
                        "start": " ".join(paragraph.split()[:6]),
                        "language": dict(PASSAGE_LANGUAGES)[code],
                    },
                )
            )
    return findings


def pdf_title(path: str) -> str:
    """The title in a PDF's document information; empty if it has none or is unreadable."""
    try:
        metadata = PdfReader(path).metadata
    except (PdfReadError, OSError, ValueError):
        return ""
    return str((metadata.title if metadata else "") or "").strip()


def document_findings(document) -> list[Finding]:
    """A PDF without a title in its properties is read out as its file name (PDF/UA)."""
    if not document.file.name.lower().endswith(".pdf"):
        return []
    if pdf_title(document.file.path):
        return []
    return [
        Finding(
            "pdf",
            _(
                "Die PDF-Datei „%(name)s“ hat keinen Titel in ihren Dokumenteigenschaften. "
                "Tragen Sie ihn im Programm ein, mit dem Sie die PDF erzeugen, und laden Sie "
                "sie neu hoch."
            )
            % {"name": document.title},
        )
    ]


def body_findings(stream, language: str = "de") -> list[Finding]:
    """All findings of a page body (a StreamValue) in ``language``, in reading order."""
    findings: list[Finding] = []
    headings: list[tuple[int, str]] = []
    for kind, value in ((child.block_type, child.value) for child in stream):
        if kind == "text":
            markup = _markup(value.source)
            headings += markup.headings
            findings += link_findings(markup.links)
            findings += language_findings(markup.paragraphs, language)
        elif kind == "accordion":
            for item in value:
                markup = _markup(item["text"].source)
                findings += link_findings(markup.links)
                findings += language_findings(markup.paragraphs, language)
        elif kind == "foreign":
            findings += link_findings(_markup(value["text"].source).links)
        elif kind == "image" and not value["decorative"] and not value["alt"].strip():
            findings.append(
                Finding(
                    "alt",
                    _(
                        "Das Bild „%(image)s“ hat keinen Alternativtext. Beschreiben Sie, was "
                        "darauf zu sehen ist, oder kennzeichnen Sie es als nur schmückend."
                    )
                    % {"image": value["image"].title if value["image"] else "?"},
                )
            )
        elif kind == "table":
            header = [cell.strip() for cell in value["header"]]
            if not header or not all(header):
                findings.append(
                    Finding(
                        "table",
                        _("Die Tabelle „%(caption)s“ braucht für jede Spalte einen Spaltenkopf.")
                        % {"caption": value["caption"]},
                    )
                )
        elif kind == "download" and value["document"]:
            findings += document_findings(value["document"])
        elif kind == "video" and not value["captions"]:
            findings.append(
                Finding(
                    "captions",
                    _("Das Video „%(title)s“ braucht Untertitel (WebVTT-Datei).")
                    % {"title": value["title"]},
                )
            )
    return heading_findings(headings) + findings
