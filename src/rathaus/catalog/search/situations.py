"""Matching what a resident says about their life ("ich bin umgezogen") to Lebenslagen.

A life situation is found by its title and its search keywords (``LifeSituation.keywords``),
stemmed like the service index and matched like the backends match (prefix for words of
4+ letters), in Python: a city has dozens of life situations, not thousands, and the
result is then the same on every database. A life situation counts when the words it
matches carry at least half of the query's weight, so one common word of a long query
does not pull in a whole situation.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .analysis import QueryTerm, analysed_text, stem
from .backends import PREFIX_MIN_LENGTH

MIN_COVERAGE = 0.5


@dataclass(frozen=True)
class Situation:
    id: int
    stems: frozenset[str]
    service_ids: tuple[int, ...]

    def matches(self, term: QueryTerm) -> bool:
        for word in term.spellings:
            root = stem(word)
            if root in self.stems:
                return True
            if len(word) >= PREFIX_MIN_LENGTH and any(s.startswith(root) for s in self.stems):
                return True
        return False


@dataclass(frozen=True)
class SituationIndex:
    situations: tuple[Situation, ...]

    @classmethod
    def build(cls, rows: Iterable[tuple[int, str, str, Sequence[int]]]) -> "SituationIndex":
        """``rows``: id, title, keywords and the service ids of each life situation, in order."""
        return cls(
            tuple(
                Situation(
                    id=pk,
                    stems=frozenset(analysed_text(f"{title}\n{keywords}").split()),
                    service_ids=tuple(service_ids),
                )
                for pk, title, keywords, service_ids in rows
            )
        )

    def match(self, terms: Sequence[QueryTerm]) -> list[Situation]:
        """The life situations ``terms`` describe, best covered first (then in catalogue order)."""
        total = sum(t.weight for t in terms)
        if not total:
            return []
        scored = []
        for order, situation in enumerate(self.situations):
            covered = sum(t.weight for t in terms if situation.matches(t)) / total
            if covered >= MIN_COVERAGE:
                scored.append((-covered, order, situation))
        return [situation for *_, situation in sorted(scored, key=lambda s: s[:2])]
