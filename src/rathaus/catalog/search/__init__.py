"""Catalogue search: German-aware, typo-tolerant, the same ranking ideas on PostgreSQL and SQLite.

Public: ``search()``, ``reindex()``, ``invalidate()``. The vocabulary (every catalogue
word, for spelling variants and typo correction) and the life situations' search words
are built once per process and rebuilt when the catalogue's revision changes; another
process notices a change within ``VOCABULARY_TTL`` seconds.

A query that describes a life situation ("ich bin umgezogen") finds that situation and
its services, besides the services that match by their own words.
"""

import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max

from ..models import LifeSituation, LifeSituationService, SearchDocument, Service, SynonymGroup
from . import backends
from .analysis import QueryTerm, Vocabulary, analyse
from .situations import SituationIndex

__all__ = ["Hit", "Results", "document_texts", "invalidate", "reindex", "search", "vocabulary"]

VOCABULARY_TTL = 5.0
MAX_LIMIT = 100


@dataclass(frozen=True)
class Hit:
    service: Service
    score: float


@dataclass(frozen=True)
class Results:
    query: str
    terms: list[QueryTerm]
    total: int
    hits: list[Hit]
    life_situations: list[LifeSituation] = field(default_factory=list)


def document_texts(service: Service) -> backends.DocumentTexts:
    """What a resident can find a service by, in index-weight order."""
    return backends.DocumentTexts(
        title=service.title,
        synonyms=service.synonyms,
        keywords=service.keywords,
        summary=service.summary,
        body="\n".join([service.description, service.audience, service.required_documents]),
    )


def _boost(popularity: int) -> float:
    """1.0 for a rarely used service, about 1.4 for one asked for 10,000 times a month."""
    return 1.0 + 0.1 * math.log10(1 + max(popularity, 0))


def reindex(services: Iterable[Service]) -> None:
    """Write the index entries of ``services``; call inside the transaction that changed them."""
    services = list(services)
    if not services:
        return
    SearchDocument.objects.bulk_create(
        [
            SearchDocument(service=s, published=s.is_published, boost=_boost(s.popularity))
            for s in services
        ],
        update_conflicts=True,
        unique_fields=["service"],
        update_fields=["published", "boost"],
    )
    backends.current().index([(s.pk, document_texts(s)) for s in services])
    invalidate()


_lock = threading.Lock()


@dataclass(frozen=True)
class _Catalogue:
    """What a search needs to know about the catalogue besides its index."""

    vocabulary: Vocabulary
    situations: SituationIndex


_state: dict[str, object] = {"catalogue": None, "revision": None, "checked": 0.0}


def invalidate() -> None:
    """Forget this process's vocabulary; the next search rebuilds it."""
    with _lock:
        _state.update(catalogue=None, revision=None, checked=0.0)


def _revision() -> tuple:
    sources = (Service.objects.published(), SynonymGroup.objects.all(), LifeSituation.objects.all())
    return tuple(
        tuple(q.aggregate(n=Count("id"), changed=Max("updated_at")).values()) for q in sources
    )


def _catalogue() -> _Catalogue:
    now = time.monotonic()
    with _lock:
        cached = _state["catalogue"]
        if cached is not None and now - float(_state["checked"]) < VOCABULARY_TTL:
            return cached  # type: ignore[return-value]
    revision = _revision()
    with _lock:
        if _state["catalogue"] is not None and _state["revision"] == revision:
            _state["checked"] = now
            return _state["catalogue"]  # type: ignore[return-value]
    fields = ("title", "synonyms", "keywords", "summary", "description", "audience")
    texts = Service.objects.published().values_list(*fields)
    situations = list(LifeSituation.objects.values_list("id", "title", "keywords"))
    members: dict[int, list[int]] = {}
    for situation_id, service_id in LifeSituationService.objects.filter(
        service__is_published=True
    ).values_list("life_situation_id", "service_id"):
        members.setdefault(situation_id, []).append(service_id)
    catalogue = _Catalogue(
        vocabulary=Vocabulary.build(
            # A life situation's words are catalogue words too: "umgezogen" is no typo.
            [*texts.iterator(chunk_size=500), *((t, k) for _, t, k in situations)],
            synonym_groups=(g.term_list() for g in SynonymGroup.objects.all()),
        ),
        situations=SituationIndex.build(
            (pk, title, keywords, members.get(pk, ())) for pk, title, keywords in situations
        ),
    )
    with _lock:
        _state.update(catalogue=catalogue, revision=revision, checked=now)
    return catalogue


def vocabulary() -> Vocabulary:
    """Every word of the published catalogue (what a query is checked against)."""
    return _catalogue().vocabulary


def search(query: str, *, limit: int = 20, offset: int = 0) -> Results:
    """Published services matching ``query``, best first. An empty query finds nothing."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    catalogue = _catalogue()
    terms = analyse(query, catalogue.vocabulary)
    if not terms:
        return Results(query=query, terms=[], total=0, hits=[])
    situations = catalogue.situations.match(terms)
    related = list(dict.fromkeys(pk for s in situations for pk in s.service_ids))
    backend = backends.current()
    window = {"limit": limit, "offset": offset, "related": related}
    matches, total = backend.query(terms, include_body=False, **window)
    if total < offset + limit:
        # Too few services name it up front; now those that mention it in passing count too.
        matches, total = backend.query(terms, include_body=True, **window)
    services = Service.objects.select_related("office", "topic").in_bulk(
        [m.service_id for m in matches]
    )
    hits = [Hit(services[m.service_id], m.score) for m in matches if m.service_id in services]
    found = LifeSituation.objects.in_bulk([s.id for s in situations])
    return Results(
        query=query,
        terms=terms,
        total=total,
        hits=hits,
        life_situations=[found[s.id] for s in situations if s.id in found],
    )
