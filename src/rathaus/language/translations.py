"""Machine translation of content (service texts, offers, application forms): through
LibreTranslate's HTTP API or any OpenAI-compatible chat endpoint, cached, marked until staff
review it.

``TRANSLATION_URL`` switches it on (``TRANSLATION_BACKEND``: ``libretranslate``, the default,
or ``openai``; ``TRANSLATION_API_KEY``, ``TRANSLATION_MODEL``). Each translated field is a
``ContentTranslation`` row keyed by object, field and language, holding the hash of the German
text it was made from: when the German text changes, the next reader gets a new translation
(a reviewed one too, since the review was of the old text). Without a backend, or when the
backend fails, the page shows the German text and says so (``Text.machine``/``Text.german``).

Application forms: ``translated_schema`` translates the texts of a form definition (labels,
help, choices' labels, messages) and keeps keys, values and rules, so an applicant fills in
the form in their language while the office receives the answers as in German.
"""

import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction

from .endpoints import EndpointFailed, chat, post_json
from .models import ContentTranslation

logger = logging.getLogger(__name__)

SOURCE_LANGUAGE = "de"
LANGUAGE_NAMES = {
    "en": "English",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ar": "Arabic",
    "pl": "Polish",
    "ja": "Japanese",
}


@dataclass(frozen=True)
class Text:
    """A field's text as shown: translated (by machine until reviewed) or the German one."""

    text: str
    language: str
    machine: bool = False

    @property
    def german(self) -> bool:
        return self.language == SOURCE_LANGUAGE


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _libretranslate(texts: Sequence[str], language: str, html: bool) -> list[str]:
    """``POST /translate`` with ``q`` as a list: one request for all fields of a page."""
    body = {
        "q": list(texts),
        "source": SOURCE_LANGUAGE,
        "target": language,
        "format": "html" if html else "text",
    }
    if settings.TRANSLATION_API_KEY:
        body["api_key"] = settings.TRANSLATION_API_KEY
    answer = post_json(
        settings.TRANSLATION_URL.rstrip("/") + "/translate",
        body,
        headers={},
        timeout=settings.TRANSLATION_TIMEOUT,
    )
    translated = answer.get("translatedText") if isinstance(answer, dict) else None
    if not isinstance(translated, list) or len(translated) != len(texts):
        raise EndpointFailed(f"LibreTranslate answered {str(answer)[:200]}")
    return [str(t) for t in translated]


def _openai(texts: Sequence[str], language: str, html: bool) -> list[str]:
    """``POST /chat/completions``: the texts go as a JSON list and must come back as one."""
    target = LANGUAGE_NAMES.get(language, language)
    instruction = (
        f"Translate each German text of the JSON list into {target} "
        "for residents reading a city's website. Keep names of offices, addresses, amounts, "
        "dates and line breaks. "
        + (
            "The texts are HTML fragments: keep every tag and its attributes as they are and "
            "translate only the text between them. "
            if html
            else ""
        )
        + "Answer with a JSON list of the translations, in the same order, and nothing else."
    )
    content = chat(
        settings.TRANSLATION_URL,
        key=settings.TRANSLATION_API_KEY,
        model=settings.TRANSLATION_MODEL,
        system=instruction,
        user=json.dumps(list(texts), ensure_ascii=False),
        timeout=settings.TRANSLATION_TIMEOUT,
    )
    try:
        translated = json.loads(content.strip().removeprefix("```json").strip("`\n "))
    except ValueError as error:
        raise EndpointFailed(f"the chat endpoint answered {content[:200]}") from error
    if not isinstance(translated, list) or len(translated) != len(texts):
        raise EndpointFailed(f"the chat endpoint answered {str(translated)[:200]}")
    return [str(t) for t in translated]


BACKENDS = {"libretranslate": _libretranslate, "openai": _openai}


def configured() -> bool:
    return bool(settings.TRANSLATION_URL)


def machine_translate(texts: Sequence[str], language: str, *, html: bool = False) -> list[str]:
    """The backend's translations of ``texts`` from German into ``language``; with ``html``,
    the texts are HTML fragments whose tags must come back unchanged."""
    backend = BACKENDS.get(settings.TRANSLATION_BACKEND)
    if backend is None:
        raise EndpointFailed(
            f"TRANSLATION_BACKEND={settings.TRANSLATION_BACKEND!r}: use "
            + " or ".join(sorted(BACKENDS))
        )
    return backend(texts, language, html)


