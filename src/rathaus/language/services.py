"""Leichte Sprache as a visitor's choice, and the assistant's opt-in quality log."""

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .assistant import Answer
from .models import LoggedQuestion

EASY_COOKIE = "leichte_sprache"
EASY_COOKIE_AGE = 365 * 24 * 3600

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers, customer and file numbers, dates of birth: any run of digits.
_NUMBER = re.compile(r"\d[\d\s/.\-]*\d|\d")


def easy_language_wanted(request: HttpRequest) -> bool:
    return request.COOKIES.get(EASY_COOKIE) == "1"


def remember_easy_language(response: HttpResponse, on: bool) -> None:
    """A preference, not a tracker: one cookie with ``1``, removed when switched off."""
    if on:
        response.set_cookie(
            EASY_COOKIE,
            "1",
            max_age=EASY_COOKIE_AGE,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
        )
    else:
        response.delete_cookie(EASY_COOKIE, samesite="Lax")


def anonymise(question: str) -> str:
    """The question without e-mail addresses and numbers."""
    return _NUMBER.sub("…", _EMAIL.sub("…", question)).strip()


def log_question(answer: Answer) -> LoggedQuestion:
    """Keep ``answer``'s question for improving the assistant; only call it when the resident
    ticked the box."""
    return LoggedQuestion.objects.create(
        question=anonymise(answer.question)[:200],
        language=answer.language,
        easy=answer.easy,
        found=",".join(s.service.slug for s in answer.suggestions)[:400],
        day=timezone.localdate(),
    )
