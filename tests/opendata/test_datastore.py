"""``datastore_search`` on a release's rows: filters, words, fields, sort, paging, errors –
the same answers on SQLite and PostgreSQL."""

import json
from datetime import UTC, datetime

import pytest

from rathaus.opendata.models import Dataset, Resource
from rathaus.opendata.services import releases

from .conftest import COLUMNS, make_dataset, visit_rows

API = "/api/3/action/datastore_search"


@pytest.fixture
def csv_id(db) -> str:
    """A table without people in it (no disclosure control), so every value is known."""
    dataset = make_dataset(slug="test-zaehlungen", disclosure=Dataset.Disclosure.NONE, measures=[])
    releases.create_release(dataset, COLUMNS, visit_rows(), at=datetime(2026, 4, 2, tzinfo=UTC))
    return str(dataset.resources.get(format=Resource.Format.CSV).uuid)


def search(client, status=200, **params):
    response = client.get(API, params)
    assert response.status_code == status, response.content[:400]
    return response.json()


def test_all_rows_with_fields_and_total(client, csv_id):
    found = search(client, resource_id=csv_id)["result"]
    assert found["fields"] == [
        {"id": "_id", "type": "int"},
        {"id": "monat", "type": "text"},
        {"id": "stadtbezirk", "type": "text"},
        {"id": "besuche", "type": "int"},
    ]
    assert found["total"] == 12 and len(found["records"]) == 12
    assert [r["_id"] for r in found["records"]] == list(range(1, 13))
    first = found["records"][0]
    assert first == {"_id": 1, "monat": "2026-01", "stadtbezirk": "Bilk", "besuche": 20}
    assert found["_links"]["next"].endswith("offset=100")


def test_the_single_visitor_is_not_in_the_datastore(client, library):
    protected = str(library.resources.get(format=Resource.Format.CSV).uuid)
    found = search(client, resource_id=protected, filters='{"monat": "2026-02"}')["result"]
    garath = next(r for r in found["records"] if r["stadtbezirk"] == "Garath")
    assert garath["besuche"] is None
    assert sum(1 for r in found["records"] if r["besuche"] is None) >= 2  # secondary too


def test_filters_typed_and_lists(client, csv_id):
    by_district = search(client, resource_id=csv_id, filters=json.dumps({"stadtbezirk": "Bilk"}))
    assert by_district["result"]["total"] == 3
    either = search(
        client, resource_id=csv_id, filters=json.dumps({"stadtbezirk": ["Bilk", "Benrath"]})
    )
    assert either["result"]["total"] == 6
    by_number = search(client, resource_id=csv_id, filters=json.dumps({"besuche": "20"}))
    assert [r["stadtbezirk"] for r in by_number["result"]["records"]] == ["Bilk"]
    both = search(
        client, resource_id=csv_id, filters=json.dumps({"stadtbezirk": "Bilk", "monat": "2026-03"})
    )
    assert both["result"]["total"] == 1


def test_words_fields_sort_and_paging(client, csv_id):
    words = search(client, resource_id=csv_id, q="benrath 2026-03")["result"]
    assert words["total"] == 1 and words["records"][0]["stadtbezirk"] == "Benrath"
    per_field = search(client, resource_id=csv_id, q=json.dumps({"stadtbezirk": "pempel"}))
    assert per_field["result"]["total"] == 3
    slim = search(client, resource_id=csv_id, fields="stadtbezirk,besuche", limit=2)["result"]
    assert [f["id"] for f in slim["fields"]] == ["stadtbezirk", "besuche"]
    assert all(set(r) == {"stadtbezirk", "besuche"} for r in slim["records"])
    ordered = search(client, resource_id=csv_id, sort="besuche desc", filters='{"monat":"2026-01"}')
    assert [r["besuche"] for r in ordered["result"]["records"]] == [41, 34, 27, 20]
    first = search(client, resource_id=csv_id, limit=5, offset=0, sort="_id asc")["result"]
    second = search(client, resource_id=csv_id, limit=5, offset=5, sort="_id asc")["result"]
    assert [r["_id"] for r in first["records"] + second["records"]] == list(range(1, 11))
    assert first["total"] == second["total"] == 12


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"filters": '{"unbekannt": 1}'}, "filters"),
        ({"filters": "[1,2]"}, "filters"),
        ({"filters": '{"besuche": "viele"}'}, "filters"),
        ({"fields": "gibtsnicht"}, "fields"),
        ({"sort": "besuche sideways"}, "sort"),
        ({"sort": "'; DROP TABLE x; --"}, "sort"),
        ({"limit": "-5"}, "limit"),
        ({"limit": "zehn"}, "limit"),
        ({"offset": "-1"}, "offset"),
    ],
)
def test_bad_requests_are_validation_errors(client, csv_id, params, field):
    body = search(client, status=409, resource_id=csv_id, **params)
    assert body["success"] is False
    assert body["error"]["__type"] == "Validation Error"
    assert field in body["error"]


def test_only_tables_are_in_the_datastore(client, library):
    package = library.resources.get(format=Resource.Format.PACKAGE)
    body = search(client, status=404, resource_id=str(package.uuid))
    assert body["error"]["__type"] == "Not Found Error"
    assert search(client, status=409)["error"] == {
        "__type": "Validation Error",
        "resource_id": ["Missing value"],
    }


def test_limits_are_capped_as_ckan_caps_them(client, csv_id):
    found = search(client, resource_id=csv_id, limit="100000")["result"]
    assert found["limit"] == 32000 and len(found["records"]) == 12
