"""The OParl 1.1 endpoint: a walk from the System object through every list, page and object,
as the OParl validator does, with every object checked against the specification's schema;
paging, the date filters and the update mechanism with withdrawn objects, CORS, errors.

The test database holds the demo city with its council."""

import hashlib
from collections import Counter
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from rathaus.council import services
from rathaus.council.models import AgendaItem, Body, Meeting, Paper

from .oparl_schema import properties, validator

pytestmark = pytest.mark.django_db
SCHEMA = "https://schema.oparl.org/1.1/"


@pytest.fixture
def api() -> str:
    return settings.RATHAUS["PUBLIC_URL"] + "/oparl/v1/"


def _get(client: Client, url: str, status: int = 200) -> dict[str, Any]:
    public = settings.RATHAUS["PUBLIC_URL"]
    assert url.startswith(public), url
    response = client.get(url.removeprefix(public))
    assert response.status_code == status, (url, response.content[:300])
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert not response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
    assert "Set-Cookie" not in response  # no session needed, none given
    return response.json()


def _type(obj: dict[str, Any]) -> str:
    assert obj["type"].startswith(SCHEMA), obj["type"]
    return obj["type"].removeprefix(SCHEMA)


def _check(obj: dict[str, Any]) -> None:
    """Valid by the specification's schema, no property it does not define, no empty value."""
    name = _type(obj)
    errors = sorted(validator(name).iter_errors(obj), key=str)
    assert not errors, (obj["id"], [f"{list(e.path)}: {e.message}" for e in errors[:5]])
    unknown = set(obj) - properties(name)
    assert not unknown, (obj["id"], unknown)
    for key, value in obj.items():
        assert value not in (None, "", [], {}), (obj["id"], key)
        inner = value if isinstance(value, list) else [value]
        for item in inner:
            if isinstance(item, dict) and "type" in item and key != "geojson":
                _check(item)
                assert not item.get("deleted"), "internal objects are never withdrawn ones"


def _links(value: Any, api: str) -> set[str]:
    """Every URL of the API in ``value`` (objects, lists)."""
    if isinstance(value, dict):
        return set().union(*(_links(item, api) for item in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_links(item, api) for item in value)) if value else set()
    return {value} if isinstance(value, str) and value.startswith(api) else set()


def test_a_walk_from_the_system_object_reaches_every_object_and_each_is_valid(client, api):
    seen: set[str] = set()
    todo = [api]
    found: Counter = Counter()
    lists = 0
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        data = _get(client, url)
        if "pagination" in data:
            lists += 1
            assert set(data) == {"data", "pagination", "links"}
            assert data["links"]["self"] == url
            ids = [obj["id"] for obj in data["data"]]
            assert ids == sorted(ids, key=lambda i: int(i.rstrip("/").rsplit("/", 1)[1]))
            for obj in data["data"]:
                _check(obj)
                found[_type(obj)] += 1
            todo += [data["links"]["next"]] if "next" in data["links"] else []
            todo += list(_links(data["data"], api))
        else:
            _check(data)
            assert data["id"] == url, "every object under its canonical URL"
            todo += list(_links(data, api))
    for name in ("Body", "LegislativeTerm", "Organization", "Person", "Membership", "Meeting"):
        assert found[name], name
    for name in ("AgendaItem", "Paper", "Consultation", "File", "Location"):
        assert found[name], name
    assert lists >= 12
    assert {url.split("/oparl/v1/")[1].split("/")[0] for url in seen} >= {
        "body",
        "legislativeterm",
        "organization",
        "person",
        "membership",
        "meeting",
        "agendaitem",
        "paper",
        "consultation",
        "file",
        "location",
    }


def test_the_system_object_names_the_version_and_the_body_list(client, api):
    system = _get(client, api)
    assert system["type"] == SCHEMA + "System"
    assert system["oparlVersion"] == SCHEMA
    bodies = _get(client, system["body"])
    assert [body["name"] for body in bodies["data"]] == ["Landeshauptstadt Düsseldorf"]
    body = bodies["data"][0]
    assert body["ags"] == "05111000"
    assert body["system"] == api
    assert [term["name"] for term in body["legislativeTerm"]] == ["Wahlperiode 2025–2030"]


def test_ids_use_the_configured_address_not_the_host_a_request_sends(client, api):
    response = Client(HTTP_HOST="evil.example").get("/oparl/v1/", HTTP_HOST="localhost")
    assert response.json()["id"] == api
    forwarded = client.get("/oparl/v1/body/", HTTP_X_FORWARDED_HOST="evil.example")
    assert "evil.example" not in forwarded.content.decode()


def _meetings_url(api: str) -> str:
    return f"{api}body/{Body.objects.get().pk}/meeting/"


