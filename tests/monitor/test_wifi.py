"""The Wi-Fi register: staff keep the places (roles, audit trail, bad input), the public page,
GeoJSON and CSV show them, the monitor's figure follows their dates, the open data set and
the demo hold them, and the schematic district outlines contain their Stadtteile.

The test database holds the demo city with its places: checks compare before and after."""

import csv
import io
import json
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import Client, override_settings

from rathaus.accounts.models import Role
from rathaus.core.models import AuditEntry
from rathaus.monitor import services
from rathaus.monitor.demo import wifi as demo
from rathaus.monitor.models import WifiPlace
from rathaus.monitor.services import wifi
from rathaus.offices.models import Quarter
from rathaus.opendata import pipelines
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
OUTLINES = Path(settings.BASE_DIR) / "offices/static/offices/stadtbezirke-schematisch.geojson"
GENERATOR = Path(settings.BASE_DIR) / "offices/demo/outlines.py"


@pytest.fixture
def steward(client) -> Client:
    client.force_login(StaffFactory(roles=[Role.DATA_STEWARD]))
    return client


@pytest.fixture
def bilk() -> Quarter:
    return Quarter.objects.get(name="Bilk")


def _place(quarter: Quarter, **fields) -> WifiPlace:
    values = {
        "name": "Teststelle",
        "kind": WifiPlace.Kind.BUILDING,
        "latitude": Decimal("51.20500"),
        "longitude": Decimal("6.77500"),
        "status": WifiPlace.Status.PLANNED,
        "registered_on": date(2026, 1, 15),
        **fields,
    }
    return WifiPlace.objects.create(quarter=quarter, **values)


def _form(where: Quarter, **changes) -> dict:
    return {
        "name": "Stadtbücherei Bilk (Test)",
        "kind": "gebaeude",
        "quarter": str(where.pk),
        "address": "Bibliotheksweg 3",
        "latitude": "51,20512",
        "longitude": "6,77541",
        "status": "aktiv",
        "access_points": "3",
        "registered_on": "15.01.2026",
        "active_since": "01.06.2026",
        "note": "",
        **changes,
    }


def test_a_steward_adds_a_place_and_everyone_sees_it(steward, bilk):
    answer = steward.post("/digitalmonitor/verwalten/wlan/neu/", _form(bilk))
    assert answer.status_code == 302
    place = WifiPlace.objects.get(name="Stadtbücherei Bilk (Test)")
    assert (place.latitude, place.longitude) == (Decimal("51.20512"), Decimal("6.77541"))
    assert place.active_since == date(2026, 6, 1)
    entry = AuditEntry.objects.get(action="rathaus.monitor.wifi_place.saved", object_id=place.pk)
    assert entry.data["new"] is True and entry.data["changes"]["access_points"] == [None, 3]

    anonymous = Client()
    page = anonymous.get("/digitalmonitor/wlan/?art=gebaeude&status=aktiv").content.decode()
    assert "Stadtbücherei Bilk (Test)" in page and "01.06.2026" in page
    found = anonymous.get("/digitalmonitor/wlan.geojson?status=aktiv")
    assert found["Content-Type"] == "application/geo+json"
    assert found["Access-Control-Allow-Origin"] == "*"
    features = {f["properties"]["ort"]: f for f in found.json()["features"]}
    feature = features["Stadtbücherei Bilk (Test)"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [6.77541, 51.20512]}
    assert feature["properties"]["status_key"] == "aktiv"
    assert feature["properties"]["in_betrieb_seit"] == "2026-06-01"
    assert {f["properties"]["status_key"] for f in features.values()} == {"aktiv"}


def test_a_steward_changes_a_place_and_the_trail_says_what_changed(steward, bilk):
    place = _place(bilk, name="Sporthalle Bilk (Test)", kind=WifiPlace.Kind.SPORTS)
    answer = steward.post(
        f"/digitalmonitor/verwalten/wlan/{place.pk}/",
        _form(bilk, name=place.name, kind="sport", access_points="2"),
    )
    assert answer.status_code == 302
    place.refresh_from_db()
    assert (place.status, place.access_points) == ("aktiv", 2)
    entry = AuditEntry.objects.filter(object_id=place.pk).latest("pk")
    assert entry.data["changes"]["status"] == ["geplant", "aktiv"]
    assert entry.actor_id is not None
    assert (
        "Sporthalle Bilk (Test)"
        in steward.get("/digitalmonitor/verwalten/wlan/?art=sport").content.decode()
    )


