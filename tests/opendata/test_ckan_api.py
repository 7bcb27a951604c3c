"""The CKAN Action API field by field: the shapes CKAN 2.10 documents, its envelopes and
status codes, GET and POST alike, paging, facets, the supported ``fq`` syntax."""

import json

import pytest

from rathaus.opendata.models import Dataset, Resource

API = "/api/3/action/"

# The keys CKAN 2.10's package_show returns for a data set (default schema).
PACKAGE_KEYS = {
    "author", "author_email", "creator_user_id", "extras", "groups", "id", "isopen",
    "license_id", "license_title", "license_url", "maintainer", "maintainer_email",
    "metadata_created", "metadata_modified", "name", "notes", "num_resources", "num_tags",
    "organization", "owner_org", "private", "relationships_as_object",
    "relationships_as_subject", "resources", "state", "tags", "title", "type", "url",
    "version",
}  # fmt: skip
RESOURCE_KEYS = {
    "cache_url", "created", "datastore_active", "description", "format", "hash", "id",
    "last_modified", "metadata_modified", "mimetype", "name", "package_id", "position",
    "resource_type", "size", "state", "url", "url_type",
}  # fmt: skip
ORGANIZATION_KEYS = {
    "approval_status", "created", "description", "id", "image_url", "is_organization",
    "name", "state", "title", "type",
}  # fmt: skip


def call(client, name, method="get", status=200, **params):
    if method == "post":
        response = client.post(API + name, json.dumps(params), content_type="application/json")
    else:
        response = client.get(API + name, params)
    assert response.status_code == status, response.content[:500]
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def result(client, name, **params):
    body = call(client, name, **params)
    assert body["success"] is True
    assert body["help"].endswith(f"/api/3/action/help_show?name={name}")
    return body["result"]


def test_status_show_names_the_portal(client, db):
    status = result(client, "status_show")
    assert status["ckan_version"].startswith("2.")
    assert "datastore" in status["extensions"]
    assert status["site_url"] == "http://testserver"


def test_package_show_has_ckans_fields_by_name_and_by_id(client, library):
    package = result(client, "package_show", id=library.slug)
    assert set(package) >= PACKAGE_KEYS
    assert package["name"] == library.slug
    assert package["id"] == str(library.uuid)
    assert package["type"] == "dataset" and package["state"] == "active"
    assert package["license_id"] == "dl-by-de/2.0"
    assert package["organization"]["name"] == library.organisation.slug
    assert set(package["organization"]) >= ORGANIZATION_KEYS
    assert [g["name"] for g in package["groups"]] == ["educ", "soci"]
    assert [t["name"] for t in package["tags"]] == ["Bibliothek", "Besuche"]
    assert package["num_tags"] == 2
    formats = [r["format"] for r in package["resources"]]
    assert formats == ["CSV", "JSON", "datapackage"]
    assert package["num_resources"] == 3
    for resource in package["resources"]:
        assert set(resource) >= RESOURCE_KEYS
        assert resource["package_id"] == package["id"]
        assert resource["url"].startswith(f"http://testserver/opendaten/{library.slug}/")
    csv = package["resources"][0]
    assert csv["datastore_active"] is True and csv["mimetype"] == "text/csv"
    assert csv["hash"].startswith("sha256:") and csv["size"] > 0
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert "05111000" in extras["politicalGeocodingURI"]
    assert json.loads(extras["contributorID"])[0].startswith("http://dcat-ap.de/def/contributors/")
    by_id = result(client, "package_show", id=str(library.uuid))
    assert by_id["name"] == library.slug


def test_post_json_answers_like_get(client, library):
    assert call(client, "package_show", method="post", id=library.slug) == call(
        client, "package_show", id=library.slug
    )


def test_errors_come_in_ckans_envelope(client, db):
    missing = call(client, "package_show", status=404, id="gibt-es-nicht")
    assert missing["success"] is False
    assert missing["error"] == {"__type": "Not Found Error", "message": "Not found"}
    invalid = call(client, "package_show", status=409)
    assert invalid["error"] == {"__type": "Validation Error", "id": ["Missing value"]}
    unknown = client.get(API + "package_delete_everything")
    assert unknown.status_code == 400
    assert unknown.json() == "Bad request - Action name not known: package_delete_everything"
    broken = client.post(API + "package_show", "{not json", content_type="application/json")
    assert broken.status_code == 400
    assert broken.json()["error"]["message"].startswith("Bad request - JSON Error")
    listed = client.post(API + "package_show", "[1, 2]", content_type="application/json")
    assert listed.status_code == 400
    query = call(client, "package_search", status=409, fq="owner:alice")
    assert query["error"]["__type"] == "Search Query Error"
    assert call(client, "package_search", status=409, rows="viele")["error"] == {
        "__type": "Validation Error",
        "rows": ["Invalid integer"],
    }


