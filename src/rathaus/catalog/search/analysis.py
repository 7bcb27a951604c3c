"""Turning what a resident types into search terms, the same way on every database.

A query is split into words; stop words go; each remaining word becomes a
``QueryTerm`` with alternatives: the word itself, the catalogue's own spelling
when it was typed without umlauts ("Fuehrerschein", "Strasse"), the closest
catalogue word when it looks like a typo ("Reispass"), and the members of its
synonym groups ("Kfz" → "Auto"). The backends match any alternative, so a term
adds recall without changing what the other words mean.
"""

import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .stopwords import GERMAN_STOP_WORDS

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
# Typo tolerance is for short queries: with many words the others carry the meaning.
TYPO_MAX_TERMS = 4
TYPO_MIN_LENGTH = 4

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("german")


def normalise(text: str) -> str:
    """NFKC and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def words(text: str) -> list[str]:
    """The words of a document, however long (what is indexed)."""
    return _WORD.findall(normalise(text))


def query_words(query: str) -> list[str]:
    """The words of a query: no more than the length a search box needs."""
    return words((query or "")[:MAX_QUERY_LENGTH])


def fold(word: str) -> str:
    """The spelling-independent key of a word: ä/ae, ö/oe, ü/ue, ß/ss all become one."""
    return word.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball German, the algorithm behind PostgreSQL's ``german`` configuration."""
    return _stemmer.stemWord(word.lower())


def analysed_text(text: str) -> str:
    """Text as the SQLite index stores it: stemmed words without stop words."""
    return " ".join(stem(w) for w in words(text) if w not in GERMAN_STOP_WORDS)


@dataclass(frozen=True)
class Vocabulary:
    """Every word of the published catalogue, by folded key, with its document frequency."""

    surface: dict[str, str]
    document_frequency: dict[str, int]
    documents: int
    synonyms: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, texts: Iterable[Iterable[str]], synonym_groups: Iterable[Iterable[str]] = ()
    ) -> "Vocabulary":
        """``texts`` yields, per service, the texts whose words count for that service."""
        surface: dict[str, str] = {}
        frequency: Counter[str] = Counter()
        documents = 0
        for service_texts in texts:
            documents += 1
            seen = set()
            for text in service_texts:
                for word in words(text):
                    if word in GERMAN_STOP_WORDS or word.isdigit():
                        continue
                    key = fold(word)
                    surface.setdefault(key, word)
                    seen.add(key)
            frequency.update(seen)
        synonyms: dict[str, set[str]] = {}
        for group in synonym_groups:
            members = {w for term in group for w in words(term)}
            for member in members:
                synonyms.setdefault(fold(member), set()).update(members - {member})
        return cls(
            surface=surface,
            document_frequency=dict(frequency),
            documents=documents,
            synonyms={k: frozenset(v) for k, v in synonyms.items()},
        )

    def weight(self, word: str) -> float:
        """Inverse document frequency: rare words decide more than common ones."""
        df = self.document_frequency.get(fold(word), 0)
        return math.log(1 + (self.documents + 1) / (df + 1))

    def closest(self, word: str) -> list[str]:
        """Catalogue words within one (short words) or two typing errors of ``word``."""
        key = fold(word)
        limit = 1 if len(key) <= 6 else 2
        matches = process.extract(
            key, self.surface.keys(), scorer=OSA.distance, score_cutoff=limit, limit=20
        )
        if not matches:
            return []
        best = min(score for _, score, _ in matches)
        return [self.surface[candidate] for candidate, score, _ in matches if score == best][:3]

    def knows(self, word: str) -> bool:
        return fold(word) in self.surface

    def has_prefix(self, word: str) -> bool:
        key = fold(word)
        return any(candidate.startswith(key) for candidate in self.surface)


@dataclass(frozen=True)
class QueryTerm:
    word: str
    alternatives: tuple[str, ...]
    weight: float
    # The word as typed, in the catalogue's spelling or corrected, without synonyms: what
    # a life situation is matched by (its keywords say what synonyms would guess).
    spellings: tuple[str, ...] = ()


def analyse(query: str, vocabulary: Vocabulary) -> list[QueryTerm]:
    """The search terms of ``query``; empty when nothing searchable is left."""
    tokens = [w for w in query_words(query) if w not in GERMAN_STOP_WORDS][:MAX_TERMS]
    typo_tolerant = len(tokens) <= TYPO_MAX_TERMS
    terms = []
    for token in dict.fromkeys(tokens):
        alternatives = [token]
        if vocabulary.knows(token):
            alternatives.append(vocabulary.surface[fold(token)])
        elif (
            typo_tolerant
            and len(token) >= TYPO_MIN_LENGTH
            and not token.isdigit()
            and not vocabulary.has_prefix(token)
        ):
            alternatives.extend(vocabulary.closest(token))
        spellings = tuple(dict.fromkeys(a for a in alternatives if a))
        for alternative in list(alternatives):
            alternatives.extend(sorted(vocabulary.synonyms.get(fold(alternative), ())))
        unique = tuple(dict.fromkeys(a for a in alternatives if a))
        weight = max(vocabulary.weight(a) for a in unique)
        terms.append(QueryTerm(token, unique, weight, spellings))
    return terms
