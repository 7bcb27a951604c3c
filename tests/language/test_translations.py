"""Machine translation of content: the real client code against small local servers that
speak LibreTranslate's and the OpenAI chat API's protocol; cached, marked until reviewed,
translated again when the German text changes, German with a note without a backend."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from rathaus.catalog.models import Service
from rathaus.language import translations
from rathaus.language.endpoints import EndpointFailed
from rathaus.language.models import ContentTranslation
from rathaus.programs.models import Offer
from tests.applications.conftest import fill_all_pages, start_application, verified_client
from tests.factories import UserFactory

from .conftest import chat_reply

pytestmark = pytest.mark.django_db

MACHINE_NOTE = "Machine-translated"
GERMAN_NOTE = "not yet available in your language"


def _libretranslate(body: dict) -> dict | int:
    texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
    return {"translatedText": [f"[{body['target']}] {t}" for t in texts]}


def _chat(body: dict) -> dict:
    texts = json.loads(body["messages"][1]["content"])
    return chat_reply(json.dumps([f"[chat] {t}" for t in texts], ensure_ascii=False))


@pytest.fixture
def translator(endpoint, settings):
    """LibreTranslate (``POST /translate``) and an OpenAI-compatible endpoint
    (``POST /v1/chat/completions``) in one: "translates" by writing ``[en] `` before a text."""
    endpoint.routes = {"/translate": _libretranslate, "/v1/chat/completions": _chat}
    settings.TRANSLATION_URL = endpoint.url
    settings.TRANSLATION_BACKEND = "libretranslate"
    settings.TRANSLATION_API_KEY = "test-key"
    return endpoint


@pytest.fixture
def service():
    return Service.objects.get(slug="hundesteuer-anmelden")


def _page(client, service, language="en"):
    client.cookies["django_language"] = language
    return client.get(reverse("catalog:service", args=[service.slug])).content.decode()


def test_libretranslate_translates_a_page_in_one_request_and_caches_it(client, translator, service):
    page = _page(client, service)
    assert f"[en] {service.summary}" in page
    assert MACHINE_NOTE in page
    (request,) = translator.requests
    assert request["path"] == "/translate"
    assert request["body"]["source"] == "de" and request["body"]["target"] == "en"
    assert request["body"]["api_key"] == "test-key"
    assert service.summary in request["body"]["q"] and service.title in request["body"]["q"]
    _page(client, service)
    assert len(translator.requests) == 1  # cached
    assert ContentTranslation.objects.filter(object_id=service.pk, language="en").count() >= 5


def test_a_changed_german_text_is_translated_again(client, translator, service):
    _page(client, service)
    service.summary = "Neue Kurzbeschreibung der Hundesteuer."
    service.save()
    page = _page(client, service)
    assert "[en] Neue Kurzbeschreibung der Hundesteuer." in page
    assert translator.requests[-1]["body"]["q"] == ["Neue Kurzbeschreibung der Hundesteuer."]


def test_a_reviewed_translation_loses_the_note_until_the_german_text_changes(
    client, translator, service
):
    _page(client, service)
    ContentTranslation.objects.filter(object_id=service.pk, language="en").update(
        reviewed_at=timezone.now(), text="Register a dog for dog tax"
    )
    page = _page(client, service)
    assert MACHINE_NOTE not in page and "Register a dog for dog tax" in page
    service.title = "Hund anmelden (Hundesteuer)"
    service.save()
    page = _page(client, service)
    assert MACHINE_NOTE in page
    row = ContentTranslation.objects.get(object_id=service.pk, language="en", field="title")
    assert row.reviewed_at is None and row.text == "[en] Hund anmelden (Hundesteuer)"


def test_an_openai_compatible_endpoint_works_the_same(client, translator, service, settings):
    settings.TRANSLATION_URL += "/v1"
    settings.TRANSLATION_BACKEND = "openai"
    page = _page(client, service, "uk")
    assert f"[chat] {service.summary}" in page
    (request,) = translator.requests
    assert request["headers"]["Authorization"] == "Bearer test-key"
    assert "Ukrainian" in request["body"]["messages"][0]["content"]


def test_without_a_backend_the_page_is_german_with_a_clear_note(client, service, settings):
    settings.TRANSLATION_URL = ""
    page = _page(client, service)
    assert service.summary in page and GERMAN_NOTE in page
    assert f'lang="de">{service.summary}' in page
    assert ContentTranslation.objects.count() == 0


def test_a_failing_backend_leaves_the_german_text_and_nothing_cached(client, translator, service):
    translator.routes["/translate"] = lambda body: 500
    page = _page(client, service)
    assert service.summary in page and GERMAN_NOTE in page
    assert ContentTranslation.objects.count() == 0


def test_german_pages_never_ask_the_backend(client, translator, service):
    page = _page(client, service, "de")
    assert MACHINE_NOTE not in page and GERMAN_NOTE not in page
    assert translator.requests == []


def test_an_offer_is_translated_too(client, translator):
    offer = Offer.objects.filter(description__gt="").first()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("programs:offer", args=[offer.slug])).content.decode()
    assert f"[en] {offer.title}" in page and MACHINE_NOTE in page


def test_unknown_backend_names_say_what_to_set(settings):
    settings.TRANSLATION_URL = "http://127.0.0.1:9"
    settings.TRANSLATION_BACKEND = "deepl"
    with pytest.raises(EndpointFailed, match="libretranslate or openai"):
        translations.machine_translate(["Hallo"], "en")


def test_an_applicant_fills_in_the_form_in_english_and_the_office_gets_german_answers(
    translator,
):
    german_client = verified_client(UserFactory())
    english_client = verified_client(UserFactory())
    english_client.cookies["django_language"] = "en"
    german, english = start_application(german_client), start_application(english_client)
    first = german.form.schema["pages"][0]
    page = english_client.get(f"/antraege/{english.public_id}/seite/1/").content.decode()
    assert f"[en] {first['title']}" in page and MACHINE_NOTE in page
    assert f"[en] {first['fields'][0]['label']}" in page
    fill_all_pages(german_client, german)
    fill_all_pages(english_client, english)
    german.refresh_from_db()
    english.refresh_from_db()
    files = {
        s["key"] for p in german.form.schema["pages"] for s in p["fields"] if s["type"] == "file"
    }
    assert english.answers.keys() == german.answers.keys()
    assert {k: v for k, v in english.answers.items() if k not in files} == {
        k: v for k, v in german.answers.items() if k not in files
    }
    assert english.form.schema == german.form.schema  # the office's form stays German


def test_the_form_paths_put_every_text_back_in_place():
    from rathaus.applications.models import FormDefinition

    schema = FormDefinition.objects.order_by("pk").first().schema
    paths = translations.schema_texts(schema)
    assert any(".options." in p for p in paths) and any(p.endswith(".help") for p in paths)
    copy = json.loads(json.dumps(schema))
    for path, text in paths.items():
        translations._put(copy, path, f"<{text}>")
    assert translations.schema_texts(copy) == {p: f"<{t}>" for p, t in paths.items()}
