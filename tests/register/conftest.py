"""A responsible office with its data steward, a steward of another office, and a record
built the way an office writes one."""

import pytest
from django.test import Client

from rathaus.accounts.models import Role
from rathaus.offices.models import Office
from rathaus.register.models import Record
from tests.factories import StaffFactory

FIELDS = {
    "name": "Prüfung von Wohngeldanträgen (Test)",
    "slug": "test-wohngeld-pruefung",
    "summary": "Sortiert eingehende Wohngeldanträge nach Vollständigkeit vor.",
    "contact_email": "algorithmen-test@demo.duesseldorf.invalid",
    "phase": Record.Phase.PILOT,
    "decision_role": Record.DecisionRole.SUPPORTS,
    "supplier": "Eigenentwicklung",
    "purpose": "Anträge schneller bearbeiten.\n\nNiemand wartet wegen fehlender Unterlagen.",
    "how_it_works": "Das Programm prüft, ob alle Pflichtfelder ausgefüllt sind.",
    "easy_language": "Das Programm schaut nach: Fehlt etwas im Antrag?\n\nEin Mensch entscheidet.",
    "data_used": "Die Angaben im Antrag.",
    "excluded_data": "Staatsangehörigkeit, Geschlecht, Name.",
    "human_oversight": "Jede Sachbearbeiterin und jeder Sachbearbeiter sieht den Antrag selbst.",
    "appeal": "Widerspruch beim Amt für Wohnungswesen.",
    "risks": "Ein vollständiger Antrag wird als unvollständig markiert.",
    "mitigations": "Stichproben jede Woche.",
    "procurement": "",
    "code_paths": "src/rathaus/applications/services",
    "test_paths": "tests/applications",
}


def form_data(**changes) -> dict:
    return {**FIELDS, **changes}


@pytest.fixture
def office(db) -> Office:
    return Office.objects.get(slug="amt-fuer-wohnungswesen")


@pytest.fixture
def steward(office):
    return StaffFactory(full_name="Dana Daten", roles=[Role.DATA_STEWARD], roles__offices=[office])


@pytest.fixture
def steward_client(steward) -> Client:
    client = Client()
    client.force_login(steward)
    return client


@pytest.fixture
def other_steward(db):
    """A data steward of another office: may keep that office's records, not these."""
    return StaffFactory(
        full_name="Olaf Andersamt",
        roles=[Role.DATA_STEWARD],
        roles__offices=[Office.objects.get(slug="umweltamt")],
    )


@pytest.fixture
def draft(office) -> Record:
    return Record.objects.create(office=office, **FIELDS)
