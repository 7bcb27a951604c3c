"""JSON API of the service assistant: ``GET /api/v1/assistent?q=…&lang=de``."""

from typing import Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from rathaus.core import ratelimit
from rathaus.core.api import ErrorOut

from . import assistant

router = Router(tags=["Assistent"])

WINDOW_SECONDS = 60
LanguageCode = Literal[tuple(code for code, _ in settings.LANGUAGES)]


class AssistantParams(Schema):
    q: str = Field(
        ...,
        min_length=1,
        max_length=assistant.MAX_QUESTION_LENGTH,
        description="The question, in everyday German or English.",
        json_schema_extra={"example": "Ich bin umgezogen, was muss ich machen?"},
    )
    lang: LanguageCode = Field("de", description="Language of the answer's own words.")
    leicht: bool = Field(False, description="Answer in Leichte Sprache where a service has it.")


class AssistantService(Schema):
    leika: str
    slug: str
    title: str
    url: str
    score: float = Field(description="Relevance; higher is better.")


class AssistantStatement(Schema):
    text: str = Field(description="One sentence, taken from the catalogue.")
    source: str = Field(description="The catalogue page (and section) it comes from.")
    action: str | None = Field(None, description="Where to do it: a form or a booking.")


class AssistantAnswer(Schema):
    answer: str = Field(
        description="The statements as text, or phrased by a language model (`generated`); "
        "[n] is the n-th of `sources`."
    )
    generated: bool = Field(description="Phrased by a language model from the statements.")
    services: list[AssistantService]
    statements: list[AssistantStatement]
    sources: list[str]


@router.get(
    "/assistent",
    response={200: AssistantAnswer, 429: ErrorOut},
    summary="Answer a question from the service catalogue",
)
def ask(
    request: HttpRequest, params: Query[AssistantParams], response: HttpResponse
) -> dict | Status:
    """The services that match the question, each with what to bring, the cost, the way to
    apply and the next free appointment, every statement with its source. Nothing of the
    question is stored. More than ``ASSISTANT_QUESTIONS_PER_IP_MINUTE`` questions a minute
    from one address: 429."""
    client = ratelimit.client_ip(request)
    limit = settings.ASSISTANT_QUESTIONS_PER_IP_MINUTE
    if not ratelimit.hit("language.assistant", client, limit=limit, window=WINDOW_SECONDS):
        response["Retry-After"] = str(WINDOW_SECONDS)
        return Status(429, {"detail": "Too many questions; please wait a minute."})
    found = assistant.answer(params.q, language=params.lang, easy=params.leicht)
    absolute = request.build_absolute_uri
    return {
        "answer": found.text(),
        "generated": bool(found.phrased),
        "services": [
            {
                "leika": s.service.leika,
                "slug": s.service.slug,
                "title": s.service.title,
                "url": absolute(s.url),
                "score": round(s.score, 6),
            }
            for s in found.suggestions
        ],
        "statements": [
            {
                "text": s.text,
                "source": absolute(s.source),
                "action": absolute(s.action) if s.action else None,
            }
            for s in found.statements
        ],
        "sources": [absolute(source) for source in found.sources],
    }
