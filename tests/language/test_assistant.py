"""The service assistant: finds the right service for everyday questions, and says only what
the catalogue says, each statement with its source."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from rathaus.catalog.models import Service
from rathaus.language import assistant
from rathaus.language.models import LoggedQuestion
from rathaus.language.services import anonymise

from .conftest import chat_reply

pytestmark = pytest.mark.django_db

QUESTIONS = json.loads(Path(__file__).with_name("assistant_questions.json").read_text("utf-8"))


def test_the_question_set_is_large_and_varied():
    assert len(QUESTIONS) >= 80
    assert len([q for q in QUESTIONS if q["lang"] == "en"]) >= 25
    assert len({s for q in QUESTIONS for s in q["expect"]}) >= 60


def test_a_service_found_by_a_common_word_alone_is_no_answer(monkeypatch):
    """Control: without the coverage bar, "Pizza bestellen" is answered with whatever
    mentions "bestellen"."""
    monkeypatch.setattr(assistant, "MIN_COVERAGE", -1.0)  # switched off
    assert assistant.answer("Pizza bestellen").suggestions != []


def test_the_expected_service_is_first_for_three_quarters_and_in_the_top_three_for_nine_in_ten():
    first = top3 = 0
    misses = []
    for item in QUESTIONS:
        slugs = [hit.service.slug for hit in assistant.rank(assistant.rewrite(item["q"]))]
        first += bool(slugs) and slugs[0] in item["expect"]
        top3 += any(slug in item["expect"] for slug in slugs[:3])
        if not slugs or slugs[0] not in item["expect"]:
            misses.append((item["q"], slugs))
    assert first / len(QUESTIONS) >= 0.75, misses
    assert top3 / len(QUESTIONS) >= 0.90, misses


@pytest.mark.parametrize(
    ("question", "query"),
    [
        ("my dog tax", "hundesteuer"),
        ("I need a new ID card", "personalausweis"),
        ("register a car", "fahrzeug zulassen"),
        ("Ich bin umgezogen, was muss ich machen?", "umgezogen"),
        ("Reisepassantrag", "reisepass antrag"),
        ("Sperrmülltermin", "sperrmüll termin"),
        ("Kitaplatz", "kitaplatz"),  # a word of the catalogue stays whole
    ],
)
def test_questions_become_catalogue_words(question, query):
    assert assistant.rewrite(question) == query


def _field_texts(service: Service) -> list[str]:
    return [
        service.summary,
        service.easy_language,
        service.office.name,
        *service.document_list(),
        *(c.label for c in service.channels.all()),
    ]


def test_every_statement_comes_from_the_service_it_cites():
    found = assistant.answer("Personalausweis beantragen")
    assert found.suggestions[0].service.slug == "personalausweis-beantragen"
    for suggestion in found.suggestions:
        texts = _field_texts(suggestion.service)
        for statement in suggestion.statements:
            assert statement.source.startswith(suggestion.url)
            if statement.text.startswith("Nächster freier Termin"):
                assert statement.action.startswith("/termine/")
                continue
            if statement.text.startswith("Kosten: "):
                assert suggestion.service.fee_amount is not None
                continue
            parts = statement.text.split(": ", 1)[-1].split(", ")
            assert any(part.strip(" …") in " ".join(texts) for part in parts), statement
    assert found.sources == list(dict.fromkeys(s.source for s in found.statements))
    assert "[1]" in found.text()


def test_the_next_free_appointment_is_offered_for_a_bookable_service():
    found = assistant.answer("Personalausweis beantragen")
    appointment = [s for s in found.statements if s.text.startswith("Nächster freier Termin")]
    assert appointment and "?leistung=personalausweis-beantragen" in appointment[0].action


@pytest.mark.parametrize(
    "question",
    ["Quantenchromodynamik Hausaufgabe", "Pizza bestellen", "Wie wird das Wetter morgen?", "asdf"],
)
def test_a_question_outside_the_catalogue_gets_no_invented_answer_but_the_contact(question):
    found = assistant.answer(question)
    assert found.suggestions == []
    sources = [reverse("catalog:a_to_z"), reverse("core:contact")]
    assert [s.source for s in found.fallback] == sources
    assert "nichts gefunden" in found.fallback[0].text


def test_the_answer_in_easy_language_uses_the_easy_text():
    found = assistant.answer("Hundesteuer", easy=True)
    service = found.suggestions[0].service
    first = found.suggestions[0].statements[0]
    assert first.source.endswith("#leichte-sprache")
    assert first.text.split(" ")[0] in service.easy_language


def test_the_answer_speaks_the_visitors_language_and_keeps_the_catalogue_german():
    found = assistant.answer("Hundesteuer", language="en")
    texts = [s.text for s in found.suggestions[0].statements]
    assert any(t.startswith("Responsible: ") for t in texts), texts
    assert found.suggestions[0].statements[0].text == found.suggestions[0].service.summary


def test_the_page_answers_without_javascript_and_keeps_the_question(client):
    response = client.get(reverse("language:assistant"), {"frage": "my dog tax"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="my dog tax"' in page
    assert 'href="/leistungen/hundesteuer-anmelden/"' in page
    assert "Quelle" in page


def test_the_answer_alone_for_the_page_script(client):
    response = client.get(reverse("language:assistant"), {"frage": "Sperrmüll", "teil": "antwort"})
    page = response.content.decode()
    assert page.lstrip().startswith("<section")
    assert "sperrmuell-anmelden" in page
    assert "<html" not in page
    refused = client.get(reverse("language:assistant"), {"frage": "x" * 300, "teil": "antwort"})
    assert refused.status_code == 400


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("x" * 201, "höchstens 200 Zeichen"),
        ("Perso\x00", "Steuerzeichen"),
        ("", "zwingend erforderlich"),
    ],
)
def test_bad_questions_get_a_german_message_and_keep_what_was_typed(client, question, message):
    response = client.get(reverse("language:assistant"), {"frage": question})
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "assistent-antwort" not in page


def test_a_hostile_question_is_shown_as_text(client):
    hostile = "<script>alert(1)</script> Pass"
    response = client.get(reverse("language:assistant"), {"frage": hostile})
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_questions_are_stored_only_when_the_resident_ticks_the_box(client):
    client.get(reverse("language:assistant"), {"frage": "Hundesteuer für Bello"})
    assert LoggedQuestion.objects.count() == 0
    question = "Mail an max@example.org, Tel. 0211 123456: Hundesteuer"
    client.get(reverse("language:assistant"), {"frage": question, "speichern": "on"})
    logged = LoggedQuestion.objects.get()
    assert logged.question == "Mail an …, Tel. …: Hundesteuer"
    assert logged.found == ",".join(s.service.slug for s in assistant.answer(question).suggestions)
    assert not hasattr(logged, "created_at")


def test_anonymise_removes_addresses_and_numbers():
    assert anonymise("Ich, geb. 01.02.1990, a@b.de, Kundennr 12 34") == "Ich, geb. …, …, Kundennr …"


def test_the_api_answers_with_services_statements_and_sources(client):
    response = client.get("/api/v1/assistent", {"q": "Kita Platz für meine Tochter", "lang": "de"})
    data = response.json()
    assert response.status_code == 200
    assert data["services"][0]["slug"] == "kita-platz"
    assert data["services"][0]["leika"] == "99005001000000"
    assert data["services"][0]["url"] == "http://testserver/leistungen/kita-platz/"
    assert all(s["source"] in data["sources"] for s in data["statements"])
    assert data["answer"].count("[") == len(data["statements"])
    assert data["generated"] is False


def test_the_api_refuses_missing_and_oversized_questions_in_english(client):
    missing = client.get("/api/v1/assistent")
    long = client.get("/api/v1/assistent", {"q": "x" * 201})
    language = client.get("/api/v1/assistent", {"q": "Pass", "lang": "xx"})
    assert [missing.status_code, long.status_code, language.status_code] == [422, 422, 422]
    assert missing.json()["errors"][0]["parameter"] == "q"
    assert language.json()["errors"][0]["parameter"] == "lang"


def test_the_api_limits_questions_per_address(client, settings):
    settings.ASSISTANT_QUESTIONS_PER_IP_MINUTE = 2
    codes = [client.get("/api/v1/assistent", {"q": "Pass"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


@pytest.fixture
def language_model(endpoint, settings):
    settings.ASSISTANT_LLM_URL = endpoint.url + "/v1"
    settings.ASSISTANT_LLM_API_KEY = "llm-key"
    return endpoint


def test_a_language_model_may_phrase_the_answer_from_the_statements_only(language_model, client):
    phrased = "Melden Sie Ihren Hund beim Steueramt an [1]. Bringen Sie Ihren Ausweis mit [2]."
    language_model.routes["/v1/chat/completions"] = lambda body: chat_reply(phrased)
    found = assistant.answer("my dog tax")
    assert found.phrased == phrased and found.text() == phrased
    (request,) = language_model.requests
    assert request["headers"]["Authorization"] == "Bearer llm-key"
    facts = request["body"]["messages"][1]["content"]
    assert found.numbered() in facts and "my dog tax" in facts
    data = client.get("/api/v1/assistent", {"q": "my dog tax"}).json()
    assert data["generated"] is True and data["answer"] == phrased
    page = client.get(reverse("language:assistant"), {"frage": "my dog tax"}).content.decode()
    assert phrased in page and "Sprachmodell" in page


@pytest.mark.parametrize(
    "reply",
    [
        "Melden Sie Ihren Hund an [1]. Die Steuer beträgt 96 Euro im Jahr [99].",  # no such source
        "Melden Sie Ihren Hund an [1]. Die Steuer beträgt 96 Euro im Jahr.",  # uncited sentence
        "",
    ],
)
def test_an_answer_citing_beyond_the_sources_is_thrown_away(language_model, reply):
    language_model.routes["/v1/chat/completions"] = lambda body: chat_reply(reply)
    found = assistant.answer("my dog tax")
    assert found.phrased == "" and found.text() == found.numbered()


def test_a_failing_language_model_leaves_the_statements(language_model):
    language_model.routes["/v1/chat/completions"] = lambda body: 503
    found = assistant.answer("my dog tax")
    assert found.phrased == "" and found.suggestions


def test_no_language_model_is_asked_when_nothing_was_found(language_model):
    assert assistant.answer("Pizza bestellen").phrased == ""
    assert language_model.requests == []