@pytest.mark.parametrize(
    "hostile",
    ["' OR 1=1 --", "<script>alert(1)</script>", "%00", 'tags:"unclosed', "x" * 5000, "ä ö ü ß"],
)
def test_hostile_strings_never_break_the_api(client, library, hostile):
    for name, params in [
        ("package_show", {"id": hostile}),
        ("package_search", {"q": hostile}),
        ("package_search", {"fq": hostile}),
        ("organization_show", {"id": hostile}),
        ("resource_show", {"id": hostile}),
        ("datastore_search", {"resource_id": hostile}),
        ("tag_list", {"query": hostile}),
    ]:
        response = client.get(API + name, params)
        assert response.status_code in (200, 404, 409), (name, hostile, response.content[:300])
        assert "success" in response.json()


def test_package_search_pages_without_overlap(client, db):
    total = result(client, "package_search", rows=0)["count"]
    assert total >= 40  # the demo catalogue
    seen = []
    for start in range(0, total, 15):
        page = result(client, "package_search", rows=15, start=start, sort="name asc")
        assert page["count"] == total
        seen += [p["name"] for p in page["results"]]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == total
    assert seen == result(client, "package_list")


def test_package_search_facets_match_the_counts_they_promise(client, db):
    found = result(
        client,
        "package_search",
        rows=0,
        **{"facet.field": json.dumps(["organization", "groups", "res_format", "license_id"])},
    )
    assert set(found["facets"]) == {"organization", "groups", "res_format", "license_id"}
    assert found["search_facets"]["groups"]["items"][0]["display_name"]
    for field in ("organization", "groups", "res_format"):
        for value, count in list(found["facets"][field].items())[:4]:
            narrowed = result(client, "package_search", rows=0, fq=f'{field}:"{value}"')
            assert narrowed["count"] == count, (field, value)
    geo = result(client, "package_search", rows=0, fq="res_format:GeoJSON")["count"]
    not_geo = result(client, "package_search", rows=0, fq="-res_format:GeoJSON")["count"]
    assert geo > 0 and geo + not_geo == found["count"]


def test_package_search_words_and_fields(client, library):
    found = result(client, "package_search", q="Stadtbüchereien")
    assert library.slug in [p["name"] for p in found["results"]]
    both = result(client, "package_search", q="Besuche Stadtbüchereien")
    assert library.slug in [p["name"] for p in both["results"]]
    none = result(client, "package_search", q="Stadtbüchereien Xylophonquantenschaum")
    assert none["count"] == 0
    fq = f'tags:"Bibliothek" AND organization:{library.organisation.slug}'
    by_tag = result(client, "package_search", fq=fq)
    assert [p["name"] for p in by_tag["results"]] == [library.slug]
    by_q_field = result(client, "package_search", q=f"name:{library.slug}")
    assert by_q_field["count"] == 1
    recent = result(
        client, "package_search", rows=1000, fq="metadata_modified:[2026-01-01T00:00:00Z TO *]"
    )
    assert library.slug in [p["name"] for p in recent["results"]]
    assert result(client, "package_search", fq="metadata_modified:[* TO 2000-01-01]")["count"] == 0


def test_organizations_groups_tags(client, library):
    names = result(client, "organization_list")
    assert library.organisation.slug in names and names == sorted(names)
    full = result(client, "organization_list", all_fields="true")
    mine = next(o for o in full if o["name"] == library.organisation.slug)
    assert mine["package_count"] == 1
    shown = result(
        client, "organization_show", id=library.organisation.slug, include_datasets="true"
    )
    assert [p["name"] for p in shown["packages"]] == [library.slug]
    assert call(client, "organization_show", status=404, id="niemand")["success"] is False
    groups = result(client, "group_list")
    assert "educ" in groups and "soci" in groups
    themed = result(client, "group_list", all_fields=True)
    assert next(g for g in themed if g["name"] == "educ")["title"] == "Bildung, Kultur und Sport"
    assert "Bibliothek" in result(client, "tag_list", query="biblio")


def test_resource_show(client, library):
    resource = library.resources.get(format=Resource.Format.CSV)
    shown = result(client, "resource_show", id=str(resource.uuid))
    assert shown["id"] == str(resource.uuid) and shown["format"] == "CSV"
    assert call(client, "resource_show", status=404, id="0" * 32)["error"]["__type"] == (
        "Not Found Error"
    )


def test_drafts_are_not_in_the_api(client, library):
    Dataset.objects.filter(pk=library.pk).update(state=Dataset.State.DRAFT)
    assert call(client, "package_show", status=404, id=library.slug)["success"] is False
    assert library.slug not in result(client, "package_list")
    resource = library.resources.get(format=Resource.Format.CSV)
    call(client, "datastore_search", status=404, resource_id=str(resource.uuid))
