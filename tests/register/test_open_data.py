"""The register as an open data set: published records in their current version only."""

from rathaus.opendata.pipelines import get
from rathaus.register import services
from rathaus.register.models import Record

from .conftest import form_data


def _rows() -> dict[str, dict]:
    return {row["kennung"]: row for row in get("algorithmenregister").rows()}


def test_rows_hold_the_current_version_of_published_records_only(steward, office):
    record = Record.objects.create(office=office, **form_data())
    assert "test-wohngeld-pruefung" not in _rows()
    services.publish(record, by=steward, reason="Erste Veröffentlichung")
    record.mitigations = "Stichproben jeden Tag."
    version = services.save(record, by=steward, reason="Mehr Stichproben")
    row = _rows()["test-wohngeld-pruefung"]
    assert row["gegenmassnahmen"] == "Stichproben jeden Tag."
    assert row["fassung"] == 2 and row["sha256"] == version.sha256
    assert row["dienststelle"] == "Amt für Wohnungswesen"
    assert row["internetseite"].endswith("/algorithmen/test-wohngeld-pruefung/")


def test_the_demo_register_is_published_as_open_data(db):
    assert {"kita-platzvergabe", "offene-daten-geheimhaltung"} <= set(_rows())