@pytest.mark.parametrize("who", ["anonymous", "resident", "caseworker"])
def test_only_stewards_and_administrators_keep_the_register(client, bilk, who):
    if who == "resident":
        client.force_login(UserFactory())
    elif who == "caseworker":
        client.force_login(StaffFactory(roles=[Role.CASEWORKER]))
    place = _place(bilk)
    for url in ("/digitalmonitor/verwalten/wlan/", "/digitalmonitor/verwalten/wlan/neu/"):
        assert client.get(url).status_code in (302, 403)
    client.post(f"/digitalmonitor/verwalten/wlan/{place.pk}/", _form(bilk, name="Übernommen"))
    client.post("/digitalmonitor/verwalten/wlan/neu/", _form(bilk, name="Eingeschleust"))
    place.refresh_from_db()
    assert place.name == "Teststelle"
    assert not WifiPlace.objects.filter(name__in=["Übernommen", "Eingeschleust"]).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Bitte geben Sie den Namen des Ortes an."),
        (
            {"latitude": "6,77541", "longitude": "51,20512"},
            "Sind Breiten- und Längengrad vertauscht?",
        ),
        ({"latitude": "48,137"}, "nicht im Stadtgebiet"),
        ({"latitude": "nördlich"}, "Zahl"),
        ({"quarter": "999999"}, "Bitte wählen Sie einen Stadtteil aus der Liste."),
        ({"access_points": "0"}, "mindestens einen Zugangspunkt"),
        ({"access_points": "9999"}, "kleiner oder gleich 500"),
        ({"active_since": ""}, "seit wann das WLAN an diesem Ort in Betrieb ist"),
        ({"active_since": "01.01.2025"}, "nicht vor der Aufnahme in den Plan"),
        ({"registered_on": "32.13.2026"}, "Bitte geben Sie das Datum so an"),
        ({"note": "Hinweis\x1b[31m"}, "Steuerzeichen"),
        ({"name": "x" * 151}, "höchstens 150 Zeichen"),
    ],
)
def test_bad_places_are_answered_in_german_and_keep_what_was_entered(
    steward, bilk, changes, message
):
    data = _form(bilk, **changes)
    answer = steward.post("/digitalmonitor/verwalten/wlan/neu/", data)
    page = answer.content.decode()
    assert answer.status_code == 200
    assert message in page
    assert 'value="Bibliotheksweg 3"' in page  # what was entered stays
    assert not WifiPlace.objects.filter(address="Bibliotheksweg 3").exists()


