import pytest

from rathaus.catalog.models import Service

LIST = "/api/v1/leistungen"


@pytest.mark.django_db
def test_search_returns_ranked_results_with_the_documented_fields(client):
    response = client.get(LIST, {"q": "Personalausweis"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] >= 1
    first = data["results"][0]
    assert set(first) == {"leika", "slug", "title", "url", "score"}
    assert first["slug"] == "personalausweis-beantragen"
    assert first["url"] == "http://testserver/leistungen/personalausweis-beantragen/"
    assert len(first["leika"]) == 14
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.django_db
def test_without_q_every_published_service_is_listed_by_title(client):
    data = client.get(LIST, {"limit": 100}).json()
    assert data["count"] == Service.objects.published().count()
    titles = [r["title"] for r in data["results"]]
    assert titles == sorted(titles, key=str)  # database order by title
    assert all(r["score"] is None for r in data["results"])


@pytest.mark.django_db
def test_paging_with_limit_and_offset(client):
    first = client.get(LIST, {"limit": 2}).json()["results"]
    second = client.get(LIST, {"limit": 2, "offset": 2}).json()["results"]
    assert len(first) == len(second) == 2
    assert {r["slug"] for r in first}.isdisjoint({r["slug"] for r in second})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "viele"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_parameters_get_a_clear_english_422(client, params, parameter):
    response = client.get(LIST, params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Invalid request parameters."
    assert body["errors"][0]["parameter"] == parameter
    assert body["errors"][0]["message"]


@pytest.mark.django_db
def test_one_service_with_all_its_fields(client):
    data = client.get(f"{LIST}/personalausweis-beantragen").json()
    for field in (
        "leika",
        "title",
        "summary",
        "description",
        "easy_language",
        "audience",
        "required_documents",
        "fee",
        "processing_time",
        "legal_basis",
        "office",
        "channels",
        "keywords",
        "synonyms",
        "life_situations",
        "last_reviewed",
    ):
        assert field in data, field
    assert data["required_documents"]
    assert data["office"]["opening_hours"]
    assert data["office"]["is_demo"] is True
    assert data["fee"]["currency"] == "EUR"
    assert {c["kind"] for c in data["channels"]} <= {
        "online",
        "appointment",
        "paper",
        "phone",
        "counter",
    }


@pytest.mark.django_db
def test_unknown_and_unpublished_services_are_404(client):
    assert client.get(f"{LIST}/gibt-es-nicht").json() == {"detail": "Not found."}
    Service.objects.filter(slug="personalausweis-beantragen").update(is_published=False)
    assert client.get(f"{LIST}/personalausweis-beantragen").status_code == 404
