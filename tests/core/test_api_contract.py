"""The committed OpenAPI file tells the truth about the API.

Schemathesis reads ``docs/openapi.json`` (not the code), generates requests for every
operation in it – the schema's examples, boundary and invalid values (coverage phase) and
random ones (fuzzing) – sends them to a live server with the demo city, and runs all of its
checks on each answer: no server error, every status code documented, every body and
documented header as described, invalid input refused, … A module that adds an API
operation is fuzzed here without touching this file.

Reproducible: a fixed seed, no example database, a bounded number of examples. A failure
prints the request to replay it (``curl``).
"""

from pathlib import Path

import hypothesis
import jsonschema
import pytest
import requests
import schemathesis
from django.core.management import call_command
from django.test import RequestFactory
from schemathesis.core.transport import Response

from rathaus.core.locking import Busy, BusyMiddleware
from tests.support import restore_demo_city

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
SEED = 20261126
EXAMPLES_PER_OPERATION = 30  # fuzzing phase; the examples and coverage phases add their own


def contract_config() -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "max-examples": EXAMPLES_PER_OPERATION,
                "deterministic": True,
                "database": "none",
            },
            "checks": {"enabled": True},
            "request-timeout": 20,
        }
    )


schema = schemathesis.openapi.from_path(OPENAPI, config=contract_config())


@pytest.fixture
def city_server(live_server, transactional_db, settings) -> str:
    """A live server that holds the demo city; its base URL."""
    restore_demo_city()
    # The fuzzer searches far more often than a person; the limit itself is checked below.
    settings.APPOINTMENT_SEARCHES_PER_IP_MINUTE = 100_000
    return live_server.url


@schema.parametrize()
# The server and its data serve every generated request alike (the API only reads).
@hypothesis.settings(suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
def test_every_operation_keeps_its_description(case, city_server):
    case.call_and_validate(base_url=city_server)


def committed_operations():
    return [result.ok() for result in schema.get_all_operations()]


def assert_as_documented(operation, answer) -> None:
    """A Django response's status, body and documented headers, as the committed file says."""
    responses = operation.definition.raw["responses"]
    assert str(answer.status_code) in responses, f"{answer.status_code} is not documented"
    headers = {name: [value] for name, value in answer.items()}
    request = requests.Request("GET", "http://testserver" + operation.path).prepare()
    operation.validate_response(
        Response(answer.status_code, headers, answer.content, request, 0, True)
    )
    for name, header in responses[str(answer.status_code)].get("headers", {}).items():
        assert answer.has_header(name), f"{name} is documented but not sent"
        value = answer[name]
        jsonschema.validate(
            int(value) if header["schema"]["type"] == "integer" else value, header["schema"]
        )


def test_the_committed_description_is_current():
    """What is fuzzed above is what the code describes (as ``rathaus openapi --check``)."""
    call_command("openapi", "--check")


@pytest.mark.django_db
@pytest.mark.parametrize("operation", committed_operations(), ids=lambda op: op.label)
def test_a_busy_database_gets_the_documented_503(operation):
    """The 503 comes from core.locking's middleware, which the fuzzer cannot provoke."""
    request = RequestFactory().get(operation.path)
    answer = BusyMiddleware(lambda r: None).process_exception(request, Busy())
    assert answer.status_code == 503
    assert_as_documented(operation, answer)
    assert "Retry-After" in operation.definition.raw["responses"]["503"]["headers"]


@pytest.mark.django_db
def test_too_many_searches_get_the_documented_429(client, settings):
    settings.APPOINTMENT_SEARCHES_PER_IP_MINUTE = 1
    path = "/api/v1/termine/freie-zeiten"
    (operation,) = [op for op in committed_operations() if op.path == path]
    query = {"leistung": "personalausweis-beantragen"}
    assert client.get(operation.path, query).status_code == 200
    answer = client.get(operation.path, query)
    assert answer.status_code == 429
    assert answer["Retry-After"] == "60"
    assert_as_documented(operation, answer)
    assert "Retry-After" in operation.definition.raw["responses"]["429"]["headers"]
