"""Catalogue search: German-aware, typo-tolerant, the same ranking ideas on PostgreSQL and SQLite.

Public: ``search()``, ``reindex()``, ``invalidate()``. The vocabulary (every catalogue
word, for spelling variants and typo correction) is built once per process and
rebuilt when the catalogue's revision changes; another process notices a change
within ``VOCABULARY_TTL`` seconds.
"""

import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max

from ..models import SearchDocument, Service, SynonymGroup
from . import backends
from .analysis import QueryTerm, Vocabulary, analyse

__all__ = ["Hit", "Results", "document_texts", "invalidate", "reindex", "search"]

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
_state: dict[str, object] = {"vocabulary": None, "revision": None, "checked": 0.0}


def invalidate() -> None:
    """Forget this process's vocabulary; the next search rebuilds it."""
    with _lock:
        _state.update(vocabulary=None, revision=None, checked=0.0)


def _revision() -> tuple:
    services = Service.objects.published().aggregate(n=Count("id"), changed=Max("updated_at"))
    synonyms = SynonymGroup.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    return (services["n"], services["changed"], synonyms["n"], synonyms["changed"])


def _vocabulary() -> Vocabulary:
    now = time.monotonic()
    with _lock:
        cached = _state["vocabulary"]
        if cached is not None and now - float(_state["checked"]) < VOCABULARY_TTL:
            return cached  # type: ignore[return-value]
    revision = _revision()
    with _lock:
        if _state["vocabulary"] is not None and _state["revision"] == revision:
            _state["checked"] = now
            return _state["vocabulary"]  # type: ignore[return-value]
    fields = ("title", "synonyms", "keywords", "summary", "description", "audience")
    texts = Service.objects.published().values_list(*fields)
    vocabulary = Vocabulary.build(
        texts.iterator(chunk_size=500),
        synonym_groups=(g.term_list() for g in SynonymGroup.objects.all()),
    )
    with _lock:
        _state.update(vocabulary=vocabulary, revision=revision, checked=now)
    return vocabulary


def search(query: str, *, limit: int = 20, offset: int = 0) -> Results:
    """Published services matching ``query``, best first. An empty query finds nothing."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    terms = analyse(query, _vocabulary())
    if not terms:
        return Results(query=query, terms=[], total=0, hits=[])
    backend = backends.current()
    matches, total = backend.query(terms, limit=limit, offset=offset, include_body=False)
    if total < offset + limit:
        # Too few services name it up front; now those that mention it in passing count too.
        matches, total = backend.query(terms, limit=limit, offset=offset, include_body=True)
    services = Service.objects.select_related("office", "topic").in_bulk(
        [m.service_id for m in matches]
    )
    hits = [Hit(services[m.service_id], m.score) for m in matches if m.service_id in services]
    return Results(query=query, terms=terms, total=total, hits=hits)