def test_a_hostile_name_is_stored_as_text_and_defused_in_the_csv(steward, bilk):
    hostile = '=HYPERLINK("http://böse.example","<script>alert(1)</script>")'
    assert (
        steward.post("/digitalmonitor/verwalten/wlan/neu/", _form(bilk, name=hostile)).status_code
        == 302
    )
    anonymous = Client()
    page = anonymous.get("/digitalmonitor/wlan/?status=aktiv").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    download = anonymous.get("/digitalmonitor/wlan.csv?status=aktiv")
    assert download["Content-Disposition"] == 'attachment; filename="wlan-orte.csv"'
    text = download.content.decode("utf-8")
    assert text.startswith("\ufeffKennung;Ort;Art des Ortes;")
    rows = {row[1]: row for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")}
    row = rows["'" + hostile]  # a spreadsheet shows it, never runs it
    assert row[6:8] == ["51.20512", "6.77541"] and row[-1] == "01.06.2026"


def test_the_database_refuses_an_active_place_without_access_points(bilk):
    with pytest.raises(IntegrityError), transaction.atomic():
        _place(bilk, status=WifiPlace.Status.ACTIVE, access_points=0, active_since=date(2026, 2, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        _place(bilk, registered_on=date(2026, 3, 1), active_since=date(2026, 2, 1))


def _valid_position(position) -> bool:
    return (
        len(position) == 2
        and all(isinstance(n, float | int) for n in position)
        and -180 <= position[0] <= 180
        and -90 <= position[1] <= 90
    )


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)) / 2


def assert_valid_geojson(collection: dict) -> None:
    """RFC 7946: a FeatureCollection of Features, positions longitude first, polygons as
    closed rings of at least four positions, exterior rings counter-clockwise."""
    assert collection["type"] == "FeatureCollection"
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry["type"] == "Point":
            assert _valid_position(geometry["coordinates"])
            continue
        assert geometry["type"] == "MultiPolygon"
        for polygon in geometry["coordinates"]:
            exterior = polygon[0]
            assert len(exterior) >= 4 and exterior[0] == exterior[-1]
            assert all(_valid_position(position) for position in exterior)
            assert _signed_area(exterior) > 0


def test_nonsense_filters_show_every_place(client):
    collection = client.get("/digitalmonitor/wlan.geojson").json()
    assert_valid_geojson(collection)
    everything = len(collection["features"])
    assert everything == WifiPlace.objects.count() >= 100
    for query in ("status=kaputt", "bezirk=abc", "art=%00", "seite=-3", "bezirk=999"):
        answer = client.get(f"/digitalmonitor/wlan/?{query}")
        assert answer.status_code == 200
    assert (
        len(client.get("/digitalmonitor/wlan.geojson?status=kaputt").json()["features"])
        == everything
    )


def test_the_figure_counts_places_by_their_dates(bilk):
    starts = services.month_starts(13)
    month, before = starts[6], starts[5]
    base = {m: (active, whole) for m, active, whole in wifi.monthly_share(starts)}
    _place(bilk, registered_on=before, status="aktiv", access_points=2, active_since=month)
    _place(bilk, registered_on=month)  # planned: counts in the plan only
    _place(bilk, registered_on=before, status="im-aufbau", access_points=1)
    after = {m: (active, whole) for m, active, whole in wifi.monthly_share(starts)}
    delta = {m: (after[m][0] - base[m][0], after[m][1] - base[m][1]) for m in starts}
    assert delta[starts[4]] == (0, 0)
    assert delta[before] == (0, 2)
    assert delta[month] == (1, 3)
    assert delta[starts[-1]] == (1, 3)
    figure = {f.key: f for f in services.figures(13)}["wlan"]
    assert figure.current.part == after[starts[-1]][0] and figure.page == "/digitalmonitor/wlan/"


def test_the_open_data_set_holds_every_place_with_coordinates(bilk):
    place = _place(bilk, name="Marktplatz Bilk (Test)", kind=WifiPlace.Kind.SQUARE)
    pipeline = pipelines.get("freifunk-zugangspunkte")
    assert pipeline.coordinates == ("breitengrad", "laengengrad")
    rows = {row["standort_id"]: row for row in pipeline.rows()}
    row = rows[f"WLAN-{place.pk:05d}"]
    assert (row["ort"], row["art"], row["stadtbezirk"]) == (
        "Marktplatz Bilk (Test)",
        "Platz oder Park",
        bilk.district.name,
    )
    assert (row["breitengrad"], row["laengengrad"], row["in_betrieb_seit"]) == (51.205, 6.775, None)
    assert len(rows) == WifiPlace.objects.count()


def test_the_demo_has_the_citys_public_places():
    today = date(2026, 11, 26)
    found = demo.places(today)
    assert len(found) >= 100
    assert {place.kind for place in found} == set(WifiPlace.Kind.values)
    assert {place.status for place in found} == set(WifiPlace.Status.values)
    assert len({place.name for place in found}) == len(found)
    assert all(wifi.in_city(place.latitude, place.longitude) for place in found)
    for place in found:
        place.full_clean(exclude=["quarter"])  # the rules a steward's entry must pass
        assert place.registered_on <= today - timedelta(days=60)
    bigger = demo.places(today, scale=2)
    assert len(bigger) > 1.8 * len(found) and len({p.name for p in bigger}) == len(bigger)


def _inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    """Ray casting: whether ``point`` (lon, lat) lies inside the closed ``ring``."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_the_schematic_outlines_hold_each_district_s_quarters_and_are_rebuilt_the_same():
    outlines = json.loads(OUTLINES.read_text(encoding="utf-8"))
    assert_valid_geojson(outlines)
    shapes = {f["properties"]["nummer"]: f["geometry"] for f in outlines["features"]}
    assert len(shapes) == 10
    quarters = Quarter.objects.exclude(latitude=None).select_related("district")
    assert quarters.count() >= 50
    for quarter in quarters:
        middle = (quarter.longitude, quarter.latitude)
        home = [
            n
            for n, shape in shapes.items()
            if any(_inside(middle, p[0]) for p in shape["coordinates"])
        ]
        assert home == [quarter.district.number], quarter.name
    rebuilt = subprocess.run(
        [sys.executable, str(GENERATOR)], capture_output=True, check=True, text=True
    )
    assert json.loads(rebuilt.stdout) == outlines


def test_a_configured_tile_server_is_allowed_on_the_map_page_only(client):
    tiles = {**settings.RATHAUS["MAP"], "TILES": "https://{s}.tile.example.org/{z}/{x}/{y}.png"}
    with override_settings(RATHAUS={**settings.RATHAUS, "MAP": tiles}):
        page = client.get("/digitalmonitor/wlan/")
        other = client.get("/digitalmonitor/")
    assert "img-src 'self' data: https://*.tile.example.org" in page["Content-Security-Policy"]
    assert 'data-tiles="https://{s}.tile.example.org/{z}/{x}/{y}.png"' in page.content.decode()
    assert "tile.example.org" not in other["Content-Security-Policy"]
    default = client.get("/digitalmonitor/wlan/")
    assert "img-src 'self' data:;" in default["Content-Security-Policy"]
    assert 'data-tiles=""' in default.content.decode()