def test_pages_follow_each_other_and_keep_the_filters(client, api):
    since = quote((timezone.now() - timedelta(days=3650)).isoformat(timespec="seconds"))
    url = f"{_meetings_url(api)}?created_since={since}&limit=7"
    pages, ids = 0, []
    while url:
        page = _get(client, url)
        pages += 1
        assert page["pagination"]["elementsPerPage"] == 7
        assert page["pagination"]["currentPage"] == pages
        query = parse_qs(urlsplit(page["links"]["self"]).query)
        assert query["limit"] == ["7"] and "created_since" in query
        assert parse_qs(urlsplit(page["links"]["first"]).query).keys() == {
            "created_since",
            "limit",
        }
        ids += [meeting["id"] for meeting in page["data"]]
        url = page["links"].get("next")
    total = Meeting.objects.filter(deleted=False).count()
    assert len(ids) == len(set(ids)) == total
    assert pages == page["pagination"]["totalPages"] == -(-total // 7)
    assert "next" not in page["links"] and "prev" in page["links"]


def test_bad_paging_and_filter_values_get_an_error_object(client, api):
    meetings = _meetings_url(api)
    for query in (
        "limit=0",
        "limit=abc",
        "page=-1",
        "created_since=gestern",
        "modified_since=2026-01-01T00:00:00",
    ):
        error = _get(client, f"{meetings}?{query}", status=400)
        assert error["type"] == SCHEMA + "Error"
        assert error["message"] and error["debug"]
    assert _get(client, f"{meetings}?page=999", status=404)["type"] == SCHEMA + "Error"
    assert _get(client, f"{api}paper/999999/", status=404)["type"] == SCHEMA + "Error"
    assert _get(client, f"{api}unsinn/1/", status=404)["type"] == SCHEMA + "Error"
    assert _get(client, f"{api}body/999999/paper/", status=404)["type"] == SCHEMA + "Error"
    # A "+" of the offset not written as %2B arrives as a space: still understood.
    plain = (timezone.now() - timedelta(days=1)).isoformat(timespec="seconds")
    assert _get(client, f"{meetings}?modified_since={plain}")["data"] is not None


def test_a_large_limit_is_capped(client, api):
    page = _get(client, f"{api}body/{Body.objects.get().pk}/agendaitem/?limit=100000")
    assert page["pagination"]["elementsPerPage"] == 500


def test_a_withdrawn_paper_keeps_its_url_and_is_listed_only_for_updates(client, api):
    paper = Paper.objects.filter(deleted=False, consultations__isnull=False).first()
    before = timezone.now() - timedelta(seconds=1)
    papers = f"{api}body/{paper.body_id}/paper/?limit=500"
    services.withdraw(paper)
    gone = _get(client, f"{api}paper/{paper.pk}/")
    assert gone == {
        "id": f"{api}paper/{paper.pk}/",
        "type": SCHEMA + "Paper",
        "created": gone["created"],
        "modified": gone["modified"],
        "deleted": True,
    }
    _check(gone)
    assert f"{api}paper/{paper.pk}/" not in {p["id"] for p in _get(client, papers)["data"]}
    since = quote(before.isoformat(timespec="seconds"))
    changed = _get(client, f"{papers}&modified_since={since}")["data"]
    assert [p["id"] for p in changed] == [f"{api}paper/{paper.pk}/"]
    assert changed[0]["deleted"] is True
    # Its page is gone for residents too.
    assert client.get(f"/ratsinfo/vorlagen/{paper.pk}/").status_code == 404


def test_withdrawing_an_agenda_item_changes_its_meeting_for_clients_that_update(client, api):
    item = AgendaItem.objects.filter(deleted=False, public=True).select_related("meeting").first()
    meeting = item.meeting
    Meeting.objects.filter(pk=meeting.pk).update(modified_at=timezone.now() - timedelta(days=5))
    since = quote((timezone.now() - timedelta(seconds=1)).isoformat(timespec="seconds"))
    services.withdraw(item)
    changed = _get(client, f"{_meetings_url(api)}?modified_since={since}&omit_internal=true")
    assert [m["id"] for m in changed["data"]] == [f"{api}meeting/{meeting.pk}/"]
    assert "agendaItem" not in changed["data"][0]  # omit_internal
    shown = _get(client, f"{api}meeting/{meeting.pk}/")
    assert f"{api}agendaitem/{item.pk}/" not in {i["id"] for i in shown["agendaItem"]}
    assert _get(client, f"{api}agendaitem/{item.pk}/")["deleted"] is True


def test_a_closed_agenda_item_shows_its_name_and_nothing_of_what_was_decided(client, api):
    item = AgendaItem.objects.filter(public=False).first()
    item.resolution_text = "Zuschlag an die Firma X für 1,2 Mio. €"
    item.result = "beschlossen"
    item.save()
    shown = _get(client, f"{api}agendaitem/{item.pk}/")
    assert shown["public"] is False and shown["name"] == item.name
    assert not {"resolutionText", "result", "consultation", "auxiliaryFile"} & set(shown)
    page = client.get(f"/ratsinfo/sitzungen/{item.meeting_id}/").content.decode()
    assert "Firma X" not in page and item.name in page


def test_files_are_served_inline_and_for_download_with_cors(client, api):
    paper = Paper.objects.filter(main_file__isnull=False, deleted=False).first()
    data = _get(client, f"{api}paper/{paper.pk}/")["mainFile"]
    public = settings.RATHAUS["PUBLIC_URL"]
    inline = client.get(data["accessUrl"].removeprefix(public))
    body = b"".join(inline.streaming_content)
    assert inline.status_code == 200 and body.startswith(b"%PDF-")
    assert len(body) == data["size"]
    assert inline["Content-Type"] == "application/pdf"
    assert "attachment" not in inline.get("Content-Disposition", "")
    download = client.get(data["downloadUrl"].removeprefix(public))
    assert download["Content-Disposition"].startswith("attachment")

    assert (
        hashlib.sha512(b"".join(download.streaming_content)).hexdigest() == data["sha512Checksum"]
    )
    wrong_name = client.get(f"/ratsinfo/dateien/{paper.main_file_id}/andere.pdf")
    assert wrong_name.status_code == 404
