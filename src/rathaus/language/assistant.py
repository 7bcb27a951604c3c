"""The service assistant: answers a resident's question from the service catalogue only.

A question ("Ich bin umgezogen, was muss ich machen?", "my dog tax") is rewritten into
catalogue words and handed to the catalogue search (``catalog.search``), which already
stems, folds umlauts, corrects typos, knows synonyms and life situations:

1. English words and phrases become the catalogue's German words (``assistant_english.txt``,
   longest phrase first);
2. words that only make it a question ("was muss ich machen", "I need") are dropped;
3. a compound the catalogue does not know is split into two words it knows
   ("Reisepassantrag" → "Reisepass Antrag", with the linking s/es/n/en/e).

A service found counts only when its own words carry more than half of the question's
weight (``rank``). The answer is a list of ``Statement``s, each taken from one field of
one service and citing it (its page and section); the assistant adds no fact of its own.
When nothing matches, it says so and names the city's contact. Nothing of the question is
stored here; ``services.log_question`` keeps an opt-in, anonymised quality log.
"""

import functools
import logging
import re
from collections.abc import Callable
from dataclasses import astuple, dataclass, field, replace
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from rathaus.appointments.services import slots
from rathaus.appointments.views.common import choice_query, time_query
from rathaus.catalog import search as catalog_search
from rathaus.catalog.models import Service, ServiceChannel
from rathaus.catalog.search.analysis import QueryTerm, analysed_text, query_words, stem, words
from rathaus.catalog.search.backends import PREFIX_MIN_LENGTH
from rathaus.catalog.search.situations import MIN_COVERAGE
from rathaus.catalog.search.stopwords import GERMAN_STOP_WORDS
from rathaus.core.templatetags.rathaus import euro
from rathaus.offices.models import Office

from . import endpoints
from .translations import LANGUAGE_NAMES

logger = logging.getLogger(__name__)

MAX_QUESTION_LENGTH = 200
MAX_SERVICES = 3
# A further service is shown when it scores at least this share of the best one: a
# question about moving house names several, one about dog tax just the one.
RELATIVE_SCORE = 0.6
MAX_DOCUMENTS = 6
EASY_LINES = 4

# Words that make a sentence a question but say nothing about what is asked.
FILLER = frozenset(
    words(
        """
    ich bin muss musst müssen machen mache tun wie wo wann was wer welche welcher welches
    bekomme bekommt bekommen kriege brauche brauchst brauchen möchte möchten will wollen
    kann können darf bitte hallo guten tag hilfe frage neu neue neuen neuer gibt geht
    soll sollte mein meine meinen meinem meiner unser unsere unseren wir ist sind war
    jetzt schon noch gerne einen einer erledigen beantragen fuer
    i my me a an the for to need needs how do does can could want would where what when
    who which is are was were in of get got new please hello hi help our we us you your
    with at on and or it this that there have has had old am be some any about from
    """
    )
)
# Linking elements between the parts of a German compound (Fugenelemente).
LINKS = ("", "s", "es", "n", "en", "e")
MIN_PART = 3


@dataclass(frozen=True)
class Statement:
    """One sentence of an answer and the catalogue text it comes from."""

    text: str
    source: str
    # Where the statement links to when it is not the source page (a booking, a form).
    action: str = ""


@dataclass(frozen=True)
class Suggestion:
    service: Service
    score: float
    url: str
    statements: list[Statement]


@dataclass(frozen=True)
class Answer:
    question: str
    query: str
    language: str
    easy: bool
    suggestions: list[Suggestion]
    # When nothing matched: what to do instead, with its source.
    fallback: list[Statement] = field(default_factory=list)
    # The statements put into a few sentences by a language model (``ASSISTANT_LLM_URL``),
    # each sentence citing its sources as [n]; empty without one or when it cited wrongly.
    phrased: str = ""

    @property
    def statements(self) -> list[Statement]:
        return [s for suggestion in self.suggestions for s in suggestion.statements] + list(
            self.fallback
        )

    @property
    def sources(self) -> list[str]:
        """Every page a statement cites, in order, once."""
        return list(dict.fromkeys(s.source for s in self.statements))

    def numbered(self) -> str:
        """The statements as plain text, each followed by the number of its source."""
        numbers = {source: n for n, source in enumerate(self.sources, start=1)}
        return "\n".join(f"{s.text} [{numbers[s.source]}]" for s in self.statements)

    def text(self) -> str:
        return self.phrased or self.numbered()