def texts(obj: models.Model, fields: Sequence[str], language: str) -> dict[str, Text]:
    """``obj``'s ``fields`` in ``language``: from the cache while the German text is unchanged,
    else newly translated (all missing fields in one request), else German."""
    return translate(obj, {f: getattr(obj, f) or "" for f in fields}, language)


def translate(obj: models.Model, german: dict[str, str], language: str) -> dict[str, Text]:
    """The texts ``german`` (by a name unique within ``obj``) of ``obj`` in ``language``."""
    if language == SOURCE_LANGUAGE:
        return {f: Text(t, SOURCE_LANGUAGE) for f, t in german.items()}
    content_type = ContentType.objects.get_for_model(obj)
    cached = {
        row.field: row
        for row in ContentTranslation.objects.filter(
            content_type=content_type, object_id=obj.pk, language=language, field__in=list(german)
        )
    }
    result: dict[str, Text] = {}
    missing = []
    for field, text in german.items():
        row = cached.get(field)
        if not text.strip():
            result[field] = Text(text, SOURCE_LANGUAGE)
        elif row is not None and row.source_hash == source_hash(text):
            result[field] = Text(row.text, language, machine=not row.reviewed)
        else:
            missing.append(field)
    if missing and configured():
        try:
            translated = machine_translate([german[f] for f in missing], language)
        except EndpointFailed:
            logger.warning("machine translation failed", exc_info=True)
        else:
            for field, text in zip(missing, translated, strict=True):
                _store(content_type, obj.pk, field, language, german[field], text)
                result[field] = Text(text, language, machine=True)
    for field in missing:
        result.setdefault(field, Text(german[field], SOURCE_LANGUAGE))
    return result


# What of a form definition a resident reads: keys, values and rules stay as they are, so the
# office receives the same answers in German whatever language the form was filled in.
FORM_TEXTS = ("label", "help", "pattern_message")


def _form_texts(spec: dict[str, Any], path: str) -> Iterator[tuple[str, str]]:
    for name in FORM_TEXTS:
        if spec.get(name):
            yield f"{path}.{name}", spec[name]
    for number, option in enumerate(spec.get("options") or []):
        yield f"{path}.options.{number}", option[1]
    for number, member in enumerate(spec.get("fields") or []):
        yield from _form_texts(member, f"{path}.fields.{number}")


def schema_texts(schema: dict[str, Any]) -> dict[str, str]:
    """Every text of a form definition by its path ("pages.0.fields.2.label")."""
    found = {"intro": schema.get("intro") or ""}
    for number, page in enumerate(schema.get("pages") or []):
        found[f"pages.{number}.title"] = page.get("title") or ""
        found[f"pages.{number}.intro"] = page.get("intro") or ""
        for position, spec in enumerate(page.get("fields") or []):
            found.update(_form_texts(spec, f"pages.{number}.fields.{position}"))
    return found


def _put(schema: dict[str, Any], path: str, text: str) -> None:
    *steps, last = path.split(".")
    node: Any = schema
    for step in steps:
        node = node[int(step)] if isinstance(node, list) else node[step]
    if isinstance(node, list):  # an option: [value, label]
        node[int(last)] = [node[int(last)][0], text]
    else:
        node[last] = text


def translated_schema(obj: models.Model, schema: dict[str, Any], language: str) -> tuple[dict, str]:
    """A copy of the form definition ``schema`` (kept by ``obj``) with its texts in
    ``language``, and the page's note (``note``)."""
    shown = translate(obj, schema_texts(schema), language)
    copy = json.loads(json.dumps(schema))
    for path, text in shown.items():
        if not text.german:
            _put(copy, path, text.text)
    return copy, note(shown, language)


def _store(
    content_type: ContentType, object_id: int, field: str, language: str, source: str, text: str
) -> None:
    """Keep a new machine translation; a review of the old German text no longer holds."""
    try:
        with transaction.atomic():
            ContentTranslation.objects.update_or_create(
                content_type=content_type,
                object_id=object_id,
                field=field,
                language=language,
                defaults={
                    "source_hash": source_hash(source),
                    "text": text,
                    "reviewed_by": None,
                    "reviewed_at": None,
                },
            )
    except IntegrityError:
        # Two readers translated the same field at once; the first one's row stays.
        pass


def note(shown: dict[str, Text], language: str) -> str:
    """What the page says about its texts: ``"machine"`` when one is machine-translated and
    unreviewed, ``"german"`` when one stays German in another language, else ``""``."""
    if language == SOURCE_LANGUAGE:
        return ""
    if any(t.machine for t in shown.values()):
        return "machine"
    if any(t.german and t.text.strip() for t in shown.values()):
        return "german"
    return ""
