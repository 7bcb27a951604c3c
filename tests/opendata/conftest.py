"""Data sets for the open-data tests: a small protected table built through the same
service the pipelines use, a data steward, and a resident who is not one."""

import csv
from datetime import UTC, datetime

import pytest
from django.test import Client

from rathaus.accounts.models import Role
from rathaus.opendata.models import Dataset
from rathaus.opendata.pipelines import Column
from rathaus.opendata.services import catalogue, releases
from tests.factories import StaffFactory

COLUMNS = [
    Column("monat", "yearmonth", "Monat", "Monat des Besuchs"),
    Column("stadtbezirk", "string", "Stadtbezirk"),
    Column("besuche", "integer", "Besuche", "Besuche der Stadtbücherei"),
]
DISTRICTS = ["Bilk", "Benrath", "Garath", "Pempelfort"]


def visit_rows(months=("2026-01", "2026-02", "2026-03"), small=("2026-02", "Garath", 1)):
    """One row per month and district; one cell holds a single visitor."""
    rows = []
    for month_number, month in enumerate(months):
        for index, district in enumerate(DISTRICTS):
            count = 20 + 7 * index + month_number
            if (month, district) == small[:2]:
                count = small[2]
            rows.append({"monat": month, "stadtbezirk": district, "besuche": count})
    return rows


def make_dataset(slug="test-bibliotheksbesuche", disclosure=Dataset.Disclosure.SUPPRESSION, **kw):
    organisation = catalogue.organisation_named("Stadtbüchereien (Test)", "buecherei@test.example")
    return Dataset.objects.create(
        slug=slug,
        title=kw.pop("title", "Besuche der Stadtbüchereien nach Stadtbezirk (Test)"),
        description="Testdaten: Besuche je Monat und Stadtbezirk.",
        organisation=organisation,
        themes=["EDUC", "SOCI"],
        keywords=kw.pop("keywords", ["Bibliothek", "Besuche"]),
        contact_name="Stadtbüchereien",
        contact_email="buecherei@test.example",
        source=Dataset.Source.UPLOAD,
        disclosure=disclosure,
        dimensions=["monat", "stadtbezirk"],
        measures=kw.pop("measures", ["besuche"]),
        state=Dataset.State.DRAFT,
        **kw,
    )


@pytest.fixture(autouse=True)
def _csv_field_size_limit():
    """frictionless raises the csv module's process-wide field size limit when it first
    reads a file; other modules' tests (and production, which never imports it) rely on the
    default, so every test here leaves it as it found it."""
    limit = csv.field_size_limit()
    yield
    csv.field_size_limit(limit)


@pytest.fixture
def library(db):
    """A published data set with one release (a one-visitor cell is protected)."""
    dataset = make_dataset()
    releases.create_release(
        dataset, COLUMNS, visit_rows(), at=datetime(2026, 4, 2, 8, 0, tzinfo=UTC)
    )
    dataset.refresh_from_db()
    return dataset


@pytest.fixture
def steward(db):
    return StaffFactory(email="daten@test.example", roles=[Role.DATA_STEWARD])


@pytest.fixture
def steward_client(steward) -> Client:
    client = Client()
    client.force_login(steward)
    return client