@functools.cache
def _english() -> dict[tuple[str, ...], tuple[str, ...]]:
    phrases = {}
    path = Path(__file__).with_name("assistant_english.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" not in line or line.lstrip().startswith("#"):
            continue
        english, german = line.split("=", 1)
        phrases[tuple(query_words(english))] = tuple(query_words(german))
    return phrases


def _translate_english(tokens: list[str]) -> list[str]:
    """Replace English phrases by the catalogue's German words, the longest phrase first."""
    phrases = _english()
    longest = max((len(p) for p in phrases), default=1)
    result, i = [], 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            german = phrases.get(tuple(tokens[i : i + size]))
            if german is not None:
                result.extend(german)
                i += size
                break
        else:
            result.append(tokens[i])
            i += 1
    return result


def _split_compound(word: str, knows: Callable[[str], bool]) -> list[str]:
    """Two catalogue words that make ``word`` ("reisepassantrag" → "reisepass", "antrag"),
    or ``[word]``."""
    if knows(word) or len(word) < 2 * MIN_PART:
        return [word]
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, tail = word[:cut], word[cut:]
        if not knows(tail):
            continue
        for link in LINKS:
            if head.endswith(link) and len(head) - len(link) >= MIN_PART:
                first = head[: len(head) - len(link)] if link else head
                if knows(first):
                    return [first, tail]
    return [word]


def rewrite(question: str) -> str:
    """The catalogue search query for a resident's question."""
    tokens = _translate_english(query_words(question[:MAX_QUESTION_LENGTH]))
    knows = catalog_search.vocabulary().knows
    kept = []
    for token in tokens:
        if token in FILLER or token in GERMAN_STOP_WORDS:
            continue
        kept.extend(_split_compound(token, knows))
    return " ".join(dict.fromkeys(kept))


def rank(query: str, limit: int = MAX_SERVICES) -> list[catalog_search.Hit]:
    """The services that answer a rewritten question (``rewrite``), best first: those the
    catalogue search ranks highest, as long as they cover more than ``MIN_COVERAGE`` of the
    question's weight (the bar the search sets for life situations) or belong to a life
    situation it describes."""
    if not query:
        return []
    results = catalog_search.search(query, limit=limit)
    situation_services = set(
        Service.objects.filter(life_situations__in=results.life_situations).values_list(
            "pk", flat=True
        )
    )
    total = sum(term.weight for term in results.terms)
    return [
        hit
        for hit in results.hits
        if hit.service.pk in situation_services
        or _covered(results.terms, hit.service) > MIN_COVERAGE * total
    ]


def _covered(terms: list[QueryTerm], service: Service) -> float:
    """The weight of the question's words that the service's own texts contain (stemmed,
    prefix as in the search): a service found by one common word of a question whose
    rare words it does not know ("Pizza bestellen") is no answer."""
    texts = astuple(catalog_search.document_texts(service))[:-1]  # without the body
    stems = set(analysed_text("\n".join(texts)).split())
    return sum(
        term.weight
        for term in terms
        if any(
            stem(word) in stems
            or (len(word) >= PREFIX_MIN_LENGTH and any(s.startswith(stem(word)) for s in stems))
            for word in term.alternatives
        )
    )


def answer(
    question: str, *, language: str = "de", easy: bool = False, now: datetime | None = None
) -> Answer:
    """What the catalogue says about ``question``, in ``language`` (the catalogue's own texts
    stay German), in Leichte Sprache where a service has it and ``easy`` is set."""
    question = question.strip()[:MAX_QUESTION_LENGTH]
    query = rewrite(question)
    with translation.override(language):
        hits = rank(query)
        best = hits[0].score if hits else 0.0
        chosen = [h for h in hits if h.score >= best * RELATIVE_SCORE]
        suggestions = [_suggest(h.service, h.score, easy=easy, now=now) for h in chosen]
        found = Answer(
            question=question,
            query=query,
            language=language,
            easy=easy,
            suggestions=suggestions,
            fallback=[] if suggestions else _fallback(),
        )
    if suggestions and settings.ASSISTANT_LLM_URL:
        found = replace(found, phrased=_phrase(found))
    return found


_CITATION = re.compile(r"\[(\d+)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+")


def cites_only_sources(text: str, sources: int) -> bool:
    """Whether every sentence of ``text`` cites at least one of the ``sources`` (numbered from
    1) and nothing else: a sentence without a citation could be invented."""
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    if not sentences:
        return False
    for sentence in sentences:
        numbers = [int(n) for n in _CITATION.findall(sentence)]
        if not numbers or not all(1 <= n <= sources for n in numbers):
            return False
    return True


def _phrase(found: Answer) -> str:
    """A short answer a language model writes from the numbered statements only; ``""`` when
    the endpoint fails or the answer cites anything but the retrieved sources."""
    style = (
        "Leichte Sprache (easy-to-read German)"
        if found.easy
        else LANGUAGE_NAMES.get(found.language, "German")
    )
    system = (
        f"You answer a resident's question for a German city in {style}, in at most four "
        "short sentences, using ONLY the numbered facts given. End every sentence with the "
        "numbers of the facts it uses, like [1] or [2][3]. Add nothing that is not in the "
        "facts; if they do not answer the question, say so and cite the fact about whom to "
        "contact."
    )
    user = f"Question: {found.question}\n\nFacts:\n{found.numbered()}"
    try:
        text = endpoints.chat(
            settings.ASSISTANT_LLM_URL,
            key=settings.ASSISTANT_LLM_API_KEY,
            model=settings.ASSISTANT_LLM_MODEL,
            system=system,
            user=user,
            timeout=settings.ASSISTANT_LLM_TIMEOUT,
        ).strip()
    except endpoints.EndpointFailed:
        logger.warning("assistant: the language model did not answer", exc_info=True)
        return ""
    if not cites_only_sources(text, len(found.sources)):
        logger.warning("assistant: the language model cited beyond the sources: %s", text[:300])
        return ""
    return text


def _suggest(service: Service, score: float, *, easy: bool, now: datetime | None) -> Suggestion:
    url = service.get_absolute_url()
    statements = []
    if easy and service.easy_language:
        lines = [line.strip() for line in service.easy_language.splitlines() if line.strip()]
        statements.append(Statement(" ".join(lines[:EASY_LINES]), url + "#leichte-sprache"))
    else:
        statements.append(Statement(service.summary, url))
    documents = service.document_list()
    if documents:
        shown = ", ".join(documents[:MAX_DOCUMENTS]) + (
            " …" if len(documents) > MAX_DOCUMENTS else ""
        )
        statements.append(
            Statement(_("Mitbringen: %(documents)s") % {"documents": shown}, url + "#unterlagen")
        )
    if service.fee_amount is not None:
        fee = euro(service.fee_amount) if service.fee_amount else _("gebührenfrei")
        statements.append(Statement(_("Kosten: %(fee)s") % {"fee": fee}, url + "#eckdaten"))
    online = next((c for c in service.channels.all() if c.kind == ServiceChannel.Kind.ONLINE), None)
    if online is not None:
        statements.append(
            Statement(
                _("Online beantragen: %(label)s")
                % {"label": online.label or online.get_kind_display()},
                url + "#so-gehts",
                action=online.url,
            )
        )
    statements.extend(_next_appointment(service, url, now))
    statements.append(
        Statement(_("Zuständig: %(office)s") % {"office": service.office.name}, url + "#zustaendig")
    )
    return Suggestion(service=service, score=score, url=url, statements=statements)


def _next_appointment(service: Service, url: str, now: datetime | None) -> list[Statement]:
    found = slots.earliest([service], 1, limit=1, now=now)
    if not found:
        return []
    free = found[0]
    office = Office.objects.only("slug", "name").get(pk=free.office_id)
    when = formats.date_format(timezone.localtime(free.starts_at), "D, d.m.Y, H:i")
    booking = (
        reverse("appointments:book", args=[office.slug])
        + "?"
        + time_query(choice_query([service], 1), free.day, free.unit)
    )
    return [
        Statement(
            _("Nächster freier Termin: %(when)s Uhr, %(office)s")
            % {"when": when, "office": office.name},
            url + "#so-gehts",
            action=booking,
        )
    ]


def _fallback() -> list[Statement]:
    contact = reverse("core:contact")
    return [
        Statement(
            _("Dazu habe ich im Leistungskatalog der Stadt nichts gefunden."),
            reverse("catalog:a_to_z"),
        ),
        Statement(
            _("Das Bürgertelefon hilft weiter: %(phone)s, Montag bis Freitag von 7 bis 18 Uhr.")
            % {"phone": settings.RATHAUS["CONTACT_PHONE"]},
            contact,
        ),
    ]
